"""The article reader offers every document in seeds/, not only the first.

There is one real seed; the second document here is a test fixture (tests/fixtures/
fixture_document.txt, marked as such in its text, its metadata and its event), copied into
a temporary copy of the data and never into geodata/ or seeds/.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import plotly
import pytest

from dashboard.loading import load_dataset
from dashboard.panels import article_view, document_choices
from tests.conftest import copy_of_real_data, edit_json, screenshot, serving
from tests.mapdriver import open_map

FIXTURE_TEXT = Path(__file__).parent / "fixtures" / "fixture_document.txt"
FIXTURE_ID = "test-fixture-document"
FIXTURE_TITLE = "Test fixture document (not a real article)"
FIXTURE_EVENT = "test-fixture-event"
MARKED = "The fixture's only marked passage is this sentence"


def _add_fixture_document(data: Path) -> None:
    """Copy the fixture text into the copy's seeds/ and register it with one event."""
    text = FIXTURE_TEXT.read_text("utf-8")
    shutil.copy(FIXTURE_TEXT, data.parent / "seeds" / "test_fixture_document.txt")
    edit_json(
        data / "documents.json",
        lambda docs: docs.append(
            {
                "id": FIXTURE_ID,
                "title": FIXTURE_TITLE,
                "author": "Test fixture",
                "publisher": "tests/ of this project",
                "series": "Test fixtures",
                "published": "2020-12-01",  # older than the real seed: not the default pick
                "published_precision": "day",
                "url": "https://example.org/test-fixture-document",  # reserved example domain
                "text_path": "seeds/test_fixture_document.txt",
            }
        ),
    )
    start = text.index(MARKED)
    end = text.index(".", start) + 1

    def add_event(events):
        real = next(f for f in events["features"] if f["properties"].get("document_id"))
        fixture = json.loads(json.dumps(real))
        fixture["properties"].update(
            id=FIXTURE_EVENT,
            title="Test fixture event (not a real event)",
            summary="Made up for tests/test_reader_documents.py.",
            document_id=FIXTURE_ID,
            passage={"start": start, "end": end},
            uncited_reason="a test fixture cites nothing",
            sources=[],
            claims=[],
            disagreements=[],
        )
        events["features"].append(fixture)

    edit_json(data / "events.geojson", add_event)


@pytest.fixture(scope="module")
def two_documents(tmp_path_factory) -> Path:
    data = copy_of_real_data(tmp_path_factory.mktemp("reader"))
    _add_fixture_document(data)
    return data


def test_the_picker_offers_every_document(two_documents):
    dataset = load_dataset(two_documents)
    choices = document_choices(dataset)
    assert {c["value"] for c in choices} == set(dataset.documents) == {FIXTURE_ID, "edm-18-47"}
    assert choices[-1]["value"] == FIXTURE_ID  # newest first
    assert FIXTURE_TITLE in choices[-1]["label"] and "Test fixture" in choices[-1]["label"]


def test_any_document_can_be_read_with_its_passages_marked(two_documents):
    dataset = load_dataset(two_documents)
    view = article_view(dataset, FIXTURE_ID)
    shown = json.dumps(view, cls=plotly.utils.PlotlyJSONEncoder)
    assert FIXTURE_TITLE in shown and "TEST FIXTURE" in shown
    marks = [c for c in view[1].children if getattr(c, "className", None) == "passage-mark"]
    assert [m.id for m in marks] == [{"type": "passage", "event": FIXTURE_EVENT}]
    assert marks[0].children.startswith(MARKED)
    unknown = json.dumps(
        article_view(dataset, "no-such-document"), cls=plotly.utils.PlotlyJSONEncoder
    )
    assert "No such document" in unknown


@pytest.mark.browser
def test_the_reader_switches_documents_and_their_passages_select_events(page, two_documents):
    with serving(two_documents) as base:
        page.base_url = base
        open_map(page)
        page.locator("details.reader summary").click()
        view = page.locator("#article-view")
        assert "2 documents" in page.locator("details.reader summary").inner_text()
        assert "Taking Clearer Shape" in view.locator("h2").inner_text()  # the default pick

        page.locator("#article-choice").click()
        page.get_by_role("option", name=re.compile("Test fixture document")).click()
        page.wait_for_function(
            "() => document.querySelector('#article-view h2')"
            f".textContent.includes({json.dumps(FIXTURE_TITLE)})"
        )
        assert "TEST FIXTURE - NOT A REAL ARTICLE" in view.inner_text()
        marks = view.locator(".passage-mark")
        assert marks.count() == 1
        assert marks.first.inner_text().startswith(MARKED)
        screenshot(page, "reader-second-document")

        marks.first.click()
        card = page.locator("#detail-panel .event-card.selected")
        card.wait_for()
        assert "Test fixture event" in card.inner_text()

        page.locator("#article-choice").click()
        page.get_by_role("option", name=re.compile("Taking Clearer Shape")).click()
        page.wait_for_function(
            "() => document.querySelector('#article-view h2').textContent"
            ".includes('Taking Clearer Shape')"
        )
        assert view.locator(".passage-mark").count() > 1
