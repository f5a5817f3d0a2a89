"""Filters in headless Chromium (issue 12): a filter narrows the markers, the list, the counter
(and the exports: tests/test_browser_export.py) alike, lives in the address and comes back
from it."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.contract import EVENT_COLORS, EVENT_MARKER, SEVERAL_TYPES_COLOR
from dashboard.filters import NO_FILTERS, facets_of, filtered_events, parse_filters
from dashboard.panels import LIST_PAGE_SIZE
from dashboard.scrub_data import event_markers
from dashboard.selection import group_by_place, timeline_bounds
from tests.mapdriver import (
    open_map,
    rendered_event_markers,
    show_whole_region,
    slider_days,
    wait_map_idle,
)

pytestmark = pytest.mark.browser


def expected_markers(events) -> dict:
    """Place id -> (events, colour, radius, opacity): the legend's rule over these events."""
    markers = {}
    for group in group_by_place(events):
        types = group.event_types
        color = EVENT_COLORS[types[0]] if len(types) == 1 else SEVERAL_TYPES_COLOR
        size, opacity = EVENT_MARKER[group.precision]
        markers[group.place_id] = (len(group.events), color, size / 2, opacity)
    return markers


def drawn_markers(page, dataset) -> dict:
    places = event_markers(dataset)["place"]
    return {
        places[m["marker"]]: (m["n"], m["color"], m["radius"], m["opacity"])
        for m in rendered_event_markers(page)
    }


def listed_ids(page) -> list[str]:
    """The event ids of the list's rows on its first page."""
    ids = page.evaluate(
        "() => Array.from(document.querySelectorAll('#event-list tbody tr button')).map(b => b.id)"
    )
    return [json.loads(i)["event"] for i in ids]


def list_caption(page) -> str:
    return page.locator("#event-list caption").inner_text()


def url_args(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_counter(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('#event-count').innerText === t", arg=text, timeout=20000
    )


def wait_caption(page, n: int) -> None:
    page.wait_for_function(
        "t => ((document.querySelector('#event-list caption') || {}).innerText || '')"
        ".split(';')[0] === t",
        arg=f"{n} event{'s' if n != 1 else ''} in the selected dates",
        timeout=20000,
    )


def assert_view_shows(page, dataset, events) -> None:
    """Markers, list and counter all show exactly these events."""
    total = len(dataset.events)
    wait_counter(page, f"{len(events)} of {total} events")
    wait_caption(page, len(events))
    wait_map_idle(page)
    assert drawn_markers(page, dataset) == expected_markers(events)
    assert listed_ids(page) == [e.id for e in events][:LIST_PAGE_SIZE]


def test_ticking_an_event_type_narrows_markers_list_and_counter_and_the_url_restores_it(
    page, dataset
):
    open_map(page)
    show_whole_region(page)
    window = timeline_bounds(dataset)
    everything = filtered_events(dataset, NO_FILTERS, window)
    assert drawn_markers(page, dataset) == expected_markers(everything)

    page.locator("#filters summary").click()
    protest = page.locator("#filter-type input[value=protest]")
    protest.check()
    filters, _ = parse_filters({"type": "protest"}, facets_of(dataset))
    protests = filtered_events(dataset, filters, window)
    assert 0 < len(protests) < len(everything)
    assert_view_shows(page, dataset, protests)
    assert url_args(page)["type"] == "protest"
    # each value shows its count: protests in the window
    assert f"protest ({len(protests)})" in page.locator("#filter-type").inner_text()

    # the address restores it: the same view after a reload
    page.goto(page.url)
    wait_map_idle(page)
    show_whole_region(page)
    assert page.locator("#filter-type input[value=protest]").is_checked()
    assert_view_shows(page, dataset, protests)

    # Clear brings every event back, and the address forgets the filter
    page.locator("#filters-clear").click()
    assert_view_shows(page, dataset, everything)
    assert "type" not in url_args(page)
    assert page.watch.external_requests == []


def test_named_filters_and_hiding_vague_places_come_from_a_shared_link(page, dataset):
    facets = facets_of(dataset)
    actor = next(iter(facets.labels["actor"].values()))  # the first actor the data names
    query = {"actor": actor, "vague": "hide"}
    filters, problems = parse_filters(query, facets)
    assert problems == []
    window = timeline_bounds(dataset)
    kept = filtered_events(dataset, filters, window)
    assert kept and all(e.props.geo_precision.value not in ("region", "country") for e in kept)
    from urllib.parse import urlencode

    open_map(page, urlencode(query))
    show_whole_region(page)
    assert_view_shows(page, dataset, kept)
    assert page.locator("#filter-vague input").is_checked()
    assert actor in page.locator("#filter-actor").inner_text()
    assert url_args(page)["actor"] == actor


def test_back_to_an_address_with_other_filters_sets_the_panel_and_the_view_to_them(page, dataset):
    window = timeline_bounds(dataset)
    open_map(page)
    page.locator("#filters summary").click()
    page.locator("#filter-type input[value=protest]").check()
    filters, _ = parse_filters({"type": "protest"}, facets_of(dataset))
    protests = filtered_events(dataset, filters, window)
    wait_counter(page, f"{len(protests)} of {len(dataset.events)} events")
    page.wait_for_function("() => new URLSearchParams(location.search).get('type') === 'protest'")
    # a selection adds a history entry; then the filter is cleared on that entry
    first = protests[0]
    page.locator("#event-list button", has_text=first.props.title).first.click()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=first.id
    )
    page.locator("#filters-clear").click()
    wait_counter(page, f"{len(dataset.events)} of {len(dataset.events)} events")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('type')")

    page.go_back()  # to the entry before the selection: protests only
    page.wait_for_function("() => new URLSearchParams(location.search).get('type') === 'protest'")
    wait_counter(page, f"{len(protests)} of {len(dataset.events)} events")
    assert page.locator("#filter-type input[value=protest]").is_checked()
    wait_caption(page, len(protests))
    assert listed_ids(page) == [e.id for e in protests][:LIST_PAGE_SIZE]


def test_play_reveals_only_the_events_that_pass_the_filters(page, dataset):
    """Filter to one type, press Play: each frame stops at the next event of that type, never
    at an event filtered out; the counter counts only the passing events."""
    open_map(page)
    page.locator("#filters summary").click()
    page.locator("#filter-type input[value=protest]").check()
    filters, _ = parse_filters({"type": "protest"}, facets_of(dataset))
    protests = filtered_events(dataset, filters, None)
    wait_counter(page, f"{len(protests)} of {len(dataset.events)} events")
    origin = timeline_bounds(dataset)[0]
    protest_days = sorted({(e.props.date_start - origin).days for e in protests})
    other_days = {(e.props.date_start - origin).days for e in dataset.events} - set(protest_days)
    assert len(protest_days) >= 3 and min(other_days) < protest_days[0]

    before = slider_days(page)[1]
    page.locator("#play").click()  # "reveal in order"
    ends = []
    for _ in range(3):
        hi = page.wait_for_function(
            """last => { const v = Number(document.querySelectorAll('#date-range [role=slider]')[1]
                                          .getAttribute('aria-valuenow'));
                         return v !== last ? v : false; }""",
            arg=ends[-1] if ends else before,
            timeout=20000,
        ).json_value()
        ends.append(hi)
    page.locator("#play").click()  # pause
    page.wait_for_function("() => document.querySelector('#play').innerText.includes('Play')")
    page.wait_for_timeout(800)  # a frame already on its way may still land
    lo, hi = slider_days(page)
    revealed = [e for e in protests if (e.props.date_start - origin).days <= hi]
    wait_counter(page, f"{len(revealed)} of {len(dataset.events)} events")
    # every frame is the first day of the next protest: no frame for the other events
    assert ends == protest_days[:3]
    assert not set(ends) & other_days
