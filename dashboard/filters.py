"""Filters: which events a view keeps besides its dates, and how many events carry each value.

Seven groups of values, each read from an event's own record:

- `dataset`: where the event comes from: `articles` (the events curated from articles) or
  `acled` (rows imported from an ACLED export, dashboard/acled.py; offered only when some
  are loaded);
- `type`: its event type; `precision`: its place precision (`geo_precision`);
- `actor`: each of its actors; `outlet`: each outlet reporting it (the article's publisher,
  the outlets the article cites for it, each report's outlet: `provenance.independent_outlets`);
- `side`: who makes a claim the event carries (`claims[].by`, "what one side says"): the
  data's only record of a side (outlets carry no side in the data, and giving them one
  would be a judgement the data does not make);
- `kind`: the kinds of source it rests on (`article`, `report`, `official`).

ACLED rows take part in the groups their fields map onto cleanly (`acled_values`): `actor`
(ACLED's actor1, assoc_actor_1, actor2, assoc_actor_2), `outlet` (ACLED's sources),
`precision` and vague places (ACLED's geo_precision, mapped on import), and `type` for
ACLED's "Protests" only (ACLED's other event types, Battles, Riots, Explosions/Remote
violence, Violence against civilians, Strategic developments, have no clean counterpart in
ours). They carry no claims and no source kind, so choosing any `side`, `kind` or another
`type` leaves them out.

Within a group the chosen values are alternatives (any of them); the groups all apply
(each). A group with nothing chosen keeps everything. `hide_vague` drops events placed only
to a region, a country or off the map.

Names are matched without regard to case or spacing ("NEWS.am" is "News.am"); each value is
shown as first written in the data. A value's count is the number of events in the window
that carry it and pass every *other* group (the usual faceted count: it says how many events
ticking that value would add or keep).

URL (the page's address and the export routes, same names): `dataset`, `type`, `kind`,
`precision` comma-separated (`type=military,protest`); `actor`, `outlet`, `side` separated by `|`
(names contain commas: `actor=Nikol Pashinian|Vladimir Putin`); `vague=hide`.

Built once per dataset as postings (value -> record positions, numpy) so a filter change
costs one pass over the events, vectorised, at a million events too. Records are the
curated events in the dataset's order (positions 0..n-1), then the ACLED rows in theirs
(n..n+m-1). Pure: no Dash.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from dashboard.dataset import AcledEvent, Dataset, Event
from dashboard.model import EventType, GeoPrecision, SourceKind
from dashboard.provenance import independent_outlets
from dashboard.selection import Window, events_in_window, overlaps
from dashboard.tables import EventTable, EventView

GROUPS = ("dataset", "type", "actor", "outlet", "side", "kind", "precision")
NAMED_GROUPS = ("actor", "outlet", "side")  # free-text names: separated by "|" in a URL
ARTICLES, ACLED = "articles", "acled"  # the `dataset` values
ENUM_VALUES = {
    "dataset": (ARTICLES, ACLED),
    "type": tuple(t.value for t in EventType),
    "kind": tuple(k.value for k in SourceKind),
    "precision": tuple(p.value for p in GeoPrecision),
}
GROUP_TITLES = {
    "dataset": "Source dataset",
    "type": "Event type",
    "actor": "Actor",
    "outlet": "Outlet",
    "side": "Claims by",
    "kind": "Source kind",
    "precision": "Place precision",
}
# How the panel and a citation name a value where the URL's word is too terse.
VALUE_NAMES = {"dataset": {ARTICLES: "Events from articles", ACLED: "ACLED"}}
# ACLED's event types that map cleanly onto ours (ACLED codebook: public demonstrations).
ACLED_TYPES = {"Protests": "protest"}
PRECISION_CODES = tuple(p.value for p in GeoPrecision)  # the table's precision codes
VAGUE = (GeoPrecision.REGION.value, GeoPrecision.COUNTRY.value, GeoPrecision.OFF_MAP.value)
VAGUE_PARAM = "vague"


def separator(group: str) -> str:
    return "|" if group in NAMED_GROUPS else ","


def name_key(text: str) -> str:
    """How names are compared: case and runs of spaces do not matter."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Filters:
    """The chosen values per group (labels as the data writes them, in the data's order)
    and whether vague locations are hidden. Hashable: it is part of a view's cache key."""

    dataset: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    side: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    precision: tuple[str, ...] = ()
    hide_vague: bool = False

    def chosen(self, group: str) -> tuple[str, ...]:
        return getattr(self, group)

    @property
    def active(self) -> bool:
        return self.hide_vague or any(self.chosen(g) for g in GROUPS)

    def query_items(self) -> list[tuple[str, str]]:
        """(name, value) pairs of the URL query; none for an inactive filter."""
        items = [(g, separator(g).join(self.chosen(g))) for g in GROUPS if self.chosen(g)]
        if self.hide_vague:
            items.append((VAGUE_PARAM, "hide"))
        return items

    def describe(self) -> str:
        """In words, for a citation: "" when nothing is filtered."""
        parts = [
            f"{GROUP_TITLES[g].lower()}: {', '.join(value_name(g, v) for v in self.chosen(g))}"
            for g in GROUPS
        ]
        parts = [p for g, p in zip(GROUPS, parts, strict=True) if self.chosen(g)]
        if self.hide_vague:
            parts.append("vague locations hidden")
        return "; ".join(parts)


NO_FILTERS = Filters()


def value_name(group: str, value: str) -> str:
    """A value as the panel shows it ("Events from articles" for `articles`)."""
    return VALUE_NAMES.get(group, {}).get(value, value)


def event_values(dataset: Dataset, event: Event) -> dict[str, list[str]]:
    """The values an event carries in each group, as written (names not yet compared)."""
    p = event.props
    document = dataset.documents.get(p.document_id) if p.document_id else None
    return {
        "dataset": [ARTICLES],
        "type": [p.event_type.value],
        "actor": list(p.actors),
        "outlet": independent_outlets(p.sources, event.citations, document),
        "side": [claim.by for claim in p.claims],
        "kind": [k.value for k in p.source_kinds],
        "precision": [p.geo_precision.value],
    }


def acled_values(event: AcledEvent) -> dict[str, list[str]]:
    """The values an ACLED row carries in each group: only where its fields map cleanly."""
    p = event.props
    mapped_type = ACLED_TYPES.get(p.event_type)
    return {
        "dataset": [ACLED],
        "type": [mapped_type] if mapped_type else [],
        "actor": list(p.actors),
        "outlet": [c.outlet for c in p.citations],
        "side": [],
        "kind": [],
        "precision": [p.geo_precision.value],
    }


@dataclass(frozen=True)
class Facets:
    """Every value of every group in the data: its label, and the records that carry it.
    Records: the curated events (0..events-1), then the ACLED rows."""

    labels: dict[str, dict[str, str]]  # group -> key -> label (first written), data order
    postings: dict[str, dict[str, np.ndarray]]  # group -> key -> record positions (int32)
    starts: np.ndarray  # day ordinals of each record's first and last day
    ends: np.ndarray
    vague: np.ndarray  # bool: the record is placed only to a region, a country or off the map
    size: int  # records: curated events and ACLED rows
    events: int = -1  # curated events (the first records); -1: all of them

    @property
    def curated(self) -> int:
        return self.size if self.events < 0 else self.events

    def key(self, group: str, text: str) -> str | None:
        """The key of a value as written in a URL, or None when the data has no such value."""
        key = name_key(text) if group in NAMED_GROUPS else text.strip()
        return key if key in self.labels[group] else None


def _stored_rows(dataset: Dataset, props_json: Any) -> Iterable[dict[str, list[str]]]:
    """Each event's values of the groups read from its stored JSON text (the table keeps it:
    dashboard/tables.py), without validating a pydantic model per event: the text was
    validated when it was stored."""
    publisher = {d.id: d.publisher for d in dataset.documents.values()}
    cited: dict[str, list[str]] = {}
    for c in dataset.citations:
        if c.kind.value == "outlet":
            for event_id in c.supports:
                cited.setdefault(event_id, []).append(c.outlet)

    def values(p: dict[str, Any]) -> dict[str, list[str]]:
        sources = p.get("sources") or []
        document = p.get("document_id")
        outlets = [publisher[document]] if document in publisher else []
        return {
            "actor": p.get("actors") or [],
            "outlet": outlets + cited.get(p["id"], []) + [s["outlet"] for s in sources],
            "side": [claim["by"] for claim in p.get("claims") or []],
            "kind": (["article"] if document else []) + [s["kind"] for s in sources],
        }

    bounds = props_json.offsets.tolist()
    for first in range(0, len(bounds) - 1, _CHUNK):
        # One parse per chunk of rows (the per-call cost of json.loads was a third of the
        # time), and one copy of a chunk's bytes, not of the whole text.
        last = min(first + _CHUNK, len(bounds) - 1)
        base = bounds[first]
        raw = props_json.data[base : bounds[last]].tobytes()
        pieces = [raw[bounds[i] - base : bounds[i + 1] - base] for i in range(first, last)]
        yield from map(values, json.loads(b"[" + b",".join(pieces) + b"]"))


_CHUNK = 4096


def build_facets(dataset: Dataset) -> Facets:
    """The facets, once per dataset. Days, types and precisions come from the table's
    columns when it has them (no event is made); the named groups and the source kinds need
    each event's record: read from the stored JSON text for a stored table, else from the
    events in memory."""
    events = dataset.events
    n = len(events)
    labels: dict[str, dict[str, str]] = {g: {} for g in GROUPS}
    members: dict[str, dict[str, list[int]]] = {g: {} for g in GROUPS}
    for g in ENUM_VALUES:  # every enum value is a value, in its own order
        for value in ENUM_VALUES[g]:
            labels[g][value] = value
            members[g][value] = []
    column = getattr(events, "column", None)
    props_json = getattr(events, "props_json", None)
    if props_json is not None:
        rows: Iterable[dict[str, list[str]]] = _stored_rows(dataset, props_json)
    else:
        rows = (event_values(dataset, e) for e in events)
    by_column = column is not None and props_json is not None
    for i, values in enumerate(rows):
        for g, given in values.items():
            if g == "dataset" or (by_column and g in ("type", "precision")):
                continue
            seen: set[str] = set()
            for value in given:
                key = name_key(value) if g in NAMED_GROUPS else value
                if key in seen:
                    continue
                seen.add(key)
                labels[g].setdefault(key, value)
                members[g].setdefault(key, []).append(i)
    postings = {
        g: {k: np.asarray(v, dtype=np.int32) for k, v in by_key.items()}
        for g, by_key in members.items()
    }
    if column is not None:
        starts = column("start").astype(np.int64)
        ends = column("end").astype(np.int64)
        types, precisions = column("type"), column("precision")
        names = {"type": tuple(t.value for t in EventType), "precision": PRECISION_CODES}
        if by_column:
            for g, codes in (("type", types), ("precision", precisions)):
                for code, value in enumerate(names[g]):
                    postings[g][value] = np.flatnonzero(codes == code).astype(np.int32)
        vague_codes = [PRECISION_CODES.index(v) for v in VAGUE]
        vague = np.isin(precisions, vague_codes)
    else:
        starts = np.fromiter((e.props.date_start.toordinal() for e in events), np.int64, n)
        ends = np.fromiter((e.props.date_end.toordinal() for e in events), np.int64, n)
        vague = np.fromiter((e.props.geo_precision.value in VAGUE for e in events), np.bool_, n)
    # The articles' value: every curated event (read from no record: all of them carry it).
    postings["dataset"][ARTICLES] = np.arange(n, dtype=np.int32)
    return _with_acled(Facets(labels, postings, starts, ends, vague, n, n), dataset.acled)


def _with_acled(facets: Facets, acled: Sequence[AcledEvent]) -> Facets:
    """The facets with the ACLED rows appended as records n..n+m-1."""
    n, m = facets.size, len(acled)
    if not m:
        return facets
    labels = {g: dict(by_key) for g, by_key in facets.labels.items()}
    extra: dict[str, dict[str, list[int]]] = {g: {} for g in GROUPS}
    for i, event in enumerate(acled, start=n):
        for g, given in acled_values(event).items():
            for value in dict.fromkeys(name_key(v) if g in NAMED_GROUPS else v for v in given):
                labels[g].setdefault(value, next(v for v in given if _key(g, v) == value))
                extra[g].setdefault(value, []).append(i)
    postings = {g: dict(by_key) for g, by_key in facets.postings.items()}
    for g, by_key in extra.items():
        for key, rows in by_key.items():
            before = postings[g].get(key, np.zeros(0, dtype=np.int32))
            postings[g][key] = np.concatenate([before, np.asarray(rows, dtype=np.int32)])
    starts = np.fromiter((e.props.date_start.toordinal() for e in acled), np.int64, m)
    ends = np.fromiter((e.props.date_end.toordinal() for e in acled), np.int64, m)
    vague = np.fromiter((e.props.geo_precision.value in VAGUE for e in acled), np.bool_, m)
    return Facets(
        labels,
        postings,
        np.concatenate([facets.starts, starts]),
        np.concatenate([facets.ends, ends]),
        np.concatenate([facets.vague, vague]),
        n + m,
        n,
    )


def _key(group: str, value: str) -> str:
    return name_key(value) if group in NAMED_GROUPS else value


def facets_of(dataset: Dataset) -> Facets:
    """The dataset's facets, built on first use and kept with it (the dataset is frozen)."""
    cached = dataset.__dict__.get("_facets")
    if cached is None:
        cached = build_facets(dataset)
        object.__setattr__(dataset, "_facets", cached)
    return cached


# --------------------------------------------------------------------------- reading a URL


def _split(group: str, text: str) -> list[str]:
    return [part for part in (p.strip() for p in text.split(separator(group))) if part]


def parse_filters(args: Mapping[str, Any], facets: Facets) -> tuple[Filters, list[str]]:
    """(filters, problems) from URL query arguments. Values the data does not have are left
    out and each is named in `problems` (the page ignores them; the API refuses them)."""
    chosen: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for g in GROUPS:
        text = args.get(g)
        if not isinstance(text, str) or not text.strip():
            continue
        keys: list[str] = []
        for part in _split(g, text):
            key = facets.key(g, part)
            if key is None:
                problems.append(f"{g} {part[:60]!r} is not in the data")
            elif key not in keys:
                keys.append(key)
        order = list(facets.labels[g])  # the data's order: one spelling of each filter
        chosen[g] = tuple(facets.labels[g][k] for k in sorted(keys, key=order.index))
    vague = args.get(VAGUE_PARAM)
    hide_vague = False
    if isinstance(vague, str) and vague:
        if vague == "hide":
            hide_vague = True
        else:
            problems.append(f"{VAGUE_PARAM} {vague[:20]!r}: the only value is 'hide'")
    return replace(NO_FILTERS, **chosen, hide_vague=hide_vague), problems


def control_values(filters: Filters) -> list[list[str]]:
    """The filters panel's values for these filters: each group's chosen labels, then the
    "hide vague locations" box (dashboard/filters_view.py)."""
    return [list(filters.chosen(g)) for g in GROUPS] + [["hide"] if filters.hide_vague else []]


def from_choices(choices: Mapping[str, Iterable[str] | None], hide_vague: bool) -> Filters:
    """Filters from the page's controls (labels as offered); the order is normalised later
    by `parse_filters` when it matters, so the controls' order is kept here."""
    chosen = {g: tuple(str(v) for v in (choices.get(g) or ())) for g in GROUPS}
    return replace(NO_FILTERS, **chosen, hide_vague=bool(hide_vague))


def normalised(filters: Filters, facets: Facets) -> Filters:
    """The one spelling of a filter: values the data has, each once, in the data's order."""
    args = dict(filters.query_items())
    return parse_filters(args, facets)[0]


# --------------------------------------------------------------------------- which events pass


def _group_mask(facets: Facets, group: str, labels: tuple[str, ...]) -> np.ndarray | None:
    if not labels:
        return None
    mask = np.zeros(facets.size, dtype=np.bool_)
    for label in labels:
        key = facets.key(group, label)
        if key is not None:
            mask[facets.postings[group][key]] = True
    return mask


def _masks(filters: Filters, facets: Facets) -> dict[str, np.ndarray]:
    masks = {g: m for g in GROUPS if (m := _group_mask(facets, g, filters.chosen(g))) is not None}
    if filters.hide_vague:
        masks[VAGUE_PARAM] = ~facets.vague
    return masks


def _all_of(masks: Iterable[np.ndarray], size: int) -> np.ndarray:
    out = np.ones(size, dtype=np.bool_)
    for m in masks:
        out &= m
    return out


def passing(filters: Filters, facets: Facets) -> np.ndarray:
    """Per event (the dataset's order): True when it passes every filter."""
    return _all_of(_masks(filters, facets).values(), facets.size)


def passing_start_days(filters: Filters, facets: Facets, origin: dt.date) -> list[int]:
    """The first days (slider day numbers from `origin`, ascending) of the events that pass
    the filters: the frames Play may stop at (dashboard/stepping.py)."""
    starts = facets.starts if not filters.active else facets.starts[passing(filters, facets)]
    return np.sort(starts - origin.toordinal()).tolist()


def acled_passing(filters: Filters, facets: Facets) -> np.ndarray:
    """Per ACLED row (the dataset's order): True when it passes every filter."""
    return passing(filters, facets)[facets.curated :]


def acled_shown(dataset: Dataset, filters: Filters, window: Window) -> list[AcledEvent]:
    """The ACLED rows in the window that pass the filters, in the dataset's order."""
    rows: Sequence[AcledEvent] = dataset.acled
    if filters.active:
        passes = acled_passing(filters, facets_of(dataset))
        rows = [e for e, ok in zip(dataset.acled, passes, strict=True) if ok]
    return [e for e in rows if overlaps(e.props.date_start, e.props.date_end, window)]


def window_mask(facets: Facets, window: Window) -> np.ndarray:
    return (facets.starts <= window[1].toordinal()) & (facets.ends >= window[0].toordinal())


def filtered_events(dataset: Dataset, filters: Filters, window: Window | None) -> Sequence[Event]:
    """The events in the window (None: all) that pass the filters, in the dataset's order."""
    if not filters.active:
        # The table itself (not a list of it): at a million events a list makes every event.
        return dataset.events if window is None else events_in_window(dataset.events, window)
    facets = facets_of(dataset)
    keep = passing(filters, facets)[: facets.curated]  # the ACLED rows are not events
    if window is not None:
        keep &= window_mask(facets, window)[: facets.curated]
    rows = np.flatnonzero(keep)
    if isinstance(dataset.events, EventTable):  # lazy: no event is made until it is read
        return EventView(dataset.events, rows)
    return [dataset.events[i] for i in rows]


@dataclass(frozen=True)
class ValueCount:
    group: str
    label: str
    count: int
    chosen: bool


def value_counts(dataset: Dataset, filters: Filters, window: Window) -> dict[str, list[ValueCount]]:
    """Per group, its values with their counts (events in the window carrying the value that
    pass the other groups). Event type, source kind and place precision: every value, in
    their fixed order (a ticked box never moves). Actors, outlets, claims by: most events
    first, then as the data orders them; values with no event in the window are left out
    unless chosen. Key `vague`: one entry, the vague events in the window passing the groups."""
    facets = facets_of(dataset)
    masks = _masks(filters, facets)
    in_window = window_mask(facets, window)
    out: dict[str, list[ValueCount]] = {}
    for g in GROUPS:
        base = in_window & _all_of((m for k, m in masks.items() if k != g), facets.size)
        chosen = {facets.key(g, label) for label in filters.chosen(g)}
        rows = []
        for position, (key, label) in enumerate(facets.labels[g].items()):
            count = int(np.count_nonzero(base[facets.postings[g][key]]))
            named = g in NAMED_GROUPS
            if count or key in chosen or not named:
                order = (-count if named else 0, position)
                rows.append((order, ValueCount(g, label, count, key in chosen)))
        rows.sort(key=lambda row: row[0])
        out[g] = [value for _, value in rows]
    base = in_window & _all_of((m for k, m in masks.items() if k != VAGUE_PARAM), facets.size)
    vague_count = int(np.count_nonzero(base & facets.vague))
    out[VAGUE_PARAM] = [ValueCount(VAGUE_PARAM, "hide", vague_count, filters.hide_vague)]
    return out


# --------------------------------------------------------------------------- for the browser


def mask_payload(filters: Filters, facets: Facets) -> str | None:
    """Which records pass, for assets/events_layer.js and assets/scrub.js: one bit per
    record, the curated events first in the dataset's (and the events' file's) order, then
    the ACLED rows in theirs (bit n + i: the ACLED trace's item i), bit i of byte i // 8
    least significant first, base64; None when nothing is filtered (everything passes)."""
    if not filters.active:
        return None
    bits = np.packbits(passing(filters, facets), bitorder="little")
    return base64.b64encode(bits.tobytes()).decode("ascii")


def filter_state(filters: Filters) -> list[list[str]]:
    """What the page keeps of a filter (store `filter-state`, sent with the list's and the
    filters' requests): its URL query pairs. The mask stays in the browser (`filter-mask`)."""
    return [[name, value] for name, value in filters.query_items()]
