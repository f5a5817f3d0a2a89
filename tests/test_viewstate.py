"""The view (window, event, layers) read from a URL and from the slider, on built records:
every part falls back alone, the slider's days come in any order, day numbers round-trip."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.days import day_date, day_number
from dashboard.viewstate import (
    EVENTS_LAYER,
    MapView,
    ViewState,
    default_view,
    link_problems,
    parse_map_view,
    parse_view_state,
    slider_value,
    toggleable_layers,
    window_from_slider,
)
from tests import records as r

D = dt.date


@pytest.fixture
def data():
    """A timeline from 2021-03-01 to 2021-06-30."""
    return r.dataset([r.event("a", "2021-03-01"), r.event("b", "2021-05-10", "2021-06-30")])


BOUNDS = (D(2021, 3, 1), D(2021, 6, 30))


def test_the_layer_control_lists_the_reference_layers_then_the_events():
    assert toggleable_layers() == (
        "aor",
        "lachin_corridor",
        "stepanakert",
        "peacekeeper_posts",
        EVENTS_LAYER,
        "acled",  # imported ACLED events: a separate source, after the curated events
    )
    assert EVENTS_LAYER == "events"


def test_default_view_is_the_whole_timeline_nothing_selected_every_layer(data):
    assert default_view(data) == ViewState(BOUNDS, None, toggleable_layers())


def test_a_full_query_is_read_whole(data):
    view = parse_view_state(
        {"start": "2021-03-05", "end": "2021-04-01", "event": "b", "layers": "events, aor"}, data
    )
    assert view == ViewState((D(2021, 3, 5), D(2021, 4, 1)), "b", ("aor", "events"))


@pytest.mark.parametrize(
    ("args", "window"),
    [
        ({}, BOUNDS),
        ({"start": "2021-04-01"}, (D(2021, 4, 1), BOUNDS[1])),
        ({"end": "2021-04-01"}, (BOUNDS[0], D(2021, 4, 1))),
        ({"start": "2021-4-1", "end": "2021-04-01"}, (BOUNDS[0], D(2021, 4, 1))),
        ({"start": "20210401", "end": "nonsense"}, BOUNDS),
        ({"start": "2021-02-30"}, BOUNDS),
        ({"start": "2021-04-01T00:00"}, BOUNDS),
        ({"start": "2019-01-01", "end": "2030-01-01"}, BOUNDS),
        ({"start": "2021-05-01", "end": "2021-04-01"}, (D(2021, 4, 1), D(2021, 5, 1))),
        ({"start": "2022-01-01", "end": "2022-02-01"}, (BOUNDS[1], BOUNDS[1])),
    ],
)
def test_each_unreadable_date_falls_back_alone_and_the_window_is_clamped(data, args, window):
    assert parse_view_state(args, data).window == window


def test_an_unknown_event_is_not_selected(data):
    assert parse_view_state({"event": "nope"}, data).selected_event is None
    assert parse_view_state({"event": ""}, data).selected_event is None
    assert parse_view_state({"event": "a"}, data).selected_event == "a"


@pytest.mark.parametrize(
    ("layers", "visible"),
    [
        ("", ()),
        (",", ()),
        ("aor", ("aor",)),
        ("events,aor,aor", ("aor", "events")),
        (" stepanakert ,nope", ("stepanakert",)),
        ("nope,also-nope", toggleable_layers()),
        ("context_countries", toggleable_layers()),
    ],
)
def test_layers_known_names_in_control_order_empty_means_none(data, layers, visible):
    assert parse_view_state({"layers": layers}, data).visible_layers == visible


def test_no_layers_argument_means_every_layer(data):
    assert parse_view_state({"start": "2021-04-01"}, data).visible_layers == toggleable_layers()


# --------------------------------------------------------------------------- slider


@pytest.mark.parametrize(
    ("value", "window"),
    [
        ([4, 31], (D(2021, 3, 5), D(2021, 4, 1))),
        ([31, 4], (D(2021, 3, 5), D(2021, 4, 1))),
        (("31", "4"), (D(2021, 3, 5), D(2021, 4, 1))),
        ([0, 0], (BOUNDS[0], BOUNDS[0])),
        ([-10, 1000], BOUNDS),
        ([200, 300], (BOUNDS[1], BOUNDS[1])),
    ],
)
def test_window_from_slider_sorts_and_clamps_the_days(data, value, window):
    assert window_from_slider(value, data) == window


@pytest.mark.parametrize("value", [None, [], [1], [1, 2, 3], ["a", "b"], 5, [None, 3]])
def test_an_unreadable_slider_value_means_the_whole_timeline(data, value):
    assert window_from_slider(value, data) == BOUNDS


def test_slider_value_is_the_inverse_of_window_from_slider(data):
    window = (D(2021, 3, 5), D(2021, 4, 1))
    assert slider_value(window, data) == [4, 31]
    assert window_from_slider(slider_value(window, data), data) == window
    assert slider_value(BOUNDS, data) == [0, 121]


def test_day_numbers_count_days_from_the_origin():
    origin = D(2020, 11, 10)
    assert day_number(D(2020, 11, 10), origin) == 0
    assert day_number(D(2021, 1, 1), origin) == 52
    assert day_number(D(2020, 11, 1), origin) == -9
    assert day_number(None, origin) is None
    assert day_date(52, origin) == D(2021, 1, 1)
    assert day_date(-9, origin) == D(2020, 11, 1)
    for n in (-400, -1, 0, 1, 365, 1300):
        assert day_number(day_date(n, origin), origin) == n


def test_window_from_slider_orders_the_days_itself(data, monkeypatch):
    # clamp_window also swaps a reversed window, which would hide a window_from_slider that
    # stopped sorting; this checks the window it hands on is already in order.
    import dashboard.viewstate as viewstate

    handed: list = []

    def record(window, bounds):
        handed.append(window)
        return window

    monkeypatch.setattr(viewstate, "clamp_window", record)
    window_from_slider([31, 4], data)
    window_from_slider(["9", "2"], data)
    assert handed == [(D(2021, 3, 5), D(2021, 4, 1)), (D(2021, 3, 3), D(2021, 3, 10))]


# --------------------------------------------------------------------------- sort and map


def test_a_link_keeps_the_list_order_and_where_the_map_looks(data):
    view = parse_view_state({"sort": "title", "map": "9.25/39.8123/46.7512"}, data)
    assert view.sort == "title"
    assert view.map_view == MapView(9.25, 39.8123, 46.7512)
    plain = parse_view_state({}, data)
    assert plain.sort == "date" and plain.map_view is None


@pytest.mark.parametrize(
    "text",
    ["", "9/39", "9/39/46/1", "x/39/46", "nan/39/46", "9/inf/46", "25/39/46", "-1/39/46",
     "9/86/46", "9/-86/46", "9/-85.5/46", "9/39/181", "9/39/-181", "1" * 30 + "/1/1",
     "9." + "0" * 19 + "/39/46"],
)  # fmt: skip
def test_an_unreadable_map_position_is_left_out(data, text):
    assert parse_map_view(text) is None
    assert parse_view_state({"map": text}, data).map_view is None


def test_map_position_edges_are_kept():
    assert parse_map_view("0/-85/-180") == MapView(0, -85, -180)
    assert parse_map_view("24/85/180") == MapView(24, 85, 180)
    # a part may be 20 characters long (a long decimal), not one more
    assert parse_map_view("9." + "0" * 18 + "/39/46") == MapView(9, 39, 46)


def test_an_unknown_sort_falls_back_to_date_order(data):
    assert parse_view_state({"sort": "evil"}, data).sort == "date"
    for sort in ("date", "latest", "title", "type", "place"):
        assert parse_view_state({"sort": sort}, data).sort == sort


# --------------------------------------------------------------------------- link problems


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({}, []),
        ({"start": "2021-03-01", "end": "2021-03-31", "layers": "aor,events", "sort": "title"}, []),
        ({"start": "2099-01-01"}, ["the dates asked for lie outside the timeline"]),
        ({"start": "banana"}, ["start 'banana' is not a date (YYYY-MM-DD): the first day"]),
        ({"end": "2021-13-45"}, ["end '2021-13-45' is not a date (YYYY-MM-DD): the last day"]),
        ({"start": "2021-05-01", "end": "2021-04-01"}, ["start is after end: the two are swapped"]),
        ({"event": "nope"}, ["event 'nope' is not in the data: nothing is selected"]),
        ({"layers": "xyz"}, ["no layer is called 'xyz': every layer is shown"]),
        ({"layers": "aor,xyz"}, ["no layer is called 'xyz': left out"]),
        ({"sort": "zzz"}, ["the list has no order 'zzz': it is in date order"]),
        ({"map": "99/999/999"}, ["map '99/999/999' is not zoom/latitude/longitude"]),
        ({"type": "bogus"}, ["filter type 'bogus' is not in the data: left out"]),
    ],
)
def test_a_link_is_told_what_the_map_set_aside(data, query, said):
    """A mangled link still opens the map, and says what it could not show (a newcomer
    found ?event=nope and ?start=2099-01-01 quietly rewritten)."""
    problems = link_problems(query, data)
    assert len(problems) == len(said)
    for problem, start in zip(problems, said, strict=True):
        assert problem.startswith(start)


def test_a_long_or_hostile_part_of_a_link_is_quoted_short(data):
    (problem,) = link_problems({"event": "<script>" + "x" * 500}, data)
    assert problem.startswith("event '<script>xxx") and len(problem) < 120
