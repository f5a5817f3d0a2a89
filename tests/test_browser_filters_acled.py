"""The source dataset in the filters, in headless Chromium, on a copy of the data with the
ACLED test fixture imported and published (tests/fixtures/acled_test_export.csv: ACLED's
format, TEST DATA; no ACLED data ships). Choosing a dataset narrows the event markers, the
ACLED markers, the counters, the list, Previous/Next and the export links alike, lives in
the address and comes back from it (reload, Back)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.filters import NO_FILTERS, facets_of, filtered_events, parse_filters
from dashboard.ingest.cli import main as cli
from dashboard.loading import load_dataset
from dashboard.selection import events_in_window
from tests.conftest import screenshot, serving
from tests.mapdriver import (
    figure_trace,
    open_map,
    rendered_event_markers,
    rendered_layers,
    show_whole_region,
    wait_map_idle,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
WINDOW = "start=2021-01-15&end=2021-03-31"  # holds the three fixture rows
DAYS = (dt.date(2021, 1, 15), dt.date(2021, 3, 31))


@pytest.fixture(scope="module")
def acled_data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("acled")
    shutil.copytree(ROOT / "geodata", root / "geodata")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    data, draft = root / "geodata", root / "acled.json"
    fixture = ROOT / "tests" / "fixtures" / "acled_test_export.csv"
    assert cli(["import-acled", str(fixture), "--out", str(draft), "--decision", "accept",
                "--data-dir", str(data)]) == 0  # fmt: skip
    assert cli(["publish", str(draft), "--data-dir", str(data)]) == 0
    return data


@pytest.fixture(scope="module")
def acled_dataset(acled_data):
    return load_dataset(acled_data)


@pytest.fixture(scope="module")
def acled_base(acled_data):
    with serving(acled_data) as base:
        yield base


@pytest.fixture
def acled_page(browser, acled_base):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.base_url = acled_base
    yield page
    context.close()


def url_args(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s) || {}).innerText === t",
        arg=[selector, text],
        timeout=20000,
    )


def acled_drawn(page) -> list[str]:
    """The ACLED rows the map shows: the trace's points when it is visible and drawn."""
    trace = figure_trace(page, "acled")
    if trace["visible"] is False or rendered_layers(page, role="acled") == 0:
        return []
    return sorted(trace["customdata"])


def test_choosing_acled_narrows_every_part_of_the_view_and_the_address_keeps_it(
    acled_page, acled_dataset
):
    page, dataset = acled_page, acled_dataset
    total = len(dataset.events)
    open_map(page, WINDOW)
    show_whole_region(page)
    window = DAYS
    curated = events_in_window(dataset.events, window)
    assert len(curated) > 0
    wait_text(page, "#event-count", f"{len(curated)} of {total} events")
    wait_text(page, "#acled-count", "+ 3 ACLED")
    assert acled_drawn(page) == ["acled-test0001", "acled-test0002", "acled-test0003"]
    assert len(rendered_event_markers(page)) > 0

    page.locator("#filters summary").click()
    group = page.locator("#filter-group-dataset")
    assert group.is_visible()
    assert f"Events from articles ({len(curated)})" in group.inner_text()
    assert "ACLED (3)" in group.inner_text()
    assert "Protests" in group.inner_text()  # says what maps onto the other groups
    group.locator("input[value=acled]").check()

    # the events from articles leave the map, the counter, the list and the steps
    wait_text(page, "#event-count", f"0 of {total} events")
    wait_text(page, "#acled-count", "+ 3 ACLED")
    page.wait_for_function(
        "() => (document.querySelector('#event-list caption') || {}).innerText"
        " && document.querySelector('#event-list caption').innerText.startsWith('0 events')",
        timeout=20000,
    )
    wait_map_idle(page)
    assert rendered_event_markers(page) == []
    assert acled_drawn(page) == ["acled-test0001", "acled-test0002", "acled-test0003"]
    # the list holds the ACLED rows instead, and one opens its card
    acled_rows = page.locator("#event-list tbody.acled-rows button")
    assert acled_rows.count() == 3
    acled_rows.filter(has_text="TEST0002").click()
    card = page.locator("#detail-panel .acled-card")
    card.wait_for()
    assert "ACLED TEST0002" in card.inner_text()
    assert page.locator("#step-next").is_disabled() and page.locator("#step-prev").is_disabled()
    assert url_args(page)["dataset"] == "acled"
    page.wait_for_function("() => document.querySelector('#export-csv').href.includes('acled')")
    assert "Exports hold the events from articles only" in page.locator("#export").inner_text()
    screenshot(page, "filters-acled-only-1440x900")

    # another group narrows the ACLED rows where it maps: protest is ACLED's "Protests"
    page.locator("#filter-type input[value=protest]").check()
    wait_text(page, "#acled-count", "+ 1 ACLED")
    wait_map_idle(page)
    assert acled_drawn(page) == ["acled-test0002"]
    assert url_args(page)["type"] == "protest"

    # the address restores it
    page.goto(page.url)
    wait_map_idle(page)
    wait_text(page, "#acled-count", "+ 1 ACLED")
    wait_text(page, "#event-count", f"0 of {total} events")
    assert page.locator("#filter-dataset input[value=acled]").is_checked()
    assert acled_drawn(page) == ["acled-test0002"]

    # articles only: the ACLED markers go, the events come back (the panel opens by itself
    # on a link with filters)
    assert page.locator("#filters").get_attribute("open") is not None
    page.locator("#filter-type input[value=protest]").uncheck()
    page.locator("#filter-dataset input[value=acled]").uncheck()
    page.locator("#filter-dataset input[value=articles]").check()
    wait_text(page, "#event-count", f"{len(curated)} of {total} events")
    wait_text(page, "#acled-count", "+ 0 ACLED")
    wait_map_idle(page)
    assert acled_drawn(page) == []
    assert url_args(page)["dataset"] == "articles"


def test_back_restores_the_source_dataset(acled_page, acled_dataset):
    page, dataset = acled_page, acled_dataset
    total = len(dataset.events)
    open_map(page, WINDOW + "&dataset=articles")
    wait_text(page, "#acled-count", "+ 0 ACLED")
    articles, _ = parse_filters({"dataset": "articles"}, facets_of(dataset))
    window = DAYS
    shown = filtered_events(dataset, articles, window)
    assert list(shown) == list(filtered_events(dataset, NO_FILTERS, window))
    # a selection adds a history entry; then the filter is cleared on that entry
    first = shown[0]
    page.locator("#event-list button", has_text=first.props.title).first.click()
    page.wait_for_function(
        "id => new URLSearchParams(location.search).get('event') === id", arg=first.id
    )
    page.locator("#filters-clear").click()  # the panel is open: the link has a filter
    wait_text(page, "#acled-count", "+ 3 ACLED")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('dataset')")

    page.go_back()  # to the entry before the selection: articles only
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('dataset') === 'articles'"
    )
    wait_text(page, "#acled-count", "+ 0 ACLED")
    wait_text(page, "#event-count", f"{len(shown)} of {total} events")
    assert page.locator("#filter-dataset input[value=articles]").is_checked()
    wait_map_idle(page)
    assert acled_drawn(page) == []


def test_on_a_phone_an_acled_card_in_the_list_opens_its_details_in_the_sheet(browser, acled_base):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.base_url = acled_base
    try:
        open_map(page, WINDOW + "&dataset=acled")
        caption = page.locator("#event-list caption").bounding_box()
        assert caption["height"] < 40  # one line, not one word a line
        row = page.locator("#event-list tbody.acled-rows button", has_text="TEST0001")
        assert row.bounding_box()["width"] <= 390
        row.tap()
        card = page.locator("#detail-sheet.open .acled-card")
        card.wait_for()
        assert "ACLED TEST0001" in card.inner_text()
        screenshot(page, "filters-acled-phone-sheet-390x844")
    finally:
        context.close()
