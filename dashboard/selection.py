"""Which events and layer features a view shows: pure functions over the loaded data.

A *window* is an inclusive pair of dates. An event or feature is shown when its own span
overlaps the window; open ends (None) reach indefinitely. The browser repeats exactly this
rule in assets/scrub.js so that scrubbing never waits for the server; the browser tests check
that both agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dashboard.contract import PRECISION_RANK  # noqa: F401 - re-exported
from dashboard.dataset import Dataset, Event, LayerFeature, LonLat
from dashboard.model import GeoPrecision

Window = tuple[dt.date, dt.date]


def overlaps(start: dt.date | None, end: dt.date | None, window: Window) -> bool:
    """True when [start, end] (None = open) shares at least one day with the window."""
    return (start is None or start <= window[1]) and (end is None or end >= window[0])


def events_in_window(events: Iterable[Event], window: Window) -> list[Event]:
    return [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]


def features_in_window(features: Iterable[LayerFeature], window: Window) -> list[LayerFeature]:
    return [f for f in features if overlaps(f.props.valid_from, f.props.valid_to, window)]


def timeline_bounds(dataset: Dataset) -> Window:
    """The slider's span: from the first event's start to the last event's end."""
    if not dataset.events:
        today = dt.date.today()
        return (today, today)
    start = min(e.props.date_start for e in dataset.events)
    end = max(e.props.date_end for e in dataset.events)
    return (start, end)


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
