/*
 * Export and cite (the `export` section, dashboard/export_view.py).
 *
 * - The download links follow the view: whenever assets/contract.js writes the address, it
 *   announces the query ("karabakh:url"); the links get its window and filters (every name
 *   but event, layers and v), the names the export routes share with the address.
 * - "Cite this view": a permalink (the address, with the data version the view is seen at)
 *   and a citation (map title, data version, the view's dates and filters, access date,
 *   URL), written as text (textContent / value), never as HTML; "Copy" puts it on the
 *   clipboard.
 * - "Download the map as PNG": the map's canvas (reference layers and areas) read in the
 *   frame MapLibre draws it, with the event markers' own canvas (assets/events_canvas.js)
 *   and the place names (HTML over the map, assets/labels.js) painted on top, and a caption
 *   under it (title, dates, counter, filters, data version, credit, address). plotly's own
 *   PNG button redraws a copy of the figure, which has no events layer.
 */
(function () {
  "use strict";

  const NOT_EXPORTED = new Set(["event", "layers", "v"]);

  function section() {
    return document.getElementById("export");
  }

  /* The export routes' query for an address query. */
  function exportQuery(search) {
    const out = new URLSearchParams();
    for (const [name, value] of new URLSearchParams(search)) {
      if (!NOT_EXPORTED.has(name)) out.set(name, value);
    }
    return out.toString().replace(/%2C/g, ",");
  }

  function updateLinks(search) {
    const box = section();
    if (!box) return;
    const query = exportQuery(search);
    box.setAttribute("data-query", query);
    for (const link of box.querySelectorAll("a.export-link")) {
      link.setAttribute("href", link.getAttribute("data-route") + "?" + query);
    }
  }

  document.addEventListener("karabakh:url", (evt) => updateLinks(evt.detail.query));

  // ------------------------------------------------------------------ citation

  const formatIso = (iso) => window.KarabakhContract.formatIsoDay(iso);

  function permalink(box) {
    const params = new URLSearchParams(window.location.search);
    params.set("v", box.getAttribute("data-version"));
    const query = params.toString().replace(/%2C/g, ",");
    return window.location.origin + window.location.pathname + "?" + query;
  }

  function citation(box, link) {
    const query = new URLSearchParams(box.getAttribute("data-query"));
    const filtered = Array.from(query.keys()).some((k) => k !== "start" && k !== "end");
    const summary = document.getElementById("filters-summary");
    let view = "View: " + formatIso(query.get("start")) + " – " + formatIso(query.get("end"));
    if (filtered && summary) {
      view += "; filters: " + summary.textContent.replace(/^Showing only: /, "").replace(/\.$/, "");
    }
    const accessed = new Date().toLocaleDateString("en-GB", {
      day: "numeric", month: "long", year: "numeric",
    });
    return box.getAttribute("data-title") + " [interactive map]. "
      + box.getAttribute("data-version-label") + ". " + view + ". Accessed " + accessed
      + ". " + link;
  }

  function cite() {
    const box = section();
    if (!box) return;
    const link = permalink(box);
    document.getElementById("cite-link").value = link;
    document.getElementById("cite-text").value = citation(box, link);
    document.getElementById("cite-status").textContent = "";
    document.getElementById("cite-box").hidden = false;
  }

  function copy() {
    const text = document.getElementById("cite-text");
    const status = document.getElementById("cite-status");
    const done = () => { status.textContent = "Copied."; };
    const fallback = () => {
      text.select();
      try {
        status.textContent = document.execCommand("copy") ? "Copied." : "Select and copy it.";
      } catch (_err) {
        status.textContent = "Select and copy it.";
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  // ------------------------------------------------------------------ PNG

  /* The map as a PNG data URL: MapLibre's canvas read in its own render event (the drawing
     buffer is only guaranteed then), place names painted over it. */
  function mapPng() {
    const gd = document.querySelector("#map .js-plotly-plot");
    const m = window.KarabakhContract.plotlyMap();
    if (!m) return Promise.reject(new Error("the map is not drawn yet"));
    return new Promise((resolve) => {
      m.once("render", () => {
        const gl = m.getCanvas();
        const rect = gl.getBoundingClientRect();
        const out = document.createElement("canvas");
        out.width = gl.width;
        out.height = gl.height;
        const ctx = out.getContext("2d");
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(gl, 0, 0);
        const scale = gl.width / rect.width;
        const frame = gd.closest(".map-frame") || gd;
        // The event markers are on a canvas of their own over the map (assets/events_canvas.js).
        const events = frame.querySelector("canvas.events-canvas");
        if (events && events.width) ctx.drawImage(events, 0, 0, out.width, out.height);
        for (const label of frame.querySelectorAll(".map-label")) {
          const r = label.getBoundingClientRect();
          if (!r.width || r.right < rect.left || r.left > rect.right) continue;
          const style = window.getComputedStyle(label);
          ctx.font = style.fontWeight + " " + parseFloat(style.fontSize) * scale + "px "
            + style.fontFamily;
          ctx.textBaseline = "top";
          ctx.lineWidth = 3 * scale;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.fillStyle = style.color;
          const x = (r.left - rect.left) * scale, y = (r.top - rect.top) * scale;
          const text = style.textTransform === "uppercase"
            ? label.textContent.toUpperCase() : label.textContent;
          ctx.strokeText(text, x, y);
          ctx.fillText(text, x, y);
        }
        resolve(withCaption(out, scale).toDataURL("image/png"));
      });
      m.triggerRepaint();
    });
  }

  /* What the picture shows, written under it, so it still says so once it leaves the app:
     the title, the window's dates, the counter and filters, the data version, the basemap's
     credit and the address of this view. */
  function captionLines() {
    const box = section();
    const text = (id) => {
      const el = document.getElementById(id);
      return el ? el.textContent.trim() : "";
    };
    const summary = text("filters-summary").replace(/^Showing only: /, "").replace(/\.$/, "");
    const first = [box ? box.getAttribute("data-title") : "", text("date-range-label"),
      text("event-count")].filter(Boolean).join(" · ");
    const second = [summary ? "Filters: " + summary : "",
      box ? box.getAttribute("data-version-label") : "",
      "Basemap: Natural Earth"].filter(Boolean).join(" · ");
    return [first, second, window.location.href];
  }

  function withCaption(map, scale) {
    const lines = captionLines();
    const size = 13 * scale, gap = 6 * scale;
    const out = document.createElement("canvas");
    out.width = map.width;
    out.height = map.height + lines.length * (size + gap) + gap;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(map, 0, 0);
    ctx.fillStyle = "#1d2329";
    ctx.textBaseline = "top";
    const room = out.width - 2 * gap;
    lines.forEach((line, i) => {
      // smaller type for a long line (the address), cut only past 9 px
      let px = size;
      const font = () => (i === 0 ? "600 " : "") + px + "px sans-serif";
      ctx.font = font();
      while (px > 9 * scale && ctx.measureText(line).width > room) { px -= scale; ctx.font = font(); }
      let shown = line;
      while (shown.length > 10 && ctx.measureText(shown).width > room) shown = shown.slice(0, -2);
      if (shown !== line) shown = shown.slice(0, -1) + "…";
      ctx.fillText(shown, gap, map.height + gap + i * (size + gap));
    });
    return out;
  }

  function downloadPng() {
    mapPng().then((url) => {
      const a = document.createElement("a");
      a.href = url;
      a.download = "karabakh-protectorate-map.png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    }, (err) => console.error("map PNG:", err));
  }

  document.addEventListener("click", (evt) => {
    const target = evt.target instanceof Element ? evt.target.closest("button") : null;
    if (!target) return;
    if (target.id === "cite-view") cite();
    else if (target.id === "cite-copy") copy();
    else if (target.id === "export-png") downloadPng();
  });

  window.karabakhMap = Object.assign(window.karabakhMap || {}, { mapPng, captionLines });
})();
