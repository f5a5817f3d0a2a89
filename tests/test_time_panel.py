"""The slider's month marks and the events-per-month histogram, for spans of every length."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.figures import (
    TIMELINE_LANES,
    histogram_figure,
    is_date_range,
    range_lanes,
    slider_marks,
)
from tests import records as r

D = dt.date


def labelled(marks: dict[int, str]) -> list[str]:
    return [label for label in marks.values() if label]


def test_a_mark_on_every_month_start_inside_the_span():
    marks = slider_marks((D(2020, 11, 10), D(2021, 3, 31)))
    # 10 Nov 2020 is not a month start: the first mark is 1 Dec, 21 days in
    assert list(marks) == [21, 52, 83, 111]
    assert list(marks.values()) == ["", "Jan 2021", "", ""]


def test_a_span_starting_on_a_month_start_is_marked_at_day_zero():
    marks = slider_marks((D(2021, 1, 1), D(2021, 2, 1)))
    assert marks == {0: "Jan 2021", 31: ""}


def test_short_spans_label_quarters():
    marks = slider_marks((D(2021, 1, 1), D(2022, 6, 30)))  # 18 months
    assert len(marks) == 18
    assert labelled(marks) == [
        "Jan 2021",
        "Apr 2021",
        "Jul 2021",
        "Oct 2021",
        "Jan 2022",
        "Apr 2022",
    ]


def test_longer_spans_label_half_years():
    marks = slider_marks((D(2021, 1, 1), D(2022, 7, 1)))  # 19 months
    assert labelled(marks) == ["Jan 2021", "Jul 2021", "Jan 2022", "Jul 2022"]
    four_years = slider_marks((D(2020, 1, 1), D(2023, 12, 31)))  # 48 months
    assert len(labelled(four_years)) == 8


def test_the_protectorate_s_whole_life_labels_years():
    marks = slider_marks((D(2020, 11, 10), D(2024, 6, 30)))  # 43 month starts
    assert len(marks) == 43
    assert labelled(marks) == ["Jan 2021", "Jul 2021", "Jan 2022", "Jul 2022", "Jan 2023",
                               "Jul 2023", "Jan 2024"]  # fmt: skip
    five_years = slider_marks((D(2020, 1, 1), D(2024, 1, 1)))  # 49 months
    assert labelled(five_years) == ["Jan 2020", "Jan 2021", "Jan 2022", "Jan 2023", "Jan 2024"]


def test_marks_cross_the_year_end():
    marks = slider_marks((D(2020, 11, 1), D(2021, 2, 1)))
    days = [(D(2020, 11, 1) + dt.timedelta(days=n)) for n in marks]
    assert days == [D(2020, 11, 1), D(2020, 12, 1), D(2021, 1, 1), D(2021, 2, 1)]


def test_a_span_inside_one_month_has_no_marks():
    assert slider_marks((D(2021, 3, 2), D(2021, 3, 30))) == {}


@pytest.fixture
def data():
    return r.dataset(
        [
            r.event("a", "2021-01-05"),
            r.event("b", "2021-01-31", "2021-02-02"),
            r.event("c", "2021-03-15"),
            r.event("d", "2021-03-16"),
            r.event("e", "2021-03-17", "2021-05-30"),
        ]
    )


def test_histogram_counts_events_per_month_of_their_start(data):
    figure = histogram_figure(data)
    bars = figure["data"][0]
    assert bars["type"] == "bar"
    assert bars["x"] == ["2021-01-01", "2021-03-01"]
    assert bars["y"] == [2, 3]
    assert bars["xperiod"] == "M1" and bars["xperiodalignment"] == "start"
    assert figure["layout"]["xaxis"]["range"] == ["2021-01-05", "2021-05-30"]
    assert figure["layout"]["xaxis"]["type"] == "date"
    assert figure["layout"]["xaxis"]["visible"] is False


def test_histogram_of_no_events_is_empty():
    bars, ranges, points = histogram_figure(r.dataset([]))["data"]
    assert bars["x"] == [] and bars["y"] == []
    assert ranges["x"] == [] and points["x"] == []


def _strip(figure: dict) -> tuple[dict, dict]:
    by_role = {t["meta"]["role"]: t for t in figure["data"]}
    return by_role["ranges"], by_role["points"]


def test_the_timeline_draws_a_dated_span_as_a_range_and_a_day_as_a_point(data):
    figure = histogram_figure(data)
    ranges, points = _strip(figure)
    assert ranges["meta"]["events"] == ["b", "e"]
    # each span from its first day to the end of its last day, on its own row
    assert ranges["x"] == ["2021-01-31", "2021-02-03", None, "2021-03-17", "2021-05-31", None]
    assert ranges["mode"] == "lines" and ranges["yaxis"] == points["yaxis"] == "y2"
    lane_b, lane_e = ranges["y"][0], ranges["y"][3]
    assert ranges["y"] == [lane_b, lane_b, None, lane_e, lane_e, None] and min(lane_b, lane_e) >= 1
    assert points["meta"]["events"] == ["a", "c", "d"]
    assert points["x"] == ["2021-01-05", "2021-03-15", "2021-03-16"] and set(points["y"]) == {0}
    assert (
        figure["layout"]["yaxis2"]["range"][0]
        < 0
        < TIMELINE_LANES
        < figure["layout"]["yaxis2"]["range"][1]
    )


def test_a_month_or_year_dated_event_is_a_range_even_on_one_stated_day():
    month = r.event("m", "2021-03-01", "2021-03-31", time_precision="month")
    year = r.event("y", "2018-01-01", "2018-12-31", time_precision="year")
    week = r.event("w", "2021-03-01", time_precision="week")  # a week stated as its Monday
    day = r.event("d", "2021-03-01")
    assert [is_date_range(e) for e in (month, year, week, day)] == [True, True, True, False]
    ranges, points = _strip(histogram_figure(r.dataset([month, year, week, day])))
    assert sorted(ranges["meta"]["events"]) == ["m", "w", "y"]
    assert points["meta"]["events"] == ["d"]


def test_overlapping_ranges_go_on_different_rows_and_rows_are_reused():
    D_ = dt.date
    spans = [
        (D_(2021, 1, 1), D_(2021, 3, 1)),
        (D_(2021, 2, 1), D_(2021, 4, 1)),  # overlaps the first: a second row
        (D_(2021, 3, 10), D_(2021, 3, 20)),  # 9 days after the first ends: still too close
        (D_(2021, 6, 1), D_(2021, 7, 1)),  # everything ended long before: the first row
    ]
    assert range_lanes(spans) == [0, 1, 2, 0]
    # more overlapping spans than rows: the row that frees up first takes the next one
    assert range_lanes(spans[:3], lanes=2) == [0, 1, 0]
