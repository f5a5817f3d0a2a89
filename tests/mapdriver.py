"""Drive the map the way a user does, and read what MapLibre actually drew."""

from __future__ import annotations

from typing import Any

MAP = "#map .js-plotly-plot"

# The MapLibre instance behind plotly's map subplot.
_GL = "document.querySelector('#map .js-plotly-plot')._fullLayout.map._subplot.map"


def open_map(page, query: str = "") -> None:
    page.goto(page.base_url + "/" + (f"?{query}" if query else ""))
    wait_map_idle(page)


def wait_map_idle(page, timeout: float = 30000) -> None:
    page.wait_for_function(
        """() => {
            const gd = document.querySelector('#map .js-plotly-plot');
            if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
            const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
            return !!m && m.loaded() && !m.isMoving() && m.areTilesLoaded();
        }""",
        timeout=timeout,
    )
    # One more frame so a patch applied this tick has been drawn.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def trace_index(page, role: str) -> int:
    return page.evaluate(
        f"""() => document.querySelector('{MAP}').data
            .findIndex(t => t.meta && t.meta.role === '{role}')"""
    )


def figure_trace(page, role: str) -> dict[str, Any]:
    return page.evaluate(
        f"""() => {{
            const t = document.querySelector('{MAP}').data
                .find(t => t.meta && t.meta.role === '{role}');
            return {{lon: Array.from(t.lon || []), lat: Array.from(t.lat || []),
                     customdata: t.customdata || [], visible: t.visible}};
        }}"""
    )


def show_whole_region(page) -> None:
    """Zoom out so Yerevan and Baku are on screen too (events there must be countable)."""
    page.evaluate(f"() => {_GL}.jumpTo({{center: [47.2, 40.0], zoom: 5.6}})")
    wait_map_idle(page)


def rendered_points(page, role: str) -> int:
    """Distinct points MapLibre rendered for the trace with this role (on screen)."""
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{MAP}');
            const i = gd._fullData.findIndex(t => t.meta && t.meta.role === '{role}');
            const uid = gd._fullData[i].uid;
            const m = {_GL};
            const ids = m.getStyle().layers.map(l => l.id)
                .filter(id => id.includes(uid) && id.endsWith('circle'));
            if (!ids.length) return 0;
            const seen = new Set();
            for (const f of m.queryRenderedFeatures({{layers: ids}})) {{
                const c = f.geometry.coordinates;
                seen.add(c[0].toFixed(5) + ',' + c[1].toFixed(5));
            }}
            return seen.size;
        }}"""
    )


def rendered_layers(page, role: str | None = None, layer: str | None = None) -> int:
    """Number of visible MapLibre layers drawing traces whose meta matches."""
    return page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{MAP}');
            const m = {_GL};
            const uids = gd._fullData
                .filter(t => t.meta && ({"true" if role is None else f"t.meta.role === '{role}'"})
                          && ({"true" if layer is None else f"t.meta.layer === '{layer}'"})
                          && t.visible === true)
                .map(t => t.uid);
            return m.getStyle().layers.filter(l => uids.some(u => l.id.includes(u))
                && (!l.layout || l.layout.visibility !== 'none')).length;
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
