"""The window rule, grouping and the view-state round trip, without a browser."""

from __future__ import annotations

import datetime as dt

from dashboard.figures import event_markers, map_figure, scrub_model
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


def test_scrub_model_links_every_mapped_event_to_its_marker(dataset):
    model = scrub_model(dataset)
    markers = model["markers"]
    for event, k in zip(dataset.events, model["events"]["marker"], strict=True):
        if event.lonlat is None:
            assert k == -1  # off the map: listed, not drawn
        else:
            assert markers["place"][k] == event.props.place_id


def test_scrub_model_titles_are_plain_text(dataset):
    # events_layer.js writes titles with textContent: escaping here would show "&amp;".
    model = scrub_model(dataset)
    assert model["events"]["title"] == [e.props.title for e in dataset.events]


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
