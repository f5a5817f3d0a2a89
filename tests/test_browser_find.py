"""Search (id `search`) and bringing things into view, in headless Chromium (issue 12)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.scrub_data import event_markers
from dashboard.selection import events_in_window, group_by_place
from tests.mapdriver import open_map, rendered_event_markers, wait_map_idle

pytestmark = pytest.mark.browser


def _selected(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("event", [None])[0]


def _type(page, text: str) -> None:
    box = page.locator("#search")
    box.fill("")
    box.type(text, delay=30)  # as a user types: the results follow each key
    # Wait for the answer to the whole text, not to a prefix typed a moment before.
    page.locator("#search-status", has_text=f"for “{text}”").wait_for(state="attached")
    page.locator("#search-results .search-result").first.wait_for()


def _visible_bounds(page) -> list[float]:
    return page.evaluate("() => window.karabakhMap.visibleBounds()")


def _inside(bounds, lonlat) -> bool:
    w, s, e, n = bounds
    return w <= lonlat[0] <= e and s <= lonlat[1] <= n


def test_khankendi_selects_stepanakert_and_brings_it_into_view(page, dataset):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page, "start=2021-03-01&end=2021-03-31")
    _type(page, "Khankendi")
    first = page.locator("#search-results .search-result").first
    assert first.locator(".result-label").inner_text() == "Stepanakert"
    assert "Khankendi" in first.inner_text()
    first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('event')")
    event = dataset.event(_selected(page))
    assert event.props.place_id == "stepanakert"
    page.locator("#detail-panel .event-card.selected").wait_for()
    assert page.locator("#detail-panel h2").first.inner_text() == "Stepanakert"
    wait_map_idle(page)
    assert _inside(_visible_bounds(page), dataset.places["stepanakert"].lonlat)


@pytest.mark.parametrize(("query", "place"), [("Susa", "Shusha"), ("şuşa", "Shusha")])
def test_susa_finds_shusha(page, query, place):
    open_map(page)
    _type(page, query)
    labels = page.locator("#search-results .result-label").all_inner_texts()
    assert labels[0] == place


def test_an_armenian_script_query_finds_goris_and_enter_chooses_it(page, dataset):
    open_map(page)
    _type(page, "Գորիս")
    assert page.locator("#search-results .result-label").first.inner_text() == "Goris"
    page.locator("#search").press("Enter")
    page.locator("#detail-panel h2", has_text="Goris").first.wait_for()
    wait_map_idle(page)
    assert _inside(_visible_bounds(page), dataset.places["goris"].lonlat)


def test_an_event_found_by_an_outlet_is_selected_and_its_dates_shown(page, dataset):
    event = next(e for e in dataset.events if e.citations)
    outlet = event.citations[0].outlet
    open_map(page, "start=2018-01-01&end=2018-01-31")
    _type(page, event.props.title)
    page.locator("#search-results .search-result", has_text=event.props.title).first.click()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=event.id
    )
    card = page.locator("#detail-panel .event-card.selected")
    card.wait_for()
    assert outlet in card.inner_text()
    counter = page.locator("#event-count").inner_text()
    assert not counter.startswith("0 of")


def test_hostile_query_text_is_shown_as_text(page):
    open_map(page)
    page.locator("#search").fill("<img src=x onerror=alert(1)>")
    page.locator("#search-status").wait_for(state="attached")
    page.wait_for_function("() => document.querySelector('#search-status').textContent.length")
    assert "<img" in page.locator("#search-status").text_content()
    assert page.locator("#search-box img, .search-box img").count() == 0
    assert page.watch.dialogs == []


def test_first_view_draws_every_placed_event_of_the_window_inside_the_map(page, dataset):
    for size in (
        {"width": 1440, "height": 900},
        {"width": 1024, "height": 768},
        {"width": 390, "height": 844},
    ):
        page.set_viewport_size(size)
        open_map(page)
        bounds = _visible_bounds(page)
        groups = group_by_place(dataset.events)
        for group in groups:
            assert _inside(bounds, group.lonlat), (size, group.place_id, bounds)
        places = event_markers(dataset)["place"]
        drawn = {places[m["marker"]] for m in rendered_event_markers(page)}
        assert drawn == {g.place_id for g in groups}, size


def test_a_shared_window_opens_fitted_to_its_events(page, dataset):
    import datetime as dt

    window = (dt.date(2021, 3, 1), dt.date(2021, 3, 31))
    open_map(page, f"start={window[0]}&end={window[1]}")
    page.wait_for_timeout(300)
    wait_map_idle(page)
    bounds = _visible_bounds(page)
    for event in events_in_window(dataset.events, window):
        if event.lonlat:
            assert _inside(bounds, event.lonlat), event.id


def test_the_basemap_covers_the_map_at_the_widest_zoom(page, dataset):
    """Zoomed out as far as the map allows, the visible map stays inside the basemap."""
    from dashboard.mapview import basemap_bounds

    extent = basemap_bounds(dataset)
    open_map(page)
    box = page.locator("#map canvas.maplibregl-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(12):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(120)
    wait_map_idle(page)
    w, s, e, n = _visible_bounds(page)
    tolerance = 0.05
    assert w >= extent["west"] - tolerance and e <= extent["east"] + tolerance, (w, e, extent)
    assert s >= extent["south"] - tolerance and n <= extent["north"] + tolerance, (s, n, extent)
    names = page.evaluate(
        "() => Array.from(document.querySelectorAll('.map-label-country'))"
        ".filter(el => el.style.display !== 'none').map(el => el.textContent)"
    )
    assert "Armenia" in names and "Azerbaijan" in names
