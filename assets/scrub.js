/*
 * Scrubbing in the browser: redo dashboard/selection.py's window rule on the scrub model
 * (its shape: dashboard/contract.py; built by dashboard/figures.py:scrub_model) and patch
 * only the arrays of the reference layers that change, so a slider step never waits for the
 * server. The events are not in the figure: assets/events_layer.js draws them from their own
 * file and answers the counter, the halo's position and the next/previous event start. The
 * window rule, day numbers and the address bar are assets/contract.js's. The browser tests
 * compare what is drawn here with what the Python selection says.
 */
(function () {
  "use strict";

  const { overlaps, formatDay, writeUrl, accepts, markSelection } =
    window.KarabakhContract;
  let lastSelected = null;  // the selection last written to the address
  const ACLED_LAYER = "acled";  // dashboard/acled.py: ACLED_LAYER

  function assignColumns(patch, index, columns, keep) {
    for (const key of Object.keys(columns)) {
      const path = ["data", index].concat(key.split("."));
      patch.assign(path, keep.map((i) => columns[key][i]));
    }
  }

  // dcc.Graph queues every new figure behind the one being drawn, so a held arrow key would
  // build a backlog of seconds. While a draw is pending, only the counter and label update;
  // when the draw ends, one more update (through the scrub-tick store) draws the latest state.
  let waiting = null;

  function drawPending() {
    const gd = document.querySelector("#map .js-plotly-plot");
    return !!gd && gd.classList.contains("dash-graph--pending");
  }

  function redrawWhenFree() {
    if (waiting) return;
    waiting = setInterval(() => {
      if (drawPending()) return;
      clearInterval(waiting);
      waiting = null;
      window.dash_clientside.set_props("scrub-tick", { data: Date.now() });
    }, 16);
  }

  // What the figure currently shows, per piece (trace, line layer, halo), as a signature.
  // A step patches only the pieces whose signature changed: every patched array or layer
  // makes plotly re-sync MapLibre sources, which is what a step costs here, not the filter.
  let drawn = new Map();

  /* The filters' mask (dashboard/filters.py: mask_payload) as bytes, decoded once per
     mask: bit count + i says whether the ACLED trace's item i passes (the curated events'
     bits come first; assets/events_layer.js reads those). null: everything passes. */
  let maskText = null, maskBytes = null;
  function maskOf(text) {
    if ((text || null) !== maskText) {
      maskText = text || null;
      maskBytes = maskText ? Uint8Array.from(atob(maskText), (ch) => ch.charCodeAt(0)) : null;
    }
    return maskBytes;
  }
  function passes(bytes, bit) {
    return bytes === null || ((bytes[bit >> 3] >> (bit & 7)) & 1) === 1;
  }

  /* The ACLED rows drawn now (in the window, passing the filters), counted beside the
     events: "+ 2 ACLED" after the counter (#acled-count); nothing when the layer is off. */
  function acledText(model, lo, hi, layers, mask) {
    const trace = model.traces.find((t) => t.layer === ACLED_LAYER);
    if (!trace || !(layers || []).includes(ACLED_LAYER)) return "";
    const bytes = maskOf(mask), first = model.events.count;
    let n = 0;
    trace.items.forEach((item, i) => {
      if (overlaps(item.s, item.e, lo, hi) && passes(bytes, first + i)) n += 1;
    });
    return "+ " + n + " ACLED";
  }

  /* The patch that brings the figure from `drawn` to this view, and the new signatures. */
  function figurePatch(model, lo, hi, layers, selected, mask) {
    const shown = new Set(layers || []);
    const patch = new window.dash_clientside.Patch();
    const next = new Map(drawn);
    let changes = 0;
    const changed = (key, signature) => {
      if (next.get(key) === signature) return false;
      next.set(key, signature);
      changes += 1;
      return true;
    };

    const bytes = maskOf(mask), first = model.events.count;
    for (const trace of model.traces) {
      const keep = [];
      const filtered = trace.layer === ACLED_LAYER;  // the filters narrow ACLED rows too
      trace.items.forEach((item, i) => {
        if (overlaps(item.s, item.e, lo, hi) && (!filtered || passes(bytes, first + i))) {
          keep.push(i);
        }
      });
      const visible = shown.has(trace.layer) && keep.length > 0;
      // plotly's MapLibre maps keep drawing a trace whose arrays become empty: hide such a
      // trace instead, and leave its arrays alone until it has points again.
      if (keep.length > 0 && changed("t" + trace.index, keep.join(","))) {
        assignColumns(patch, trace.index, trace.columns, keep);
      }
      if (changed("v" + trace.index, String(visible))) {
        patch.assign(["data", trace.index, "visible"], visible);
      }
    }
    for (const line of model.line_layers) {
      const visible = shown.has(line.layer) && overlaps(line.s, line.e, lo, hi);
      if (changed("l" + line.index, String(visible))) {
        patch.assign(["layout", "map", "layers", line.index, "visible"], visible);
      }
    }

    // The halo sits on the selected event's marker, which the events' file knows; until it
    // has arrived, leave the halo as the server drew it.
    const events = window.KarabakhEvents;
    const halo = selected ? events.lonlatOf(selected) : null;
    const unknown = !!selected && !events.loaded();
    if (!unknown && changed("halo", halo ? halo.join(",") : "")) {
      if (halo) {
        patch.assign(["data", model.halo_index, "lon"], [halo[0]]);
        patch.assign(["data", model.halo_index, "lat"], [halo[1]]);
      }
      patch.assign(["data", model.halo_index, "visible"], !!halo);
    }
    return { patch, next, changes };
  }

  /* The event list follows the window once the slider rests (250 ms): re-rendering the
     list on every key press would make the page re-walk hundreds of rows per step. */
  let settleTimer = null;
  let settledRange = null;

  function settle(range) {
    if (settledRange && settledRange[0] === range[0] && settledRange[1] === range[1]) return;
    settledRange = range;
    clearTimeout(settleTimer);
    settleTimer = setTimeout(
      () => window.dash_clientside.set_props("list-window", { data: range }), 250);
  }

  function windowLabel(model, lo, hi) {
    return formatDay(model.origin, lo) + " – " + formatDay(model.origin, hi);
  }

  /* The one callback of a view change (window, layers, selection), at load too: it hands
     the view to each piece of the page that follows it. One callback rather than one per
     piece: every Dash callback costs rounds of store updates across every component of
     the page, and a slider step would pay them once per piece. */
  function viewChanged(range, layers, selected, _tick, filterQuery, filterMask, model) {
    const ns = window.dash_clientside;
    const unchanged = [ns.no_update, ns.no_update, ns.no_update];
    if (!model || !range || !accepts(model)) return unchanged;
    const lo = Math.min(range[0], range[1]);
    const hi = Math.max(range[0], range[1]);
    window.KarabakhEvents.draw(
      model, lo, hi, (layers || []).includes(model.events_layer), filterMask || null);

    const acled = document.getElementById("acled-count");
    if (acled) {
      const text = acledText(model, lo, hi, layers, filterMask);
      if (acled.textContent !== text) ns.set_props("acled-count", { children: text });
    }
    if (!ns.callback_context.triggered_id) {
      // At load the server has drawn this view (figure, counter, label, list, filters,
      // step buttons: dashboard/layout.py), for the address's query: remember what is
      // drawn and write the address in its one spelling (replacing it: no new entry), and
      // ask the server nothing (no store fires at load: dashboard/stores.py).
      drawn = figurePatch(model, lo, hi, layers, selected, filterMask).next;
      settledRange = range;
      writeUrl(model, lo, hi, layers, selected, filterQuery);
      lastSelected = selected || null;
      // The window's dates, written by the browser as every later change writes them.
      return [ns.no_update, ns.no_update, windowLabel(model, lo, hi)];
    }
    // A new selection adds a history entry (Back undoes it); other changes replace.
    if ((selected || null) !== lastSelected) markSelection();
    lastSelected = selected || null;
    writeUrl(model, lo, hi, layers, selected, filterQuery);
    settle(range);
    // null while the events' file is still loading: the events layer writes it on arrival.
    const counter = window.KarabakhEvents.counterText(lo, hi) || ns.no_update;
    const label = windowLabel(model, lo, hi);
    if (drawPending()) {
      redrawWhenFree();
      window.__scrubLastUpdate = { redraw: true, at: performance.now(), window: [lo, hi] };
      return [ns.no_update, counter, label];
    }
    const { patch, next, changes } = figurePatch(model, lo, hi, layers, selected, filterMask);
    // For the benchmarks (bench/peers.py): whether the last view change had anything to
    // redraw in the figure, when it ran (counter and label written) and for which window.
    window.__scrubLastUpdate = { redraw: changes > 0, at: performance.now(), window: [lo, hi] };
    if (changes === 0) return [ns.no_update, counter, label];  // same drawing: no redraw
    drawn = next;
    return [patch.build ? patch.build() : patch, counter, label];
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    scrub: { viewChanged },
  });
})();
