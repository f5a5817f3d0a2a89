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
    n = len(events)
    assert n > 20, "the test needs at least three pages of events"
    assert page_count(n) == -(-n // 10)  # 10 a page
    ordered = [e.id for e in ordered_events(events, "date")]
    pages = [_rows(event_list(dataset, events, "date", None, p)) for p in range(page_count(n))]
    assert [len(p) for p in pages] == [10] * (n // 10) + ([n % 10] if n % 10 else [])
    assert sum(pages, []) == ordered


def test_caption_says_which_rows_are_shown(dataset, small_pages):
    caption = event_list(dataset, dataset.events, "date", None, 1)[0].children
    n = len(dataset.events)
    assert caption == f"{n} events in the selected dates; 11–20 shown (page 2 of {-(-n // 10)})"


def test_one_page_needs_no_range_in_the_caption(dataset):
    few = dataset.events[: panels.LIST_PAGE_SIZE]
    caption = event_list(dataset, few, "date", None)[0].children
    assert caption == f"{len(few)} events in the selected dates"


def test_page_out_of_range_is_clamped(dataset, small_pages):
    last_page = page_count(len(dataset.events)) - 1
    last = _rows(event_list(dataset, dataset.events, "date", None, last_page))
    assert _rows(event_list(dataset, dataset.events, "date", None, 99)) == last
    first = _rows(event_list(dataset, dataset.events, "date", None, 0))
    assert _rows(event_list(dataset, dataset.events, "date", None, -3)) == first


def test_paging_buttons_move_one_page_and_stop_at_the_ends(dataset, small_pages):
    ordered = ordered_events(dataset.events, "date")
    last = page_count(len(ordered)) - 1
    assert list_page_after("list-next", 0, ordered, None) == 1
    assert list_page_after("list-next", last, ordered, None) == last
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


def test_one_event_is_counted_in_the_singular(dataset):
    caption = event_list(dataset, dataset.events[:1], "date", None)[0].children
    assert caption == "1 event in the selected dates"
