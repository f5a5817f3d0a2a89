/*
 * Ask for the page built for this address's view. Dash fetches its layout from
 * `_dash-layout` without the page's query; this adds it (start, end, event, layers), so the
 * server builds the map, slider, counter, list and panel for the shared link's view and the
 * first paint is the final one (dashboard/app.py: requested_view). Loaded before Dash's
 * renderer starts, like every asset script.
 */
(function () {
  "use strict";

  const original = window.fetch;
  window.fetch = function (input, init) {
    if (typeof input === "string" && window.location.search.length > 1
        && /(^|\/)_dash-layout$/.test(input)) {
      input = input + window.location.search;
    }
    return original.call(this, input, init);
  };
})();
