/*
 * Each map's first view drawn in one frame, once everything in it has loaded (issue 13).
 *
 * plotly makes the map with an empty style and, once that has loaded, adds about forty GeoJSON
 * sources (a few per trace, one per reference layer). MapLibre's worker cuts them into tiles
 * over the next few hundred ms, and MapLibre draws a frame each time some arrive: 5–6 frames
 * before the map is complete, all but the last showing part of it. Without a GPU (software
 * WebGL) each frame of this map costs 50–200 ms of drawing and read-back, so those partial
 * frames were the largest single cost of a page load (bench/README.md, issue 13).
 *
 * Here MapLibre's painter, once it has drawn plotly's empty style (its first call sets it up),
 * skips drawing until the map has nothing left to load or animate (its `idle` event) with
 * plotly's layers in, then draws once. Everything else goes on as
 * before: sources load, tiles are cut, `render` and `load` fire (the events' canvas paints on
 * them), and `idle` fires again after that frame, so tests and benchmarks that wait for it see
 * the finished map. Only a map's first view is held; moves after it draw at once. HOLD_MS
 * bounds the hold, so a source that never loads cannot keep the map blank.
 *
 * window.karabakhMap.firstFrame() says what happened, for tests and benchmarks:
 * {held: frames skipped, drawnAt: ms from navigation start of the first frame drawn,
 *  complete: true if that frame came after everything loaded, false if the hold ran out}.
 */
(function () {
  "use strict";

  const HOLD_MS = 3000;  // longest a map's first view waits for its tiles
  const held = new WeakSet();
  let last = null;       // the record of the newest map's first frame

  function findMap() {
    const gd = document.querySelector("#map .js-plotly-plot");
    return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
      && gd._fullLayout.map._subplot.map;
  }

  // plotly names its layers plotly-trace-layer-* and plotly-layout-layer-*. Before they are
  // in, the style is plotly's empty one, whose `idle` comes before anything is on the map.
  function hasPlotlyLayers(m) {
    return m.getLayersOrder().some((id) => id.startsWith("plotly-"));
  }

  // MapLibre draws every fill twice by default: the area, then its antialiased edge with a
  // program of its own. The areas' edges are drawn anyway, as line layers (plotly's
  // choropleth outlines, the borders); the basemap's land and lakes are pale fills whose
  // unsmoothed edges look the same at this map's zooms (compared in screenshots). Software
  // WebGL paid ~100 ms of the first frame for that pass (compiling its program, drawing every
  // polygon's edge). Set on each fill layer as plotly adds it.
  function withoutFillEdges(m) {
    const addLayer = m.addLayer;
    m.addLayer = function (layer, ...rest) {
      if (layer && layer.type === "fill") {
        layer = Object.assign({}, layer, {
          paint: Object.assign({}, layer.paint, { "fill-antialias": false }),
        });
      }
      return addLayer.call(this, layer, ...rest);
    };
  }

  function hold(m) {
    const painter = m.painter;
    if (!painter || held.has(m)) return;
    held.add(m);
    withoutFillEdges(m);
    const record = { held: 0, drawnAt: null, complete: null };
    last = record;
    const until = performance.now() + HOLD_MS;
    let ready = false;
    const draw = painter.render;
    painter.render = function (...args) {
      // MapLibre's painter sets itself up in its first call (plotly's empty style, background
      // only: cheap); skipping that one leaves every later frame blank.
      if (this.style === undefined) return draw.apply(this, args);
      if (!ready && performance.now() < until) {
        record.held += 1;
        return undefined;
      }
      painter.render = draw;  // from now on MapLibre draws as usual
      record.drawnAt = performance.now();
      record.complete = ready;
      return draw.apply(this, args);
    };
    // MapLibre is idle once every tile is in and nothing fades or moves: draw that, once.
    const onIdle = () => {
      if (!hasPlotlyLayers(m)) return;
      m.off("idle", onIdle);
      ready = true;
      m.triggerRepaint();
    };
    m.on("idle", onIdle);
    setTimeout(() => m.triggerRepaint(), HOLD_MS + 1);  // draws, should nothing else ask to
  }

  // plotly makes the map inside Plotly.react, after the page's scripts ran: look for it every
  // frame until the first one is found (so its first frame is caught), then now and then for
  // a map plotly makes again on a full redraw.
  function watch() {
    const m = findMap();
    if (m) hold(m);
    if (!last) requestAnimationFrame(watch);
  }
  requestAnimationFrame(watch);
  setInterval(() => { const m = findMap(); if (m) hold(m); }, 250);

  window.karabakhMap = Object.assign(window.karabakhMap || {}, {
    firstFrame: () => (last ? Object.assign({}, last) : null),
  });
})();
