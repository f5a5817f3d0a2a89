"""Previous / next event, and windows that include an event: pure functions over the data.

"Next event" means the next event in the event list's date order (start, end, id) — the
selected one's successor, or with nothing selected the first event starting on or after the
window's first day. Stepping selects that event and moves the window, keeping its width, only
as far as needed to include it, so a step never lands on dates without its event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from dashboard.dataset import Event
from dashboard.selection import Window, overlaps

Direction = Literal["prev", "next"]


def date_order(events: Sequence[Event]) -> list[Event]:
    """The event list's "date" order: start, then end, then id (stable and total)."""
    return sorted(events, key=lambda e: (e.props.date_start, e.props.date_end, e.id))


def step_target(
    ordered: Sequence[Event], selected: str | None, window: Window, direction: Direction
) -> Event | None:
    """The event a step selects, or None at that end of the list."""
    index = next((i for i, e in enumerate(ordered) if e.id == selected), None)
    if index is not None:
        target = index + (1 if direction == "next" else -1)
        return ordered[target] if 0 <= target < len(ordered) else None
    if direction == "next":
        return next((e for e in ordered if e.props.date_start >= window[0]), None)
    return next((e for e in reversed(ordered) if e.props.date_start <= window[1]), None)


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
