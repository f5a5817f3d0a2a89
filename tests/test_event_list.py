"""The event list's pages and the page a user action leads to, without a browser."""

from __future__ import annotations

import pytest

from dashboard import panels
from dashboard.panels import event_list, list_page_after, ordered_events, page_count


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(panels, "LIST_PAGE_SIZE", 10)


def _rows(children) -> list[str]:
    tbody = children[2]
    return [row.children[1].children.id["event"] for row in tbody.children]


def test_pages_cover_every_event_once_in_order(dataset, small_pages):
    events = dataset.events
    assert page_count(len(events)) == 3  # 25 events, 10 a page
    ordered = [e.id for e in ordered_events(events, "date")]
    pages = [_rows(event_list(dataset, events, "date", None, page)) for page in range(3)]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert sum(pages, []) == ordered


def test_caption_says_which_rows_are_shown(dataset, small_pages):
    caption = event_list(dataset, dataset.events, "date", None, 1)[0].children
    assert caption == "25 events in the selected dates; 11–20 shown (page 2 of 3)"


def test_one_page_needs_no_range_in_the_caption(dataset):
    caption = event_list(dataset, dataset.events, "date", None)[0].children
    assert caption == f"{len(dataset.events)} events in the selected dates"


def test_page_out_of_range_is_clamped(dataset, small_pages):
    last = _rows(event_list(dataset, dataset.events, "date", None, 2))
    assert _rows(event_list(dataset, dataset.events, "date", None, 99)) == last
    first = _rows(event_list(dataset, dataset.events, "date", None, 0))
    assert _rows(event_list(dataset, dataset.events, "date", None, -3)) == first


def test_paging_buttons_move_one_page_and_stop_at_the_ends(dataset, small_pages):
    ordered = ordered_events(dataset.events, "date")
    assert list_page_after("list-next", 0, ordered, None) == 1
    assert list_page_after("list-next", 2, ordered, None) == 2
    assert list_page_after("list-prev", 1, ordered, None) == 0
    assert list_page_after("list-prev", 0, ordered, None) == 0


def test_new_dates_or_order_start_at_the_first_page(dataset, small_pages):
    ordered = ordered_events(dataset.events, "date")
    assert list_page_after("list-window", 2, ordered, None) == 0
    assert list_page_after("event-list-sort", 2, ordered, None) == 0


def test_selecting_an_event_turns_to_its_page(dataset, small_pages):
    ordered = ordered_events(dataset.events, "date")
    assert list_page_after("selected-event", 0, ordered, ordered[23].id) == 2
    assert list_page_after("selected-event", 1, ordered, "no-such-event") == 1
    assert list_page_after("selected-event", 1, ordered, None) == 1
