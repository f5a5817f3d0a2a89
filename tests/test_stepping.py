"""Previous / next event and the window that includes an event (dashboard/stepping.py)."""

from __future__ import annotations

import datetime as dt

from dashboard.selection import overlaps, timeline_bounds
from dashboard.stepping import date_order, step_target, steps_available, window_including


def test_next_from_nothing_selected_is_the_first_event_starting_in_the_window(dataset):
    ordered = date_order(dataset.events)
    window = (dt.date(2020, 9, 1), dt.date(2020, 12, 31))
    first = step_target(ordered, None, window, "next")
    assert first is not None and first.props.date_start >= window[0]
    assert all(e.props.date_start < window[0] for e in ordered[: ordered.index(first)])


def test_steps_walk_the_date_order_and_stop_at_both_ends(dataset):
    ordered = date_order(dataset.events)
    window = timeline_bounds(dataset)
    seen, selected = [], None
    while (target := step_target(ordered, selected, window, "next")) is not None:
        seen.append(target)
        selected = target.id
    assert seen == ordered
    assert steps_available(ordered, selected, window) == (True, False)
    assert steps_available(ordered, ordered[0].id, window) == (False, True)
    assert step_target(ordered, ordered[3].id, window, "prev") is ordered[2]


def test_the_moved_window_keeps_its_width_stays_in_bounds_and_includes_the_event(dataset):
    bounds = timeline_bounds(dataset)
    for event in dataset.events:
        for width in (0, 10, 200, 5000):
            for start in (bounds[0], bounds[0] + dt.timedelta(days=400), bounds[1]):
                end = min(bounds[1], start + dt.timedelta(days=width))
                window = (start, end)
                moved = window_including(event, window, bounds)
                assert overlaps(event.props.date_start, event.props.date_end, moved)
                assert bounds[0] <= moved[0] <= moved[1] <= bounds[1]
                if overlaps(event.props.date_start, event.props.date_end, window):
                    assert moved == window
                elif (bounds[1] - bounds[0]) >= (end - start):
                    assert moved[1] - moved[0] == end - start
