"""The events as columns (dashboard.tables): the table answers as the events it holds do."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from dashboard.selection import events_in_window, month_counts, overlaps, timeline_bounds
from dashboard.stepping import date_order, step_target
from dashboard.tables import EventTable, EventView, Strings
from tests import records as r

D = dt.date


def _events(n: int = 300, seed: int = 3) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = D(2021, 1, 1) + dt.timedelta(days=rng.randrange(400))
        end = start + dt.timedelta(days=rng.choice([0, 0, 1, 9, 60]))
        placed = i % 7 != 0
        out.append(
            r.event(
                f"e{i:03d}",
                start.isoformat(),
                end.isoformat(),
                place_id="here" if i % 3 else "there",
                lonlat=(r.HERE if i % 3 else r.THERE) if placed else None,
                event_type=rng.choice(["political", "military", "protest"]),
                geo_precision=rng.choice(["exact", "settlement", "region"]),
                time_precision=rng.choice(["day", "day", "month"]),
            )
        )
    out.sort(key=lambda e: (e.props.date_start, e.props.date_end, e.id))
    return out


def test_strings_round_trip_any_text():
    values = ["", "a", "Şuşa", "Գորիս", "x" * 300, "two\nlines"]
    strings = Strings.of(values)
    assert len(strings) == len(values)
    assert [strings[i] for i in range(len(values))] == values
    assert strings.tolist() == values


def test_window_views_hold_exactly_the_overlapping_events_in_order():
    events = _events()
    table = EventTable.from_events(events)
    rng = random.Random(8)
    for _ in range(200):
        lo = D(2020, 12, 1) + dt.timedelta(days=rng.randrange(500))
        window = (lo, lo + dt.timedelta(days=rng.choice([0, 1, 7, 30, 200])))
        scanned = [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]
        view = events_in_window(table, window)
        assert isinstance(view, EventView)
        assert list(view) == scanned
        assert len(view) == table.count_in_window(window) == len(scanned)


def test_a_view_makes_no_event_until_one_is_read():
    events = _events()
    table = EventTable(
        len(events),
        columns=EventTable.from_events(events).columns(),
        props_json=Strings.of([e.props.model_dump_json() for e in events]),
    )
    view = table.window((D(2021, 2, 1), D(2021, 3, 1)))
    page = view[:25]
    assert len(table._made) == 0  # slicing and counting made nothing
    first = page[0]
    assert len(table._made) == 1
    assert first.props == events[int(view.rows[0])].props  # validated again from its JSON
    assert first.lonlat == events[int(view.rows[0])].lonlat


def test_positions_and_reversed_views_use_ids_not_scans():
    events = _events()
    table = EventTable.from_events(events)
    assert table.position(events[42].id) == 42
    assert table.position("nope") is None
    view = table.window((D(2021, 3, 1), D(2021, 4, 1)))
    target = view[5]
    assert view.position(target.id) == 5
    assert view.position(events[-1].id) is None or view[view.position(events[-1].id)] is events[-1]
    assert list(view.reversed()) == list(view)[::-1]


def test_columns_match_the_events():
    events = _events()
    table = EventTable.from_events(events)
    for i, e in enumerate(events):
        assert table.column("start")[i] == e.props.date_start.toordinal()
        assert table.column("end")[i] == e.props.date_end.toordinal()
        assert table.place_ids[table.column("place")[i]] == e.props.place_id
        if e.lonlat is None:
            assert np.isnan(table.column("lon")[i])
        else:
            assert (table.column("lon")[i], table.column("lat")[i]) == e.lonlat
        assert table.ids[i] == e.id and table.titles[i] == e.props.title


def test_month_counts_and_bounds_come_from_the_day_columns():
    events = _events()
    dataset = r.dataset(events)
    expected: dict[dt.date, int] = {}
    for e in events:
        month = D(e.props.date_start.year, e.props.date_start.month, 1)
        expected[month] = expected.get(month, 0) + 1
    assert month_counts(dataset.events) == expected
    assert timeline_bounds(dataset) == (
        min(e.props.date_start for e in events),
        max(e.props.date_end for e in events),
    )


def test_table_steps_like_the_sorted_list():
    events = _events()
    table = EventTable.from_events(events)
    assert date_order(table) is table  # kept in date order: no sort
    ordered = sorted(events, key=lambda e: (e.props.date_start, e.props.date_end, e.id))
    window = (D(2021, 5, 1), D(2021, 5, 20))
    for selected in (None, events[0].id, events[150].id, events[-1].id, "unknown"):
        for direction in ("next", "prev"):
            assert step_target(table, selected, window, direction) == step_target(
                ordered, selected, window, direction
            ), (selected, direction)


def test_a_table_out_of_date_order_is_sorted_when_asked_for_date_order():
    events = _events()
    shuffled = list(reversed(events))
    table = EventTable.from_events(shuffled)
    assert list(date_order(table)) == events


def test_tables_compare_like_lists():
    events = _events(20)
    table = EventTable.from_events(events)
    assert table == events
    assert table.window((D(1990, 1, 1), D(1990, 1, 2))) == []
    assert table != events[:-1]


@pytest.mark.parametrize("index", [-1, 20])
def test_index_out_of_range(index):
    table = EventTable.from_events(_events(20))
    if index == -1:
        assert table[index] is table[19]
    else:
        with pytest.raises(IndexError):
            table[index]


def test_the_timeline_strip_of_large_data_draws_each_distinct_span_and_day_once(monkeypatch):
    from dashboard import timeline_chart

    events = _events()
    table = EventTable.from_events(events)
    every = timeline_chart.timeline_strip(list(events))  # per event, as for small data
    monkeypatch.setattr(timeline_chart, "STRIP_DISTINCT_FROM", 10)
    distinct = timeline_chart.timeline_strip(table)
    assert distinct.distinct and not every.distinct
    # the same events counted, each distinct span and day drawn once
    assert (distinct.span_events, distinct.day_events) == (every.span_events, every.day_events)
    assert sorted(distinct.days) == sorted(set(every.days))
    assert len(distinct.days) < len(every.days)
    assert set(distinct.spans) == set(every.spans)
    assert len(distinct.spans) == len(set(every.spans)) == len(distinct.lanes)


def test_events_at_a_place_come_from_the_place_column():
    events = _events()
    table = EventTable.from_events(events)
    for place_id in ("here", "there", "nowhere"):
        assert list(table.at_place(place_id)) == [e for e in events if e.props.place_id == place_id]


def test_unfiltered_steps_read_the_table_without_making_its_events():
    from dashboard.actions import step_buttons_disabled
    from dashboard.filters import NO_FILTERS, filtered_events

    events = _events()
    table = EventTable(
        len(events),
        columns=EventTable.from_events(events).columns(),
        ids=Strings.of([e.id for e in events]),
        props_json=Strings.of([e.props.model_dump_json() for e in events]),
    )
    dataset = r.dataset([])
    object.__setattr__(dataset, "events", table)
    assert filtered_events(dataset, NO_FILTERS, None) is table
    window = (D(2021, 3, 1), D(2021, 3, 9))
    assert step_buttons_disabled(dataset, window, events[40].id) == [False, False]
    assert len(table._made) <= 2  # the two neighbours, not every event
