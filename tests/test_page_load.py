"""What the page's first load asks for: stores that fire nothing at load, the step buttons as
the view allows, the index's preload links (issue 13, the page load; browser side in
tests/test_browser_load.py)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from dash import dcc

from dashboard.actions import step_buttons_disabled
from dashboard.app import create_app
from dashboard.layout import build_layout
from dashboard.preload import DCC_CHUNKS, preload_links, preload_targets
from dashboard.scrub_data import event_columns
from dashboard.stepping import date_order
from dashboard.viewstate import default_view
from tests.conftest import DATA_DIR


def _components(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _components(child)


def _stores(layout) -> dict[str, dcc.Store]:
    return {c.id: c for c in _components(layout) if isinstance(c, dcc.Store)}


def test_no_store_in_the_page_holds_null(dataset):
    """Dash 4's memory store 'changes' from null to undefined when it mounts, running every
    callback that listens to it at load: a store with nothing to hold has no data at all."""
    stores = _stores(build_layout(dataset, default_view(dataset)))
    assert {"selected-event", "list-window", "filter-mask", "map-target"} <= set(stores)
    holding_null = [
        id_
        for id_, s in stores.items()
        if "data" in s.to_plotly_json()["props"] and s.to_plotly_json()["props"]["data"] is None
    ]
    assert holding_null == []
    assert "data" not in stores["selected-event"].to_plotly_json()["props"]


def test_a_store_with_something_to_hold_holds_it(dataset):
    event = dataset.events[3].id
    view = dataclasses.replace(default_view(dataset), selected_event=event)
    stores = _stores(build_layout(dataset, view))
    assert stores["selected-event"].data == event
    assert stores["list-page"].data == 0


def _button(layout, id_: str):
    return next(c for c in _components(layout) if getattr(c, "id", None) == id_)


def test_the_step_buttons_come_enabled_as_the_view_allows(dataset):
    """No load-time callback sets them: the page comes with them right for its view."""
    view = default_view(dataset)
    layout = build_layout(dataset, view)
    assert [_button(layout, "step-prev").disabled, _button(layout, "step-next").disabled] == (
        step_buttons_disabled(dataset, view.window, None)
    )
    # the first event selected: nothing before it
    first = date_order(list(dataset.events))[0].id
    at_first = build_layout(dataset, dataclasses.replace(view, selected_event=first))
    assert _button(at_first, "step-prev").disabled is True
    assert _button(at_first, "step-next").disabled is False


def test_preload_targets_are_what_the_page_fetches():
    targets = preload_targets("/", "start=2021-02-01&end=2021-03-03", "/api/scrub-data/ab.bin")
    assert targets[0] == ("/_dash-layout?start=2021-02-01&end=2021-03-03", "fetch")
    assert ("/_dash-dependencies", "fetch") in targets
    assert ("/api/scrub-data/ab.bin", "fetch") in targets
    for chunk in DCC_CHUNKS:
        assert (f"/_dash-component-suites/dash/dcc/{chunk}", "script") in targets
    # no query: the layout's own address (view_request.js adds nothing either)
    assert preload_targets("/", "", "/x.bin")[0] == ("/_dash-layout", "fetch")


def test_preload_links_escape_the_address_and_mark_fetches_cors():
    links = preload_links([('/_dash-layout?a="><script>x</script>', "fetch"), ("/c.js", "script")])
    assert "<script>" not in links
    assert 'href="/_dash-layout?a=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in links
    assert 'as="fetch" crossorigin="anonymous">' in links
    assert '<link rel="preload" href="/c.js" as="script">' in links


@pytest.fixture(scope="module")
def client():
    return create_app(DATA_DIR).server.test_client()


def test_the_index_preloads_the_layout_of_its_own_address_and_the_events_file(client, dataset):
    index = client.get("/?start=2021-02-01&end=2021-03-03&layers=aor").get_data(as_text=True)
    hrefs = re.findall(r'<link rel="preload" href="([^"]+)" as="(\w+)"', index)
    assert ("/_dash-layout?start=2021-02-01&amp;end=2021-03-03&amp;layers=aor", "fetch") in hrefs
    assert (event_columns(dataset).url, "fetch") in hrefs
    # before the scripts, so they start with the page
    assert index.index('rel="preload"') < index.index("<script")


# --------------------------------------------------------------------------- every event


@pytest.mark.parametrize("per_chunk", [1, 7, 1000])
def test_every_event_as_text_is_the_collection_in_pieces(dataset, per_chunk):
    import json

    from dashboard.exports import events_geojson, events_geojson_text

    pieces = list(events_geojson_text(dataset, per_chunk=per_chunk))
    whole = events_geojson(dataset)
    assert "".join(pieces) == json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    # one piece per chunk of features, plus the head and the tail
    assert len(pieces) == 2 + -(-len(whole["features"]) // per_chunk)


def test_every_event_is_streamed_not_kept(client, dataset):
    response = client.get("/api/events.geojson")
    # sent as it is made: no length known beforehand (a body held whole would carry one)
    assert "Content-Length" not in response.headers
    assert len(response.get_json(force=True)["features"]) == len(dataset.events)
