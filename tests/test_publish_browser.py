"""After publishing a draft, the new event is on the map: its marker counts it, clicking
shows its card with the passage highlighted and its history, and the address carries the
data version ("as of")."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dashboard.ingest.cli import main as cli
from dashboard.loading import load_dataset
from dashboard.scrub_data import event_markers
from dashboard.selection import events_in_window
from tests.conftest import screenshot, serving
from tests.mapdriver import (
    click_lonlat,
    open_map,
    rendered_event_markers,
    rendered_layers,
    show_whole_region,
    wait_map_idle,
)
from tests.test_publish import accept, candidate_at, edit

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


def test_a_published_event_appears_on_the_map_with_its_passage(browser, tmp_path: Path):
    shutil.copytree(ROOT / "geodata", tmp_path / "geodata")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    data = tmp_path / "geodata"
    draft = tmp_path / "draft.json"
    assert cli(["ingest", str(tmp_path / "seeds" / "000_65b3e366a728d215.txt"),
                "--published", "2021-03-31", "--id", "test-reingest", "--title", "Test",
                "--author", "Vladimir Socor", "--publisher", "The Jamestown Foundation",
                "--url", "https://jamestown.org/", "--data-dir", str(data),
                "--out", str(draft)]) == 0  # fmt: skip
    edit(draft, lambda d: accept(candidate_at(d, "On February 9"), title="Test: published now"))
    assert cli(["publish", str(draft), "--data-dir", str(data)]) == 0

    dataset = load_dataset(data)
    new = dataset.event("test-reingest.c12")
    day = dt.date(2021, 2, 9)
    here = [e for e in events_in_window(dataset.events, (day, day)) if e.lonlat == new.lonlat]
    assert new in here and len(here) >= 2  # the published one joins the curated ones there

    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        with serving(data) as base:
            page.base_url = base
            open_map(page, "start=2021-02-09&end=2021-02-09&v=0")
            show_whole_region(page)  # Yerevan is west of the first view
            places = event_markers(dataset)["place"]
            drawn = {places[m["marker"]]: m["n"] for m in rendered_event_markers(page)}
            assert drawn[new.props.place_id] == len(here)  # the marker counts the new event
            notice = page.locator("#as-of-notice")
            assert "made with data version 0; the data is now at version 1" in notice.inner_text()
            assert "Test: published now" in notice.inner_text()

            click_lonlat(page, *new.lonlat)
            card = page.locator("#detail-panel .event-card", has_text="Test: published now")
            card.wait_for()
            passage = card.locator(".passage-highlight").inner_text()
            assert passage.startswith("On February 9, Yerevan military authorities announced")
            assert "Sputnik" in card.inner_text() and "News.am" in card.inner_text()
            assert "Version 1" in card.locator(".event-history").inner_text()
            assert "Data version 1" in page.locator("#data-version").inner_text()
            wait_map_idle(page)
            page.wait_for_function("() => window.location.search.includes('v=1')")
            screenshot(page, "published-event")
    finally:
        context.close()


def test_acled_events_are_a_separate_layer_the_user_can_hide(browser, tmp_path: Path):
    shutil.copytree(ROOT / "geodata", tmp_path / "geodata")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    data = tmp_path / "geodata"
    draft = tmp_path / "acled.json"
    fixture = ROOT / "tests" / "fixtures" / "acled_test_export.csv"
    assert cli(["import-acled", str(fixture), "--out", str(draft), "--decision", "accept",
                "--data-dir", str(data)]) == 0  # fmt: skip
    assert cli(["publish", str(draft), "--data-dir", str(data)]) == 0
    dataset = load_dataset(data)
    baku = next(e for e in dataset.acled if e.id == "acled-test0001")

    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        with serving(data) as base:
            page.base_url = base
            open_map(page, "start=2021-03-01&end=2021-03-01")
            show_whole_region(page)  # Baku is east of the first view
            assert rendered_layers(page, role="acled") > 0
            counter = page.locator("#event-count").inner_text()
            # ACLED rows are not counted with the curated events
            assert counter.endswith(f"of {len(dataset.events)} events")
            click_lonlat(page, *baku.lonlat)
            card = page.locator("#detail-panel .acled-card")
            card.wait_for()
            assert "ACLED TEST0001" in card.inner_text()
            assert "TEST DATA, not from ACLED" in card.inner_text()
            screenshot(page, "acled-event")

            page.locator("#layer-toggle input[value=acled]").uncheck()
            page.wait_for_function(
                "() => !document.querySelector('#map .js-plotly-plot').data"
                ".filter(t => t.meta && t.meta.role === 'acled').some(t => t.visible !== false)"
            )
            wait_map_idle(page)
            assert rendered_layers(page, role="acled") == 0
            assert "layers=" in page.url and "acled" not in page.url.split("layers=")[1]
    finally:
        context.close()
