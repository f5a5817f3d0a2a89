/*
 * The events layer: one marker per place that has events, painted over plotly's map on a
 * canvas of its own (assets/events_canvas.js), from the events' columns
 * (dashboard/scrub_data.py: one binary file per data version, fetched once; its address is
 * in the scrub model, `model.events.url`).
 *
 * Why not a plotly trace: plotly re-syncs every MapLibre source it owns whenever any array
 * of the figure changes, about 250 ms for 2k markers on this machine, whatever the filter
 * costs. Why not a MapLibre layer: every MapLibre frame repaints the whole map (basemap and
 * outlines too) in software WebGL, so a step cost a whole-map frame. Here a step updates the
 * state of the markers whose events entered or left the window and repaints the markers'
 * canvas only; the map underneath is repainted only when it moves.
 *
 * A marker's state: n = its events in the window, r = radius px, c = colour, o = opacity.
 * A marker with n = 0 has radius 0 and opacity 0: it is not drawn and cannot be hovered or
 * clicked. The styling rule (one event type -> its colour, several -> grey; size and
 * opacity from the vaguest event's precision) is the legend's and the tests'.
 *
 * Clicks on a lit marker set the map's clickData as plotly would for a trace point
 * ({points: [{lon, lat, customdata: [event ids in the window]}]}), so the server's
 * selection callback is the same for every marker. Mouse events over a lit marker do not
 * reach plotly, so an area underneath never steals the click or shows its hover label.
 * Data text is written with textContent, never as HTML.
 *
 * For tests and automation: window.karabakhMap.drawnMarkers() (below).
 */
(function () {
  "use strict";

  const CLICK_TOLERANCE_PX = 3;  // a press that moved further was a pan, not a click
  const ARRAYS = {
    uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
    float64: Float64Array,
  };

  let model = null;       // the scrub model (dcc.Store "scrub-model")
  let data = null;        // the decoded columns file, once loaded
  let loading = null;     // {url, promise} of the file being fetched
  let view = null;        // {lo, hi, visible}: what should be drawn
  let inWindow = null;    // event index -> 1 if it was in the window last drawn
  let inWindowCount = 0;  // events in the window last drawn
  let litCount = null;    // marker index -> its events in the window last drawn
  let radius = null;      // marker index -> the radius it was last drawn with (px)
  let color = null;       // marker index -> the colour it was last drawn with
  let opacity = null;     // marker index -> the opacity it was last drawn with
  let drawnWindow = null; // [lo, hi] the state arrays hold (null: recompute every event)
  let passMask = null;    // the filters: bit i set when event i passes; null = all pass
  let maskText = null;    // the base64 text passMask came from (dashboard/filters.py)
  let changedSinceDraw = 0; // markers whose state changed since the last paint request
  let pendingChanged = 0;   // ... and since the last paint (for the report)
  let firstDraw = true;     // the next draw is the first of this file (for the report)
  let stateVersion = 0;     // counts changes of the state arrays (a new file, a new mask)
  let requestedState = "";  // the view and state last handed to the canvas
  let map = null;         // the MapLibre map the canvas lies over
  let surface = null;     // assets/events_canvas.js: the canvas the markers are painted on
  let graphDiv = null;
  let retry = null;
  const utf8 = new TextDecoder();

  // ------------------------------------------------------------------ the columns file

  function decode(buffer) {
    const bytes = new Uint8Array(buffer);
    const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
    if (magic !== "KPMC") throw new Error("the events file is not a scrub-columns file");
    const room = new DataView(buffer).getUint32(4, true);
    const header = JSON.parse(utf8.decode(bytes.subarray(8, 8 + room)));
    const version = window.KarabakhContract.VERSION;  // assets/contract.js
    if (header.contract !== version) {
      throw new Error("the events file has contract version " + header.contract
        + ", this page's scripts speak " + version + ": reload the page");
    }
    const col = {};
    for (const [name, c] of Object.entries(header.columns)) {
      col[name] = new ARRAYS[c.dtype](buffer, c.offset, c.length);
    }
    const strings = (prefix) => {
      const offsets = col[prefix + ".offsets"], bytesOf = col[prefix + ".utf8"];
      return (i) => utf8.decode(bytesOf.subarray(offsets[i], offsets[i + 1]));
    };
    return {
      header, col, n: header.events, m: header.markers,
      id: strings("events.id"), title: strings("events.title"), name: strings("markers.name"),
      typeName: header.types, precisionName: header.precisions,
    };
  }

  function showError(message) {
    console.error("events layer:", message);
    window.KarabakhContract.showError("The events could not be loaded: " + message);
  }

  function load(url) {
    if (loading && loading.url === url) return loading.promise;
    const promise = fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        if (!loading || loading.url !== url) return;  // a newer model replaced this one
        data = decode(buffer);
        prepare();
        if (view) show(model, view.lo, view.hi, view.visible);
        if (pendingCounter) writeCounter();
      })
      .catch((err) => showError(String(err && err.message ? err.message : err)));
    loading = { url, promise };
    return promise;
  }

  function prepare() {
    inWindow = new Uint8Array(data.n);
    inWindowCount = 0;
    litCount = new Int32Array(data.m);
    radius = new Float64Array(data.m);
    opacity = new Float64Array(data.m);
    color = new Array(data.m).fill("#000000");
    drawnWindow = null;
    changedSinceDraw = 0;
    firstDraw = true;
    stateVersion += 1;
    indexOfId = null;
  }

  // ------------------------------------------------------------------ marker state

  const { overlaps } = window.KarabakhContract;  // assets/contract.js: the window rule

  /* Does event i count: in the window [lo, hi] and passing the filters. The one rule for
     the markers, the counter and the tooltips. */
  function counts(i, s, e, lo, hi) {
    if (!overlaps(s[i], e[i], lo, hi)) return false;
    return passMask === null || ((passMask[i >> 3] >> (i & 7)) & 1) === 1;
  }

  /* The filters' mask as the server sends it (base64, one bit per event, or null); a new
     one makes the next draw look at every event once. */
  function setMask(text) {
    if ((text || null) === maskText) return;
    maskText = text || null;
    passMask = maskText ? Uint8Array.from(atob(maskText), (ch) => ch.charCodeAt(0)) : null;
    drawnWindow = null;
    stateVersion += 1;
  }

  /* The style of marker k from its events now in the window (inWindow). */
  function restyle(k) {
    const c = data.col, style = model.style, rank = style.precision_rank;
    const from = c["markers.members.start"][k], to = c["markers.members.start"][k + 1];
    const members = c["markers.members.event"];
    let n = 0, type = -1, several = false, vaguest = -1, vaguestRank = -1;
    for (let j = from; j < to; j++) {
      const i = members[j];
      if (!inWindow[i]) continue;
      n += 1;
      const t = c["events.type"][i];
      if (type < 0) type = t; else if (t !== type) several = true;
      const p = c["events.precision"][i];
      const r = rank[data.precisionName[p]];
      if (r > vaguestRank) { vaguestRank = r; vaguest = p; }
    }
    litCount[k] = n;
    if (n === 0) {
      radius[k] = 0; opacity[k] = 0; color[k] = "#000000";
      return;
    }
    color[k] = several
      ? style.several_types_color
      : (style.event_colors[data.typeName[type]] || style.several_types_color);
    const [size, alpha] = style.event_marker[data.precisionName[vaguest]] || [14, 0.9];
    radius[k] = size / 2;
    opacity[k] = alpha;
  }

  /* Bring the state arrays to the window [lo, hi]; returns the markers that changed. */
  function advance(lo, hi) {
    const s = data.col["events.s"], e = data.col["events.e"], mk = data.col["events.marker"];
    const dirty = new Set();
    let count = 0;
    for (let i = 0; i < data.n; i++) {
      const now = counts(i, s, e, lo, hi) ? 1 : 0;
      count += now;
      if (now === inWindow[i]) continue;
      inWindow[i] = now;
      if (mk[i] >= 0) dirty.add(mk[i]);
    }
    inWindowCount = count;
    for (const k of dirty) restyle(k);
    drawnWindow = [lo, hi];
    return dirty;
  }

  // ------------------------------------------------------------------ the surface

  /* What the canvas paints (assets/events_canvas.js): the state arrays as they are now. */
  function paintSource() {
    if (!data || !view) return null;
    return {
      lon: data.col["markers.lon"], lat: data.col["markers.lat"],
      radius, color, opacity, visible: view.visible,
    };
  }

  function findMap() {
    const gd = document.querySelector("#map .js-plotly-plot");
    const subplot = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const m = subplot && subplot.map;
    return m && m.getCanvas ? [gd, m] : null;
  }

  /* The canvas on the map plotly shows now (a new one if a redraw replaced the map). */
  function ensureSurface() {
    const found = findMap();
    if (!found) {
      if (!retry) retry = setTimeout(() => { retry = null; if (ensureSurface()) apply(); }, 50);
      return false;
    }
    const [gd, m] = found;
    if (m !== map || !surface || !surface.canvas.isConnected) {
      if (surface) surface.detach();
      if (m !== map) listen(gd, m);
      map = m;
      surface = window.KarabakhEventsCanvas.attach(m, paintSource, painted);
    }
    if (gd !== graphDiv) {
      graphDiv = gd;
      // A plotly redraw may replace the map: come back to the one it shows.
      gd.on("plotly_afterplot", () => { if (data && view && ensureSurface()) apply(); });
    }
    return true;
  }

  /* Ask the canvas to paint the state arrays (they are already at `view`'s window); the
     report follows the paint. */
  function apply() {
    if (!data || !view || !map) return;
    // What the state arrays show: a paint of the same state on the same map view would
    // draw the same pixels (at load plotly's redraws asked for five paints of 50-320 ms
    // each at 100k events; bench/README.md "Where a page load goes").
    const state = [view.lo, view.hi, view.visible, maskText, stateVersion].join("|");
    const changed = firstDraw || changedSinceDraw > 0 || state !== requestedState;
    pendingChanged += firstDraw ? lastDrawLit() : changedSinceDraw;
    changedSinceDraw = 0;
    firstDraw = false;
    requestedState = state;
    surface.request(changed);
  }

  /* After each paint: for the tests and the benchmarks, when the markers were last painted
     for which window, and how many changed. */
  function painted(info) {
    if (!view) return;
    const changed = pendingChanged;
    pendingChanged = 0;
    window.__eventsLastDraw = {
      at: performance.now(), changed, lit: lastDrawLit(), visible: view.visible,
      window: [view.lo, view.hi], painted: info.painted, ms: info.ms,
    };
    document.dispatchEvent(new CustomEvent("karabakh:events-drawn", { detail: { changed } }));
  }

  function lastDrawLit() {
    let lit = 0;
    for (let k = 0; k < litCount.length; k++) if (litCount[k] > 0) lit += 1;
    return lit;
  }

  function show(nextModel, lo, hi, visible, mask) {
    if (mask !== undefined) setMask(mask);
    if (nextModel !== model) {
      model = nextModel;
      if (!loading || loading.url !== model.events.url) {
        data = null;
        load(model.events.url);
      }
    }
    // A slider step arrives twice, from the thumbs and from Dash's callback: draw it once.
    const same = view && view.lo === lo && view.hi === hi && view.visible === visible;
    view = { lo, hi, visible };
    if (!data) return;
    if (same && drawnWindow && !firstDraw && surface && surface.canvas.isConnected) return;
    if (!drawnWindow || drawnWindow[0] !== lo || drawnWindow[1] !== hi) {
      changedSinceDraw += advance(lo, hi).size;
    }
    if (ensureSurface()) apply();
  }

  // ------------------------------------------------------------------ counter

  /* Events in [lo, hi], or null while the file is loading. */
  function count(lo, hi) {
    if (!data) return null;
    if (drawnWindow && drawnWindow[0] === lo && drawnWindow[1] === hi) return inWindowCount;
    const s = data.col["events.s"], e = data.col["events.e"];
    let n = 0;
    for (let i = 0; i < data.n; i++) if (counts(i, s, e, lo, hi)) n += 1;
    return n;
  }

  // A step taken before the file arrived: write the counter once it has.
  let pendingCounter = false;

  function writeCounter() {
    pendingCounter = false;
    if (!view) return;
    window.dash_clientside.set_props("event-count", {
      children: count(view.lo, view.hi) + " of " + data.n + " events",
    });
  }

  function counterText(lo, hi) {
    const n = count(lo, hi);
    if (n === null) { pendingCounter = true; return null; }
    return n + " of " + data.n + " events";
  }

  /* [lon, lat] of an event's marker, or null (unknown id, off the map, file not loaded). */
  let indexOfId = null;
  function lonlatOf(id) {
    if (!data || !id) return null;
    if (!indexOfId) {  // built on the first selection only
      indexOfId = new Map();
      for (let i = 0; i < data.n; i++) indexOfId.set(data.id(i), i);
    }
    const i = indexOfId.get(id);
    const k = i === undefined ? -1 : data.col["events.marker"][i];
    return k < 0 ? null : [data.col["markers.lon"][k], data.col["markers.lat"][k]];
  }

  /* The events' first days, ascending (the file keeps events by start), or null. */
  function starts() {
    return data ? data.col["events.s"] : null;
  }

  // ------------------------------------------------------------------ mouse

  function membersInWindow(k) {
    const c = data.col, out = [];
    const from = c["markers.members.start"][k], to = c["markers.members.start"][k + 1];
    for (let j = from; j < to; j++) {
      const i = c["markers.members.event"][j];
      if (inWindow[i]) out.push(i);
    }
    return out;
  }

  function vaguest(members) {
    const rank = model.style.precision_rank;
    let best = null;
    for (const i of members) {
      const p = data.precisionName[data.col["events.precision"][i]];
      if (best === null || rank[p] > rank[best]) best = p;
    }
    return best;
  }

  /* The lit marker under a pixel of the map, as painted (assets/events_canvas.js: the disc whose
     centre is nearest). */
  function litMarkerAt(point) {
    if (!data || !surface || !view || !view.visible) return null;
    const k = surface.markerAt(point[0], point[1], (i) => radius[i], maxRadius() + 1);
    if (k < 0 || !(litCount[k] > 0)) return null;
    return { k, members: membersInWindow(k) };
  }

  function maxRadius() {
    return Math.max(...Object.values(model.style.event_marker).map(([size]) => size / 2));
  }

  function eventPoint(m, evt) {
    const rect = m.getCanvasContainer().getBoundingClientRect();
    return [evt.clientX - rect.left, evt.clientY - rect.top];
  }

  function tooltipElement(m) {
    const container = m.getContainer();
    let tip = container.querySelector(".events-tooltip");
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "events-tooltip";
      tip.setAttribute("role", "tooltip");
      container.appendChild(tip);
    }
    return tip;
  }

  function showTooltip(m, point, hit) {
    const tip = tooltipElement(m);
    const n = hit.members.length;
    const lines = [[data.name(hit.k) + " — " + n + " event" + (n !== 1 ? "s" : ""), "b"]];
    for (const i of hit.members.slice(0, 6)) lines.push([data.title(i), ""]);
    if (n > 6) lines.push(["… and " + (n - 6) + " more", ""]);
    lines.push(["located to " + vaguest(hit.members), "i"]);
    tip.replaceChildren(...lines.map(([text, kind]) => {
      const line = document.createElement("div");
      line.textContent = text;
      if (kind) line.className = "events-tooltip-" + kind;
      return line;
    }));
    // Below right of the pointer; flipped to its left (or above) where the map ends, so a
    // label near the edge keeps its width instead of wrapping a word per line.
    tip.hidden = false;
    const box = m.getContainer();
    const w = tip.offsetWidth, h = tip.offsetHeight;
    let left = point[0] + 14, top = point[1] + 14;
    if (left + w > box.clientWidth) left = Math.max(0, point[0] - 14 - w);
    if (top + h > box.clientHeight) top = Math.max(0, point[1] - 14 - h);
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTooltip(m) {
    const tip = m.getContainer().querySelector(".events-tooltip");
    if (tip) tip.hidden = true;
  }

  function listen(gd, m) {
    const canvas = m.getCanvasContainer();
    let downAt = null;
    // Capture phase on the plot's div: runs before MapLibre's and plotly's own listeners,
    // so a lit marker can keep the mouse to itself.
    gd.addEventListener("mousemove", (evt) => {
      if (m !== map) return;
      if (evt.buttons) { hideTooltip(m); return; }  // panning: leave it to MapLibre
      const point = eventPoint(m, evt);
      const hit = litMarkerAt(point);
      if (!hit) { hideTooltip(m); canvas.style.cursor = ""; return; }
      evt.stopPropagation();
      if (window.Plotly && window.Plotly.Fx) window.Plotly.Fx.unhover(gd);
      canvas.style.cursor = "pointer";
      showTooltip(m, point, hit);
    }, true);
    gd.addEventListener("mouseleave", () => hideTooltip(m));
    gd.addEventListener("mousedown", (evt) => { downAt = [evt.clientX, evt.clientY]; }, true);
    gd.addEventListener("click", (evt) => {
      if (m !== map) return;
      const moved = downAt
        && Math.hypot(evt.clientX - downAt[0], evt.clientY - downAt[1]) > CLICK_TOLERANCE_PX;
      if (moved) return;
      const hit = litMarkerAt(eventPoint(m, evt));
      if (!hit) return;
      evt.stopPropagation();
      window.dash_clientside.set_props("map", {
        clickData: {
          points: [{
            lon: data.col["markers.lon"][hit.k],
            lat: data.col["markers.lat"][hit.k],
            customdata: hit.members.map((i) => data.id(i)),
          }],
        },
      });
    }, true);
  }

  /* The slider's thumbs announce their values (aria-valuenow) as soon as they move, before
     Dash has dispatched any callback: drawing from them lets the map repaint in the frame
     after the key press instead of after Dash's round (about 10 ms here). The clientside
     callback below still draws every change (play, step buttons, shared links, layers). */
  let watching = null;

  function followSlider() {
    const slider = document.getElementById("date-range");
    if (!slider || slider === watching) return;
    watching = slider;
    new MutationObserver(() => {
      if (!model || !view) return;
      const values = Array.from(slider.querySelectorAll("[role=slider]"))
        .map((thumb) => Number(thumb.getAttribute("aria-valuenow")));
      if (values.length !== 2 || values.some((v) => !Number.isInteger(v))) return;
      show(model, Math.min(...values), Math.max(...values), view.visible);
    }).observe(slider, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  }

  /* Called by assets/scrub.js's view callback: the window, the layers or the filters (`mask`,
     dashboard/filters.py: mask_payload) changed (and once at load). */
  function draw(nextModel, lo, hi, visible, mask) {
    show(nextModel, lo, hi, visible, mask === undefined ? null : mask);
    followSlider();
  }

  /* Every event marker drawn now: lit (its place has events in the window), its layer
     shown, and its centre inside the map. x, y: the marker's centre in CSS pixels of the
     page's viewport (a mouse event there has these clientX, clientY); count: its events in the window; also
     marker (index in the file's markers), radius (px), color and opacity as drawn. The
     stable way for tests and automation to read the map; see README "Automation". */
  function drawnMarkers() {
    if (!data || !surface || !view || !view.visible) return [];
    const rect = map.getCanvas().getBoundingClientRect();
    const lon = data.col["markers.lon"], lat = data.col["markers.lat"];
    const at = surface.project(paintSource());  // the canvas' own projection
    const out = [];
    for (let k = 0; k < data.m; k++) {
      if (!(litCount[k] > 0)) continue;
      const [x, y] = at(k);
      if (x < 0 || y < 0 || x > rect.width || y > rect.height) continue;
      out.push({
        lon: lon[k], lat: lat[k], x: rect.left + x, y: rect.top + y,
        count: litCount[k], marker: k,
        radius: radius[k], color: color[k], opacity: opacity[k],
      });
    }
    return out;
  }

  /* Paint the markers again with nothing changed: one events-only frame (bench/peers.py). */
  function repaint() {
    if (surface) surface.request(true);
  }

  window.KarabakhEvents = {
    draw, count, counterText, lonlatOf, starts, repaint, loaded: () => !!data,
  };
  window.karabakhMap = Object.assign(window.karabakhMap || {}, { drawnMarkers });
})();
