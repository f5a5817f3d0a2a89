"""What the map must show (dashboard/mapview.py) and what a chosen search result selects."""

from __future__ import annotations

from dashboard.mapview import basemap_bounds, bounds_of, country_labels, window_bounds
from dashboard.search_view import choose, result_items
from dashboard.selection import overlaps, timeline_bounds


def test_bounds_of_points_and_of_nothing():
    assert bounds_of([]) is None
    assert bounds_of([(1.0, 2.0), (-1.0, 5.0), (0.5, 3.0)]) == [-1.0, 2.0, 1.0, 5.0]


def test_the_first_view_holds_every_placed_event_and_lies_inside_the_basemap(dataset):
    w, s, e, n = window_bounds(dataset, timeline_bounds(dataset))
    for event in dataset.events:
        if event.lonlat:
            assert w <= event.lonlat[0] <= e and s <= event.lonlat[1] <= n
    extent = basemap_bounds(dataset)
    assert extent["west"] <= w and e <= extent["east"]
    assert extent["south"] <= s and n <= extent["north"]


def test_country_labels_name_each_basemap_country_inside_it(dataset):
    names = {label[2] for label in country_labels(dataset)}
    assert {"Armenia", "Azerbaijan", "Georgia", "Iran"} <= names
    assert all(label[3] == "country" for label in country_labels(dataset))


def test_choosing_a_place_selects_its_first_event_in_the_window(dataset):
    window = timeline_bounds(dataset)
    chosen_window, selected, panel, target = choose(dataset, "place:stepanakert", window)
    event = dataset.event(selected)
    assert event.props.place_id == "stepanakert" and chosen_window == window
    assert target["bbox"][:2] == list(dataset.places["stepanakert"].lonlat)
    assert target["always"] is False


def test_choosing_an_event_outside_the_window_moves_the_window_to_it(dataset):
    event = max(dataset.events, key=lambda e: e.props.date_start)
    start = timeline_bounds(dataset)[0]
    window, selected, _, _ = choose(dataset, f"event:{event.id}", (start, start))
    assert selected == event.id
    assert overlaps(event.props.date_start, event.props.date_end, window)


def test_unknown_results_choose_nothing(dataset):
    window = timeline_bounds(dataset)
    assert choose(dataset, "event:nope", window) is None
    assert choose(dataset, "place:nope", window) is None
    assert choose(dataset, "feature:nope", window) is None
    assert choose(dataset, "garbage", window) is None


def test_result_items_keep_hostile_text_as_text():
    from dashboard.search import Result

    hostile = "<img src=x onerror=alert(1)>"
    items, status = result_items(hostile, [Result("event", "e", hostile, hostile, hostile, 0)])
    button = items[0].children
    assert button.children[0].children == hostile  # a string child: React renders it as text
    assert result_items(hostile, [])[1] == f"Nothing found for “{hostile}”"
    assert result_items("   ", []) == ([], "")
