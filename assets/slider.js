/*
 * Home and End on the date slider move the thumb that has focus. Dash 4's RangeSlider moves
 * the first thumb on Home and the last on End whichever has focus (issue 12, bug 5): this
 * handles both keys before the slider sees them. The start thumb's End goes to the end
 * thumb (thumbs never cross), the end thumb's Home to the start thumb.
 */
(function () {
  "use strict";

  document.addEventListener("keydown", (evt) => {
    if (evt.key !== "Home" && evt.key !== "End") return;
    const thumb = evt.target;
    const slider = thumb && thumb.closest && thumb.closest("#date-range");
    if (!slider || thumb.getAttribute("role") !== "slider") return;
    const thumbs = Array.from(slider.querySelectorAll("[role=slider]"));
    const index = thumbs.indexOf(thumb);
    if (thumbs.length !== 2 || index < 0) return;
    const [lo, hi] = thumbs.map((t) => Number(t.getAttribute("aria-valuenow")));
    const min = Number(thumbs[0].getAttribute("aria-valuemin"));
    const max = Number(thumbs[1].getAttribute("aria-valuemax"));
    if (![lo, hi, min, max].every(Number.isFinite)) return;
    evt.preventDefault();
    evt.stopImmediatePropagation();
    const home = evt.key === "Home";
    const value = index === 0 ? [home ? min : hi, hi] : [lo, home ? lo : max];
    window.dash_clientside.set_props("date-range", { value });
  }, true);
})();

/*
 * The slider's thumbs announce dates ("1 Mar 2021"), not day numbers: aria-valuetext from
 * the timeline's first day (data-origin on the slider's wrapper). And month labels that
 * would run into the one before them (a phone's width) are hidden, not overlapped; a label
 * at either end is kept inside the slider's box.
 */
(function () {
  "use strict";

  const DAY_MS = 86400000;

  function dateText(origin, day) {
    const d = new Date(Date.parse(origin + "T00:00:00Z") + day * DAY_MS);
    return d.toLocaleDateString("en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    });
  }

  function announce(wrapper) {
    const origin = wrapper.dataset.origin;
    const thumbs = wrapper.querySelectorAll("#date-range [role=slider]");
    thumbs.forEach((thumb, i) => {
      const day = Number(thumb.getAttribute("aria-valuenow"));
      if (!Number.isFinite(day) || !origin) return;
      const text = dateText(origin, day);
      if (thumb.getAttribute("aria-valuetext") !== text) thumb.setAttribute("aria-valuetext", text);
      const name = i === 0 ? "First day shown" : "Last day shown";
      if (thumb.getAttribute("aria-label") !== name) thumb.setAttribute("aria-label", name);
    });
  }

  /* A label centred on a mark near either end would stick out of the slider (the first
     mark's "Jan 2018" did, by a few pixels): nudge it back inside the slider's box. */
  function keepInside(mark, box) {
    mark.style.translate = "";
    const r = mark.getBoundingClientRect();
    const shift = r.left < box.left ? box.left - r.left
      : r.right > box.right ? box.right - r.right : 0;
    if (shift) mark.style.translate = shift + "px";
  }

  // label -> [crowded, translate] as last measured: the marks only move when the slider's
  // width changes, so a thumb step re-applies these without reading the layout
  const spacing = new Map();

  function spaceMarks(wrapper) {
    const slider = wrapper.querySelector("#date-range");
    const box = (slider || wrapper).getBoundingClientRect();
    let right = -Infinity;
    spacing.clear();
    for (const mark of wrapper.querySelectorAll(".dash-slider-mark")) {
      if (!mark.textContent.trim()) continue;
      mark.classList.remove("mark-crowded");
      keepInside(mark, box);
      const r = mark.getBoundingClientRect();
      const crowded = r.left < right + 6;
      if (crowded) mark.classList.add("mark-crowded");
      else right = r.right;
      spacing.set(mark.textContent, [crowded, mark.style.translate]);
    }
  }

  /* dcc re-renders the marks when a thumb moves (in and out of the range), dropping the
     classes and offsets set here: put them back, writes only (this runs on every step). */
  function respaceMarks(wrapper) {
    for (const mark of wrapper.querySelectorAll(".dash-slider-mark")) {
      const known = spacing.get(mark.textContent);
      if (!known) continue;
      mark.classList.toggle("mark-crowded", known[0]);
      if (mark.style.translate !== known[1]) mark.style.translate = known[1];
    }
  }

  function attach(wrapper) {
    if (wrapper._sliderWatched) return;
    wrapper._sliderWatched = true;
    new MutationObserver(() => { announce(wrapper); respaceMarks(wrapper); }).observe(wrapper, {
      subtree: true, attributes: true, attributeFilter: ["aria-valuenow"], childList: true,
    });
    new ResizeObserver(() => spaceMarks(wrapper)).observe(wrapper);
    announce(wrapper);
    spaceMarks(wrapper);
  }

  new MutationObserver(() => {
    const wrapper = document.querySelector(".date-range-wrapper");
    if (wrapper && wrapper.querySelector("[role=slider]")) attach(wrapper);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
