"""The window rule, grouping and the view-state round trip, without a browser."""

from __future__ import annotations

import datetime as dt

from dashboard.figures import map_figure, scrub_model
from dashboard.scrub_data import event_markers
from dashboard.selection import (
    PRECISION_RANK,
    events_in_window,
    group_by_place,
    overlaps,
    timeline_bounds,
)
from dashboard.viewstate import (
    ViewState,
    default_view,
    parse_view_state,
    toggleable_layers,
)

D = dt.date


def test_overlap_rule_counts_ranges_that_touch_the_window():
    window = (D(2021, 3, 1), D(2021, 3, 31))
    assert overlaps(D(2021, 2, 1), D(2021, 3, 1), window)  # ends on the first day
    assert overlaps(D(2021, 3, 31), D(2021, 4, 30), window)  # starts on the last day
    assert overlaps(D(2020, 1, 1), D(2022, 1, 1), window)  # spans it
    assert not overlaps(D(2021, 2, 1), D(2021, 2, 28), window)
    assert not overlaps(D(2021, 4, 1), None, window)
    assert overlaps(None, None, window)  # open on both ends: always
    assert overlaps(None, D(2021, 3, 1), window)


def test_events_in_window_matches_a_brute_force_count(dataset):
    start, end = timeline_bounds(dataset)
    probe = start
    while probe <= end:
        window = (probe, probe + dt.timedelta(days=20))
        expected = [
            e
            for e in dataset.events
            if e.props.date_start <= window[1] and e.props.date_end >= window[0]
        ]
        assert events_in_window(dataset.events, window) == expected
        probe += dt.timedelta(days=45)


def test_empty_window_selects_nothing(dataset):
    start, _ = timeline_bounds(dataset)
    before = (start - dt.timedelta(days=30), start - dt.timedelta(days=1))
    assert events_in_window(dataset.events, before) == []


def test_groups_cover_every_mapped_event_once(dataset):
    groups = group_by_place(dataset.events)
    grouped = [e.id for g in groups for e in g.events]
    mapped = [e.id for e in dataset.events if e.lonlat is not None]
    assert sorted(grouped) == sorted(mapped)
    assert len({g.place_id for g in groups}) == len(groups)


def test_event_markers_one_per_mapped_place_vaguest_first(dataset):
    markers = event_markers(dataset)
    groups = {g.place_id: g for g in group_by_place(dataset.events)}
    assert sorted(markers["place"]) == sorted(groups)
    ranks = [PRECISION_RANK[groups[p].precision] for p in markers["place"]]
    assert ranks == sorted(ranks, reverse=True)  # pinpoints last, i.e. drawn on top
    for k, place_id in enumerate(markers["place"]):
        assert (markers["lon"][k], markers["lat"][k]) == groups[place_id].lonlat


def test_figure_uses_only_offline_maplibre_pieces(dataset):
    figure = map_figure(dataset, default_view(dataset))
    assert figure["layout"]["map"]["style"] == "white-bg"
    assert {t["type"] for t in figure["data"]} <= {"scattermap", "choroplethmap"}
    text = str(figure)
    assert "mapbox" not in text and "https://" not in text


def test_hidden_layer_makes_its_traces_invisible(dataset):
    view = ViewState(timeline_bounds(dataset), None, ("events",))
    figure = map_figure(dataset, view)
    for trace in figure["data"]:
        layer = trace["meta"].get("layer")
        if layer and layer != "events":
            assert trace["visible"] is False


def test_scrub_model_indices_point_at_the_right_traces(dataset):
    figure = map_figure(dataset, default_view(dataset))
    model = scrub_model(dataset)
    assert figure["data"][model["halo_index"]]["meta"]["role"] == "halo"
    for spec in model["traces"]:
        assert figure["data"][spec["index"]]["meta"]["layer"] == spec["layer"]
    layers = figure["layout"]["map"]["layers"]
    for spec in model["line_layers"]:
        assert layers[spec["index"]]["type"] == "line"


def test_garbage_url_falls_back_to_defaults(dataset):
    default = default_view(dataset)
    garbage = {
        "start": "<script>alert(1)</script>",
        "end": "2021-13-45",
        "event": "javascript:alert(1)",
        "layers": "\x00,nope",
    }
    view = parse_view_state(garbage, dataset)
    assert view.window == default.window
    assert view.selected_event is None
    assert view.visible_layers == toggleable_layers()  # none of the asked-for layers is real
    assert parse_view_state({"layers": ""}, dataset).visible_layers == ()  # all hidden
    assert parse_view_state({"layers": "aor,nope"}, dataset).visible_layers == ("aor",)


def test_url_window_is_clamped_to_the_timeline(dataset):
    start, end = timeline_bounds(dataset)
    view = parse_view_state({"start": "1900-01-01", "end": "2999-01-01"}, dataset)
    assert view.window == (start, end)


def _synthetic_events(n: int, seed: int = 3) -> tuple:
    """n events with random spans (a few very long), sorted as loading sorts them."""
    import random

    from dashboard.dataset import Event
    from dashboard.model import EventProperties

    rng = random.Random(seed)
    events = []
    for i in range(n):
        start = D(2020, 11, 10) + dt.timedelta(days=rng.randrange(900))
        length = rng.choice([0, 0, 1, 5, 30]) if i % 97 else rng.randrange(2000)
        props = EventProperties.model_construct(
            id=f"e{i}", date_start=start, date_end=start + dt.timedelta(days=length)
        )
        events.append(Event(props, None, ()))
    events.sort(key=lambda e: (e.props.date_start, e.props.date_end, e.id))
    return tuple(events)


def test_indexed_window_lookup_matches_a_scan_on_many_events():
    """The bisected lookup (dataset-sized tuples) returns exactly what a scan returns."""
    import random

    events = _synthetic_events(3000)
    rng = random.Random(5)
    for _ in range(300):
        lo = D(2020, 10, 1) + dt.timedelta(days=rng.randrange(3200))
        window = (lo, lo + dt.timedelta(days=rng.choice([0, 1, 7, 30, 400])))
        scanned = [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]
        assert events_in_window(events, window) == scanned, window
        assert events_in_window(list(events), window) == scanned  # not indexed: scanned


def test_timeline_bounds_of_many_events_reach_the_latest_end():
    from dashboard.dataset import Dataset

    events = _synthetic_events(1000)
    dataset = Dataset({}, {}, {}, events, (), {}, {})
    assert timeline_bounds(dataset) == (
        min(e.props.date_start for e in events),
        max(e.props.date_end for e in events),
    )
