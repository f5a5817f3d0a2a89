"""Accessibility: axe-core (tests/vendor) on the default view, with an event selected, and on a
phone; plus the page's language, named controls and screenshots at three sizes (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import screenshot
from tests.mapdriver import open_map

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core-4.10.2.min.js"


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context bypasses the CSP, so the test can inject axe-core."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.base_url = live_server  # type: ignore[attr-defined]
    yield page
    context.close()


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


def test_default_view_has_no_serious_axe_violation(axe_page):
    open_map(axe_page)
    assert _serious(axe_page) == []
    screenshot(axe_page, "a11y-1440x900")


def test_selected_event_has_no_serious_axe_violation(axe_page, dataset):
    event = next(e for e in dataset.events if e.lonlat and e.citations)
    open_map(axe_page, f"event={event.id}")
    axe_page.locator("#detail-panel .event-card.selected").wait_for()
    assert _serious(axe_page) == []


def test_phone_has_no_serious_axe_violation(axe_page):
    axe_page.set_viewport_size({"width": 390, "height": 844})
    open_map(axe_page)
    assert _serious(axe_page) == []


def test_page_language_and_slider_dates(page):
    open_map(page)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    thumbs = page.locator("#date-range [role=slider]")
    text = thumbs.nth(0).get_attribute("aria-valuetext") or ""
    assert any(month in text for month in ("January", "February", "March", "November"))
    assert thumbs.nth(0).get_attribute("aria-label") == "First day shown"


@pytest.mark.parametrize("size", [(1440, 900), (1024, 768), (390, 844)])
def test_screenshots_at_three_sizes(page, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    open_map(page)
    path = screenshot(page, f"view-{width}x{height}")
    assert path.stat().st_size > 10_000
    # the map and the time controls are on the first screen
    for selector in ("#map", "#play", "#date-range"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] + min(box["height"], 30) <= height, (selector, box)
