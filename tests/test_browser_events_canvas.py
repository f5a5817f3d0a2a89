"""The events' own canvas (assets/events_canvas.js): a step repaints the markers and not the
WebGL map; the markers follow the map when it moves; the mouse finds the topmost marker."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.scrub_data import event_markers
from dashboard.selection import events_in_window, group_by_place, timeline_bounds
from tests.conftest import screenshot
from tests.mapdriver import (
    checked_event_markers,
    open_map,
    show_whole_region,
    slider_days,
    wait_map_idle,
)

pytestmark = pytest.mark.browser

_GL = "document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map"


def _counts_in_window(dataset, days: list[int]) -> dict[str, int]:
    origin = timeline_bounds(dataset)[0]
    window = tuple(origin + dt.timedelta(days=d) for d in days)
    return {
        g.place_id: len(g.events) for g in group_by_place(events_in_window(dataset.events, window))
    }


def _drawn_counts(page, dataset) -> dict[str, int]:
    places = event_markers(dataset)["place"]
    return {places[m["marker"]]: m["n"] for m in checked_event_markers(page, dataset)}


def test_a_step_repaints_the_markers_and_not_the_map(page, dataset):
    open_map(page, "start=2020-11-01&end=2020-11-12")
    show_whole_region(page)
    page.evaluate(
        f"() => {{ window.__mapFrames = 0; {_GL}.on('render', () => window.__mapFrames++); }}"
    )
    thumb = page.locator("#date-range [role=slider]").nth(1)
    thumb.focus()
    quiet_steps = 0
    for _ in range(20):
        page.evaluate("() => { window.__mapFrames = 0; }")
        page.keyboard.press("ArrowRight")
        days = slider_days(page)
        page.wait_for_function(
            """([lo, hi]) => { const d = window.__eventsLastDraw, u = window.__scrubLastUpdate;
                return d && u && d.window[0] === lo && d.window[1] === hi
                    && u.window[0] === lo && u.window[1] === hi; }""",
            arg=days,
        )
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        step = page.evaluate(
            "() => ({frames: window.__mapFrames, redraw: window.__scrubLastUpdate.redraw,"
            " changed: window.__eventsLastDraw.changed})"
        )
        if step["redraw"]:
            continue  # a reference layer changed too: plotly redraws the map, rightly
        assert step["frames"] == 0, f"the WebGL map repainted on a step of the events only: {step}"
        quiet_steps += step["changed"] > 0
        # What is painted is the new window's markers.
        assert _drawn_counts(page, dataset) == _counts_in_window(dataset, days)
    assert quiet_steps >= 1  # a step that changed markers and nothing else was seen


def test_the_markers_follow_the_map_when_it_is_dragged(page, dataset):
    open_map(page)
    # Close in on Stepanakert (the map is bounded to the basemap: zoomed out, it cannot pan).
    page.evaluate("() => window.karabakhMap.show({bbox: [46.75, 39.8, 46.75, 39.8], always: true})")
    page.wait_for_function("() => Math.abs(window.karabakhMap.visibleBounds()[2]"
                           " - window.karabakhMap.visibleBounds()[0]) < 2")  # fmt: skip
    wait_map_idle(page)
    before = {m["marker"]: (m["x"], m["y"]) for m in checked_event_markers(page, dataset)}
    box = page.locator("#map canvas.maplibregl-canvas").bounding_box()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + 12 * i, y - 6 * i)
    # Mid-drag, the button still down: the markers already sit on their places (they are
    # repainted in MapLibre's own frames, not only when the map comes to rest).
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate(f"() => {_GL}.isMoving()")
    assert checked_event_markers(page, dataset)
    page.mouse.up()
    wait_map_idle(page)
    after = {m["marker"]: (m["x"], m["y"]) for m in checked_event_markers(page, dataset)}
    # checked_event_markers: each marker is painted where MapLibre projects its place now;
    # and the drag moved them all alike (MapLibre's inertia may carry the map further).
    shifts = {(round(after[k][0] - before[k][0]), round(after[k][1] - before[k][1]))
              for k in before.keys() & after.keys()}  # fmt: skip
    assert len(shifts) == 1 or max(abs(a - b) for s in shifts for t in shifts
                                   for a, b in zip(s, t, strict=True)) <= 1  # fmt: skip
    dx, dy = next(iter(shifts))
    assert dx > 60 and dy < -30
    screenshot(page, "events-canvas-dragged")


def test_the_hit_grid_finds_the_disc_whose_centre_is_nearest(page):
    open_map(page)
    found = page.evaluate(
        """() => {
            const {buildGrid, hit} = window.KarabakhEventsCanvas;
            // painted in this order: marker 5, then 9 over it, then 2 apart, then 7 on a
            // cell border, then two wide discs, 12 painted over 11's centre
            const ks = Int32Array.from([5, 9, 2, 7, 11, 12]);
            const xs = Float64Array.from([100, 104, 300, 24.5, 400, 410]);
            const ys = Float64Array.from([100, 100, 300, 10, 100, 100]);
            const radius = {5: 6, 9: 6, 2: 3, 7: 4, 11: 15, 12: 15};
            const grid = buildGrid(ks, xs, ys, 6, 24);
            const at = (x, y) => hit(grid, x, y, (k) => radius[k], 16);
            return [at(102, 100), at(95, 100), at(104, 100), at(304, 300), at(304.5, 300),
                    at(200, 200), at(20.6, 10), at(19.4, 10),
                    at(400, 100), at(404, 100), at(405, 100), at(410, 100), at(388, 100)];
        }"""
    )
    # 5 and 9 equally near: 9, painted over 5; 5 where only it reaches; 9 at its centre; 2 up
    # to its radius + 1 px of outline; nothing between; 7 across the cell border at x = 24;
    # 11 at and near its own centre although 12 is painted over it, 12 from halfway on (the
    # tie to 12, on top), 11 alone at its far edge
    assert found == [9, 5, 9, 2, -1, -1, 7, -1, 11, 11, 12, 12, 11]


def test_every_marker_of_the_first_view_takes_the_mouse_at_its_centre(page, dataset):
    """At the first view, without zooming: hovering the middle of each marker names its own
    place, however the discs overlap (a newcomer found Stepanakert's 18-event marker opened
    Shusha, and Lachin's Yeghtsahogh)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    open_map(page)
    names = event_markers(dataset)["name"]
    drawn = page.evaluate("() => window.karabakhMap.drawnMarkers()")
    assert len(drawn) >= 10
    named = {}
    for marker in drawn:
        page.mouse.move(marker["x"], marker["y"])
        heading = page.locator(".events-tooltip .events-tooltip-b")
        heading.wait_for()
        named[names[marker["marker"]]] = heading.inner_text().split(" — ")[0]
    wrong = {place: shown for place, shown in named.items() if shown != place}
    assert not wrong
    assert {"Stepanakert", "Lachin"} <= named.keys()


def test_the_canvas_places_markers_where_maplibre_projects_them(page):
    open_map(page)
    show_whole_region(page)
    worst = page.evaluate(
        f"""() => {{
            const m = {_GL}, c = m.getCenter();
            const {{affineFrom, mercator}} = window.KarabakhEventsCanvas;
            const t = affineFrom((ll) => m.project(ll), c.lng, c.lat);
            let worst = 0;
            for (let lon = 43; lon <= 50; lon += 0.37) {{
                for (let lat = 38; lat <= 42; lat += 0.29) {{
                    const [mx, my] = mercator(lon, lat), p = m.project([lon, lat]);
                    worst = Math.max(worst, Math.abs(t.a * mx + t.b * my + t.e - p.x),
                                     Math.abs(t.c * mx + t.d * my + t.f - p.y));
                }}
            }}
            return worst;
        }}"""
    )
    assert worst < 0.01
