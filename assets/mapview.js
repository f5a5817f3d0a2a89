/*
 * Bring things into view: the first view fitted to every placed event in the window, and a
 * selected event, place or feature moved on screen (dashboard/mapview.py says what).
 *
 * A move made here is reported to plotly as if the user made it (eventData.originalEvent):
 * plotly keeps user moves across figure updates (uirevision), and would undo any other.
 * window.karabakhMap also answers tests: visibleBounds().
 */
(function () {
  "use strict";

  const PADDING = 40;       // px kept free around fitted things
  const POINT_ZOOM = 10;    // zoom to show a single point at, when zooming in is needed
  const MAX_FIT_ZOOM = 11;  // never fit closer than this
  let pending = null;

  /* The map plotly made; with `anyState`, also before its style has loaded. */
  function findMap(anyState) {
    const m = window.KarabakhContract.plotlyMap();
    return m && (anyState || (m.style && m.style._loaded)) ? m : null;
  }

  function userLike() { return { originalEvent: { type: "karabakh-fit" } }; }

  function inView(m, [w, s, e, n]) {
    const b = m.getBounds();
    return w >= b.getWest() && e <= b.getEast() && s >= b.getSouth() && n <= b.getNorth();
  }

  function apply(m, target) {
    if (target.center) {  // a place the address kept (Back to a view with `map=`)
      m.jumpTo({ center: target.center, zoom: target.zoom }, userLike());
      return;
    }
    const [w, s, e, n] = target.bbox;
    if (!target.always && inView(m, target.bbox)) return;
    const point = w === e && s === n;
    if (point) {
      const zoom = Math.max(m.getZoom(), Math.min(POINT_ZOOM, m.getMaxZoom()));
      m.jumpTo({ center: [w, s], zoom: target.always ? zoom : m.getZoom() }, userLike());
      if (!inView(m, target.bbox)) m.jumpTo({ center: [w, s] }, userLike());
      return;
    }
    const canvas = m.getCanvas();
    const pad = Math.min(PADDING, canvas.clientWidth / 6, canvas.clientHeight / 6);
    m.fitBounds([[w, s], [e, n]], { padding: pad, maxZoom: MAX_FIT_ZOOM, animate: false },
      userLike());
  }

  function show(target) {
    if (!target || !(Array.isArray(target.bbox) || Array.isArray(target.center))) return;
    pending = target;
    // Move as soon as the map exists, before it has loaded anything: its sources' tiles are
    // then cut, and the events painted, for the view it will show. (Waiting for the style, as
    // before, could let MapLibre load and draw the layout's view first, then load and draw
    // everything again for this one.) plotly keeps the move, since it is reported as the
    // user's.
    const attempt = () => {
      const m = findMap(true);
      if (!m) { requestAnimationFrame(attempt); return; }
      if (pending !== target) return;  // a newer target came meanwhile
      pending = null;
      apply(m, target);
    };
    attempt();
  }

  function visibleBounds() {
    const m = findMap();
    if (!m) return null;
    const b = m.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  /* The address keeps where the map looks (`map=zoom/lat/lon`) once the user has moved it
     (wheel, drag, touch or keys on the map; MapLibre's events do not always say so). Other
     moves (the first view's fit, bringing a selection into view) are written only when the
     address already holds a position, so a link without one keeps fitting its events to the
     screen it is opened on. */
  const USER_MOVE_MS = 2000;  // a move ending this soon after input on the map is the user's
  let watched = null;
  let userInputAt = -Infinity;
  function followMoves() {
    const m = findMap();
    if (!m || m === watched) return;
    watched = m;
    const container = m.getContainer();
    const input = (evt) => { if (evt.isTrusted) userInputAt = performance.now(); };
    for (const type of ["wheel", "pointerdown", "pointermove", "touchstart", "keydown"]) {
      container.addEventListener(type, (evt) => {
        if (type !== "pointermove" || evt.buttons) input(evt);
      }, { capture: true, passive: true });
    }
    m.on("moveend", () => {
      const contract = window.KarabakhContract;
      const user = performance.now() - userInputAt < USER_MOVE_MS;
      if (!user && !contract.hasViewPart("map")) return;
      const c = m.getCenter();
      contract.setViewPart("map", contract.mapPart(m.getZoom(), c.lat, c.lng));
    });
  }
  setInterval(followMoves, 250);  // the map is made after the page, and remade on a full redraw

  window.karabakhMap = Object.assign(window.karabakhMap || {}, { show, visibleBounds });
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    mapview: {
      show(target) { show(target); return window.dash_clientside.no_update; },
    },
  });
})();
