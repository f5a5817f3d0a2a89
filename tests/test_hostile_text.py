"""Hostile text in the data renders as inert text in the browser: no dialog, no injected element."""

from __future__ import annotations

import pytest

from dashboard.loading import load_dataset
from dashboard.model import LayerName
from tests.conftest import DATA_DIR, copy_of_real_data, edit_json, screenshot, serving
from tests.mapdriver import click_lonlat, open_map, show_whole_region, wait_map_idle

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
RTL = "\u202eRTL override \u05d0\u05d1\u05d2 \u0639\u0631\u0628\u064a\u202c"
LONG = "very long " * 800
BREAKOUT_URL = 'https://example.org/"><svg/onload=alert(5)>'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data = copy_of_real_data(tmp_path_factory.mktemp("hostile-text"))
    real = load_dataset(DATA_DIR)
    event = next(e for e in real.events if e.lonlat and e.citations)
    post = next(f for f in real.layers[LayerName.PEACEKEEPER_POSTS] if f.geometry)

    def events(d):
        for feature in d["features"]:
            if feature["properties"]["id"] == event.id:
                feature["properties"].update(title=IMG, summary=SCRIPT + LONG, actors=[RTL, SCRIPT])

    def citations(d):
        for citation in d:
            if event.id in citation["supports"]:
                citation.update(outlet=IMG, note="javascript:alert(3) " + RTL)

    def posts(d):
        for feature in d["features"]:
            if feature["properties"]["id"] == post.props.id:
                feature["properties"].update(
                    name="<b onmouseover=alert(4)>post</b>",
                    # the schema refuses non-http(s) links (tests/test_loading.py); an http(s)
                    # one that tries to break out of its attribute must stay inert
                    source_url=BREAKOUT_URL,
                    note=RTL + LONG,
                )

    def places(d):
        for feature in d["features"]:
            if feature["properties"]["id"] == event.props.place_id:
                feature["properties"]["name"] = IMG

    def documents(d):
        d[0]["title"] = SCRIPT

    edit_json(data / "events.geojson", events)
    edit_json(data / "citations.json", citations)
    edit_json(data / "layers" / "peacekeeper_posts.geojson", posts)
    edit_json(data / "places.geojson", places)
    edit_json(data / "documents.json", documents)
    with serving(data) as base:
        yield base, event, post


INJECTED = """() => ({
    images: document.querySelectorAll('img[src="x"]').length,
    handlers: Array.from(document.querySelectorAll('*')).filter(
        el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
    inlineScripts: Array.from(document.querySelectorAll('script'))
        .filter(s => s.textContent.includes('alert(')).length,
    badLinks: Array.from(document.querySelectorAll('a[href]'))
        .map(a => a.href).filter(h => !/^https?:/i.test(h)),
})"""


def test_hostile_text_stays_text(page, hostile):
    base, event, post = hostile
    page.base_url = base
    open_map(page)
    show_whole_region(page)  # the event may be in Yerevan, west of the first view
    click_lonlat(page, *event.lonlat)  # hovers the marker first, then clicks it
    tooltip = page.locator(".events-tooltip")
    assert IMG in tooltip.inner_text()  # the hover label shows the title as text
    panel = page.locator("#detail-panel")
    panel.get_by_text(IMG).first.wait_for()
    text = panel.inner_text()
    assert SCRIPT in text and "RTL override" in text
    page.locator("#layer-toggle input[value=events]").uncheck()
    wait_map_idle(page)
    click_lonlat(page, *post.geometry["coordinates"])
    panel.get_by_text("<b onmouseover=alert(4)>post</b>").first.wait_for()
    assert BREAKOUT_URL in panel.inner_text()  # shown as text; its link is checked below
    page.locator("details.reader summary").click()
    page.locator("#article-view").get_by_text(SCRIPT).first.wait_for()
    screenshot(page, "hostile-text")
    found = page.evaluate(INJECTED)
    assert found == {"images": 0, "handlers": 0, "inlineScripts": 0, "badLinks": []}
    assert page.watch.dialogs == []
    assert page.watch.csp_violations == []
