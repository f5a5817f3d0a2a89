/*
 * Fills drawn once, without MapLibre's second, antialiased edge pass (issue 13, page load).
 *
 * MapLibre draws every fill twice by default: the area, then its antialiased edge with a
 * program of its own. The areas' edges are drawn anyway, as line layers (plotly's choropleth
 * outlines, the borders); the basemap's land and lakes are pale fills whose unsmoothed edges
 * look the same at this map's zooms (compared in screenshots). Software WebGL paid ~100 ms of
 * a page load's first full frame for that pass (compiling its program, drawing every
 * polygon's edge; bench/README.md). Set on each fill layer as plotly adds it, on every map
 * plotly makes.
 */
(function () {
  "use strict";

  const done = new WeakSet();

  function withoutFillEdges(m) {
    if (done.has(m)) return;
    done.add(m);
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

  // plotly makes the map inside Plotly.react, after the page's scripts ran, and adds its
  // layers once the map's style has loaded: look for it every frame until the first one is
  // found, then now and then for a map plotly makes again on a full redraw.
  let found = false;
  function watch() {
    const m = window.KarabakhContract.plotlyMap();
    if (m) { withoutFillEdges(m); found = true; }
    if (!found) requestAnimationFrame(watch);
  }
  requestAnimationFrame(watch);
  setInterval(() => {
    const m = window.KarabakhContract.plotlyMap();
    if (m) withoutFillEdges(m);
  }, 250);
})();
