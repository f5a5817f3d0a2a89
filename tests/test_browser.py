"""The map as a user uses it, in headless Chromium: load, toggle, scrub, click, read, share."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.contract import EVENT_COLORS, EVENT_MARKER, SEVERAL_TYPES_COLOR
from dashboard.scrub_data import event_markers
from dashboard.selection import events_in_window, group_by_place, timeline_bounds
from tests.conftest import ARTIFACTS, copy_of_real_data, edit_json, screenshot, serving
from tests.mapdriver import (
    checked_event_markers,
    click_lonlat,
    figure_trace,
    marker_pixel,
    open_map,
    rendered_layers,
    set_window,
    show_whole_region,
    slider_days,
    wait_map_idle,
)

pytestmark = pytest.mark.browser


def _counter(page) -> str:
    return page.locator("#event-count").inner_text()


def _days(dataset, window) -> tuple[int, int]:
    origin = timeline_bounds(dataset)[0]
    return (window[0] - origin).days, (window[1] - origin).days


def _expected_markers(dataset, window) -> dict:
    """The legend's rule: one marker per place; one event type -> its colour, several ->
    grey; size and opacity from the vaguest event's precision (plotly sizes are diameters)."""
    markers = {}
    for group in group_by_place(events_in_window(dataset.events, window)):
        types = group.event_types
        color = EVENT_COLORS[types[0]] if len(types) == 1 else SEVERAL_TYPES_COLOR
        size, opacity = EVENT_MARKER[group.precision]
        markers[group.place_id] = (len(group.events), color, size / 2, opacity)
    return markers


def _drawn_markers(page, dataset) -> dict:
    """Place id -> (events, colour, radius, opacity) of every marker drawn on screen, as the
    page reports it, checked against the canvas' pixels (mapdriver.checked_event_markers)."""
    places = event_markers(dataset)["place"]
    drawn = checked_event_markers(page, dataset)
    return {places[m["marker"]]: (m["n"], m["color"], m["radius"], m["opacity"]) for m in drawn}


def _zoom_to(page, lonlat) -> None:
    """Centre the map on a point at zoom 10 (assets/mapview.js, as a selection would)."""
    page.evaluate(
        "([x, y]) => window.karabakhMap.show({bbox: [x, y, x, y], always: true})", list(lonlat)
    )
    page.wait_for_function(
        "() => Math.abs(window.karabakhMap.visibleBounds()[2]"
        " - window.karabakhMap.visibleBounds()[0]) < 2"
    )
    wait_map_idle(page)


def test_page_loads_offline_and_the_map_draws(page, dataset):
    open_map(page)
    assert page.watch.external_requests == []
    assert page.watch.failed_requests == []
    assert page.locator("#map canvas.maplibregl-canvas").count() == 1
    for layer in ("aor", "lachin_corridor", "stepanakert", "peacekeeper_posts"):
        assert rendered_layers(page, layer=layer) > 0, f"{layer} not drawn"
    assert page.watch.csp_violations == []
    screenshot(page, "map-default")


def test_hiding_a_layer_removes_it_and_showing_restores_it(page):
    open_map(page)
    box = page.locator("#layer-toggle input[value=peacekeeper_posts]")
    before = rendered_layers(page, layer="peacekeeper_posts")
    assert before > 0
    box.uncheck()
    page.wait_for_function(
        "() => !document.querySelector('#map .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.layer === 'peacekeeper_posts')"
        ".some(t => t.visible !== false)"
    )
    wait_map_idle(page)
    assert rendered_layers(page, layer="peacekeeper_posts") == 0
    assert rendered_layers(page, layer="aor") > 0  # the others stay
    box.check()
    page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.layer === 'peacekeeper_posts')"
        ".every(t => t.visible === true)"
    )
    wait_map_idle(page)
    assert rendered_layers(page, layer="peacekeeper_posts") == before


def test_the_acled_layer_cannot_be_ticked_while_nothing_is_imported(page, dataset):
    """The layer control offered an "ACLED events" layer with no ACLED data behind it."""
    assert not dataset.acled
    open_map(page)
    box = page.locator("#layer-toggle input[value=acled]")
    assert box.is_disabled()  # (ticked or not, as the address says: nothing to draw)
    label = page.locator("#layer-toggle label", has=page.locator("input[value=acled]"))
    assert label.inner_text().strip() == "ACLED events (none imported)"
    page.locator("#layer-toggle").screenshot(path=str(ARTIFACTS / "layer-toggle-no-acled.png"))


def test_hiding_the_events_hides_their_markers_and_their_hover(page, dataset):
    open_map(page)
    show_whole_region(page)
    window = timeline_bounds(dataset)
    assert _drawn_markers(page, dataset) == _expected_markers(dataset, window)
    busiest = max(group_by_place(dataset.events), key=lambda g: len(g.events))
    x, y = marker_pixel(page, *busiest.lonlat)
    page.mouse.move(x, y)
    tooltip = page.locator(".events-tooltip")
    tooltip.wait_for()  # hovering a drawn marker shows its events
    box = page.locator("#layer-toggle input[value=events]")
    box.uncheck()
    page.wait_for_function("() => window.__eventsLastDraw.visible === false")
    wait_map_idle(page)
    assert checked_event_markers(page, dataset) == []  # and nothing painted
    page.mouse.move(x + 1, y)
    tooltip.wait_for(state="hidden")
    box.check()
    page.wait_for_function("() => window.__eventsLastDraw.visible === true")
    wait_map_idle(page)
    assert _drawn_markers(page, dataset) == _expected_markers(dataset, window)


def test_clicking_a_checkpoint_shows_its_provenance(page, dataset):
    from dashboard.model import LayerName

    posts = [f for f in dataset.layers[LayerName.PEACEKEEPER_POSTS] if f.geometry]
    # a post that no event marker sits on, so the click reaches the post
    event_spots = {e.lonlat for e in dataset.events if e.lonlat}
    post = next(f for f in posts if tuple(f.geometry["coordinates"]) not in event_spots)
    open_map(page)
    page.locator("#layer-toggle input[value=events]").uncheck()
    wait_map_idle(page)
    lon, lat = post.geometry["coordinates"]
    click_lonlat(page, lon, lat)
    panel = page.locator("#detail-panel")
    panel.get_by_text(post.props.source, exact=False).first.wait_for()
    assert post.props.accuracy.value in panel.inner_text()
    # the layer by the title the legend and the layer control use, not its identifier
    assert "Peacekeeper checkpoints and posts" in panel.inner_text()
    assert "peacekeeper_posts" not in panel.inner_text()
    screenshot(page, "checkpoint-panel")


def test_clicking_a_point_two_layers_share_shows_the_clicked_one_first(page, dataset):
    # a spot where reference points of two layers sit (e.g. a corridor waypoint and the post
    # at it) and no event marker does
    event_spots = {e.lonlat for e in dataset.events if e.lonlat}
    spots: dict = {}
    for features in dataset.layers.values():
        for f in features:
            if f.geometry and f.geometry["type"] == "Point":
                spots.setdefault(tuple(f.geometry["coordinates"][:2]), []).append(f)
    lonlat, here = next(
        (spot, fs)
        for spot, fs in spots.items()
        if spot not in event_spots and len({f.props.layer for f in fs}) > 1
    )
    open_map(page)
    page.locator("#layer-toggle input[value=events]").uncheck()
    _zoom_to(page, lonlat)
    page.evaluate(
        "() => document.querySelector('#map .js-plotly-plot')"
        ".on('plotly_click', d => { window.__clicked = d.points[0].customdata; })"
    )
    click_lonlat(page, *lonlat)
    clicked = page.wait_for_function("() => window.__clicked").json_value()
    names = {f.props.id: f.props.name for f in here}
    assert clicked in names
    panel = page.locator("#detail-panel")
    panel.locator("h2").first.wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#detail-panel h2').length >= n", arg=len(here)
    )
    shown = panel.locator("h2").all_inner_texts()
    assert shown[0] == names[clicked]
    assert sorted(shown) == sorted(names.values())
    screenshot(page, "clicked-point-first")


def test_default_view_draws_one_marker_per_place_with_events(page, dataset):
    open_map(page)
    window = timeline_bounds(dataset)
    show_whole_region(page)
    assert _drawn_markers(page, dataset) == _expected_markers(dataset, window)
    assert _counter(page) == f"{len(dataset.events)} of {len(dataset.events)} events"


@pytest.fixture(scope="module")
def gap_data(tmp_path_factory):
    """The real data with its last event moved to mid-2022, so the timeline has an empty stretch
    (in the real data, multi-year ranges cover every day)."""
    from dashboard.loading import load_dataset

    data_dir = copy_of_real_data(tmp_path_factory.mktemp("gap"))

    def move_last_event(events):
        last = max(events["features"], key=lambda f: f["properties"]["date_end"])["properties"]
        last.update(date_start="2022-06-01", date_end="2022-06-01", time_precision="day")

    edit_json(data_dir / "events.geojson", move_last_event)
    with serving(data_dir) as base:
        yield base, load_dataset(data_dir)


def _empty_window(data, days: int) -> tuple[dt.date, dt.date]:
    """The first stretch of `days` days in which no event falls (the data has such gaps)."""
    start, end = timeline_bounds(data)
    day = start
    while day + dt.timedelta(days=days) <= end:
        window = (day, day + dt.timedelta(days=days - 1))
        if not events_in_window(data.events, window):
            return window
        day += dt.timedelta(days=7)
    raise AssertionError(f"no {days}-day stretch without events")


def test_moving_the_window_redraws_exactly_the_selected_events(page, gap_data):
    base, data = gap_data
    page.base_url = base
    open_map(page)
    show_whole_region(page)
    start, end = timeline_bounds(data)
    busiest = max(
        data.events,
        key=lambda e: len(
            events_in_window(
                data.events, (e.props.date_start, e.props.date_start + dt.timedelta(days=14))
            )
        ),
    )
    windows = [
        (busiest.props.date_start, busiest.props.date_start + dt.timedelta(days=14)),
        _empty_window(data, days=60),
        (end - dt.timedelta(days=400), end),
    ]
    assert events_in_window(data.events, windows[1]) == []
    for window in windows:
        lo, hi = _days(data, window)
        set_window(page, lo, hi)
        expected = len(events_in_window(data.events, window))
        page.wait_for_function(
            f"() => document.querySelector('#event-count').innerText.startsWith('{expected} of')"
        )
        wait_map_idle(page)
        assert _drawn_markers(page, data) == _expected_markers(data, window), window
        assert _counter(page) == f"{expected} of {len(data.events)} events"
        if window == windows[0]:
            screenshot(page, "window-moved")


def test_clicking_a_marker_lists_every_event_there_with_its_sources(page, dataset):
    open_map(page)
    groups = group_by_place(dataset.events)
    busiest = max(groups, key=lambda g: (len(g.events), g.place_id))
    _zoom_to(page, busiest.lonlat)  # the first view shows everything: vague discs overlap
    click_lonlat(page, *busiest.lonlat)
    panel = page.locator("#detail-panel")
    panel.locator(".event-card").first.wait_for()
    assert panel.locator(".event-card").count() == len(busiest.events)
    text = panel.inner_text()
    for event in busiest.events:
        assert event.props.title in text
        for citation in event.citations:
            assert citation.outlet in text and citation.date_as_written in text
    from_articles = [e for e in busiest.events if e.props.passage is not None]
    assert panel.locator(".passage-highlight").count() == len(from_articles)
    for event in busiest.events:
        for source in event.props.sources:
            assert source.outlet in text
    screenshot(page, "marker-panel")


def test_only_lit_markers_take_the_mouse(page, dataset):
    """An unlit marker is not there for the mouse; a lit one keeps it from the area below."""
    place = next(g for g in group_by_place(dataset.events) if g.place_id == "stepanakert")
    quiet, busy = (dt.date(2020, 5, 1), dt.date(2020, 10, 31)), (dt.date(2020, 11, 10),) * 2
    assert not [e for e in events_in_window(place.events, quiet)]
    lit = events_in_window(place.events, busy)
    assert lit

    open_map(page, "start=2020-05-01&end=2020-10-31")
    _zoom_to(page, place.lonlat)
    click_lonlat(page, *place.lonlat)
    panel = page.locator("#detail-panel")
    panel.get_by_text("Accuracy").first.wait_for()  # the Stepanakert area's provenance
    assert "stepanakert" in panel.inner_text().lower()  # panels name layers by title now
    assert panel.locator(".event-card").count() == 0
    assert not page.locator(".events-tooltip").is_visible()

    open_map(page, "start=2020-11-10&end=2020-11-10")
    _zoom_to(page, place.lonlat)
    click_lonlat(page, *place.lonlat)
    assert (
        page.locator(".events-tooltip").inner_text().startswith(f"Stepanakert — {len(lit)} events")
    )
    panel.locator(".event-card").first.wait_for()
    page.wait_for_load_state("networkidle")  # an answer for the area would have landed too
    assert panel.locator(".event-card").count() == len(lit)


def test_list_row_selects_the_event_by_keyboard(page, dataset):
    open_map(page)
    event = next(e for e in dataset.events if e.lonlat and e.citations)
    row = page.locator(f"#event-list button:has-text({event.props.title!r})").first
    row.focus()
    page.keyboard.press("Enter")
    card = page.locator("#detail-panel .event-card.selected")
    card.wait_for()
    assert event.props.title in card.inner_text()
    page.wait_for_function(
        "() => { const gd = document.querySelector('#map .js-plotly-plot');"
        " return gd.data.find(t => t.meta && t.meta.role === 'halo').lon.length === 1; }"
    )
    halo = figure_trace(page, "halo")
    assert (halo["lon"][0], halo["lat"][0]) == pytest.approx(event.lonlat)
    assert f"event={event.id}" in page.url


def test_play_advances_the_window_and_stops_at_the_end(page, dataset):
    open_map(page)
    start, end = timeline_bounds(dataset)
    total = (end - start).days
    set_window(page, total - 100, total - 70)
    page.locator("#play-mode input[value=window]").check()  # slide the window
    page.locator("#play").focus()
    page.keyboard.press("Enter")  # keyboard only, as a keyboard user starts it
    page.wait_for_function(
        f"() => Number(document.querySelectorAll('#date-range [role=slider]')[1]"
        f".getAttribute('aria-valuenow')) > {total - 70}"
    )
    page.wait_for_function(
        f"() => Number(document.querySelectorAll('#date-range [role=slider]')[1]"
        f".getAttribute('aria-valuenow')) === {total}",
        timeout=30000,
    )
    page.wait_for_function("() => document.querySelector('#play').innerText.includes('Play')")
    stopped_at = slider_days(page)
    page.wait_for_timeout(1500)
    assert slider_days(page) == stopped_at == [total - 30, total]


def test_shared_url_restores_window_and_event(page, dataset):
    cited = [e for e in dataset.events if e.lonlat and e.citations]
    event = cited[len(cited) // 2]
    start = event.props.date_start - dt.timedelta(days=3)
    end = event.props.date_end + dt.timedelta(days=3)
    open_map(page, f"start={start}&end={end}&event={event.id}&layers=aor,events")
    assert slider_days(page) == list(_days(dataset, (start, end)))
    selected = page.locator("#detail-panel .event-card.selected")
    assert event.props.title in selected.inner_text()
    assert page.locator("#layer-toggle input[value=peacekeeper_posts]").is_checked() is False
    expected = len(events_in_window(dataset.events, (start, end)))
    assert _counter(page) == f"{expected} of {len(dataset.events)} events"


def test_garbage_url_loads_the_default_view(page, dataset):
    open_map(page, "start=%3Cscript%3E&end=2021-99-99&event=%00&layers=&zzz=1")
    start, end = timeline_bounds(dataset)
    assert slider_days(page) == [0, (end - start).days]
    assert page.watch.dialogs == []
    assert "Sources" in page.locator("#detail-panel").inner_text()


def test_a_mangled_link_says_what_the_map_set_aside(page, dataset):
    """Not a quiet rewrite: the reader is told which parts of the link were set aside and
    what is shown instead; the link's own text stays text."""
    open_map(page)
    assert page.locator("#as-of-notice").inner_text().strip() == ""  # a good link: nothing
    open_map(page, "event=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&start=banana&layers=xyz")
    notice = page.locator("#as-of-notice")
    notice.locator(".link-problems li").first.wait_for()
    items = notice.locator(".link-problems li").all_inner_texts()
    assert items == [
        "start 'banana' is not a date (YYYY-MM-DD): the first day of the timeline is used",
        "event '<img src=x onerror=alert(1)>' is not in the data: nothing is selected",
        "no layer is called 'xyz': every layer is shown",
    ]
    assert notice.locator("img").count() == 0 and page.watch.dialogs == []
    screenshot(page, "link-notice")


def test_article_reader_marks_passages_and_selects_their_event(page, dataset):
    open_map(page)
    page.locator("details.reader summary").click()
    marks = page.locator("#article-view .passage-mark")
    spans = sorted(
        {(e.props.passage.start, e.props.passage.end) for e in dataset.events if e.props.passage}
    )
    merged = 0
    reach = -1
    for start, end in spans:  # overlapping passages share one mark
        if start >= reach:
            merged += 1
        reach = max(reach, end)
    assert marks.count() == merged > 0
    marks.first.click()
    page.locator("#detail-panel .event-card.selected").wait_for()
    assert re.search(r"\d+ event", page.locator("#detail-panel").inner_text())


def test_next_and_previous_event_select_events_and_move_the_window(page, dataset):
    from dashboard.stepping import date_order

    ordered = date_order(dataset.events)
    origin = timeline_bounds(dataset)[0]
    first = (ordered[0].props.date_start - origin).days
    width = 30
    open_map(
        page,
        f"start={origin + dt.timedelta(days=first)}"
        f"&end={origin + dt.timedelta(days=first + width)}",
    )
    assert slider_days(page) == [first, first + width]
    for event in ordered[:2]:
        page.locator("#step-next").click()
        page.wait_for_function(
            "id => new URLSearchParams(location.search).get('event') === id", arg=event.id
        )
        page.locator("#detail-panel .event-card.selected", has_text=event.props.title).wait_for()
    page.locator("#step-prev").click()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=ordered[0].id
    )
    page.wait_for_function("() => document.querySelector('#step-prev').disabled")
    lo, hi = slider_days(page)
    assert lo <= first <= hi


@pytest.fixture(scope="module")
def many_events(tmp_path_factory):
    """The real data plus 30 test copies of one event (same place, dates and citations), so
    the event list has more than one page."""
    import copy

    from dashboard.loading import load_dataset

    data_dir = copy_of_real_data(tmp_path_factory.mktemp("many"))
    copy_ids = []

    def add_copies(events):
        original = events["features"][0]
        for n in range(1, 31):
            feature = copy.deepcopy(original)
            feature["properties"]["id"] = f"{original['properties']['id']}-test-copy-{n}"
            feature["properties"]["title"] = f"Test copy {n:02d}"
            events["features"].append(feature)
            copy_ids.append(feature["properties"]["id"])
        copy_ids.insert(0, original["properties"]["id"])

    def cite_copies(citations):
        for citation in citations:
            if copy_ids[0] in citation["supports"]:
                citation["supports"] += copy_ids[1:]

    edit_json(data_dir / "events.geojson", add_copies)
    edit_json(data_dir / "citations.json", cite_copies)
    with serving(data_dir) as base:
        yield base, load_dataset(data_dir)


def test_the_list_pages_through_every_event_by_keyboard(page, many_events):
    from dashboard.panels import LIST_PAGE_SIZE, ordered_events

    base, data = many_events
    page.base_url = base
    open_map(page)
    ordered = ordered_events(data.events, "date")
    titles = page.locator("#event-list tbody tr button")
    assert titles.count() == LIST_PAGE_SIZE
    assert page.locator("#list-prev").is_disabled()
    page.locator("#list-next").focus()
    seen = []
    for number in range(1, -(-len(ordered) // LIST_PAGE_SIZE) + 1):
        first = ordered[(number - 1) * LIST_PAGE_SIZE]
        page.wait_for_function(
            "t => document.querySelector('#event-list tbody tr button').innerText === t",
            arg=first.props.title,
        )
        seen += titles.all_inner_texts()
        if number * LIST_PAGE_SIZE < len(ordered):
            page.keyboard.press("Enter")  # "Next 25", still focused
    assert seen == [e.props.title for e in ordered]
    assert page.locator("#list-next").is_disabled()
    assert f"of {len(ordered)}" not in page.locator("#event-list caption").inner_text()
    assert (
        page.locator("#event-list caption")
        .inner_text()
        .startswith(f"{len(ordered)} events in the selected dates; ")
    )


def test_sorting_the_list_reorders_its_rows(page, dataset):
    open_map(page)
    page.locator("#event-list-sort input[value=title]").check()
    expected = sorted(dataset.events, key=lambda e: (e.props.title.lower(), e.id))[0]
    first_row = page.locator("#event-list tbody tr").first.locator("button")
    page.wait_for_function(
        "t => document.querySelector('#event-list tbody tr button').innerText === t",
        arg=expected.props.title,
    )
    assert first_row.inner_text() == expected.props.title
    page.locator("#event-list-sort input[value=latest]").check()
    # the date order reversed: by start date (issue 12, bug 10), not by end date
    latest = max(dataset.events, key=lambda e: (e.props.date_start, e.props.date_end, e.id))
    page.wait_for_function(
        "t => document.querySelector('#event-list tbody tr button').innerText === t",
        arg=latest.props.title,
    )


def test_an_event_whose_sources_disagree_shows_every_version(page, dataset):
    """Click the marker of an event with a disagreement: the panel lists each version with
    the outlets that give it, each source with its link, and the independent-outlet count."""
    event = next(e for e in dataset.events if e.lonlat and e.props.disagreements)
    here = [g for g in group_by_place(dataset.events) if g.place_id == event.props.place_id]
    assert here, "the event's place has no marker"
    day = event.props.date_start
    open_map(page, f"start={day}&end={event.props.date_end}")
    click_lonlat(page, *event.lonlat)
    card = page.locator(f"#detail-panel .event-card:has-text({event.props.title!r})").first
    card.wait_for()
    versions = card.locator(".disagreement .version")
    disagreement = event.props.disagreements[0]
    assert versions.count() == sum(len(d.versions) for d in event.props.disagreements)
    by_id = {s.id: s.outlet for s in event.props.sources}
    for i, version in enumerate(disagreement.versions):
        text = versions.nth(i).inner_text()
        assert version.value in text
        for source_id in version.sources:
            assert by_id[source_id] in text
    hrefs = card.locator(".report-source a").evaluate_all("els => els.map(a => a.href)")
    assert sorted(hrefs) == sorted(s.url for s in event.props.sources)
    assert re.search(r"Reported by \d+ independent outlets?:", card.inner_text())
    screenshot(page, "disagreement-panel")
