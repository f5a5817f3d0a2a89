/*
 * After a selection, move focus to what was selected: the selected event's card in the
 * details (keyboard and screen-reader users land on it, and it is scrolled on screen), and
 * scroll the article reader to the selected event's passage.
 *
 * Only selections that follow a user action (a key or a click in the last few seconds) move
 * focus: opening a shared link must not steal it.
 */
(function () {
  "use strict";

  const USER_ACTION_MS = 6000;
  let lastAction = -Infinity;
  let lastFocused = null;

  const remember = (evt) => { if (evt.isTrusted) lastAction = performance.now(); };
  document.addEventListener("keydown", remember, true);
  document.addEventListener("click", remember, true);

  /* Its top is in sight: inside the window and inside every scrolling box around it (a
     card inside the side panel has an on-screen box while the panel itself is scrolled
     off the page: a click on a list row far down left the details out of sight). */
  function onScreen(el) {
    const top = el.getBoundingClientRect().top;
    if (top < 0 || top >= window.innerHeight) return false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (!/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowY)) continue;
      const r = box.getBoundingClientRect();
      if (top < r.top || top >= r.bottom || r.bottom <= 0 || r.top >= window.innerHeight) {
        return false;
      }
    }
    return true;
  }

  function focusSelectedCard(panel) {
    const card = panel.querySelector(".event-card.selected");
    if (!card) { lastFocused = null; return; }
    if (card.id === lastFocused && panel.contains(document.activeElement)) return;
    if (performance.now() - lastAction > USER_ACTION_MS) return;
    lastFocused = card.id;
    card.focus({ preventScroll: true });
    // The first card: show the panel from its heading (what is also at the spot comes first).
    const first = panel.querySelector(".event-card") === card;
    const top = first && panel.firstElementChild ? panel.firstElementChild : card;
    if (!onScreen(top)) top.scrollIntoView({ block: "start" });
  }

  function scrollReader(view) {
    const mark = view.querySelector(".passage-mark.selected");
    const box = mark && mark.closest(".article");
    if (!box || !box.offsetParent) return;  // reader closed: done when it opens
    const top = mark.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - 24;
  }

  function watch() {
    const panel = document.getElementById("detail-panel");
    const reader = document.getElementById("article-view");
    if (!panel || !reader) return false;
    new MutationObserver(() => focusSelectedCard(panel))
      .observe(panel, { childList: true, subtree: true });
    new MutationObserver(() => scrollReader(reader))
      .observe(reader, { childList: true, subtree: true });
    const details = reader.closest("details");
    if (details) details.addEventListener("toggle", () => { if (details.open) scrollReader(reader); });
    scrollReader(reader);
    return true;
  }

  // Dash renders the layout after the page loads: wait for it.
  const start = new MutationObserver(() => { if (watch()) start.disconnect(); });
  start.observe(document.documentElement, { childList: true, subtree: true });
})();
