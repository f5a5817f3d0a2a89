/*
 * The events layer: one MapLibre circle per place that has events (the scrub model's
 * `markers`, built by dashboard/figures.py:event_markers), drawn above plotly's figure.
 *
 * Why not a plotly trace: plotly re-syncs every MapLibre source it owns whenever any array
 * of the figure changes, about 250 ms for 2k markers on this machine, whatever the filter
 * costs. Here every marker exists once, and a window step only changes the *feature state*
 * of the markers whose events entering or leaving the window changed: MapLibre restyles
 * those without re-tiling anything (bench/scrub.py measures a step).
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
 */
(function () {
  "use strict";

  const SOURCE = "karabakh-events";
  const LAYER = "karabakh-events";
  const CLICK_TOLERANCE_PX = 3;  // a press that moved further was a pan, not a click

  let model = null;       // the scrub model (dcc.Store "scrub-model")
  let markerEvents = [];  // marker index -> indices of its events (all time)
  let view = null;        // {lo, hi, visible}: what should be drawn
  let inWindow = null;    // event index -> 1 if it was in the window last drawn
  let litCount = null;    // marker index -> its events in the window last drawn
  let radius = null;      // marker index -> the radius it was last drawn with (px)
  let stale = true;       // MapLibre knows no states yet: draw every marker
  let map = null;         // the MapLibre map the layer lives on
  let graphDiv = null;
  let retry = null;

  const { overlaps } = window.KarabakhContract;  // assets/contract.js: the window rule

  function prepare(next) {
    model = next;
    markerEvents = model.markers.place.map(() => []);
    model.events.marker.forEach((k, i) => { if (k >= 0) markerEvents[k].push(i); });
    inWindow = new Uint8Array(model.events.id.length);
    litCount = new Int32Array(markerEvents.length);
    radius = new Float64Array(markerEvents.length);
    stale = true;
  }


  function vaguest(members) {
    const rank = model.style.precision_rank;
    let precision = null;
    for (const i of members) {
      const p = model.events.precision[i];
      if (precision === null || rank[p] > rank[precision]) precision = p;
    }
    return precision;
  }

  function markerState(members) {
    if (members.length === 0) return { n: 0, r: 0, c: "#000000", o: 0 };
    const style = model.style;
    const types = new Set(members.map((i) => model.events.type[i]));
    const color = types.size === 1
      ? (style.event_colors[[...types][0]] || style.several_types_color)
      : style.several_types_color;
    const [size, opacity] = style.event_marker[vaguest(members)] || [14, 0.9];
    return { n: members.length, r: size / 2, c: color, o: opacity };
  }

  function featureCollection() {
    const m = model.markers;
    return {
      type: "FeatureCollection",
      features: m.place.map((_, k) => ({
        type: "Feature",
        id: k,
        geometry: { type: "Point", coordinates: [m.lon[k], m.lat[k]] },
        properties: { k },
      })),
    };
  }

  function findMap() {
    const gd = document.querySelector("#map .js-plotly-plot");
    const subplot = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    const m = subplot && subplot.map;
    return m && m.style && m.style._loaded ? [gd, m] : null;
  }

  function install(gd, m) {
    if (!m.getSource(SOURCE)) m.addSource(SOURCE, { type: "geojson", data: featureCollection() });
    if (!m.getLayer(LAYER)) {
      const state = (key, fallback) => ["coalesce", ["feature-state", key], fallback];
      m.addLayer({
        id: LAYER,
        type: "circle",
        source: SOURCE,
        // Drawn in the source's order, which puts pinpoints on top (figures.event_markers).
        // Not "circle-sort-key": with one key per marker MapLibre issues one draw call per
        // marker, which made every frame 40 ms slower at 10k events here.
        paint: {
          "circle-radius": state("r", 0),
          "circle-color": ["to-color", state("c", "#000000")],
          "circle-opacity": state("o", 0),
          "circle-stroke-width": ["case", [">", state("r", 0), 0], 1, 0],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-opacity": state("o", 0),
        },
      });
    }
    if (m !== map) {
      map = m;
      stale = true;  // a new map knows no states yet
      listen(gd, m);
    }
    if (gd !== graphDiv) {
      graphDiv = gd;
      // plotly may add layers on later draws: keep the events on top, and come back if a
      // redraw replaced the map.
      gd.on("plotly_afterplot", () => { ensureInstalled(); });
    }
  }

  function ensureInstalled() {
    const found = findMap();
    if (found) {
      try {
        install(found[0], found[1]);
        const layers = found[1].getStyle().layers;
        if (layers[layers.length - 1].id !== LAYER) found[1].moveLayer(LAYER);
        return true;
      } catch (err) {
        // The style can still be loading right after plotly made the map: try again.
        if (!/not done loading/i.test(String(err && err.message))) throw err;
      }
    }
    if (!retry) retry = setTimeout(() => { retry = null; if (ensureInstalled()) apply(); }, 50);
    return false;
  }

  /* Give MapLibre the state of the markers whose events entered or left the window. A step
     walks the events once (typed arrays, no allocation) and restyles only those markers. */
  function apply() {
    if (!model || !view || !map) return;
    const ev = model.events;
    const dirty = new Set();
    if (stale) markerEvents.forEach((_, k) => dirty.add(k));
    for (let i = 0; i < inWindow.length; i++) {
      const now = overlaps(ev.s[i], ev.e[i], view.lo, view.hi) ? 1 : 0;
      if (now === inWindow[i]) continue;
      inWindow[i] = now;
      if (ev.marker[i] >= 0) dirty.add(ev.marker[i]);
    }
    for (const k of dirty) {
      const state = markerState(markerEvents[k].filter((i) => inWindow[i]));
      litCount[k] = state.n;
      radius[k] = state.r;
      map.setFeatureState({ source: SOURCE, id: k }, state);
    }
    stale = false;
    const visibility = view.visible ? "visible" : "none";
    if (map.getLayoutProperty(LAYER, "visibility") !== visibility) {
      map.setLayoutProperty(LAYER, "visibility", visibility);
    }
    // For the tests and bench/scrub.py: when the layer last changed, and how.
    let lit = 0;
    for (let k = 0; k < litCount.length; k++) if (litCount[k] > 0) lit += 1;
    window.__eventsLastDraw = {
      at: performance.now(), changed: dirty.size, lit, visible: view.visible,
      window: [view.lo, view.hi],
    };
    document.dispatchEvent(
      new CustomEvent("karabakh:events-drawn", { detail: { changed: dirty.size } }));
  }

  function show(nextModel, lo, hi, visible) {
    if (nextModel !== model) prepare(nextModel);
    // A slider step arrives twice, from the thumbs and from Dash's callback: draw it once.
    const same = view && view.lo === lo && view.hi === hi && view.visible === visible;
    if (same && !stale && map && map.getSource(SOURCE)) return;
    view = { lo, hi, visible };
    if (ensureInstalled()) apply();
  }

  // ------------------------------------------------------------------ mouse

  /* The topmost lit marker under a pixel. MapLibre's own point query cannot answer this: it
     pads the query by the radius the layer's paint gives *without* feature state (0 here),
     so it finds a marker only at its exact centre pixel. So: ask MapLibre for the markers
     within the largest radius, then measure the distance to each in screen pixels. */
  function litMarkerAt(point) {
    if (!map || !view || !view.visible || !map.getLayer(LAYER)) return null;
    const reach = maxRadius() + 2;
    const box = [[point[0] - reach, point[1] - reach], [point[0] + reach, point[1] + reach]];
    let best = -1;
    for (const f of map.queryRenderedFeatures(box, { layers: [LAYER] })) {
      const k = f.id;
      if (!(litCount[k] > 0) || k <= best) continue;
      const p = map.project([model.markers.lon[k], model.markers.lat[k]]);
      if (Math.hypot(p.x - point[0], p.y - point[1]) <= radius[k] + 1) best = k;
    }
    if (best < 0) return null;
    return { k: best, members: markerEvents[best].filter((i) => inWindow[i]) };
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
    const count = hit.members.length;
    const lines = [
      [model.markers.name[hit.k] + " — " + count + " event" + (count !== 1 ? "s" : ""), "b"],
    ];
    for (const i of hit.members.slice(0, 6)) lines.push([model.events.title[i], ""]);
    if (count > 6) lines.push(["… and " + (count - 6) + " more", ""]);
    lines.push(["located to " + vaguest(hit.members), "i"]);
    tip.replaceChildren(...lines.map(([text, kind]) => {
      const line = document.createElement("div");
      line.textContent = text;
      if (kind) line.className = "events-tooltip-" + kind;
      return line;
    }));
    tip.style.left = point[0] + 14 + "px";
    tip.style.top = point[1] + 14 + "px";
    tip.hidden = false;
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
            lon: model.markers.lon[hit.k],
            lat: model.markers.lat[hit.k],
            customdata: hit.members.map((i) => model.events.id[i]),
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

  /* Called by assets/scrub.js's view callback: the window or the layers changed (and once
     at load). */
  function draw(nextModel, lo, hi, visible) {
    show(nextModel, lo, hi, visible);
    followSlider();
  }

  window.KarabakhEvents = { draw };
})();
