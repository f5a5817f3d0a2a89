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

  function formatDay(origin, day) {
    const d = new Date(Date.parse(origin + "T00:00:00Z") + day * DAY_MS);
    return d.toLocaleDateString("en-GB", {
      day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
    });
  }

  /* The address-bar query of a view:
     ?start=YYYY-MM-DD&end=YYYY-MM-DD[&event=id]&layers=a,b&v=N (N: the data version the view
     was seen at; a link opened later says what changed since: dashboard/asof.py) */
  function viewQuery(model, lo, hi, layers, selected) {
    const params = new URLSearchParams();
    params.set("start", dayToIso(model.origin, lo));
    params.set("end", dayToIso(model.origin, hi));
    if (selected) params.set("event", selected);
    params.set("layers", (layers || []).join(","));
    if (model.data_version !== undefined) params.set("v", String(model.data_version));
    return "?" + params.toString().replace(/%2C/g, ",");
  }

  /* Keep the URL in step with the view, so the address bar is always a shareable link. */
  function writeUrl(model, lo, hi, layers, selected) {
    const query = viewQuery(model, lo, hi, layers, selected);
    if (window.location.search !== query) {
      window.history.replaceState(null, "", window.location.pathname + query);
    }
  }

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
    VERSION: CONTRACT_VERSION, overlaps, dayToIso, formatDay, viewQuery, writeUrl, accepts,
    showError,
  };
})();
