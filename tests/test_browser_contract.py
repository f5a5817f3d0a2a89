"""The browser contract in the browser: a scrub model of another version is refused with a
visible message, and the address bar's one writer (assets/contract.js) is read back by
dashboard.viewstate."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from dashboard.contract import CONTRACT_VERSION
from dashboard.days import day_number
from dashboard.selection import timeline_bounds
from dashboard.viewstate import ViewState, parse_view_state
from tests.conftest import screenshot
from tests.mapdriver import open_map

pytestmark = pytest.mark.browser


def _set_store_version(node, version) -> bool:
    """Find the scrub-model store in Dash's layout JSON and change its version."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get("id") == "scrub-model":
            props["data"]["version"] = version
            return True
        return any(_set_store_version(v, version) for v in node.values())
    if isinstance(node, list):
        return any(_set_store_version(v, version) for v in node)
    return False


def test_a_model_of_another_version_shows_an_error_not_a_blank_map(page):
    stale = CONTRACT_VERSION + 1

    def serve_other_version(route):
        response = route.fetch()
        layout = response.json()
        assert _set_store_version(layout, stale), "no scrub-model store in the layout"
        route.fulfill(response=response, json=layout)

    page.route("**/_dash-layout", serve_other_version)
    page.goto(page.base_url + "/")
    error = page.locator("#contract-error")
    error.wait_for(state="visible", timeout=30000)
    text = error.inner_text()
    assert f"contract version {CONTRACT_VERSION}" in text
    assert f"version {stale}" in text
    assert error.get_attribute("role") == "alert"
    # shown on the map, where the reader looks, and the events were not drawn from it
    assert page.locator(".map-frame #contract-error").count() == 1
    assert page.evaluate("() => window.__eventsLastDraw === undefined")
    screenshot(page, "contract-version-mismatch")


def test_the_current_version_draws_without_an_error(page):
    open_map(page)
    assert page.locator("#contract-error").count() == 0


def test_view_state_round_trips_through_the_url(page, dataset):
    open_map(page)
    event = dataset.events[len(dataset.events) // 2]
    view = ViewState((event.props.date_start, event.props.date_end), event.id, ("aor", "events"))
    origin = timeline_bounds(dataset)[0]
    query = page.evaluate(
        "([origin, lo, hi, layers, selected]) => "
        "window.KarabakhContract.viewQuery({origin}, lo, hi, layers, selected)",
        [
            origin.isoformat(),
            day_number(view.window[0], origin),
            day_number(view.window[1], origin),
            list(view.visible_layers),
            view.selected_event,
        ],
    )
    args = dict(parse_qsl(query.lstrip("?")))
    assert parse_view_state(args, dataset) == view


def test_an_events_file_of_another_version_shows_an_error(page):
    """The events' own file (dashboard/scrub_data.py) carries the contract version too: a
    file of another version is refused on the map, with a reason, not drawn wrongly."""
    stale = CONTRACT_VERSION + 1

    def serve_other_version(route):
        body = route.fetch().body()
        old = f'"contract":{CONTRACT_VERSION},'.encode()
        assert old in body[:200]
        new = f'"contract":{stale},'.encode()
        route.fulfill(
            status=200,
            body=body.replace(old, new, 1),
            headers={"Content-Type": "application/octet-stream"},
        )

    page.route("**/api/scrub-data/*.bin", serve_other_version)
    page.goto(page.base_url + "/")
    error = page.locator(".map-frame #contract-error")
    error.wait_for(state="visible", timeout=30000)
    assert f"contract version {stale}" in error.inner_text()
    assert error.get_attribute("role") == "alert"
    assert page.evaluate("() => window.__eventsLastDraw === undefined")
