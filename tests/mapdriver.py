"""Drive the map the way a user does, and read what MapLibre actually drew."""

from __future__ import annotations

import math
from typing import Any

from pytest import approx

from dashboard.scrub_data import event_markers

MAP = "#map .js-plotly-plot"

# The MapLibre instance behind plotly's map subplot.
_GL = "document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map"


def open_map(page, query: str = "") -> None:
    page.goto(page.base_url + "/" + (f"?{query}" if query else ""))
    wait_map_idle(page)


def wait_map_idle(page, timeout: float = 30000) -> None:
    """Wait until no figure is waiting to be drawn and MapLibre has finished drawing."""
    page.wait_for_function(
        """() => {
            const gd = document.querySelector('#map .js-plotly-plot');
            if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
            if (gd.classList.contains('dash-graph--pending')) return false;
            const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
            return !!m && m.loaded() && !m.isMoving() && m.areTilesLoaded();
        }""",
        timeout=timeout,
    )
    # The events layer has drawn the window the slider shows (assets/events_layer.js).
    page.wait_for_function(
        """() => {
            const d = window.__eventsLastDraw;
            const v = Array.from(document.querySelectorAll('#date-range [role=slider]'))
                .map(el => Number(el.getAttribute('aria-valuenow')));
            return !!d && d.window[0] === Math.min(...v) && d.window[1] === Math.max(...v);
        }""",
        timeout=timeout,
    )
    # One more frame so a patch applied this tick has been drawn.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def figure_trace(page, role: str) -> dict[str, Any]:
    return page.evaluate(
        f"""() => {{
            const t = document.querySelector('{MAP}').data
                .find(t => t.meta && t.meta.role === '{role}');
            return {{lon: Array.from(t.lon || []), lat: Array.from(t.lat || []),
                     customdata: t.customdata || [], visible: t.visible}};
        }}"""
    )


def show_whole_region(page, zoom: float = 6.6) -> None:
    """Zoom out with the mouse wheel, as a user does, until Yerevan and Baku are on screen.

    A user gesture, not a programmatic jump: plotly keeps user zoom across figure patches
    (uirevision), while a jump made behind its back is undone by the next patch.
    """
    box = page.locator("#map canvas.maplibregl-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(20):
        if page.evaluate(f"() => {_GL}.getZoom()") <= zoom:
            break
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(250)
    wait_map_idle(page)


def rendered_event_markers(page) -> list[dict[str, Any]]:
    """The event markers drawn on screen, from the page's documented reading of its map,
    `window.karabakhMap.drawnMarkers()` (assets/events_layer.js): each marker's index (in
    the events file's markers, dashboard/scrub_data.py:event_markers), its events in the
    window and the style it was drawn with. A hidden layer draws none."""
    return page.evaluate(
        """() => window.karabakhMap.drawnMarkers().map(m => ({
            marker: m.marker, n: m.count, radius: m.radius, color: m.color,
            opacity: m.opacity, x: m.x, y: m.y, lon: m.lon, lat: m.lat}))"""
    )


def painted_pixels(page, lonlats: list[tuple[float, float]]) -> list[dict[str, Any] | None]:
    """For each lon/lat: where MapLibre puts it (page pixels, map.project) and the colour the
    events' canvas (assets/events_canvas.js) holds at that pixel, as {x, y, rgba}; None when
    it is outside the map. What was actually painted, to check drawnMarkers() against."""
    return page.evaluate(
        f"""(lonlats) => {{
            const m = {_GL};
            const canvas = document.querySelector('#map canvas.events-canvas');
            const rect = m.getCanvas().getBoundingClientRect();
            const ratio = canvas.width / rect.width;
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            return lonlats.map(([lon, lat]) => {{
                const p = m.project([lon, lat]);
                if (p.x < 0 || p.y < 0 || p.x >= rect.width || p.y >= rect.height) return null;
                const i = 4 * (Math.floor(p.y * ratio) * canvas.width + Math.floor(p.x * ratio));
                return {{x: rect.left + p.x, y: rect.top + p.y,
                         rgba: Array.from(pixels.slice(i, i + 4))}};
            }});
        }}""",
        [list(ll) for ll in lonlats],
    )


def rendered_layers(page, role: str | None = None, layer: str | None = None) -> int:
    """MapLibre layers actually shown for the traces whose meta matches (hidden ones too:
    a trace marked invisible whose layers still show would be counted, as it should be)."""
    role_test = "true" if role is None else f"t.meta.role === '{role}'"
    layer_test = "true" if layer is None else f"t.meta.layer === '{layer}'"
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{MAP}');
            const m = {_GL};
            const uids = gd.data
                .map((t, i) => [t, gd._fullData[i].uid])
                .filter(([t]) => t.meta && {role_test} && {layer_test})
                .map(([, uid]) => uid);
            return m.getStyle().layers.filter(l => uids.some(u => l.id.includes(u))
                && !(l.layout && l.layout.visibility === 'none')).length;
        }}"""
    )


def marker_pixel(page, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a lon/lat on the map canvas."""
    return tuple(
        page.evaluate(
            f"""() => {{
                const p = {_GL}.project([{lon}, {lat}]);
                const r = document.querySelector('#map .js-plotly-plot canvas.maplibregl-canvas')
                    .getBoundingClientRect();
                return [r.left + p.x, r.top + p.y];
            }}"""
        )
    )


def click_lonlat(page, lon: float, lat: float) -> None:
    x, y = marker_pixel(page, lon, lat)
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
    page.mouse.click(x, y)


def slider_days(page) -> list[int]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#date-range [role=slider]'))
                 .map(el => Number(el.getAttribute('aria-valuenow')))"""
    )


def set_window(page, lo: int, hi: int) -> None:
    """Move the slider's thumbs with the keyboard, as a keyboard user would."""
    thumbs = page.locator("#date-range [role=slider]")
    for index, target in ((1, hi), (0, lo), (1, hi)):
        thumb = thumbs.nth(index)
        thumb.focus()
        for _ in range(4000):
            current = int(thumb.get_attribute("aria-valuenow"))
            if current == target:
                break
            distance = target - current
            if abs(distance) >= 10:
                page.keyboard.press("PageUp" if distance > 0 else "PageDown")
            else:
                page.keyboard.press("ArrowRight" if distance > 0 else "ArrowLeft")
    page.wait_for_function(
        f"""() => {{
            const v = Array.from(document.querySelectorAll('#date-range [role=slider]'))
                .map(el => Number(el.getAttribute('aria-valuenow')));
            return v[0] === {lo} && v[1] === {hi};
        }}"""
    )


def drawn_line_layers(page) -> list[str]:
    """Names (feature ids) of the map's line layers that MapLibre actually shows with at least
    one rendered feature on screen (dashboard/figures.py names each by its feature's id)."""
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{MAP}');
            const m = {_GL};
            const uid = gd._fullLayout.map._subplot.uid;
            const out = [];
            (gd.layout.map.layers || []).forEach((l, i) => {{
                if (!l.name) return;
                const id = 'plotly-layout-layer-' + uid + '-' + i;
                if (!m.getLayer(id)) return;
                if (m.getLayoutProperty(id, 'visibility') === 'none') return;
                if (m.queryRenderedFeatures({{layers: [id]}}).length === 0) return;
                out.push(l.name);
            }});
            return out;
        }}"""
    )


def _hex_rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def _expected_pixel(drawn: list[dict], x: float, y: float) -> list[float] | None:
    """RGBA (unpremultiplied, 0-255) that painting the drawn markers in their order (each a
    disc of its colour at its opacity, source-over) leaves at x, y on a clear canvas; None
    where a disc's antialiased edge or white outline is within reach (not predictable)."""
    rgb, alpha = [0.0, 0.0, 0.0], 0.0
    for m in sorted(drawn, key=lambda m: m["marker"]):
        d = math.hypot(m["x"] - x, m["y"] - y)
        if d >= m["radius"] + 2.5:
            continue
        if d > m["radius"] - 1.5:
            return None
        a, c = m["opacity"], _hex_rgb(m["color"])
        out = a + alpha * (1 - a)
        rgb = [(c[i] * a + rgb[i] * alpha * (1 - a)) / out for i in range(3)]
        alpha = out
    return [*rgb, 255 * alpha]


def checked_event_markers(page, dataset) -> list[dict[str, Any]]:
    """rendered_event_markers(), after checking the report against the pixels the events'
    canvas holds at every place's centre (where MapLibre projects it now): what painting the
    reported markers would leave there (nothing at a place with no marker drawn over it)."""
    markers = event_markers(dataset)
    drawn = rendered_event_markers(page)
    pixels = painted_pixels(page, list(zip(markers["lon"], markers["lat"], strict=True)))
    by_marker = {m["marker"]: m for m in drawn}
    assert all(pixels[k] is not None for k in by_marker)  # reported = on the map
    checked = 0
    for k, pixel in enumerate(pixels):
        if pixel is None:
            continue
        x, y = pixel["x"], pixel["y"]
        if k in by_marker:
            mine = by_marker[k]
            assert (mine["x"], mine["y"]) == approx((x, y), abs=0.05)
        expected = _expected_pixel(drawn, x, y)
        if expected is None:
            continue
        assert pixel["rgba"] == approx(expected, abs=4), k
        checked += k in by_marker
    assert checked >= len(drawn) / 2  # most markers' centres are predictable and checked
    return drawn
