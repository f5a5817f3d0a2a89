"""The page's first load in Chromium: it asks the server nothing the page already holds, every
preloaded resource is fetched once, and the events are painted again only when something
changed (issue 13, the page load; the measurements are bench/trace_load.py's)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from dashboard.stepping import date_order
from tests.mapdriver import wait_map_idle

pytestmark = pytest.mark.browser


def _record(page) -> tuple[list[str], Counter]:
    """Outputs of every callback request, and how often each address was requested."""
    callbacks: list[str] = []
    requested: Counter = Counter()

    def on_request(request):
        path = request.url.split("://", 1)[-1].split("/", 1)[-1]
        requested["/" + path.split("?", 1)[0]] += 1
        if "_dash-update-component" in request.url and request.post_data:
            callbacks.append(json.loads(request.post_data)["output"])

    page.on("request", on_request)
    return callbacks, requested


def _load(page, query: str) -> None:
    page.goto(page.base_url + "/?" + query)
    wait_map_idle(page)
    page.wait_for_timeout(1000)  # anything a timer would send (the list follows in 250 ms)


@pytest.mark.parametrize(
    "query",
    ["start=2021-02-01&end=2021-03-03", "layers=aor,events", "event={first}&start=2020-11-10"],
)
def test_the_page_asks_the_server_nothing_it_already_holds(page, dataset, query):
    """The layout comes built for the address's view (map, counter, list, filters, step
    buttons, reader): the only callback at load is the data-version notice, which reads the
    address's `v`."""
    first = date_order(list(dataset.events))[0].id
    callbacks, _ = _record(page)
    _load(page, query.format(first=first))
    assert callbacks == ["as-of-notice.children"]
    # ... and the page still wrote its address in full and drew the right buttons
    search = page.evaluate("() => window.location.search")
    assert "start=" in search and "end=" in search and "v=" in search
    if query.startswith("start=2021-02-01"):
        assert page.text_content("#date-range-label") == "1 Feb 2021 – 3 Mar 2021"
    assert page.text_content("#date-range-label").count(" – ") == 1
    if "event=" in query:
        assert page.locator("#step-prev").is_disabled()  # the first event: nothing before
        assert page.locator("#step-next").is_enabled()


def test_every_preloaded_resource_is_fetched_once(page):
    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    _, requested = _record(page)
    _load(page, "start=2021-02-01&end=2021-03-03")
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('link[rel=preload]'))"
        ".map(l => new URL(l.href).pathname)"
    )
    assert "/_dash-layout" in links and any(p.startswith("/api/scrub-data/") for p in links)
    assert len(links) == 6
    for path in links:
        assert requested[path] == 1, (path, requested[path])
    assert not [w for w in warnings if "preload" in w], warnings


def test_a_redraw_that_changes_nothing_paints_the_events_once(page):
    """plotly redraws (afterplot) and MapLibre's idle ask the events canvas again; the same
    state on the same map view is not painted twice. A move or a change still paints."""
    _load(page, "start=2021-02-01&end=2021-03-03")
    before = page.evaluate("() => window.__eventsLastDraw.at")
    page.evaluate(
        """() => new Promise(resolve => {
            document.querySelector('#map .js-plotly-plot').emit('plotly_afterplot');
            requestAnimationFrame(() => requestAnimationFrame(resolve));
        })"""
    )
    assert page.evaluate("() => window.__eventsLastDraw.at") == before
    page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener('karabakh:events-drawn', resolve, {once: true});
            window.KarabakhEvents.repaint();
        })"""
    )
    assert page.evaluate("() => window.__eventsLastDraw.at") > before


# Every animation frame in which something was drawn on MapLibre's WebGL canvas, with the map's
# view and the layers it held then, and every paint of the events' canvas. Hooked into WebGL
# itself, before any script runs, so it sees what the browser drew whatever the page's scripts
# meant to do.
GL_FRAMES = """
(() => {
  const frames = window.__glFrames = [];
  window.__eventPaints = 0;
  document.addEventListener('karabakh:events-drawn', () => { window.__eventPaints += 1; });
  const viewOf = (m) => { const c = m.getCenter();
    return [c.lng, c.lat, m.getZoom()].map(x => x.toFixed(6)).join(','); };
  const mapOf = () => { const gd = document.querySelector('#map .js-plotly-plot');
    return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
      && gd._fullLayout.map._subplot.map; };
  // What a drawn frame holds: the share of a 12 x 8 grid of its pixels that are painted and
  // not white (read in MapLibre's `render` event, right after it drew, before the browser
  // shows the frame and clears its buffer). A blank map has none; this basemap, most.
  const filled = (m) => {
    const canvas = m.getCanvas();
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    const px = new Uint8Array(4);
    let n = 0;
    for (let i = 0; i < 12; i++) for (let j = 0; j < 8; j++) {
      gl.readPixels(Math.floor((i + 0.5) * gl.drawingBufferWidth / 12),
        Math.floor((j + 0.5) * gl.drawingBufferHeight / 8), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      if (px[3] > 0 && Math.min(px[0], px[1], px[2]) < 250) n += 1;
    }
    return n / 96;
  };
  // the map's view when its style has loaded, before it loads or draws anything for a view
  const watch = () => { const m = mapOf(); if (!m) { requestAnimationFrame(watch); return; }
    m.once('styledata', () => { window.__styleLoadedView = viewOf(m); });
    m.on('render', () => {
      const f = frames[frames.length - 1];
      if (open && f && f.filled === undefined) f.filled = filled(m);
    }); };
  requestAnimationFrame(watch);
  let open = false;
  const note = (gl) => {
    if (open || !gl.canvas.classList || !gl.canvas.classList.contains('maplibregl-canvas')) return;
    open = true;
    const m = mapOf();
    frames.push({
      at: performance.now(),
      view: m ? viewOf(m) : null,
      plotlyLayers: m ? m.getLayersOrder().filter(id => id.startsWith('plotly-')).length : 0,
      tilesLoaded: m ? m.areTilesLoaded() : false,
    });
    requestAnimationFrame(() => { open = false; });
  };
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawElements', 'drawArrays']) {
      const draw = proto[name];
      proto[name] = function (...args) { note(this); return draw.apply(this, args); };
    }
  }
})();
"""


@pytest.mark.parametrize("query", ["start=2021-02-01&end=2021-03-03", "map=9/39.8/46.75"])
def test_at_load_the_map_draws_only_its_first_view_and_ends_with_everything_in(page, query):
    """The first view (fitted to the window's events, or the address's `map=`) is set as soon
    as the map exists, before its style loads (assets/mapview.js): no frame is drawn, no tile
    cut and no marker painted for the layout's own view first. The events are painted once;
    the last frame holds every layer plotly adds and the basemap (not a blank canvas)."""
    page.add_init_script(GL_FRAMES)
    _load(page, query)
    frames = page.evaluate("() => window.__glFrames")
    final = page.evaluate(
        """() => { const m = document.querySelector('#map .js-plotly-plot')
                       ._fullLayout.map._subplot.map;
                   const c = m.getCenter();
                   return [c.lng, c.lat, m.getZoom()].map(x => x.toFixed(6)).join(','); }"""
    )
    assert page.evaluate("() => window.__styleLoadedView") == final
    assert frames and all(f["view"] == final for f in frames), frames
    assert page.evaluate("() => window.__eventPaints") == 1
    last = frames[-1]
    assert last["plotlyLayers"] > 20 and last["tilesLoaded"], last
    assert last["filled"] > 0.5, last  # the basemap is on it


def test_fills_are_drawn_without_maplibres_second_edge_pass(page):
    """Every fill layer plotly adds (the basemap's land and lakes, the areas) is drawn once,
    without MapLibre's antialiased edge pass (assets/fill_edges.js: each area's edge is a
    line layer of its own, so the pass changed nothing visible and cost the first frame)."""
    _load(page, "start=2021-02-01&end=2021-03-03")
    fills = page.evaluate(
        """() => { const m = document.querySelector('#map .js-plotly-plot')
                       ._fullLayout.map._subplot.map;
                   return m.getStyle().layers.filter(l => l.type === 'fill')
                       .map(l => [l.id, m.getPaintProperty(l.id, 'fill-antialias')]); }"""
    )
    assert len(fills) >= 5, fills  # land, lakes, and the areas' fills
    assert all(value is False for _, value in fills), fills
