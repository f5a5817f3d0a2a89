/*
 * The browser's side of dashboard/contract.py, shared by assets/scrub.js and
 * assets/events_layer.js (Dash loads assets in name order: this file comes first).
 *
 * - CONTRACT_VERSION: the scrub model these scripts understand. A model of another version
 *   (say, a browser still running the previous scripts after a deploy) is refused with a
 *   visible message over the map instead of a wrong or blank map.
 * - overlaps: the window rule (dashboard/selection.py: overlaps), on day numbers.
 * - day numbers <-> dates (dashboard/days.py), and the one writer of the address bar
 *   (read back by dashboard/viewstate.py: parse_view_state).
 */
(function () {
  "use strict";

  const CONTRACT_VERSION = 2;  // dashboard/contract.py: CONTRACT_VERSION
  const DAY_MS = 86400000;

  /* True when [s, e] (null = open end) shares at least one day with [lo, hi]. */
  function overlaps(s, e, lo, hi) {
    return (s === null || s <= hi) && (e === null || e >= lo);
  }

  function dayToIso(origin, day) {
    const t = Date.parse(origin + "T00:00:00Z") + day * DAY_MS;
    return new Date(t).toISOString().slice(0, 10);
  }

  // Months as the server writes them (dashboard/panels.py: format_date, Python's %b). The
  // browser's en-GB locale writes "Sept", so the window's label and the list disagreed.
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];

  function formatDate(d) {
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  /* Day number `day` from `origin` (YYYY-MM-DD), as "21 Sep 2020". */
  function formatDay(origin, day) {
    return formatDate(new Date(Date.parse(origin + "T00:00:00Z") + day * DAY_MS));
  }

  /* A YYYY-MM-DD date as "21 Sep 2020" (anything else as it is). */
  function formatIsoDay(iso) {
    const d = new Date(iso + "T00:00:00Z");
    return isNaN(d) ? iso : formatDate(d);
  }

  /* The address-bar query of a view:
     ?start=YYYY-MM-DD&end=YYYY-MM-DD[&event=id]&layers=a,b[&type=…&actor=…][&sort=…]
     [&map=z/lat/lon]&v=N (the filters: `filters`, [name, value] pairs as the server spells
     them, dashboard/filters.py; N: the data version the view was seen at; a link opened
     later says what changed since: dashboard/asof.py) */
  function viewQuery(model, lo, hi, layers, selected, filters) {
    const params = new URLSearchParams();
    params.set("start", dayToIso(model.origin, lo));
    params.set("end", dayToIso(model.origin, hi));
    if (selected) params.set("event", selected);
    params.set("layers", (layers || []).join(","));
    for (const [name, value] of filters || []) params.set(name, value);
    for (const [name, value] of Object.entries(parts)) if (value) params.set(name, value);
    if (model.data_version !== undefined) params.set("v", String(model.data_version));
    return "?" + params.toString().replace(/%2C/g, ",").replace(/%2F/g, "/");
  }

  /* Parts of the view that follow other controls than the window's (dashboard/viewstate.py):
     `sort` (the list's order; date order is left out) and `map` (zoom/lat/lon, once the map
     has been moved). They start as the address has them, so a link keeps them. */
  const PART_NAMES = ["sort", "map"];
  const parts = {};
  {
    const given = new URLSearchParams(window.location.search);
    for (const name of PART_NAMES) parts[name] = given.get(name) || null;
  }
  let lastView = null;  // the arguments of the last view written (or drawn at load)
  const RESTORE_MS = 3000;  // changes this soon after Back / Forward are its restoring
  let poppedAt = -Infinity;
  let pushNext = false;

  /* Keep the URL in step with the view, so the address bar is always a shareable link.
     Window, layer and map moves replace the address (a drag or Play would otherwise leave
     hundreds of entries); a new selection adds one, so Back undoes it (markSelection). */
  function writeUrl(model, lo, hi, layers, selected, filters) {
    lastView = [model, lo, hi, layers, selected, filters];
    const query = viewQuery(model, lo, hi, layers, selected, filters);
    // What Back / Forward restores is never a new entry (a part the restore leaves as it
    // is, such as the filters, may still make this query differ from the address).
    const push = pushNext && performance.now() - poppedAt > RESTORE_MS;
    pushNext = false;
    if (window.location.search === query) return;
    if (push) window.history.pushState(null, "", window.location.pathname + query);
    else window.history.replaceState(null, "", window.location.pathname + query);
    // For what follows the address (assets/export.js: the download links).
    document.dispatchEvent(new CustomEvent("karabakh:url", { detail: { query } }));
  }

  /* The next write adds a history entry (a new selection). */
  function markSelection() { pushNext = true; }

  /* Set one part (sort, map) and rewrite the address with it (replacing). */
  function setViewPart(name, value) {
    if (!PART_NAMES.includes(name) || parts[name] === (value || null)) return;
    parts[name] = value || null;
    if (lastView) writeUrl(...lastView);
  }

  function hasViewPart(name) { return !!parts[name]; }

  /* The MapLibre map plotly made in the #map graph (null before it exists). plotly keeps it
     in its private layout; this is the one place the scripts reach for it. */
  function plotlyMap() {
    const gd = document.querySelector("#map .js-plotly-plot");
    const full = gd && gd._fullLayout;
    return (full && full.map && full.map._subplot && full.map._subplot.map) || null;
  }

  /* `map=zoom/lat/lon`: zoom to 2 decimals, the centre to what a pixel resolves at that
     zoom (3 decimals, about 100 m, at zoom 8; one more each time the zoom doubles). */
  function mapPart(zoom, lat, lon) {
    const digits = Math.min(6, Math.max(2, Math.ceil(Math.log2(Math.max(zoom, 1)))));
    const trim = (x, d) => String(Number(x.toFixed(d)));
    return trim(zoom, 2) + "/" + trim(lat, digits) + "/" + trim(lon, digits);
  }

  /* Back and Forward: tell the page which address to show again (dashboard/actions.py:
     view_from_history restores it; its query equals the address, so nothing is rewritten). */
  let popped = 0;
  window.addEventListener("popstate", () => {
    poppedAt = performance.now();
    const given = new URLSearchParams(window.location.search);
    for (const name of PART_NAMES) parts[name] = given.get(name) || null;
    popped += 1;
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(
        "history-view", { data: { search: window.location.search, n: popped } });
    }
  });

  function showError(message) {
    let box = document.getElementById("contract-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "contract-error";
      box.className = "contract-error";
      box.setAttribute("role", "alert");
      const frame = document.querySelector(".map-frame") || document.body;
      frame.prepend(box);
    }
    box.textContent = message;
  }

  /* Whether these scripts can draw this model; if not, say so on the page. */
  function accepts(model) {
    if (model && model.version === CONTRACT_VERSION) return true;
    const got = model && model.version !== undefined ? "version " + model.version : "no version";
    showError(
      "The map cannot be drawn: the page's scripts speak contract version " + CONTRACT_VERSION
      + " but the server sent " + got + ". Reload the page; if this stays, the app's "
      + "scripts and server are out of step.");
    return false;
  }

  window.KarabakhContract = {
    VERSION: CONTRACT_VERSION, overlaps, dayToIso, formatDay, formatIsoDay, viewQuery, writeUrl,
    accepts,
    showError, markSelection, setViewPart, hasViewPart, mapPart, plotlyMap,
  };
})();
