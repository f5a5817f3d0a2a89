"""Export and cite in headless Chromium (issue 12): each download link gives a file holding
exactly the events on screen (window and filters), the links follow the view, the KML parses,
the map PNG has the events in it, and "Cite this view" gives a permalink that reopens the view.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.filters import facets_of, filtered_events, parse_filters
from dashboard.selection import page_title
from tests.conftest import ARTIFACTS, screenshot
from tests.mapdriver import open_map, rendered_event_markers, wait_map_idle
from tests.test_browser_filters import listed_ids, wait_caption, wait_counter

pytestmark = pytest.mark.browser

KML = "{http://www.opengis.net/kml/2.2}"
VIEW = "start=2021-01-01&end=2021-12-31&type=military,protest&vague=hide"


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def ids_in(kind: str, body: bytes) -> list[str]:
    if kind == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    if kind == "geojson":
        return [f["id"] for f in json.loads(body)["features"]]
    root = ET.fromstring(body)  # the KML parses
    assert root.tag == KML + "kml"
    return [p.get("id") for p in root.findall(f"{KML}Document/{KML}Placemark")]


def on_screen(page) -> list[str]:
    """The events the page shows: the list's rows (all on one page in these views)."""
    caption = page.locator("#event-list caption").inner_text()
    assert ";" not in caption, caption  # one page: every listed event is a row
    return listed_ids(page)


def test_each_export_link_gives_the_events_on_screen_and_follows_the_view(page, dataset):
    open_map(page, VIEW)
    filters, _ = parse_filters(parse_qs_flat(VIEW), facets_of(dataset))
    window = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    expected = [e.id for e in filtered_events(dataset, filters, window)]
    wait_counter(page, f"{len(expected)} of {len(dataset.events)} events")
    assert on_screen(page) == expected
    for kind in ("csv", "geojson", "kml"):
        assert ids_in(kind, download(page, f"#export-{kind}")) == expected, kind

    # untick "protest": the list, the counter and every export follow
    assert page.locator("#filters[open]").count() == 1  # a filtered view opens the panel
    page.locator("#filter-type input[value=protest]").uncheck()
    military, _ = parse_filters({"type": "military", "vague": "hide"}, facets_of(dataset))
    expected = [e.id for e in filtered_events(dataset, military, window)]
    wait_counter(page, f"{len(expected)} of {len(dataset.events)} events")
    wait_caption(page, len(expected))
    assert on_screen(page) == expected
    page.wait_for_function("() => !document.querySelector('#export-csv').href.includes('protest')")
    for kind in ("csv", "geojson", "kml"):
        assert ids_in(kind, download(page, f"#export-{kind}")) == expected, kind
    assert page.watch.external_requests == []


def parse_qs_flat(query: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(query).items()}


def test_the_map_png_holds_the_event_markers(page, dataset):
    open_map(page, VIEW)
    body = download(page, "#export-png")
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    (ARTIFACTS / "export-map.png").write_bytes(body)
    # The colour at a drawn marker's centre in the picture is the marker's colour.
    marker = rendered_event_markers(page)[0]
    pixel = page.evaluate(
        """async ([x, y]) => {
            const url = await window.karabakhMap.mapPng();
            const img = new Image(); img.src = url; await img.decode();
            const c = document.createElement('canvas');
            c.width = img.width; c.height = img.height;
            const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
            const gl = document.querySelector('#map canvas.maplibregl-canvas')
                .getBoundingClientRect();
            const s = img.width / gl.width;
            return Array.from(ctx.getImageData((x - gl.left) * s, (y - gl.top) * s, 1, 1).data);
        }""",
        [marker["x"], marker["y"]],
    )
    colour = [int(marker["color"][i : i + 2], 16) for i in (1, 3, 5)]
    assert all(abs(a - b) <= 40 for a, b in zip(pixel[:3], colour, strict=True)), (
        pixel,
        marker,
    )


def test_the_map_png_says_under_the_map_what_it_shows(page, dataset):
    """A picture that leaves the app names its view: a newcomer's export had no title, dates
    or credit. The caption is under the map: three written lines, read back in pixels."""
    open_map(page, VIEW)
    lines, sizes = page.evaluate(
        """async () => {
            const url = await window.karabakhMap.mapPng();
            const img = new Image(); img.src = url; await img.decode();
            const gl = document.querySelector('#map canvas.maplibregl-canvas');
            const c = document.createElement('canvas');
            c.width = img.width; c.height = img.height;
            const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
            // dark pixels in the band under the map: the caption's text is there
            const band = ctx.getImageData(0, gl.height, img.width, img.height - gl.height).data;
            let dark = 0;
            for (let i = 0; i < band.length; i += 4) if (band[i] < 100) dark += 1;
            return [window.karabakhMap.captionLines(), [img.width, img.height, gl.width,
                    gl.height, dark]];
        }"""
    )
    width, height, map_width, map_height, dark = sizes
    assert width == map_width and height > map_height + 20 and dark > 200
    label = page.locator("#date-range-label").inner_text()
    assert lines[0] == (
        f"{page_title(dataset)} · {label} · {page.locator('#event-count').inner_text()}"
    )
    assert "Filters: " in lines[1] and "military" in lines[1]  # VIEW is filtered
    assert "Data version 0" in lines[1] and "Basemap: Natural Earth" in lines[1]
    assert lines[2] == page.url
    (ARTIFACTS / "export-map-captioned.png").write_bytes(download(page, "#export-png"))


def test_cite_this_view_gives_a_permalink_with_the_data_version_that_reopens_it(page, dataset):
    open_map(page, VIEW)
    page.locator("#cite-view").click()
    link = page.locator("#cite-link").input_value()
    citation = page.locator("#cite-text").input_value()
    args = parse_qs_flat(urlparse(link).query)
    assert args["v"] == str(dataset.history.data_version)
    assert args["type"] == "military,protest" and args["vague"] == "hide"
    assert args["start"] == "2021-01-01" and args["end"] == "2021-12-31"
    assert citation.startswith("Russia's Karabakh protectorate: events")
    assert "Data version 0" in citation and "View: 1 Jan 2021 – 31 Dec 2021" in citation
    assert "filters: event type: military, protest; vague locations hidden" in citation
    assert "Accessed " in citation and citation.endswith(link)
    screenshot(page, "export-cite")
    counter = page.locator("#event-count").inner_text()
    page.goto(link)
    wait_map_idle(page)
    assert page.locator("#event-count").inner_text() == counter
    assert page.locator("#filter-type input[value=protest]").is_checked()
