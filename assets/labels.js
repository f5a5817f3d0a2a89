/*
 * Place-name labels drawn as HTML over the map. MapLibre's own text labels need glyph files
 * from a font server, which an offline page cannot reach (and the CSP forbids), so names are
 * positioned here with map.project() on every move. Text goes in with textContent: inert.
 * The labels come from the figure's layout.meta.labels: [[lon, lat, name], ...].
 */
(function () {
  "use strict";

  function attach(gd) {
    const full = gd._fullLayout;
    const map = full && full.map && full.map._subplot && full.map._subplot.map;
    if (!map || gd._labelsFor === map) return;
    gd._labelsFor = map;

    const layer = document.createElement("div");
    layer.className = "map-labels";
    layer.setAttribute("aria-hidden", "true");
    map.getContainer().appendChild(layer);

    function draw() {
      const labels = (gd.layout && gd.layout.meta && gd.layout.meta.labels) || [];
      while (layer.childElementCount < labels.length) {
        const el = document.createElement("span");
        el.className = "map-label";
        layer.appendChild(el);
      }
      const { width, height } = map.getContainer().getBoundingClientRect();
      labels.forEach(([lon, lat, name], i) => {
        const el = layer.children[i];
        const p = map.project([lon, lat]);
        const onScreen = p.x > -50 && p.y > -20 && p.x < width + 50 && p.y < height + 20;
        el.style.display = onScreen ? "" : "none";
        el.style.transform = `translate(${Math.round(p.x + 5)}px, ${Math.round(p.y - 16)}px)`;
        if (el.textContent !== name) el.textContent = name;
      });
      for (let i = labels.length; i < layer.childElementCount; i++) {
        layer.children[i].style.display = "none";
      }
    }
    map.on("move", draw);
    map.on("resize", draw);
    gd.on("plotly_afterplot", draw);
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
