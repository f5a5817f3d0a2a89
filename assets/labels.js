/*
 * Place-name labels drawn as HTML over the map. MapLibre's own text labels need glyph files
 * from a font server, which an offline page cannot reach (and the CSP forbids), so names are
 * positioned here with map.project() on every move. Text goes in with textContent: inert.
 * The labels come from the figure's layout.meta.labels: [[lon, lat, name, kind?], ...]
 * (kind "country": a basemap country's name, centred, drawn after the places).
 *
 * Labels never overlap each other or a drawn event marker (issue 12, bug 8): each label, in
 * the data's order, takes the first free spot of right / left / above / below its place, then
 * its four corners, outside any marker drawn there; a label with no free spot is hidden until
 * zooming in makes room, and so is one that would stick out of the map. Every lit marker counts (drawnMarkers()): the MapLibre-layer version
 * missed markers still in their opening state, and put names over them.
 */
(function () {
  "use strict";

  const GAP = 3;  // px between a label and its point or marker

  function intersects(a, b) {  // with a pixel to spare: positions are rounded when drawn
    return a.left < b.right + 1 && b.left < a.right + 1 && a.top < b.bottom + 1
      && b.top < a.bottom + 1;
  }

  function hitsCircle(rect, [x, y, r]) {
    const cx = Math.max(rect.left, Math.min(x, rect.right));
    const cy = Math.max(rect.top, Math.min(y, rect.bottom));
    return Math.hypot(cx - x, cy - y) < r;
  }

  /* The event markers drawn now, as [x, y, radius + outline] in the map's pixels
     (assets/events_layer.js: karabakhMap.drawnMarkers, in page pixels). */
  function drawnMarkers(map) {
    const reader = window.karabakhMap && window.karabakhMap.drawnMarkers;
    if (!reader) return [];
    const rect = map.getCanvas().getBoundingClientRect();
    return reader().map((m) => [m.x - rect.left, m.y - rect.top, m.radius + 1]);
  }

  /* The markers in a grid of CELL px squares, so a spot is checked against the markers
     near it only (at 100k events, 18k markers x 8 spots x every label took 60-140 ms a
     draw; bench/README.md "Where a page load goes"). */
  const CELL = 32;

  const cellKey = (cx, cy) => cx * 100003 + cy;  // unique for any map size on a screen

  function markerGrid(markers) {
    const cells = new Map();
    let reach = 0;
    for (const m of markers) {
      reach = Math.max(reach, m[2]);
      const key = cellKey(Math.floor(m[0] / CELL), Math.floor(m[1] / CELL));
      const list = cells.get(key);
      if (list) list.push(m); else cells.set(key, [m]);
    }
    return { cells, reach };
  }

  /* Whether `test` holds for a marker whose disc may reach the rectangle. */
  function anyNear(grid, rect, test) {
    const { cells, reach } = grid;
    const c0 = Math.floor((rect.left - reach) / CELL), c1 = Math.floor((rect.right + reach) / CELL);
    const r0 = Math.floor((rect.top - reach) / CELL), r1 = Math.floor((rect.bottom + reach) / CELL);
    for (let cx = c0; cx <= c1; cx++) {
      for (let cy = r0; cy <= r1; cy++) {
        const list = cells.get(cellKey(cx, cy));
        if (list && list.some(test)) return true;
      }
    }
    return false;
  }

  function candidates(p, w, h, grid) {
    // Step out of a marker drawn on the place itself.
    let off = GAP + 2;
    const here = { left: p.x - 2, right: p.x + 2, top: p.y - 2, bottom: p.y + 2 };
    anyNear(grid, here, ([x, y, r]) => {
      if (Math.hypot(x - p.x, y - p.y) < 2) off = Math.max(off, r + GAP);
      return false;
    });
    return [
      { left: p.x + off, top: p.y - h / 2 },
      { left: p.x - off - w, top: p.y - h / 2 },
      { left: p.x - w / 2, top: p.y - off - h },
      { left: p.x - w / 2, top: p.y + off },
      // then the corners, for a place crowded by markers on all four sides
      { left: p.x + off * 0.7, top: p.y - off * 0.7 - h },
      { left: p.x + off * 0.7, top: p.y + off * 0.7 },
      { left: p.x - off * 0.7 - w, top: p.y - off * 0.7 - h },
      { left: p.x - off * 0.7 - w, top: p.y + off * 0.7 },
    ].map((c) => ({ ...c, right: c.left + w, bottom: c.top + h }));
  }

  function attach(gd) {
    const full = gd._fullLayout;
    const map = full && full.map && full.map._subplot && full.map._subplot.map;
    if (!map || gd._labelsFor === map) return;
    gd._labelsFor = map;

    const layer = document.createElement("div");
    layer.className = "map-labels";
    layer.setAttribute("aria-hidden", "true");
    map.getContainer().appendChild(layer);
    const sizes = new Map();  // name -> [w, h]

    function size(el, name) {
      if (sizes.has(name)) return sizes.get(name);
      el.style.display = "";
      el.style.transform = "translate(-9999px, -9999px)";
      const r = el.getBoundingClientRect();
      // not laid out yet (the map still hidden): measure again next time
      if (r.width > 0 && r.height > 0) sizes.set(name, [r.width, r.height]);
      return [r.width || name.length * 7, r.height || 16];
    }

    // What the last draw was made from: the same map view, markers and labels would place
    // every label where it is (the map's 'idle' after each loaded source asked again).
    let drawnFrom = null;

    function draw() {
      const labels = (gd.layout && gd.layout.meta && gd.layout.meta.labels) || [];
      const c = map.getCenter(), box = map.getContainer();
      const from = [c.lng, c.lat, map.getZoom(), map.getBearing(), map.getPitch(),
        box.clientWidth, box.clientHeight, (window.__eventsLastDraw || {}).at, sizes.size];
      if (drawnFrom && labels === drawnFrom.labels && from.every((v, i) => v === drawnFrom.from[i])) {
        return;
      }
      drawnFrom = { labels, from };
      while (layer.childElementCount < labels.length) {
        const el = document.createElement("span");
        el.className = "map-label";
        layer.appendChild(el);
      }
      const { width, height } = map.getContainer().getBoundingClientRect();
      const markers = markerGrid(drawnMarkers(map));
      const placed = [];
      labels.forEach(([lon, lat, name, kind], i) => {
        const el = layer.children[i];
        if (el.textContent !== name) el.textContent = name;
        const cls = "map-label" + (kind ? " map-label-" + kind : "");
        if (el.className !== cls) el.className = cls;
        const p = map.project([lon, lat]);
        const onScreen = p.x > -50 && p.y > -20 && p.x < width + 50 && p.y < height + 20;
        if (!onScreen) { el.style.display = "none"; return; }
        const [w, h] = size(el, cls + name);
        // A country's name is centred on its point (no dot); a place's sits beside its dot.
        const spots = kind === "country"
          ? [[0, 0], [0, -24], [0, 24], [-50, 0], [50, 0], [0, -48], [0, 48]].map(([dx, dy]) => ({
            left: p.x + dx - w / 2, top: p.y + dy - h / 2,
            right: p.x + dx + w / 2, bottom: p.y + dy + h / 2,
          }))
          : candidates(p, w, h, markers);
        // whole inside the map: a name cut by the map's edge ("RKEY" on a phone) is hidden
        // rather than clipped, or takes another spot that fits
        const spot = spots.find(
          (c) => c.left >= 0 && c.top >= 0 && c.right <= width && c.bottom <= height
            && !placed.some((r) => intersects(c, r))
            && !anyNear(markers, c, (m) => hitsCircle(c, m)));
        if (!spot) { el.style.display = "none"; return; }
        placed.push(spot);
        el.style.display = "";
        el.style.transform = `translate(${Math.round(spot.left)}px, ${Math.round(spot.top)}px)`;
      });
      for (let i = labels.length; i < layer.childElementCount; i++) {
        layer.children[i].style.display = "none";
      }
    }

    let queued = false;
    function schedule() {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; draw(); });
    }
    map.on("move", schedule);
    map.on("resize", schedule);
    map.on("idle", schedule);
    gd.on("plotly_afterplot", schedule);
    document.addEventListener("karabakh:events-drawn", schedule);
    draw();
  }

  // dcc.Graph creates its plot after the page loads; watch for it.
  const observer = new MutationObserver(() => {
    document.querySelectorAll("#map .js-plotly-plot").forEach((gd) => {
      if (gd._fullLayout && gd._fullLayout.map) attach(gd);
      else if (gd.on && !gd._labelsWaiting) {
        gd._labelsWaiting = true;
        gd.on("plotly_afterplot", () => attach(gd));
      }
    });
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
})();
