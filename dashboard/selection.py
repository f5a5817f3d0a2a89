"""Which events and layer features a view shows: pure functions over the loaded data.

A *window* is an inclusive pair of dates. An event or feature is shown when its own span
overlaps the window; open ends (None) reach indefinitely. The browser repeats exactly this
rule in assets/scrub.js so that scrubbing never waits for the server; the browser tests check
that both agree.

Windows are looked up, not scanned: the dataset's events are sorted by start date (loading
does it), so `events_in_window` over that tuple bisects a cached index (`_TimelineIndex`) and
only walks the events near the window; the timeline's bounds come from the same index.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dashboard import registry
from dashboard.contract import PRECISION_RANK  # noqa: F401 - re-exported
from dashboard.dataset import Dataset, Event, LayerFeature, LonLat
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
    if any(a > b for a, b in zip(starts, starts[1:], strict=False)):
        return None
    reach, latest = [], -1
    for e in events:
        latest = max(latest, e.props.date_end.toordinal())
        reach.append(latest)
    index = _TimelineIndex(events, starts, reach)
    with _INDEX_LOCK:
        _INDEXES.append(index)
        del _INDEXES[:-_INDEX_KEEP]
    return index


def events_in_window(events: Iterable[Event], window: Window) -> list[Event]:
    """The events whose span overlaps the window, in their given order.

    For a tuple sorted by start date (the dataset's events) this costs O(log n + events near
    the window) after the first call; anything else is scanned.
    """
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
    index = _index(events)
    if index is not None:  # sorted: the first start, and the reach of the last event
        start, end = events[0].props.date_start, dt.date.fromordinal(index.reach[-1])
    else:
        start = min(e.props.date_start for e in events)
        end = max(e.props.date_end for e in events)
    layer_ends = [
        f.props.valid_to
        for layer in registry.reference_layers()
        for f in dataset.layers.get(layer.name, ())
        if f.props.valid_to
    ]
    return (start, max([end, *layer_ends]))


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
