"""The window rule and grouping by place on built records: open ends, touching days, the
slider's span, clamping, point equality, and how a group of events is drawn."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.dataset import same_point
from dashboard.model import GeoPrecision
from dashboard.selection import (
    clamp_window,
    events_in_window,
    features_in_window,
    group_by_place,
    overlaps,
    timeline_bounds,
)
from tests import records as r

D = dt.date
W = (D(2021, 3, 10), D(2021, 3, 20))


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (D(2021, 3, 1), D(2021, 3, 9), False),
        (D(2021, 3, 1), D(2021, 3, 10), True),
        (D(2021, 3, 20), D(2021, 3, 25), True),
        (D(2021, 3, 21), D(2021, 3, 25), False),
        (D(2021, 3, 12), D(2021, 3, 12), True),
        (D(2021, 3, 1), D(2021, 4, 1), True),
        (None, D(2021, 3, 9), False),
        (None, D(2021, 3, 10), True),
        (D(2021, 3, 21), None, False),
        (D(2021, 3, 20), None, True),
        (None, None, True),
    ],
)
def test_overlaps_counts_the_days_at_both_ends_and_open_ends(start, end, shown):
    assert overlaps(start, end, W) is shown


def test_events_and_features_in_window_keep_their_order():
    events = [r.event("b", "2021-03-20"), r.event("a", "2021-03-09"), r.event("c", "2021-03-10")]
    assert [e.id for e in events_in_window(events, W)] == ["b", "c"]
    features = [
        r.feature("ended", valid_to="2021-03-09"),
        r.feature("open"),
        r.feature("later", valid_from="2021-03-21"),
        r.feature("starts", valid_from="2021-03-20"),
    ]
    assert [f.props.id for f in features_in_window(features, W)] == ["open", "starts"]


def test_timeline_bounds_span_the_first_start_to_the_last_end():
    data = r.dataset(
        [
            r.event("a", "2021-03-05", "2021-06-01"),
            r.event("b", "2021-02-01", "2021-02-02"),
            r.event("c", "2021-04-01", "2021-04-02"),
        ]
    )
    assert timeline_bounds(data) == (D(2021, 2, 1), D(2021, 6, 1))


def test_timeline_bounds_of_no_events_is_today():
    today = dt.date.today()
    assert timeline_bounds(r.dataset([])) == (today, today)


@pytest.mark.parametrize(
    ("window", "clamped"),
    [
        ((D(2021, 3, 12), D(2021, 3, 15)), (D(2021, 3, 12), D(2021, 3, 15))),
        ((D(2021, 3, 1), D(2021, 3, 15)), (D(2021, 3, 10), D(2021, 3, 15))),
        ((D(2021, 3, 12), D(2021, 4, 15)), (D(2021, 3, 12), D(2021, 3, 20))),
        ((D(2021, 1, 1), D(2021, 1, 2)), (D(2021, 3, 10), D(2021, 3, 10))),
        ((D(2021, 5, 1), D(2021, 5, 2)), (D(2021, 3, 20), D(2021, 3, 20))),
        ((D(2021, 3, 15), D(2021, 3, 12)), (D(2021, 3, 12), D(2021, 3, 15))),
        ((D(2021, 3, 15), D(2021, 3, 15)), (D(2021, 3, 15), D(2021, 3, 15))),
    ],
)
def test_clamp_window_keeps_it_inside_the_bounds_and_in_order(window, clamped):
    assert clamp_window(window, W) == clamped


def test_same_point_is_equality_to_a_millionth_of_a_degree():
    a = (46.75, 39.81)
    assert same_point(a, a)
    assert same_point(a, (46.75 + 1e-6, 39.81 - 1e-6))
    assert not same_point(a, (46.75 + 2e-6, 39.81))
    assert not same_point(a, (46.75, 39.81 + 2e-6))
    assert not same_point(a, None) and not same_point(None, a) and not same_point(None, None)
    assert same_point(a, (46.75001, 39.81), tolerance=1e-4)
    # "to within" includes the tolerance itself (values exact in binary, no rounding)
    assert same_point((0.0, 0.0), (0.5, 0.0), tolerance=0.5)
    assert same_point((0.0, 0.0), (0.0, 0.5), tolerance=0.5)
    assert not same_point((0.0, 0.0), (0.5, 0.5), tolerance=0.25)


def test_groups_one_per_mapped_place_in_order_of_first_appearance():
    events = [
        r.event("t1", "2021-03-01", place_id="there", lonlat=r.THERE, event_type="protest"),
        r.event("h1", "2021-03-02", geo_precision="exact"),
        r.event("off", "2021-03-03", place_id="off", lonlat=None, geo_precision="off-map"),
        r.event("h2", "2021-03-04", geo_precision="region", event_type="military"),
        r.event("t2", "2021-03-05", place_id="there", lonlat=r.THERE, event_type="protest"),
    ]
    groups = group_by_place(events)
    assert [g.place_id for g in groups] == ["there", "here"]
    there, here = groups
    assert [e.id for e in there.events] == ["t1", "t2"]
    assert there.lonlat == r.THERE and here.lonlat == r.HERE
    assert there.event_types == ("protest",)
    assert here.event_types == ("military", "political")
    assert here.precision is GeoPrecision.REGION  # drawn as vague as its vaguest event
    assert there.precision is GeoPrecision.SETTLEMENT


def test_a_group_s_precision_is_its_vaguest_member():
    order = ["exact", "settlement", "near", "region", "country"]
    for i, vaguest in enumerate(order):
        events = [r.event(f"e{j}", "2021-03-01", geo_precision=order[j]) for j in range(i + 1)]
        events.reverse()
        (group,) = group_by_place(events)
        assert group.precision.value == vaguest


def test_dataset_finds_events_by_id():
    data = r.dataset([r.event("a", "2021-03-01"), r.event("b", "2021-03-02")])
    assert data.event("b").id == "b"
    assert data.event("a") is data.events[0]
    assert data.event("nope") is None


def test_timeline_bounds_reach_the_last_day_of_a_reference_feature():
    """A post that stands until after the last event (the withdrawal of June 2024) keeps the
    slider reaching its end; an open-ended feature does not stretch it."""
    events = [r.event("a", "2021-03-05"), r.event("b", "2021-04-01")]
    ends = r.feature("post", geometry=r.point(), valid_to="2024-06-12")
    data = r.dataset(events, features=[ends, r.feature("open", geometry=r.point())])
    assert timeline_bounds(data) == (D(2021, 3, 5), D(2024, 6, 12))
    earlier = r.feature("post", geometry=r.point(), valid_to="2021-03-20")
    assert timeline_bounds(r.dataset(events, features=[earlier])) == (D(2021, 3, 5), D(2021, 4, 1))


def test_page_title_names_the_years_the_events_span():
    from dashboard.selection import page_title

    one_year = r.dataset([r.event("a", "2021-03-05"), r.event("b", "2021-11-01")])
    assert page_title(one_year) == "Russia's Karabakh protectorate: events 2021"
    two = r.dataset([r.event("a", "2020-11-10"), r.event("b", "2024-06-12")])
    assert page_title(two) == "Russia's Karabakh protectorate: events 2020–2024"


def _days(n: int, swap: int | None = None) -> tuple:
    """n one-day events on consecutive days from 1 Jan 2021; `swap`: that day and the next
    trade places (the tuple is then not in start order)."""
    first = D(2021, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(n)]
    if swap is not None:
        days[swap], days[swap + 1] = days[swap + 1], days[swap]
    return tuple(r.event(f"e{i}", str(day)) for i, day in enumerate(days))


def _scan(events, window):
    return [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]


def test_a_tuple_of_events_answers_a_window_as_a_scan_would():
    """Sorted tuples of many events are looked up through a cached index; small or unsorted
    ones are scanned. Either way the answer is the scan's, for each tuple asked about."""
    small, sorted_, other, unsorted = _days(3), _days(300), _days(280), _days(300, swap=150)
    first = D(2021, 1, 1)
    for offset in (0, 1, 149, 150, 151, 152, 279, 299):
        day = first + dt.timedelta(days=offset)
        for window in ((day, day), (day, day + dt.timedelta(days=3))):
            for events in (small, sorted_, other, unsorted, sorted_):
                assert list(events_in_window(events, window)) == _scan(events, window), (
                    len(events),
                    window,
                )
