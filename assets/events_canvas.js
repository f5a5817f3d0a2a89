/*
 * The surface the event markers are painted on: a Canvas 2D element laid over plotly's
 * MapLibre canvas (assets/events_layer.js decides what is lit; this file paints it and finds
 * the marker under a pixel).
 *
 * Why not a MapLibre layer: with software WebGL (SwiftShader) every MapLibre frame repaints
 * the whole map (basemap, reference outlines, events) and reads it back on the main thread,
 * so a slider step cost a whole-map frame. On a canvas of their own, a step repaints only the
 * markers; the WebGL map redraws only when it moves (pan, zoom, resize), and this canvas
 * follows it in the same frame (MapLibre's 'render' event).
 *
 * Painting: markers in the file's order (vaguest first, so pinpoints end on top, as before),
 * each a small pre-rendered sprite per style (colour, radius, opacity; white 1 px outline
 * outside the radius, as MapLibre's circle-stroke), so a marker costs one drawImage.
 * Positions: mercator coordinates computed once per file; while the map has no pitch, screen
 * = an affine map of them, taken from three map.project() calls per frame; with pitch,
 * map.project() per marker.
 *
 * Hit-testing: a grid of the painted markers' screen positions, built on the first mouse
 * query after a paint; of the discs that hold the pixel, the one whose centre is nearest wins
 * (the topmost on a tie).
 * Pure pieces (mercator, affine, grid, hit) are exported for the browser tests.
 */
(function () {
  "use strict";

  const CELL_PX = 24;  // hit-grid cell size

  // ------------------------------------------------------------------ pure helpers

  /* Web-mercator x, y in [0, 1] of lon, lat (the plane MapLibre projects through). */
  function mercator(lon, lat) {
    const x = (180 + lon) / 360;
    const y = (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)))
      / 360;
    return [x, y];
  }

  /* The affine screen = a*mx + b*my + e, c*mx + d*my + f that sends mercator points to the
     pixels `project` gives, from three points around lon, lat (exact without pitch). */
  function affineFrom(project, lon, lat) {
    const d = 0.01;
    const p0 = project([lon, lat]), p1 = project([lon + d, lat]), p2 = project([lon, lat + d]);
    const m0 = mercator(lon, lat), m1 = mercator(lon + d, lat), m2 = mercator(lon, lat + d);
    const dx = m1[0] - m0[0], dy = m2[1] - m0[1];
    const a = (p1.x - p0.x) / dx, c = (p1.y - p0.y) / dx;
    const b = (p2.x - p0.x) / dy, dd = (p2.y - p0.y) / dy;
    return { a, b, c, d: dd, e: p0.x - a * m0[0] - b * m0[1], f: p0.y - c * m0[0] - dd * m0[1] };
  }

  /* A grid of points for hit-testing: ks (marker ids, in painted order), xs, ys (pixels). */
  function buildGrid(ks, xs, ys, count, cell) {
    const cells = new Map();
    for (let j = 0; j < count; j++) {
      const key = Math.floor(xs[j] / cell) + "," + Math.floor(ys[j] / cell);
      let list = cells.get(key);
      if (!list) { list = []; cells.set(key, list); }
      list.push(j);
    }
    return { cells, cell, ks, xs, ys };
  }

  /* The marker under the pixel x, y, or -1: of the markers whose disc (its radius + 1 px of
     outline) holds the pixel, the one whose centre is nearest; on a tie, the topmost (last
     painted). The topmost alone let a wide disc painted over a neighbour's centre take every
     click meant for the neighbour (at the first view, Stepanakert's centre opened Shusha,
     whose vaguest event drew it wide). radiusOf(k): marker k's radius in px; reach: the
     largest of them. */
  function hit(grid, x, y, radiusOf, reach) {
    const { cells, cell, ks, xs, ys } = grid;
    let best = -1, bestOrder = -1, bestDistance = Infinity;
    const c0 = Math.floor((x - reach) / cell), c1 = Math.floor((x + reach) / cell);
    const r0 = Math.floor((y - reach) / cell), r1 = Math.floor((y + reach) / cell);
    for (let cx = c0; cx <= c1; cx++) {
      for (let cy = r0; cy <= r1; cy++) {
        const list = cells.get(cx + "," + cy);
        if (!list) continue;
        for (const j of list) {
          const k = ks[j];
          const distance = Math.hypot(xs[j] - x, ys[j] - y);
          if (distance > radiusOf(k) + 1) continue;
          if (distance < bestDistance || (distance === bestDistance && j > bestOrder)) {
            best = k; bestOrder = j; bestDistance = distance;
          }
        }
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ sprites

  const sprites = new Map();

  /* A marker of this style pre-rendered at device pixels: [canvas, half size in CSS px]. */
  function sprite(color, radius, opacity, ratio) {
    const key = color + "|" + radius + "|" + opacity + "|" + ratio;
    let s = sprites.get(key);
    if (s) return s;
    const half = Math.ceil(radius + 2);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = Math.ceil(2 * half * ratio);
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.globalAlpha = opacity;
    ctx.beginPath();
    ctx.arc(half, half, radius, 0, 2 * Math.PI);
    ctx.fillStyle = color;
    ctx.fill();
    ctx.beginPath();
    ctx.arc(half, half, radius + 0.5, 0, 2 * Math.PI);  // 1 px outline outside the radius
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    s = [canvas, half];
    sprites.set(key, s);
    return s;
  }

  // ------------------------------------------------------------------ the surface

  /*
   * A canvas over `map` painting what `source()` says: {lon, lat (Float64Array per marker),
   * radius (px, 0 = not drawn), color, opacity (per marker), visible (bool)}, or null.
   * onPaint(info) runs after each paint with {painted, ms}.
   */
  function attach(map, source, onPaint) {
    const canvas = document.createElement("canvas");
    canvas.className = "events-canvas";
    canvas.setAttribute("aria-hidden", "true");
    const glCanvas = map.getCanvas();
    glCanvas.insertAdjacentElement("afterend", canvas);
    const ctx = canvas.getContext("2d");

    let merc = null;          // [mx Float64Array, my Float64Array] for the current lon/lat
    let mercOf = null;        // the lon array merc was computed from
    let painted = { ks: new Int32Array(0), xs: new Float64Array(0), ys: new Float64Array(0),
      count: 0 };
    let grid = null;
    let queued = 0;
    let paintedView = "";     // the map view (transform) of the last paint
    let stale = true;         // the source changed since the last paint

    function viewKey() {
      const c = map.getCenter();
      return [c.lng, c.lat, map.getZoom(), map.getBearing(), map.getPitch(),
        glCanvas.clientWidth, glCanvas.clientHeight].join(",");
    }

    function fit() {
      const ratio = window.devicePixelRatio || 1;
      const w = glCanvas.clientWidth, h = glCanvas.clientHeight;
      if (canvas.style.width !== w + "px") canvas.style.width = w + "px";
      if (canvas.style.height !== h + "px") canvas.style.height = h + "px";
      const pw = Math.round(w * ratio), ph = Math.round(h * ratio);
      if (canvas.width !== pw) canvas.width = pw;
      if (canvas.height !== ph) canvas.height = ph;
      return [w, h, ratio];
    }

    /* Screen positions (map pixels) of every marker, as a function of k. */
    function projector(src) {
      if (mercOf !== src.lon) {
        const m = src.lon.length, mx = new Float64Array(m), my = new Float64Array(m);
        for (let k = 0; k < m; k++) [mx[k], my[k]] = mercator(src.lon[k], src.lat[k]);
        merc = [mx, my];
        mercOf = src.lon;
      }
      if (map.getPitch() !== 0) {
        return (k) => { const p = map.project([src.lon[k], src.lat[k]]); return [p.x, p.y]; };
      }
      const c = map.getCenter();
      const t = affineFrom((ll) => map.project(ll), c.lng, c.lat);
      const [mx, my] = merc;
      return (k) => [t.a * mx[k] + t.b * my[k] + t.e, t.c * mx[k] + t.d * my[k] + t.f];
    }

    function paint() {
      queued = 0;
      stale = false;
      const t0 = performance.now();
      const [w, h, ratio] = fit();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      paintedView = viewKey();
      const src = source();
      let count = 0;
      if (src && src.visible) {
        const m = src.lon.length;
        if (painted.ks.length < m) {
          painted = { ks: new Int32Array(m), xs: new Float64Array(m), ys: new Float64Array(m) };
        }
        const at = projector(src);
        const { ks, xs, ys } = painted;
        for (let k = 0; k < m; k++) {
          const r = src.radius[k];
          if (!(r > 0)) continue;
          const [x, y] = at(k);
          if (x < -r - 2 || y < -r - 2 || x > w + r + 2 || y > h + r + 2) continue;
          const [image, half] = sprite(src.color[k], r, src.opacity[k], ratio);
          ctx.drawImage(image, Math.round((x - half) * ratio), Math.round((y - half) * ratio));
          ks[count] = k; xs[count] = x; ys[count] = y;
          count += 1;
        }
      }
      painted.count = count;
      grid = null;
      if (onPaint) onPaint({ painted: count, ms: performance.now() - t0 });
    }

    /* Paint in the next animation frame (several requests in one frame paint once);
       `changed`: the source changed. Without it, paint only if the map moved or resized
       since the last paint (else the same pixels would be painted again). */
    function request(changed) {
      if (changed) stale = true;
      if (!queued) {
        queued = requestAnimationFrame(() => {
          if (stale || viewKey() !== paintedView) paint();
          else queued = 0;
        });
      }
    }

    // The map moved or resized: repaint within MapLibre's own frame, so the markers never
    // lag the basemap by a frame.
    const onRender = () => { if (viewKey() !== paintedView) paint(); };
    map.on("render", onRender);

    function markerAt(x, y, radiusOf, reach) {
      if (viewKey() !== paintedView) return -1;  // moved since: the next paint is coming
      if (!grid) grid = buildGrid(painted.ks, painted.xs, painted.ys, painted.count, CELL_PX);
      return hit(grid, x, y, radiusOf, reach);
    }

    function detach() {
      if (queued) cancelAnimationFrame(queued);
      map.off("render", onRender);
      canvas.remove();
    }

    return { request, paint, markerAt, detach, project: (src) => projector(src), canvas };
  }

  window.KarabakhEventsCanvas = { attach, mercator, affineFrom, buildGrid, hit };
})();
