"""The peers bench/peers.py measures the app against: the same events on other engines.

    python bench/peer_pages.py leaflet --port 8071 --data-dir DIR [--start D --end D] [--empty]
    python bench/peer_pages.py deck    --port 8072 --data-dir DIR [--start D --end D] [--empty]
    python bench/peer_pages.py plotly  --port 8073 --data-dir DIR [--start D --end D] [--empty]

- leaflet: a Dash page with dash-leaflet: the countries as a GeoJSON layer, one canvas
  circle marker per event (`preferCanvas`), filtered to the window by a `hideout` that a
  clientside callback sets from the same dcc.RangeSlider the app uses.
- deck: a plain page with deck.gl (the standalone bundle): the countries as a GeoJsonLayer,
  one ScatterplotLayer instance per event, filtered on the GPU by DataFilterExtension
  (kepler.gl's engine), the window set from a two-thumb slider with the same keys.
- plotly: a plain page with plotly.js (the bundle the plotly package ships) and one
  `Scattermap` trace on `white-bg`, the countries as a `layout.map.layers` fill; a step
  filters the events in the browser and hands the window's points to `Plotly.restyle`
  (the natural client-side way to scrub a plotly map; the issue's 5x comparator). Same
  two-thumb slider as deck's; keys arriving within one frame restyle once.

All draw one marker per event (their natural design: a filter, not a regroup per window)
at the event's place, coloured by type; the map is 958x556 like the app's. `--empty` serves
the same page with no events: the engine's floor.

Bench-only dependencies, fetched here into bench/.cache/ (git-ignored), never shipped or
imported by the app: dash-leaflet from PyPI (`pip install --no-deps --target`), deck.gl from
npm (`npm pack`, only its dist.min.js is used). `python bench/peer_pages.py fetch` fetches
them ahead of a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
LEAFLET_VERSION = "1.1.3"
DECK_VERSION = "9.4.0"
SITE = CACHE / f"dash-leaflet-{LEAFLET_VERSION}"
DECK_JS = CACHE / f"deck.gl-{DECK_VERSION}.min.js"
COLORS = {
    "agreement": "#0072B2",
    "political": "#D55E00",
    "diplomatic": "#009E73",
    "military": "#CC79A7",
    "protest": "#E69F00",
    "statement": "#56B4E9",
}
CENTER = (46.75, 39.78)
MAP_STYLE = "width: 958px; height: 556px; position: relative;"


def fetch() -> None:
    """dash-leaflet (PyPI) and deck.gl (npm) into bench/.cache/, once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    if not (SITE / "dash_leaflet").is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "--no-deps", "--target", str(SITE), f"dash-leaflet=={LEAFLET_VERSION}"],
            check=True,
        )  # fmt: skip
    if not DECK_JS.is_file():
        subprocess.run(
            ["npm", "pack", f"deck.gl@{DECK_VERSION}", "--silent", "--pack-destination",
             str(CACHE)],
            check=True,
            cwd=CACHE,
        )  # fmt: skip
        tarball = CACHE / f"deck.gl-{DECK_VERSION}.tgz"
        with tarfile.open(tarball) as tar:
            member = tar.extractfile("package/dist.min.js")
            assert member is not None
            DECK_JS.write_bytes(member.read())
        tarball.unlink()


def load_events(data_dir: Path, empty: bool) -> tuple[dt.date, list[dict]]:
    """(origin, events as {lon, lat, s, e, type}) straight from events.geojson."""
    doc = json.loads((data_dir / "events.geojson").read_text("utf-8"))
    features = [f for f in doc["features"] if f.get("geometry")]
    origin = min(dt.date.fromisoformat(f["properties"]["date_start"]) for f in doc["features"])
    if empty:
        return origin, []
    events = []
    for f in features:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        events.append(
            {
                "lon": lon,
                "lat": lat,
                "s": (dt.date.fromisoformat(p["date_start"]) - origin).days,
                "e": (dt.date.fromisoformat(p["date_end"]) - origin).days,
                "type": p["event_type"],
            }
        )
    return origin, events


def span(data_dir: Path, origin: dt.date) -> int:
    doc = json.loads((data_dir / "events.geojson").read_text("utf-8"))
    last = max(dt.date.fromisoformat(f["properties"]["date_end"]) for f in doc["features"])
    return (last - origin).days


# --------------------------------------------------------------------------- dash-leaflet

LEAFLET_JS = """
window.peer = {
  filter(feature, context) {
    const h = context.hideout, p = feature.properties;
    window.__peerDrawn = [h.lo, h.hi];
    return p.s <= h.hi && p.e >= h.lo;
  },
  point(feature, latlng) {
    return L.circleMarker(latlng, {radius: 6, color: '#ffffff', weight: 1,
      fillColor: feature.properties.c, fillOpacity: 0.9});
  },
};
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  peer: { hideout(value) { return {lo: Math.min(...value), hi: Math.max(...value)}; } },
});
window.__engine = {
  sliderValues() {
    return Array.from(document.querySelectorAll('#date-range [role=slider]'))
      .map(el => Number(el.getAttribute('aria-valuenow')));
  },
  drawn() {
    if (!document.querySelector('.leaflet-container canvas, .leaflet-container svg')) return false;
    if (window.__peerEmpty) return true;
    const v = this.sliderValues(), d = window.__peerDrawn;
    return v.length === 2 && !!d && d[0] === Math.min(...v) && d[1] === Math.max(...v);
  },
};
"""


def leaflet_app(data_dir: Path, start: dt.date, end: dt.date, empty: bool):
    sys.path.insert(0, str(SITE))
    import dash_leaflet as dl
    from dash import ClientsideFunction, Dash, Input, Output, dcc, html

    origin, events = load_events(data_dir, empty)
    assets = CACHE / "leaflet-assets"
    assets.mkdir(parents=True, exist_ok=True)
    extra = "window.__peerEmpty = true;\n" if empty else ""
    (assets / "peer.js").write_text(extra + LEAFLET_JS)
    app = Dash(__name__, serve_locally=True, compress=True, assets_folder=str(assets))
    countries = json.loads((data_dir / "layers" / "context_countries.geojson").read_text())
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                "properties": {"s": e["s"], "e": e["e"], "c": COLORS.get(e["type"], "#444")},
            }
            for e in events
        ],
    }
    lo, hi = (start - origin).days, (end - origin).days
    app.layout = html.Div(
        [
            dl.Map(
                [
                    dl.GeoJSON(
                        data=countries,
                        style={"color": "#b8b2a6", "weight": 0.6, "fillColor": "#f4f1ea"},
                    ),
                    dl.GeoJSON(
                        id="events",
                        data=data,
                        filter={"variable": "peer.filter"},
                        pointToLayer={"variable": "peer.point"},
                        hideout={"lo": lo, "hi": hi},
                    ),
                ],
                center=[CENTER[1], CENTER[0]],
                zoom=8,
                preferCanvas=True,
                style={"width": "958px", "height": "556px"},
            ),
            dcc.RangeSlider(
                id="date-range",
                min=0,
                max=span(data_dir, origin),
                step=1,
                value=[lo, hi],
                allow_direct_input=False,
                updatemode="drag",
            ),
        ]
    )
    app.clientside_callback(
        ClientsideFunction("peer", "hideout"),
        Output("events", "hideout"),
        Input("date-range", "value"),
        prevent_initial_call=True,
    )

    @app.server.get("/healthz")
    def healthz():
        return "ok"

    return app.server


# --------------------------------------------------------------------------- deck.gl

DECK_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>deck.gl peer</title>
<style>body { margin: 8px; font: 13px sans-serif; }
#date-range { display: flex; gap: 12px; margin-top: 8px; }
#date-range [role=slider] { padding: 4px 8px; border: 1px solid #888; }</style></head>
<body><div id="map" style="%(style)s"></div>
<div id="date-range">
  <div role="slider" tabindex="0" aria-valuemin="0" aria-valuemax="%(max)d"
       aria-valuenow="%(lo)d"></div>
  <div role="slider" tabindex="0" aria-valuemin="0" aria-valuemax="%(max)d"
       aria-valuenow="%(hi)d"></div>
</div>
<script src="/deck.min.js"></script>
<script src="/page.js"></script>
</body></html>
"""

DECK_JS_PAGE = """
(async function () {
  const [countries, cols] = await Promise.all([
    fetch('/countries.json').then(r => r.json()),
    fetch('/events.bin').then(r => r.arrayBuffer()),
  ]);
  const n = new Uint32Array(cols, 0, 1)[0];
  const position = new Float32Array(cols, 8, n * 2);
  const span = new Float32Array(cols, 8 + n * 8, n * 2);  // [s, e] per event
  const fill = new Uint8Array(cols, 8 + n * 16, n * 4);
  const thumbs = Array.from(document.querySelectorAll('#date-range [role=slider]'));
  const values = () => thumbs.map(t => Number(t.getAttribute('aria-valuenow')));
  let shown = null;
  const base = new deck.GeoJsonLayer({id: 'countries', data: countries, filled: true,
    stroked: true, getFillColor: [244, 241, 234], getLineColor: [184, 178, 166],
    lineWidthMinPixels: 0.6});
  const events = (lo, hi) => new deck.ScatterplotLayer({
    id: 'events',
    data: {length: n, attributes: {
      getPosition: {value: position, size: 2},
      getFilterValue: {value: span, size: 2},
      getFillColor: {value: fill, size: 4},
    }},
    radiusUnits: 'pixels', getRadius: 6, stroked: true, getLineColor: [255, 255, 255],
    lineWidthUnits: 'pixels', getLineWidth: 1,
    extensions: [new deck.DataFilterExtension({filterSize: 2})],
    filterRange: [[-1e9, hi], [lo, 1e9]],
  });
  let pending = null;
  const map = new deck.Deck({
    parent: document.getElementById('map'),
    width: 958, height: 556,
    initialViewState: {longitude: %(lon)f, latitude: %(lat)f, zoom: 8},
    controller: true,
    layers: [base, events(...values())],
    onAfterRender: () => { if (pending) { shown = pending; pending = null; } },
  });
  const draw = () => {
    const [lo, hi] = values();
    pending = [lo, hi];
    map.setProps({layers: [base, events(lo, hi)]});
  };
  pending = values();
  thumbs.forEach((thumb, i) => thumb.addEventListener('keydown', (evt) => {
    const delta = {ArrowRight: 1, ArrowLeft: -1}[evt.key];
    if (!delta) return;
    evt.preventDefault();
    const v = values();
    v[i] = Math.max(i === 1 ? v[0] : 0, Math.min(i === 0 ? v[1] : %(max)d, v[i] + delta));
    thumb.setAttribute('aria-valuenow', String(v[i]));
    draw();
  }));
  window.__engine = {
    sliderValues: values,
    drawn() {
      const v = values();
      return !pending && !!shown && shown[0] === v[0] && shown[1] === v[1]
        && !map.needsRedraw({clearRedrawFlags: false});
    },
    repaint(done) { map.redraw(true); requestAnimationFrame(() => done()); },
  };
})();
"""


# --------------------------------------------------------------------------- plotly restyle

PLOTLY_PAGE = DECK_PAGE.replace("deck.gl peer", "plotly peer").replace(
    '<script src="/deck.min.js"></script>', '<script src="/plotly.min.js"></script>'
)

PLOTLY_JS_PAGE = """
(async function () {
  const [countries, cols] = await Promise.all([
    fetch('/countries.json').then(r => r.json()),
    fetch('/events.bin').then(r => r.arrayBuffer()),
  ]);
  const n = new Uint32Array(cols, 0, 1)[0];
  const position = new Float32Array(cols, 8, n * 2);
  const span = new Float32Array(cols, 8 + n * 8, n * 2);  // [s, e] per event
  const fill = new Uint8Array(cols, 8 + n * 16, n * 4);
  const colors = new Array(n);
  for (let i = 0; i < n; i++) {
    colors[i] = 'rgb(' + fill[4 * i] + ',' + fill[4 * i + 1] + ',' + fill[4 * i + 2] + ')';
  }
  const thumbs = Array.from(document.querySelectorAll('#date-range [role=slider]'));
  const values = () => thumbs.map(t => Number(t.getAttribute('aria-valuenow')));
  const inWindow = (lo, hi) => {
    const lon = [], lat = [], color = [];
    for (let i = 0; i < n; i++) {
      if (span[2 * i] <= hi && span[2 * i + 1] >= lo) {
        lon.push(position[2 * i]); lat.push(position[2 * i + 1]); color.push(colors[i]);
      }
    }
    return {lon, lat, color};
  };
  const gd = document.getElementById('map');
  let shown = null, pending = null, queued = false;
  const first = values(), pts = inWindow(...first);
  await Plotly.newPlot(gd, [{
    type: 'scattermap', mode: 'markers', lon: pts.lon, lat: pts.lat,
    marker: {size: 12, color: pts.color, opacity: 0.9}, hoverinfo: 'none',
  }], {
    width: 958, height: 556, margin: {l: 0, r: 0, t: 0, b: 0}, showlegend: false,
    map: {style: 'white-bg', center: {lon: %(lon)f, lat: %(lat)f}, zoom: 8,
          layers: [{sourcetype: 'geojson', source: countries, type: 'fill',
                    color: '#f4f1ea', below: 'traces'},
                   {sourcetype: 'geojson', source: countries, type: 'line',
                    color: '#b8b2a6', line: {width: 0.6}, below: 'traces'}]},
  }, {displayModeBar: false});
  shown = first;
  const draw = () => {
    queued = false;
    const [lo, hi] = values();
    const p = inWindow(lo, hi);
    const asked = [lo, hi];
    pending = asked;
    Plotly.restyle(gd, {lon: [p.lon], lat: [p.lat], 'marker.color': [p.color]}, [0])
      .then(() => { shown = asked; if (pending === asked) pending = null; });
  };
  thumbs.forEach((thumb, i) => thumb.addEventListener('keydown', (evt) => {
    const delta = {ArrowRight: 1, ArrowLeft: -1}[evt.key];
    if (!delta) return;
    evt.preventDefault();
    const v = values();
    v[i] = Math.max(i === 1 ? v[0] : 0, Math.min(i === 0 ? v[1] : %(max)d, v[i] + delta));
    thumb.setAttribute('aria-valuenow', String(v[i]));
    if (!queued) { queued = true; requestAnimationFrame(draw); }
  }));
  const map = () => gd._fullLayout.map._subplot.map;
  window.__engine = {
    sliderValues: values,
    drawn() {
      const v = values(), m = map();
      return !queued && !pending && !!shown && shown[0] === v[0] && shown[1] === v[1]
        && m.loaded() && !m.isMoving();
    },
    repaint(done) { const m = map(); m.once('idle', done); m.triggerRepaint(); },
  };
})();
"""


def plotly_js() -> bytes:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def deck_app(data_dir: Path, start: dt.date, end: dt.date, empty: bool, engine: str = "deck"):
    """The deck.gl page, or (engine "plotly") the plotly restyle page: same data, same slider."""
    import struct

    import numpy as np
    from flask import Flask, Response

    origin, events = load_events(data_dir, empty)
    n = len(events)
    position = np.array([[e["lon"], e["lat"]] for e in events], dtype="<f4").reshape(-1)
    spans = np.array([[e["s"], e["e"]] for e in events], dtype="<f4").reshape(-1)

    def rgba(hex_color: str) -> list[int]:
        return [int(hex_color[i : i + 2], 16) for i in (1, 3, 5)] + [230]

    fill = np.array([rgba(COLORS.get(e["type"], "#444444")) for e in events], dtype=np.uint8)
    body = struct.pack("<II", n, 0) + position.tobytes() + spans.tobytes() + fill.tobytes()
    countries = (data_dir / "layers" / "context_countries.geojson").read_bytes()
    values = {
        "style": MAP_STYLE,
        "max": span(data_dir, origin),
        "lo": (start - origin).days,
        "hi": (end - origin).days,
        "lon": CENTER[0],
        "lat": CENTER[1],
    }
    if engine == "plotly":
        page, script, library = PLOTLY_PAGE % values, PLOTLY_JS_PAGE % values, plotly_js()
    else:
        page, script, library = DECK_PAGE % values, DECK_JS_PAGE % values, DECK_JS.read_bytes()
    server = Flask(__name__)
    routes = {
        "/": (page, "text/html"),
        "/page.js": (script, "text/javascript"),
        "/deck.min.js": (library, "text/javascript"),
        "/plotly.min.js": (library, "text/javascript"),
        "/events.bin": (body, "application/octet-stream"),
        "/countries.json": (countries, "application/json"),
        "/healthz": ("ok", "text/plain"),
    }
    for path, (content, mimetype) in routes.items():
        server.add_url_rule(
            path,
            path,
            (lambda content=content, mimetype=mimetype: Response(content, mimetype=mimetype)),
        )
    # Compressed like the app's responses (the app serves gzip; so do these).
    from flask_compress import Compress

    server.config["COMPRESS_MIMETYPES"] = [
        "text/html",
        "text/javascript",
        "application/json",
        "application/octet-stream",
    ]
    Compress(server)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=["leaflet", "deck", "plotly", "fetch"])
    parser.add_argument("--port", type=int, default=8071)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "geodata")
    parser.add_argument("--start", default="2021-02-01")
    parser.add_argument("--end", default="2021-03-03")
    parser.add_argument("--empty", action="store_true")
    args = parser.parse_args()
    fetch()
    if args.engine == "fetch":
        return
    start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    if args.engine == "leaflet":
        server = leaflet_app(args.data_dir, start, end, args.empty)
    else:
        server = deck_app(args.data_dir, start, end, args.empty, args.engine)
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", args.port, server, threaded=True)


# --------------------------------------------------------------------------- measuring


def measure_peer(browser, engine: str, data_dir: Path, args) -> dict:
    """Start the peer page, then measure it as bench/peers.py measures the app."""
    import time

    from common import launch_server, stop, wait_ready
    from peers import END_RULE, HOLD, VIEWPORT, first_load_bytes, frames, rss_kb, steps

    fetch()
    result: dict = {}
    for empty in (True, False):
        extra = ["--empty"] if empty else []
        process, base, spawned = launch_server(
            ["bench/peer_pages.py", engine, "--data-dir", str(data_dir), *extra]
        )
        try:
            wait_ready(process, base, timeout=1800)
            if not empty:
                result["start"] = time.time() - spawned
            loads = []
            for i in range(1 if empty else args.loads):
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                page.add_init_script(
                    "window.__keyAt = null; document.addEventListener('keydown', "
                    "() => { window.__keyAt = performance.now(); }, true);"
                )
                record: list | None = [] if (i == 0 and not empty) else None
                if record is not None:
                    page.on("requestfinished", lambda r, record=record: record.append(r))
                page.goto(base + "/", wait_until="commit", timeout=600_000)
                loads.append(page.evaluate(END_RULE) / 1000)
                if record is not None:
                    page.wait_for_timeout(500)
                    result["bytes"], result["requests"] = first_load_bytes(record)
                if empty and engine != "leaflet":  # Leaflet has no repaint call
                    result["empty_frame"] = frames(page, "repaint", args.frames)
                if empty or i < args.loads - 1:
                    context.close()
            if empty:
                result["floor_load"] = loads[0]
                continue
            result["load"] = loads
            result["rss"], result["hwm"] = rss_kb(process.pid)
            result["step"] = steps(page, args.steps)
            page.wait_for_timeout(300)
            page.evaluate(END_RULE)
            result["hold"] = page.evaluate(HOLD, args.hold_ms)
            context.close()
        finally:
            stop(process)
    return result


if __name__ == "__main__":
    main()
