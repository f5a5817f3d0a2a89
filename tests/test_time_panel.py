"""The slider's month marks and the chart above the slider (events per month, and the strip of
each event's dates), for spans of every length."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from dashboard.figures import slider_marks
from dashboard.timeline_chart import (
    BARS_BOTTOM,
    HEIGHT,
    STRIP_TOP,
    TIMELINE_LANES,
    WIDTH,
    is_date_range,
    lane_y,
    range_lanes,
    timeline_alt,
    timeline_image_src,
    timeline_strip,
    timeline_svg,
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


SVG = "{http://www.w3.org/2000/svg}"


def chart(dataset) -> ET.Element:
    return ET.fromstring(timeline_svg(dataset))


def nums(element: ET.Element, *names: str) -> list[float]:
    return [float(element.get(name)) for name in names]


def days_wide(svg: ET.Element) -> int:
    return (D.fromisoformat(svg.get("data-last")) - D.fromisoformat(svg.get("data-first"))).days


def test_the_chart_counts_events_per_month_of_their_start(data):
    svg = chart(data)
    assert svg.get("viewBox") == f"0 0 {WIDTH:g} {HEIGHT:g}"
    # x runs from the first to the last day of the timeline, as the slider under it does
    assert (svg.get("data-first"), svg.get("data-last")) == ("2021-01-05", "2021-05-30")
    per_day = WIDTH / days_wide(svg)
    bars = svg.findall(f"{SVG}rect")
    assert [int(b.get("data-count")) for b in bars] == [2, 3]
    # each bar fills its month, less a tenth, and stands on the same line; the busiest is
    # as tall as the bars' area, the others in proportion
    for bar, (month, after) in zip(
        bars, [(D(2021, 1, 1), D(2021, 2, 1)), (D(2021, 3, 1), D(2021, 4, 1))], strict=True
    ):
        x, width = nums(bar, "x", "width")
        left, right = (month - D(2021, 1, 5)).days * per_day, (after - D(2021, 1, 5)).days * per_day
        assert width == pytest.approx((right - left) * 0.9, abs=0.01)
        assert x == pytest.approx(left + (right - left) * 0.05, abs=0.01)
        y, height = nums(bar, "y", "height")
        assert y + height == pytest.approx(BARS_BOTTOM)
    heights = [nums(b, "height")[0] for b in bars]
    assert heights == pytest.approx([BARS_BOTTOM * 2 / 3, BARS_BOTTOM], abs=0.01)


def test_the_chart_of_no_events_is_empty_but_whole():
    svg = chart(r.dataset([]))
    assert svg.tag == f"{SVG}svg" and not svg.findall(f"{SVG}rect")
    assert not svg.findall(f"{SVG}line")
    assert timeline_alt(r.dataset([])) == "No events to chart."


def _strip_lines(svg: ET.Element) -> tuple[list[ET.Element], list[ET.Element]]:
    lines = svg.findall(f"{SVG}line")
    return (
        [line for line in lines if line.get("class") == "span"],
        [line for line in lines if line.get("class") == "day"],
    )


def test_the_timeline_draws_a_dated_span_as_a_range_and_a_day_as_a_point(data):
    strip = timeline_strip(data.events)
    assert (strip.span_events, strip.day_events) == (2, 3)
    # each span from its first day to the end of its last day, on a row of its own
    assert strip.spans == [(D(2021, 1, 31), D(2021, 2, 3)), (D(2021, 3, 17), D(2021, 5, 31))]
    assert strip.days == [D(2021, 1, 5), D(2021, 3, 15), D(2021, 3, 16)]
    svg = chart(data)
    per_day = WIDTH / days_wide(svg)
    spans, days = _strip_lines(svg)
    assert [nums(s, "x1", "x2") for s in spans] == [
        pytest.approx([26 * per_day, 29 * per_day], abs=0.01),
        pytest.approx([71 * per_day, 146 * per_day], abs=0.01),
    ]
    rows = {lane_y(lane) for lane in range(1, TIMELINE_LANES + 1)}
    for line in spans:
        y1, y2 = nums(line, "y1", "y2")
        assert y1 == y2 and any(y1 == pytest.approx(row, abs=0.01) for row in rows)
    # the day ticks stand on the strip's bottom row, below every row of ranges
    assert [nums(d, "x1")[0] for d in days] == pytest.approx(
        [0, 69 * per_day, 70 * per_day], abs=0.01
    )
    for tick in days:
        y1, y2 = nums(tick, "y1", "y2")
        assert y1 < lane_y(0) < y2 and y2 <= HEIGHT
    assert min(lane_y(r) for r in range(TIMELINE_LANES + 1)) > STRIP_TOP
    assert max(lane_y(r) for r in range(1, TIMELINE_LANES + 1)) < lane_y(0) - 3.5


def test_a_month_or_year_dated_event_is_a_range_even_on_one_stated_day():
    month = r.event("m", "2021-03-01", "2021-03-31", time_precision="month")
    year = r.event("y", "2018-01-01", "2018-12-31", time_precision="year")
    week = r.event("w", "2021-03-01", time_precision="week")  # a week stated as its Monday
    day = r.event("d", "2021-03-01")
    assert [is_date_range(e) for e in (month, year, week, day)] == [True, True, True, False]
    strip = timeline_strip(r.dataset([month, year, week, day]).events)
    assert (strip.span_events, strip.day_events) == (3, 1)
    assert sorted(strip.spans) == [
        (D(2018, 1, 1), D(2019, 1, 1)),
        (D(2021, 3, 1), D(2021, 3, 2)),
        (D(2021, 3, 1), D(2021, 4, 1)),
    ]
    assert strip.days == [D(2021, 3, 1)]


def test_the_chart_is_an_image_address_with_words_for_screen_readers(data):
    src = timeline_image_src(data)
    prefix = "data:image/svg+xml;base64,"
    assert src.startswith(prefix)
    assert base64.b64decode(src[len(prefix) :]).decode("ascii") == timeline_svg(data)
    assert timeline_alt(data) == (
        "Events per month from Jan 2021 to Mar 2021, most in Mar 2021 (3). Below the bars, "
        "each event's dates: a span as a bar, a single day as a tick."
    )


def test_no_text_from_the_data_reaches_the_chart():
    hostile = r.event(
        "x", "2021-03-01", title="<script>alert(1)</script>", summary="</svg><img src=x>"
    )
    svg = timeline_svg(r.dataset([hostile]))
    assert "script" not in svg and "img" not in svg and "alert" not in svg
    assert svg.count("</svg>") == 1
    ET.fromstring(svg)  # well formed


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
