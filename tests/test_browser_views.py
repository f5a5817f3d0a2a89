"""Time controls, the timeline, the address bar and history, in headless Chromium (issue 12,
part B): Play from the default view, ranges on the timeline, centre/zoom/sort in the URL,
Back undoing a selection, and the hover label at the map's edge."""

from __future__ import annotations

import pytest

from dashboard.scrub_data import event_markers
from tests.mapdriver import open_map, wait_map_idle

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
