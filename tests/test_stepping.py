"""Previous / next event and the window that includes an event (dashboard/stepping.py)."""

from __future__ import annotations

import datetime as dt

from dashboard.selection import overlaps, timeline_bounds
from dashboard.stepping import (
    SLIDING_WIDTH_DAYS,
    date_order,
    event_start_days,
    play_start,
    play_tick,
    slider_days,
    step_target,
    steps_available,
    window_including,
)


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


# --------------------------------------------------------------------------- Play

STARTS = [0, 0, 40, 41, 300]  # event first days on a 0..1000 timeline
BOUNDS = (0, 1000)


def test_play_from_the_whole_timeline_reveals_from_the_first_event_alone():
    assert play_start("cumulative", (0, 1000), BOUNDS, STARTS) == (0, 0)
    # a timeline whose first day is before the first event (a reference layer starts it)
    assert play_start("cumulative", (0, 1000), BOUNDS, [25, 40]) == (0, 25)
    # sliding the whole timeline would go nowhere: a quarter from the first event
    assert play_start("window", (0, 1000), BOUNDS, [25, 40]) == (25, 25 + SLIDING_WIDTH_DAYS)
    assert play_start("window", (0, 1000), BOUNDS, [990]) == (1000 - SLIDING_WIDTH_DAYS, 1000)


def test_play_start_pins_the_start_or_keeps_the_window():
    assert play_start("cumulative", (200, 500), BOUNDS, STARTS) == (0, 500)
    assert play_start("window", (200, 500), BOUNDS, STARTS) == (200, 500)
    assert play_start("window", (500, 200), BOUNDS, STARTS) == (200, 500)  # unordered thumbs
    # at the end, the sliding window starts again from the beginning with its width
    assert play_start("window", (900, 1000), BOUNDS, STARTS) == (0, 100)


def test_cumulative_play_reveals_every_event_in_order_without_empty_frames():
    frames, window, stopped = [], play_start("cumulative", (0, 1000), BOUNDS, STARTS), False
    frames.append(window)
    while not stopped:
        window, stopped = play_tick("cumulative", window, 7, BOUNDS, STARTS)
        frames.append(window)
    assert all(lo == 0 for lo, _ in frames)  # the start stays pinned
    ends = [hi for _, hi in frames]
    assert ends == sorted(ends) and ends[-1] == 1000
    # a week would reveal nothing: straight to day 40; then a week (reveals day 41); then
    # the quiet stretch 47..300 is one frame, not 36 frames of nothing
    assert ends[:4] == [0, 40, 47, 300]
    shown = [sum(s <= hi for s in STARTS) for hi in ends]
    assert shown[:4] == [2, 3, 4, 5]
    # past the last event the end walks by steps to the timeline's end
    assert ends[ends.index(300) + 1] == 307


def test_sliding_play_keeps_the_width_and_stops_at_the_end():
    window, stopped = play_tick("window", (0, 30), 30, BOUNDS, STARTS)
    assert (window, stopped) == ((30, 60), False)
    window, stopped = play_tick("window", (950, 980), 30, BOUNDS, STARTS)
    assert (window, stopped) == ((970, 1000), True)
    assert play_tick("window", (35, 45), 0, BOUNDS, STARTS)[0] == (36, 46)  # at least a day


def test_sliding_play_skips_frames_that_hold_no_event():
    # (130, 160) would hold no event's first day: straight on until day 300 is the last day
    window, stopped = play_tick("window", (100, 130), 30, BOUNDS, STARTS)
    assert (window, stopped) == ((270, 300), False)
    # the next step holds 300 still: a normal step
    assert play_tick("window", (270, 300), 30, BOUNDS, STARTS)[0] == (300, 330)
    # past the last event: steps to the end
    assert play_tick("window", (300, 330), 30, BOUNDS, STARTS)[0] == (330, 360)
    # a frame that holds a start is not skipped even when nothing new enters
    assert play_tick("window", (0, 30), 30, BOUNDS, [35, 500]) == ((30, 60), False)


def test_play_with_filtered_starts_stops_only_at_events_that_pass():
    """Filters give Play the first days of the passing events only (filters.py:
    passing_start_days): the frames never stop at an event filtered out."""
    everything = [0, 40, 41, 120, 300, 301]
    passing_only = [41, 301]  # e.g. one event type
    frames = {}
    for starts in (everything, passing_only):
        window, stopped, ends = play_start("cumulative", (0, 1000), BOUNDS, starts), False, []
        while not stopped:
            window, stopped = play_tick("cumulative", window, 7, BOUNDS, starts)
            ends.append(window[1])
        frames[len(starts)] = ends
    # the first frame is the first passing event, then straight to the next one (301):
    # a week would reveal nothing that passes
    assert play_start("cumulative", (0, 1000), BOUNDS, passing_only) == (0, 41)
    assert frames[2][:2] == [301, 308]
    assert 120 in frames[6] and 120 not in frames[2] and 300 not in frames[2]
    # sliding: from the first passing event, and on to the next passing one
    assert play_start("window", (0, 1000), BOUNDS, passing_only) == (41, 41 + SLIDING_WIDTH_DAYS)
    window = play_tick("window", (41, 41 + SLIDING_WIDTH_DAYS), 30, BOUNDS, passing_only)[0]
    assert window == (301 - SLIDING_WIDTH_DAYS, 301)
    window = play_tick("window", (41, 41 + SLIDING_WIDTH_DAYS), 30, BOUNDS, everything)[0]
    assert window == (71, 71 + SLIDING_WIDTH_DAYS)  # 120 is in it: an ordinary step


def test_event_start_days_are_sorted_slider_days(dataset):
    origin = timeline_bounds(dataset)[0]
    days_ = event_start_days(dataset.events, origin)
    assert days_ == sorted(days_) and days_[0] == 0 and len(days_) == len(dataset.events)


def test_slider_days_orders_and_clamps_and_reads_garbage_as_everything():
    assert slider_days([500, 200], BOUNDS) == (200, 500)
    assert slider_days([-5, 2000], BOUNDS) == (0, 1000)
    assert slider_days(None, BOUNDS) == BOUNDS
    assert slider_days(["x", 3], BOUNDS) == BOUNDS
