"""Hostile text in the data renders as inert text in the browser: no dialog, no injected element."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard.loading import load_dataset
from dashboard.model import LayerName
from tests.conftest import DATA_DIR, ROOT, screenshot, start_server
from tests.mapdriver import click_lonlat, open_map, show_whole_region, wait_map_idle

pytestmark = pytest.mark.browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
RTL = "\u202eRTL override \u05d0\u05d1\u05d2 \u0639\u0631\u0628\u064a\u202c"
LONG = "very long " * 800


def _edit(path, edit):
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-text")
    shutil.copytree(DATA_DIR, root / "geodata", ignore=shutil.ignore_patterns("sources"))
    shutil.copytree(ROOT / "seeds", root / "seeds")
    data = root / "geodata"
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
                    source_url="javascript:alert(5)",
                    note=RTL + LONG,
                )

    def places(d):
        for feature in d["features"]:
            if feature["properties"]["id"] == event.props.place_id:
                feature["properties"]["name"] = IMG

    def documents(d):
        d[0]["title"] = SCRIPT

    _edit(data / "events.geojson", events)
    _edit(data / "citations.json", citations)
    _edit(data / "layers" / "peacekeeper_posts.geojson", posts)
    _edit(data / "places.geojson", places)
    _edit(data / "documents.json", documents)
    process, base = start_server(["--data-dir", str(data)])
    yield base, event, post
    process.terminate()
    process.wait(timeout=10)


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
    assert "javascript:alert(5)" in panel.inner_text()  # shown, not linked
    page.locator("details.reader summary").click()
    page.locator("#article-view").get_by_text(SCRIPT).first.wait_for()
    screenshot(page, "hostile-text")
    found = page.evaluate(INJECTED)
    assert found == {"images": 0, "handlers": 0, "inlineScripts": 0, "badLinks": []}
    assert page.watch.dialogs == []
    assert page.watch.csp_violations == []
