"""Time controls, the timeline, the address bar and history, in headless Chromium (issue 12,
part B): Play from the default view, ranges on the timeline, centre/zoom/sort in the URL,
Back undoing a selection, and the hover label at the map's edge."""

from __future__ import annotations

from datetime import date as D
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.days import format_date
from dashboard.panels import ordered_events
from dashboard.scrub_data import event_markers
from dashboard.selection import events_in_window, timeline_bounds
from dashboard.stepping import SLIDING_WIDTH_DAYS
from dashboard.timeline_chart import is_date_range
from tests.conftest import ARTIFACTS, screenshot
from tests.mapdriver import (
    open_map,
    rendered_event_markers,
    set_window,
    slider_days,
    wait_map_idle,
)

pytestmark = pytest.mark.browser

_GL = "document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map"


def _drawn_by_place(page, dataset) -> dict[str, dict]:
    """Place name -> the marker drawnMarkers() reports for it."""
    places = event_markers(dataset)["place"]
    return {
        dataset.places[places[m["marker"]]].props.name: m
        for m in page.evaluate("() => window.karabakhMap.drawnMarkers()")
    }


def _marker_near_right_edge(page, dataset, name: str) -> dict:
    """Drag the map, as a user does, until the named place's marker sits about 20 px from
    the map's right edge; return the marker as drawnMarkers() then reports it."""
    frame = page.locator("#map").bounding_box()
    # zoom in on it first (the wheel zooms about the pointer): the map cannot be dragged past
    # the basemap's edge, which the fitted first view may already touch
    marker = _drawn_by_place(page, dataset)[name]
    page.mouse.move(marker["x"], marker["y"])
    for _ in range(2):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(250)
    wait_map_idle(page)
    for _ in range(3):
        marker = _drawn_by_place(page, dataset).get(name)
        assert marker is not None, name
        dx = frame["x"] + frame["width"] - 20 - marker["x"]
        if abs(dx) < 4:
            break
        dx = max(-frame["width"] + 80, min(frame["width"] - 80, dx))  # the drag stays on the map
        x0 = frame["x"] + (40 if dx > 0 else frame["width"] - 40)
        y0 = frame["y"] + frame["height"] / 2
        page.mouse.move(x0, y0)
        page.mouse.down()
        for i in range(1, 11):
            page.mouse.move(x0 + dx * i / 10, y0)
        page.mouse.up()
        wait_map_idle(page)
    return _drawn_by_place(page, dataset)[name]


def test_a_hover_label_at_the_map_s_right_edge_keeps_its_lines_whole(page, dataset):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page)
    names = list(_drawn_by_place(page, dataset))
    name = "Hin Tagher" if "Hin Tagher" in names else names[0]
    marker = _marker_near_right_edge(page, dataset, name)
    frame = page.locator("#map").bounding_box()
    assert marker["x"] > frame["x"] + frame["width"] - 40, (marker, frame)
    page.mouse.move(marker["x"], marker["y"])
    tip = page.locator(".events-tooltip")
    tip.wait_for(state="visible")
    heading = tip.locator(".events-tooltip-b")
    assert heading.inner_text().startswith(name + " — ")
    lines = heading.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   return new Set(Array.from(r.getClientRects()).map(c => Math.round(c.top)))
                       .size; }"""
    )
    assert lines == 1, heading.inner_text()
    box = tip.bounding_box()
    assert box["x"] >= frame["x"] - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1


# ----------------------------------------------------------------------------- Play


def _counter(page) -> str:
    return page.locator("#event-count").inner_text()


_COUNTER_MATCHES_WINDOW = """spans => {
    const [lo, hi] = Array.from(document.querySelectorAll('#date-range [role=slider]'))
        .map(el => Number(el.getAttribute('aria-valuenow')));
    const n = spans.filter(([s, e]) => s <= hi && e >= lo).length;
    const text = document.querySelector('#event-count').innerText;
    return text === n + ' of ' + spans.length + ' events' ? [lo, hi] : false;
}"""


def test_play_from_the_default_view_reveals_events_in_date_order(page, dataset):
    open_map(page)
    total = len(dataset.events)
    assert _counter(page) == f"{total} of {total} events"
    before = len(rendered_event_markers(page))
    page.locator("#play").click()  # "reveal in order" is the default mode
    # the first frame: the timeline's first day only, so only its events
    origin = timeline_bounds(dataset)[0]
    first_day = [e for e in dataset.events if e.props.date_start == origin]
    page.wait_for_function(
        "n => document.querySelector('#event-count').innerText.startsWith(n + ' of')",
        arg=len(events_in_window(dataset.events, (origin, origin))),
    )
    assert len(first_day) < total
    spans = [[(e.props.date_start - origin).days, (e.props.date_end - origin).days]
             for e in dataset.events]  # fmt: skip
    seen = []
    for _ in range(4):  # each frame reveals more, the start stays on the first day
        page.wait_for_function(
            "last => document.querySelector('#event-count').innerText !== last",
            arg=_counter(page),
            timeout=15000,
        )
        # the counter says what the window holds (read together: Play moves on meanwhile)
        lo, hi = page.wait_for_function(_COUNTER_MATCHES_WINDOW, arg=spans).json_value()
        assert lo == 0
        seen.append(hi)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert len(rendered_event_markers(page)) < before  # the map shows only what is revealed
    page.locator("#play").click()  # pause
    page.wait_for_function("() => document.querySelector('#play').innerText.includes('Play')")
    page.wait_for_timeout(800)  # a frame already on its way may still land
    paused = slider_days(page)
    page.wait_for_timeout(1500)
    assert slider_days(page) == paused
    screenshot(page, "play-cumulative-1440x900")


def test_sliding_play_from_the_default_view_moves_a_quarter_from_the_first_event(page, dataset):
    open_map(page)
    page.locator("#play-mode input[value=window]").check()
    page.locator("#play").click()
    page.wait_for_function(
        "() => Number(document.querySelectorAll('#date-range [role=slider]')[0]"
        ".getAttribute('aria-valuenow')) > 0"
    )
    lo, hi = slider_days(page)
    assert hi - lo == SLIDING_WIDTH_DAYS
    page.locator("#play").click()


def test_the_window_s_dates_are_written_as_the_list_writes_them(page, dataset):
    """The label the browser rewrites on a step spells months as the server does ("Sep", not
    the browser locale's "Sept"; a newcomer saw "21 Sept 2020" above "27 Sep 2020")."""
    open_map(page, "start=2020-09-21&end=2020-09-27")
    origin = timeline_bounds(dataset)[0]
    lo, hi = (D(2020, 9, 20) - origin).days, (D(2020, 9, 28) - origin).days
    set_window(page, lo, hi)
    expected = f"{format_date(D(2020, 9, 20))} – {format_date(D(2020, 9, 28))}"
    assert expected == "20 Sep 2020 – 28 Sep 2020"
    label = page.locator("#date-range-label")
    page.wait_for_function("() => /^20 .* 28 /.test(document.getElementById('date-range-label')"
                           ".textContent)")  # fmt: skip
    assert label.text_content() == expected
    formatted = page.evaluate(
        "() => ['2020-09-01', '2021-06-15', 'not a date'].map(window.KarabakhContract.formatIsoDay)"
    )
    assert formatted == ["1 Sep 2020", "15 Jun 2021", "not a date"]


# ----------------------------------------------------------------------------- timeline


def test_the_timeline_strip_draws_each_dated_span_as_a_range(page, dataset):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page)
    spans = [e for e in dataset.events if is_date_range(e)]
    assert spans and len(spans) < len(dataset.events)
    drawn = page.evaluate(
        """() => {
            const img = document.getElementById('timeline-histogram');
            const svg = new DOMParser().parseFromString(atob(img.src.split(',')[1]),
                                                        'image/svg+xml').documentElement;
            const style = getComputedStyle(img);
            const width = img.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            const height = img.clientHeight - parseFloat(style.paddingTop)
                - parseFloat(style.paddingBottom);
            const scale = width / svg.viewBox.baseVal.width;
            const lines = [...svg.querySelectorAll('line.span')].map(l => [
                l.x1.baseVal.value * scale, l.x2.baseVal.value * scale,
                l.y1.baseVal.value * height / svg.viewBox.baseVal.height]);
            // the image as the page paints it, read back: the longest span's middle
            const canvas = document.createElement('canvas');
            canvas.width = Math.round(width); canvas.height = Math.round(height);
            const ctx = canvas.getContext('2d');
            ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
            const longest = lines.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
            const pixel = Array.from(ctx.getImageData(
                Math.round((longest[0] + longest[1]) / 2), Math.round(longest[2]), 1, 1).data);
            return {loaded: img.complete && img.naturalWidth > 0, alt: img.alt, width,
                    widths: lines.map(([a, b]) => b - a), pixel};
        }"""
    )
    assert drawn["loaded"] and drawn["alt"].startswith("Events per month from ")
    # one segment per span, as long as the span (its last day included) on the slider's scale
    first, last = timeline_bounds(dataset)
    px_per_day = drawn["width"] / (last - first).days
    expected = sorted((e.props.date_end - e.props.date_start).days + 1 for e in spans)
    assert len(drawn["widths"]) == len(spans)
    assert sorted(drawn["widths"]) == pytest.approx([d * px_per_day for d in expected], abs=1.0)
    # and painted: the span colour (#3d5a80 at 0.75) where the longest span lies
    r_, g_, b_, a_ = drawn["pixel"]
    assert a_ > 150 and b_ > r_ + 40 and b_ > g_ + 20, drawn["pixel"]
    page.locator(".time-panel").screenshot(path=str(ARTIFACTS / "timeline-strip-1440x900.png"))


# ----------------------------------------------------------------------------- URL and history


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _map_position(page) -> tuple[float, float, float]:
    return tuple(
        page.evaluate(
            f"() => {{ const m = {_GL}; const c = m.getCenter();"
            " return [m.getZoom(), c.lat, c.lng]; }"
        )
    )


def test_a_link_restores_the_map_position_and_the_list_order(page, dataset):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page, "sort=title&map=9.5/39.8155/46.7519")
    zoom, lat, lon = _map_position(page)
    assert zoom == pytest.approx(9.5, abs=0.01)
    assert (lat, lon) == pytest.approx((39.8155, 46.7519), abs=1e-3)
    assert page.locator("#event-list-sort input[value=title]").is_checked()
    titles = page.locator("#event-list tbody tr button").all_inner_texts()
    by_title = [e.props.title for e in ordered_events(dataset.events, "title")]
    assert titles == by_title[: len(titles)] and titles


def test_moving_the_map_and_sorting_write_the_address_and_it_reopens_there(page, dataset):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page)
    assert "map" not in _query(page)  # the first view's fit is not a position to keep
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)  # zoom in, as a user does
    page.wait_for_function("() => new URLSearchParams(location.search).has('map')")
    wait_map_idle(page)
    page.wait_for_timeout(300)
    zoom, lat, lon = _map_position(page)
    written = _query(page)["map"].split("/")
    assert float(written[0]) == pytest.approx(zoom, abs=0.006)
    assert float(written[1]) == pytest.approx(lat, abs=0.001)
    assert float(written[2]) == pytest.approx(lon, abs=0.001)
    assert len(written[1].split(".")[-1]) <= 4  # rounded: no 15-digit coordinates
    page.locator("#event-list-sort input[value=place]").check()
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === 'place'")
    link = urlparse(page.url).query
    open_map(page, link)
    assert page.locator("#event-list-sort input[value=place]").is_checked()
    again = _map_position(page)
    assert again[0] == pytest.approx(zoom, abs=0.01)
    assert again[1:] == pytest.approx((lat, lon), abs=2e-3)


def test_back_undoes_a_selection_and_forward_redoes_it(page, dataset):
    open_map(page)
    ordered = ordered_events(dataset.events, "date")
    first, second = ordered[3], ordered[5]
    history_before = page.evaluate("() => history.length")
    for event in (first, second):
        page.locator("#event-list button", has_text=event.props.title).first.click()
        page.wait_for_function(
            "id => new URLSearchParams(location.search).get('event') === id", arg=event.id
        )
        page.locator("#detail-panel .event-card.selected h3", has_text=event.props.title).wait_for()
    assert page.evaluate("() => history.length") == history_before + 2  # one entry each
    card = page.locator("#detail-panel .event-card.selected h3")

    page.go_back()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=first.id
    )
    page.wait_for_function(
        "t => { const h = document.querySelector('#detail-panel .event-card.selected h3');"
        " return !!h && h.innerText === t; }",
        arg=first.props.title,
    )
    page.locator("#event-list tr.selected", has_text=first.props.title).wait_for()

    page.go_back()  # to the view before any selection
    page.wait_for_function("() => !new URLSearchParams(location.search).has('event')")
    page.wait_for_function("() => !document.querySelector('#detail-panel .event-card')")
    page.wait_for_function("() => !document.querySelector('#event-list tr.selected')")
    assert card.count() == 0

    page.go_forward()
    page.wait_for_function(
        "t => { const h = document.querySelector('#detail-panel .event-card.selected h3');"
        " return !!h && h.innerText === t; }",
        arg=first.props.title,
    )
    # restoring wrote nothing new: Forward still leads to the second selection
    page.go_forward()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=second.id
    )


def test_window_moves_replace_the_address_rather_than_adding_history(page, dataset):
    open_map(page)
    length = page.evaluate("() => history.length")
    set_window(page, 100, 300)
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
    assert page.evaluate("() => history.length") == length


# ----------------------------------------------------------------------------- screenshots


@pytest.mark.parametrize("size", [(1440, 900), (1024, 768), (390, 844)])
def test_first_screen_screenshots_show_map_and_time_controls_whole(page, size):
    """What a visitor sees before scrolling, at three sizes (tests/artifacts/first-screen-*):
    the map, Play and the slider are inside it and no control is cut off at its right."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_map(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first-screen-{width}x{height}.png"))
    for selector in ("#map", "#play", "#step-prev", "#step-next", "#date-range", "#event-count"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
        assert box["y"] + box["height"] <= height, (selector, box)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_back_across_a_filter_change_adds_no_history_entry(page, dataset):
    """Filters replace the address; Back restores the selection but not the filters, so the
    restored view's address differs from the entry's: it must replace, not push (Forward
    would be lost)."""
    open_map(page)
    event = next(e for e in ordered_events(dataset.events, "date") if e.props.event_type.value
                 == "military")  # fmt: skip
    page.locator("#event-list button", has_text=event.props.title).first.click()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=event.id
    )
    length = page.evaluate("() => history.length")
    page.locator("#filters summary").click()
    page.locator("#filter-type input[value=military]").check()
    page.wait_for_function("() => new URLSearchParams(location.search).has('type')")
    assert page.evaluate("() => history.length") == length  # a filter replaces
    page.go_back()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('event')")
    page.wait_for_function("() => !document.querySelector('#detail-panel .event-card')")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => history.length") == length  # nothing pushed by restoring
    page.go_forward()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=event.id
    )
