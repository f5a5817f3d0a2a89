"""Which events and layer features a view shows: pure functions over the loaded data.

A *window* is an inclusive pair of dates. An event or feature is shown when its own span
overlaps the window; open ends (None) reach indefinitely. The browser repeats exactly this
rule in assets/scrub.js so that scrubbing never waits for the server; the browser tests check
that both agree.

Windows are looked up, not walked event by event: the dataset's events are a table of
columns (`dashboard.tables.EventTable`), so `events_in_window` compares two arrays of days
and returns a lazy view of the rows that overlap; the timeline's bounds are two array
reductions. Other sorted tuples of events bisect a cached index (`_TimelineIndex`).
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

import numpy as np

from dashboard import registry
from dashboard.contract import PRECISION_RANK  # noqa: F401 - re-exported
from dashboard.dataset import Dataset, Event, EventTable, LayerFeature, LonLat
from dashboard.model import GeoPrecision

Window = tuple[dt.date, dt.date]


def overlaps(start: dt.date | None, end: dt.date | None, window: Window) -> bool:
    """True when [start, end] (None = open) shares at least one day with the window."""
    return (start is None or start <= window[1]) and (end is None or end >= window[0])


@dataclass(frozen=True)
class _TimelineIndex:
    """Start days (ordinals, ascending) and `reach`: the latest end among the events up to
    each position. Every event before the first position whose reach is >= a window's first
    day ends before the window; every event after the last start <= its last day starts after.
    """

    events: tuple[Event, ...]
    starts: list[int]
    reach: list[int]

    def window(self, window: Window) -> list[Event]:
        first = bisect_left(self.reach, window[0].toordinal())
        last = bisect_right(self.starts, window[1].toordinal())
        lo = window[0]
        return [e for e in self.events[first:last] if e.props.date_end >= lo]


# Indexed tuples, newest last: the dataset's events (and a few others, e.g. in tests).
_INDEXES: list[_TimelineIndex] = []
_INDEX_LOCK = threading.Lock()
_INDEX_MIN_EVENTS = 256  # below this a scan costs less than building an index
_INDEX_KEEP = 4


def _index(events: tuple[Event, ...]) -> _TimelineIndex | None:
    """The index of a tuple of events sorted by start date, built on first use; None when the
    tuple is small or not sorted (then a scan is the answer)."""
    for index in _INDEXES:
        if index.events is events:
            return index
    if len(events) < _INDEX_MIN_EVENTS:
        return None
    starts = [e.props.date_start.toordinal() for e in events]
    if any(a > b for a, b in pairwise(starts)):
        return None
    reach = list(accumulate((e.props.date_end.toordinal() for e in events), max))
    index = _TimelineIndex(events, starts, reach)
    with _INDEX_LOCK:
        _INDEXES.append(index)
        del _INDEXES[:-_INDEX_KEEP]
    return index


def events_in_window(events: Iterable[Event], window: Window) -> Sequence[Event]:
    """The events whose span overlaps the window, in their given order.

    The dataset's table answers from its day columns with a lazy view (no event is made
    until one is read); a tuple sorted by start date costs O(log n + events near the window)
    after the first call; anything else is scanned.
    """
    if isinstance(events, EventTable):
        return events.window(window)
    if isinstance(events, tuple):
        index = _index(events)
        if index is not None:
            return index.window(window)
    return [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]


def features_in_window(features: Iterable[LayerFeature], window: Window) -> list[LayerFeature]:
    return [f for f in features if overlaps(f.props.valid_from, f.props.valid_to, window)]


def timeline_bounds(dataset: Dataset) -> Window:
    """The slider's span: from the first event's start to the last event's end or the last
    day of a reference feature, whichever is later (so the window reaches the withdrawal of
    12 June 2024 even if no event is dated that late)."""
    events = dataset.events
    if not events:
        today = dt.date.today()
        return (today, today)
    start = dt.date.fromordinal(int(events.column("start").min()))
    end = dt.date.fromordinal(int(events.column("end").max()))
    layer_ends = [
        f.props.valid_to
        for layer in registry.reference_layers()
        for f in dataset.layers.get(layer.name, ())
        if f.props.valid_to
    ]
    return (start, max([end, *layer_ends]))


_EPOCH = dt.date(1970, 1, 1).toordinal()


def month_counts(events: EventTable) -> dict[dt.date, int]:
    """Events per month of their start day: {first day of the month: count}."""
    days = (events.column("start").astype(np.int64) - _EPOCH).astype("datetime64[D]")
    months, counts = np.unique(days.astype("datetime64[M]"), return_counts=True)
    return {
        dt.date.fromisoformat(f"{m}-01"): int(c)
        for m, c in zip(months.astype(str).tolist(), counts.tolist(), strict=True)
    }


def page_title(dataset: Dataset) -> str:
    """The page's heading, naming the years the events actually span (not a fixed range)."""
    first, last = timeline_bounds(dataset)
    years = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    return f"Russia's Karabakh protectorate: events {years}"


def clamp_window(window: Window, bounds: Window) -> Window:
    start = min(max(window[0], bounds[0]), bounds[1])
    end = min(max(window[1], bounds[0]), bounds[1])
    return (start, end) if start <= end else (end, start)


@dataclass(frozen=True)
class PlaceGroup:
    """The events of one window that share a place: drawn as one marker."""

    place_id: str
    lonlat: LonLat
    events: tuple[Event, ...]

    @property
    def precision(self) -> GeoPrecision:
        return max((e.props.geo_precision for e in self.events), key=PRECISION_RANK.__getitem__)

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(sorted({e.props.event_type.value for e in self.events}))


def group_by_place(events: Sequence[Event]) -> list[PlaceGroup]:
    """One group per mapped place, in order of first appearance; off-map events are left out."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        if event.lonlat is not None:
            grouped.setdefault(event.props.place_id, []).append(event)
    return [
        PlaceGroup(place_id, members[0].lonlat, tuple(members))  # type: ignore[arg-type]
        for place_id, members in grouped.items()
    ]
