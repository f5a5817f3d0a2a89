/*
 * Phone (narrow screens): a selection made by tapping the map or a list card opens the
 * details as a bottom sheet over the page's first screen, instead of 900 px further down.
 * The sheet takes focus (its selected card, else its first heading), closes with its Close
 * button or Escape, and gives focus back to where it was. On wide screens the details stay
 * in the side panel and this does nothing.
 *
 * Like assets/focus.js, only a change that follows a user action (a tap, click or key in
 * the last few seconds) opens the sheet: opening a shared link must not cover the map.
 */
(function () {
  "use strict";

  const PHONE = window.matchMedia("(max-width: 600px)");
  const USER_ACTION_MS = 6000;
  let lastAction = -Infinity;
  let returnTo = null;
  let returnToId = "";  // returnTo's id, to find it again if React replaced it
  let lastOpenOrClose = -Infinity;  // when the sheet last opened or closed

  let scrollAtAction = 0;  // where the page was when the user acted
  let actedOn = null;      // the control the user acted on, the sheet's return target
  const remember = (evt) => {
    if (!evt.isTrusted) return;
    lastAction = performance.now();
    scrollAtAction = window.scrollY;
    const target = evt.target && evt.target.closest
      ? evt.target.closest("button, a[href], input, [tabindex]") : null;
    if (target && !target.closest("#detail-sheet")) actedOn = target;
  };
  for (const type of ["keydown", "click", "pointerup", "touchend"]) {
    document.addEventListener(type, remember, true);
  }

  function sheet() { return document.getElementById("detail-sheet"); }

  function isOpen() {
    const el = sheet();
    return !!el && el.classList.contains("open");
  }

  function open(el) {
    if (!isOpen()) {
      const active = document.activeElement;
      returnTo = active && !el.contains(active) && active !== document.body ? active : null;
      // focus may already be lost (the list re-rendered the row just chosen): the control
      // the user acted on then
      if (!returnTo && actedOn && !el.contains(actedOn)) returnTo = actedOn;
      // React may replace the element meanwhile (the list re-renders its selected row):
      // its id finds the new one
      returnToId = returnTo ? returnTo.id : "";
    }
    // The page stays where the user was (assets/focus.js may have scrolled it to the
    // panel's old place further down before the panel became a sheet).
    if (!isOpen()) window.scrollTo({ top: scrollAtAction, behavior: "instant" });
    if (!isOpen()) lastOpenOrClose = performance.now();
    el.classList.add("open");
    // a finger has no hover: the marker's label would stay over the map behind the sheet
    for (const tip of document.querySelectorAll(".events-tooltip")) tip.hidden = true;
    el.setAttribute("role", "dialog");
    el.setAttribute("aria-label", "Details");
    const target = el.querySelector(".event-card.selected")
      || el.querySelector("#detail-panel h2, #detail-panel h3");
    const focusable = target || el.querySelector("#sheet-close");
    if (target && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    focusable.focus({ preventScroll: true });
    el.scrollTop = 0;
  }

  function close() {
    const el = sheet();
    if (!el || !isOpen()) return;
    el.classList.remove("open");
    lastOpenOrClose = performance.now();
    el.removeAttribute("role");
    el.removeAttribute("aria-label");
    const id = returnToId;
    const again = id ? document.getElementById(id) : null;
    const back = (returnTo && document.contains(returnTo) ? returnTo : again)
      || document.querySelector("#map .js-plotly-plot");
    returnTo = null;
    returnToId = "";
    if (back) {
      if (!back.hasAttribute("tabindex") && back.matches(".js-plotly-plot")) {
        back.setAttribute("tabindex", "-1");
      }
      back.focus({ preventScroll: true });
      if (id) keepFocusOn(id);
    }
  }

  /* The list may re-render the row just after the sheet closes (the server's answer marking
     it chosen), which drops focus to the page: put it back on the row of the same id for a
     moment, unless the user has moved it elsewhere. */
  function keepFocusOn(id) {
    const until = performance.now() + 2000;
    const check = () => {
      const active = document.activeElement;
      if (!active || active === document.body) {
        const el = document.getElementById(id);
        if (el) el.focus({ preventScroll: true });
      }
      if (performance.now() < until) requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }

  function panelChanged(el) {
    if (!PHONE.matches) return;
    if (performance.now() - lastAction > USER_ACTION_MS) return;
    const panel = el.querySelector("#detail-panel");
    const shows = panel && panel.querySelector(".event-card, .feature-panel, dl");
    if (shows) open(el);
  }

  /* A tap on a lit marker whose details are already in the panel (the same selection
     again, after the sheet was closed) changes nothing there: open the sheet anyway once
     the server has had time to answer, unless the sheet opened or was closed since the
     tap (a user who closes it at once must not see it come back). */
  function onMapTap(evt) {
    if (!PHONE.matches || !evt.isTrusted || !window.karabakhMap) return;
    const hit = (window.karabakhMap.drawnMarkers() || []).some(
      (m) => Math.hypot(m.x - evt.clientX, m.y - evt.clientY) <= m.radius + 2);
    if (!hit) return;
    const tappedAt = performance.now();
    setTimeout(() => {
      const el = sheet();
      if (el && !isOpen() && lastOpenOrClose < tappedAt) panelChanged(el);
    }, 800);
  }

  function watch() {
    const el = sheet();
    const button = document.getElementById("sheet-close");
    if (!el || !button) return false;
    new MutationObserver(() => panelChanged(el))
      .observe(el.querySelector("#detail-panel"), { childList: true, subtree: true });
    button.addEventListener("click", close);
    document.addEventListener("click", (evt) => {
      if (evt.target && evt.target.closest && evt.target.closest("#map")) onMapTap(evt);
    }, true);
    document.addEventListener("keydown", (evt) => {
      if (evt.key === "Escape" && isOpen()) { evt.preventDefault(); close(); }
    });
    PHONE.addEventListener("change", () => { if (!PHONE.matches) close(); });
    return true;
  }

  const start = new MutationObserver(() => { if (watch()) start.disconnect(); });
  start.observe(document.documentElement, { childList: true, subtree: true });

  window.karabakhSheet = { isOpen, close };
})();
