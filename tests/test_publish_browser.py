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
from dashboard.selection import events_in_window
from tests.conftest import screenshot, serving
from tests.mapdriver import click_lonlat, open_map, rendered_event_markers, wait_map_idle
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
    assert len(here) == 2  # the curated announcement and the published one

    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        with serving(data) as base:
            page.base_url = base
            open_map(page, "start=2021-02-09&end=2021-02-09&v=0")
            markers = rendered_event_markers(page)
            assert [m["n"] for m in markers] == [2]  # one marker, both events in it
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
