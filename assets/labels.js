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
 * zooming in makes room. Every lit marker counts (drawnMarkers()): the MapLibre-layer version
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

  function candidates(p, w, h, markers) {
    // Step out of a marker drawn on the place itself.
    let off = GAP + 2;
    for (const [x, y, r] of markers) {
      if (Math.hypot(x - p.x, y - p.y) < 2) off = Math.max(off, r + GAP);
    }
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

    function draw() {
      const labels = (gd.layout && gd.layout.meta && gd.layout.meta.labels) || [];
      while (layer.childElementCount < labels.length) {
        const el = document.createElement("span");
        el.className = "map-label";
        layer.appendChild(el);
      }
      const { width, height } = map.getContainer().getBoundingClientRect();
      const markers = drawnMarkers(map);
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
        const spot = spots.find(
          (c) => !placed.some((r) => intersects(c, r)) && !markers.some((m) => hitsCircle(c, m)));
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
