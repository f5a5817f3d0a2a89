"""Previous / next event, and windows that include an event: pure functions over the data.

"Next event" means the next event in the event list's date order (start, end, id) — the
selected one's successor, or with nothing selected the first event starting on or after the
window's first day. Stepping selects that event and moves the window, keeping its width, only
as far as needed to include it, so a step never lands on dates without its event.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from dashboard.dataset import Event, EventTable
from dashboard.selection import Window, overlaps

Direction = Literal["prev", "next"]


def date_order(events: Sequence[Event]) -> Sequence[Event]:
    """The event list's "date" order: start, then end, then id (stable and total).

    The dataset's table is kept in that order (loading sorts it), so it is its own answer:
    no million-event sort per request."""
    if isinstance(events, EventTable) and _days_ascending(events):
        return events
    return sorted(events, key=lambda e: (e.props.date_start, e.props.date_end, e.id))


def _days_ascending(table: EventTable) -> bool:
    start, end = table.column("start"), table.column("end")
    later = start[1:] > start[:-1]
    same = start[1:] == start[:-1]
    return bool(np.all(later | (same & (end[1:] >= end[:-1]))))


def step_target(
    ordered: Sequence[Event], selected: str | None, window: Window, direction: Direction
) -> Event | None:
    """The event a step selects, or None at that end of the list."""
    if isinstance(ordered, EventTable):
        return _table_step_target(ordered, selected, window, direction)
    index = next((i for i, e in enumerate(ordered) if e.id == selected), None)
    if index is not None:
        target = index + (1 if direction == "next" else -1)
        return ordered[target] if 0 <= target < len(ordered) else None
    if direction == "next":
        return next((e for e in ordered if e.props.date_start >= window[0]), None)
    return next((e for e in reversed(ordered) if e.props.date_start <= window[1]), None)


def _table_step_target(
    table: EventTable, selected: str | None, window: Window, direction: Direction
) -> Event | None:
    """step_target over the date-ordered table, from its columns (no scan of events)."""
    row = table.position(selected) if selected is not None else None
    if row is not None:
        target = row + (1 if direction == "next" else -1)
        return table[target] if 0 <= target < len(table) else None
    start = table.column("start")
    if direction == "next":
        rows = np.flatnonzero(start >= window[0].toordinal())
        return table[int(rows[0])] if len(rows) else None
    rows = np.flatnonzero(start <= window[1].toordinal())
    return table[int(rows[-1])] if len(rows) else None


def window_including(event: Event, window: Window, bounds: Window) -> Window:
    """The window moved (same width, inside bounds) as little as needed to overlap the event."""
    if overlaps(event.props.date_start, event.props.date_end, window):
        return window
    width = window[1] - window[0]
    if event.props.date_start > window[1]:  # later: the event's start becomes the last day
        end = min(event.props.date_start, bounds[1])
        start = max(bounds[0], end - width)
        return start, min(bounds[1], start + width)
    # earlier: the event's end becomes the first day
    start = max(event.props.date_end, bounds[0])
    end = min(bounds[1], start + width)
    return max(bounds[0], end - width), end


def steps_available(
    ordered: Sequence[Event], selected: str | None, window: Window
) -> tuple[bool, bool]:
    """(previous possible, next possible): the step buttons are disabled at the ends."""
    return (
        step_target(ordered, selected, window, "prev") is not None,
        step_target(ordered, selected, window, "next") is not None,
    )


def days(window: Window, origin: dt.date) -> list[int]:
    """A window as the slider's day numbers."""
    return [(window[0] - origin).days, (window[1] - origin).days]


# --------------------------------------------------------------------------- Play

PlayMode = Literal["cumulative", "window"]
PLAY_MODES: tuple[PlayMode, ...] = ("cumulative", "window")
# Sliding from the whole-timeline view: a window this wide (a quarter), from the first event.
SLIDING_WIDTH_DAYS = 91

DayWindow = tuple[int, int]


def event_start_days(events: Sequence[Event], origin: dt.date) -> list[int]:
    """The events' first days as slider day numbers, ascending (what Play reveals)."""
    if isinstance(events, EventTable):  # from the day column: no event made
        return np.sort(events.column("start").astype(np.int64) - origin.toordinal()).tolist()
    return sorted((e.props.date_start - origin).days for e in events)


def play_start(mode: str, window: DayWindow, bounds: DayWindow, starts: Sequence[int]) -> DayWindow:
    """The window Play starts from, in slider days.

    - "cumulative" pins the start at the timeline's first day and keeps the end; at the end
      of the timeline (the default whole-timeline view included) it starts again from the
      first event alone, so Play always has something to reveal.
    - "window" slides the window at its width; a window as wide as the timeline cannot
      slide, so it becomes a quarter from the first event; at the end it starts again from
      the beginning with its width.
    """
    lo, hi = sorted(window)
    first, last = bounds
    first_event = max(first, starts[0]) if starts else first
    if mode == "cumulative":
        return (first, first_event) if hi >= last else (first, hi)
    width = hi - lo
    if width >= last - first:
        start = min(first_event, max(first, last - SLIDING_WIDTH_DAYS))
        return start, min(last, start + SLIDING_WIDTH_DAYS)
    if hi >= last:
        return first, first + width
    return lo, hi


def play_tick(
    mode: str, window: DayWindow, step: int, bounds: DayWindow, starts: Sequence[int]
) -> tuple[DayWindow, bool]:
    """The next frame of Play and whether it stops there (the timeline's last day).

    `starts` are the first days of the events Play shows (those passing the filters:
    dashboard/filters.py `passing_start_days`), so a filtered-out event never makes a frame.

    "cumulative": the end advances by `step` days, or straight to the next event's first
    day when the step would reveal nothing new (no frames of nothing happening); the start
    stays pinned at the timeline's first day. "window": the window moves `step` days keeping
    its width, or, when the moved window would hold no event's first day, straight on until
    the next event's first day is its last day. Past the last event both walk by steps to
    the timeline's end.
    """
    lo, hi = sorted(window)
    first, last = bounds
    step = max(1, int(step))
    end = hi + step
    after = bisect.bisect_right(starts, hi)  # the first event not yet come into view
    later = starts[after] if after < len(starts) else None
    if mode == "cumulative":
        if later is not None and later > end:
            end = later
        end = min(end, last)
        return (first, end), end >= last
    width = hi - lo
    if later is not None and later > end:
        holds = bisect.bisect_left(starts, end - width) < bisect.bisect_right(starts, end)
        if not holds:  # a frame of nothing: on to the next event
            end = later
    end = min(end, last)
    return (max(first, end - width), end), end >= last


def slider_days(value: Any, bounds: DayWindow) -> DayWindow:
    """The slider's value as ordered days inside bounds; unreadable means all of it."""
    try:
        lo, hi = sorted(int(v) for v in value)
    except (TypeError, ValueError):
        return bounds
    return min(max(lo, bounds[0]), bounds[1]), min(max(hi, bounds[0]), bounds[1])
