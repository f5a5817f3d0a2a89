/*
 * Dash 4's RadioItems and Checklist wrap native radio buttons and checkboxes in
 * role=listbox / role=option elements: an interactive role around interactive inputs
 * (axe: nested-interactive) and a listbox with no name (aria-input-field-name). The native
 * inputs and their labels already say everything: this drops the wrapping roles and names
 * each group, again whenever React re-renders the options.
 */
(function () {
  "use strict";

  const NAMES = {
    "play-speed": "Play speed",
    "play-mode": "Play mode",
    "layer-toggle": "Layers shown",
    "event-list-sort": "Sort the event list by",
  };

  const INPUT_LISTS = [".dash-radioitems", ".dash-checklist"]
    .map((kind) => `.dash-options-list${kind}[role=listbox]`).join(", ");
  const INPUT_OPTIONS = [".dash-radioitems", ".dash-checklist"]
    .map((kind) => `.dash-options-list${kind} .dash-options-list-option[role=option]`).join(", ");

  function fix(root) {
    // Only the lists of native inputs: a Dropdown's menu is a real listbox of options.
    for (const list of root.querySelectorAll(INPUT_LISTS)) {
      const radios = list.classList.contains("dash-radioitems");
      list.setAttribute("role", radios ? "radiogroup" : "group");
      if (NAMES[list.id] && !list.hasAttribute("aria-label")) {
        list.setAttribute("aria-label", NAMES[list.id]);
      }
    }
    for (const option of root.querySelectorAll(INPUT_OPTIONS)) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    }
  }

  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; fix(document); });
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["role", "aria-selected"],
  });
})();
