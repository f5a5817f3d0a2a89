"""The phone (390x844, touch): map and time controls on the first screen, a tapped marker's
details in a bottom sheet (closable, focused, Escape closes), the event list as cards,
nothing overlapping or wider than the screen, axe-core clean with the sheet open."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.mapdriver import open_map
from tests.test_browser_a11y import _serious

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _phone_context(browser, live_server, **extra):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, **extra)
    page = context.new_page()
    page.base_url = live_server  # type: ignore[attr-defined]
    csp = []
    page.on(
        "console",
        lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.csp_violations = csp  # type: ignore[attr-defined]
    return context, page


@pytest.fixture
def phone(browser, live_server):
    context, page = _phone_context(browser, live_server)
    yield page
    context.close()
    assert page.csp_violations == []  # type: ignore[attr-defined]


@pytest.fixture
def axe_phone(browser, live_server):
    context, page = _phone_context(browser, live_server, bypass_csp=True)
    yield page
    context.close()


def _tap_a_marker(page) -> dict:
    """Tap the drawn marker nearest the map's centre, as a finger would."""
    markers = page.evaluate("() => window.karabakhMap.drawnMarkers()")
    assert markers, "no event marker drawn on the phone's map"
    box = page.locator("#map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    marker = min(markers, key=lambda m: (m["x"] - cx) ** 2 + (m["y"] - cy) ** 2)
    page.touchscreen.tap(marker["x"], marker["y"])
    return marker


def _sheet_box(page) -> dict:
    return page.locator("#detail-sheet").bounding_box()


def _focus_in_sheet(page) -> bool:
    return page.evaluate(
        "() => !!document.activeElement && !!document.activeElement.closest('#detail-sheet')"
    )


def test_map_and_time_controls_are_on_the_first_screen_and_nothing_is_wider(phone):
    open_map(phone)
    for selector in ("#map", "#play", "#step-next", "#date-range", "#event-count"):
        box = phone.locator(selector).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], selector
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the time controls do not overlap one another
    boxes = phone.evaluate(
        """() => Array.from(document.querySelectorAll(
                '.time-controls > *, .time-controls label, .time-controls button'))
            .filter(el => el.offsetParent !== null)
            .map(el => [el.id || el.textContent.trim(), el.getBoundingClientRect().toJSON()])"""
    )
    leaves = [(name, r) for name, r in boxes if r["width"] > 0 and not name.startswith("reveal")]
    for i, (a, r) in enumerate(leaves):
        for b, s in leaves[i + 1 :]:
            inside = (
                r["left"] <= s["left"] and s["right"] <= r["right"] and
                r["top"] <= s["top"] and s["bottom"] <= r["bottom"]
            ) or (
                s["left"] <= r["left"] and r["right"] <= s["right"] and
                s["top"] <= r["top"] and r["bottom"] <= s["bottom"]
            )  # fmt: skip
            apart = (
                r["right"] <= s["left"] + 0.5 or s["right"] <= r["left"] + 0.5 or
                r["bottom"] <= s["top"] + 0.5 or s["bottom"] <= r["top"] + 0.5
            )  # fmt: skip
            assert inside or apart, (a, b, r, s)


def test_the_event_list_becomes_cards(phone):
    open_map(phone)
    rows = phone.locator("#event-list tbody tr")
    assert rows.count() > 3
    assert rows.first.evaluate("el => getComputedStyle(el).display") == "block"
    box = rows.first.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 40  # a card, not a table row
    assert "Sources:" in rows.first.evaluate("el => el.lastElementChild.innerText") or (
        rows.first.evaluate(
            "el => getComputedStyle(el.lastElementChild, '::before').content"
        ).strip('"')
        == "Sources: "
    )


def test_a_tapped_marker_opens_its_details_in_a_sheet_that_closes(phone):
    open_map(phone)
    assert not phone.locator("#sheet-close").is_visible()  # no sheet before a tap
    _tap_a_marker(phone)
    phone.locator("#detail-sheet.open .event-card").first.wait_for()
    box = _sheet_box(phone)
    # over the first screen, from the bottom edge, leaving the top of the map in sight
    assert box["y"] + box["height"] == pytest.approx(PHONE["height"], abs=1)
    assert 100 < box["y"] < PHONE["height"] - 100
    assert box["x"] == pytest.approx(0, abs=1) and box["width"] == pytest.approx(390, abs=1)
    phone.wait_for_function(
        "() => !!document.activeElement && !!document.activeElement.closest('#detail-sheet')"
    )
    assert phone.locator("#sheet-close").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone-sheet-390x844.png"))

    phone.keyboard.press("Escape")
    phone.wait_for_function("() => !document.querySelector('#detail-sheet.open')")
    # and it stays closed: nothing that was pending from the tap opens it again
    phone.wait_for_timeout(1200)
    assert not _focus_in_sheet(phone)
    assert not phone.locator("#sheet-close").is_visible()
    # the selection stays (the sheet only showed it): its card is in the page's panel
    assert phone.locator("#detail-panel .event-card").count() >= 1

    _tap_a_marker(phone)  # again, and close it with its button this time
    phone.locator("#detail-sheet.open").wait_for()
    phone.locator("#sheet-close").tap()
    phone.wait_for_function("() => !document.querySelector('#detail-sheet.open')")


def test_a_shared_link_does_not_cover_the_phone_s_map_with_a_sheet(phone, dataset):
    event = next(e for e in dataset.events if e.lonlat and e.citations)
    open_map(phone, f"event={event.id}")
    phone.locator("#detail-panel .event-card.selected").wait_for()
    phone.wait_for_timeout(500)
    assert phone.locator("#detail-sheet.open").count() == 0


def test_the_phone_with_the_sheet_open_has_no_serious_axe_violation(axe_phone):
    open_map(axe_phone)
    _tap_a_marker(axe_phone)
    axe_phone.locator("#detail-sheet.open .event-card").first.wait_for()
    assert _serious(axe_phone) == []


def test_escape_gives_focus_back_to_the_list_card_that_opened_the_sheet(phone):
    """Keyboard on the phone: a list card opens the sheet; Escape closes it and puts focus
    back on that card (the list re-renders its selected row, so the element itself is gone;
    focus used to land on the map)."""
    open_map(phone)
    card = phone.locator("#event-list button.row-button").nth(2)
    card_id = card.get_attribute("id")
    card.focus()
    phone.keyboard.press("Enter")
    phone.locator("#detail-sheet.open .event-card").first.wait_for()
    phone.wait_for_function(
        "() => !!document.activeElement && !!document.activeElement.closest('#detail-sheet')"
    )
    phone.keyboard.press("Escape")
    phone.wait_for_function("() => !document.querySelector('#detail-sheet.open')")
    # ... and it stays there while the list marks the card chosen (the row is re-rendered)
    phone.wait_for_load_state("networkidle")
    phone.wait_for_timeout(600)
    assert phone.evaluate("() => document.activeElement && document.activeElement.id") == card_id
