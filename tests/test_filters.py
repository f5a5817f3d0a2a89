"""Filters (dashboard/filters.py): which events pass, the counts per value, the URL spelling,
the browser's mask. Checked against a plain reading of each event's record."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt

import numpy as np
import pytest

from dashboard.filters import (
    GROUPS,
    NO_FILTERS,
    VAGUE,
    Filters,
    event_values,
    facets_of,
    filter_state,
    filtered_events,
    mask_payload,
    normalised,
    parse_filters,
    passing,
    passing_start_days,
    value_counts,
)
from dashboard.selection import events_in_window, timeline_bounds
from dashboard.viewstate import parse_view_state

WINDOW = (dt.date(2021, 1, 1), dt.date(2022, 12, 31))


def carries(dataset, event, group: str, label: str) -> bool:
    fold = " ".join(label.casefold().split())
    return any(" ".join(v.casefold().split()) == fold for v in event_values(dataset, event)[group])


def plain_pass(dataset, event, filters: Filters) -> bool:
    """The rule in words: any chosen value within a group, every group, vague hidden."""
    for group in GROUPS:
        chosen = filters.chosen(group)
        if chosen and not any(carries(dataset, event, group, v) for v in chosen):
            return False
    return not (filters.hide_vague and event.props.geo_precision.value in VAGUE)


def test_the_dataclass_and_the_groups_agree():
    names = [f.name for f in dataclasses.fields(Filters)]
    assert names == [*GROUPS, "hide_vague"]


def test_no_filter_keeps_the_window_exactly(dataset):
    assert filtered_events(dataset, NO_FILTERS, WINDOW) == events_in_window(dataset.events, WINDOW)
    assert filtered_events(dataset, NO_FILTERS, None) == list(dataset.events)
    assert mask_payload(NO_FILTERS, facets_of(dataset)) is None
    assert NO_FILTERS.query_items() == [] and not NO_FILTERS.active


@pytest.mark.parametrize(
    "query",
    [
        {"type": "military"},
        {"type": "protest,political"},
        {"actor": "Russian peacekeeping contingent|Nikol Pashinian"},
        {"outlet": "tass"},  # case does not matter
        {"outlet": "News.am"},  # "News.am" (cited) and "NEWS.am" (reports) are one outlet
        {"side": "Russian Ministry of Defence"},
        {"kind": "official"},
        {"precision": "exact,settlement"},
        {"vague": "hide"},
        {"type": "military", "kind": "report", "vague": "hide"},
    ],
)
def test_which_events_pass_is_the_rule_in_words(dataset, query):
    filters, problems = parse_filters(query, facets_of(dataset))
    assert problems == [] and filters.active
    expected = [
        e for e in events_in_window(dataset.events, WINDOW) if plain_pass(dataset, e, filters)
    ]
    assert filtered_events(dataset, filters, WINDOW) == expected
    assert 0 < len(expected) < len(events_in_window(dataset.events, WINDOW))
    everywhere = [e for e in dataset.events if plain_pass(dataset, e, filters)]
    assert filtered_events(dataset, filters, None) == everywhere


def test_outlets_differing_in_case_are_one_value(dataset):
    facets = facets_of(dataset)
    cited = {e.id for e in dataset.events if any(c.outlet == "News.am" for c in e.citations)}
    reported = {e.id for e in dataset.events if any(s.outlet == "NEWS.am" for s in e.props.sources)}
    assert cited and reported
    filters, _ = parse_filters({"outlet": "news.AM"}, facets)
    assert {e.id for e in filtered_events(dataset, filters, None)} == cited | reported


def test_counts_are_the_window_events_with_the_value_given_the_other_groups(dataset):
    facets = facets_of(dataset)
    filters, _ = parse_filters({"type": "military", "vague": "hide"}, facets)
    counts = value_counts(dataset, filters, WINDOW)
    in_window = events_in_window(dataset.events, WINDOW)
    for group in GROUPS:
        others = dataclasses.replace(filters, **{group: ()})
        base = [e for e in in_window if plain_pass(dataset, e, others)]
        for value in counts[group]:
            assert value.count == sum(carries(dataset, e, group, value.label) for e in base)
        # every value some event in the window carries is offered
        offered = {v.label for v in counts[group]}
        for e in base:
            for label in event_values(dataset, e)[group]:
                assert any(carries(dataset, e, group, o) for o in offered), label
    # the type a user ticked is marked chosen; a fixed list keeps its order
    assert [v.label for v in counts["type"] if v.chosen] == ["military"]
    assert [v.label for v in counts["type"]][:2] == ["agreement", "political"]
    no_vague = dataclasses.replace(filters, hide_vague=False)
    vague = [
        e
        for e in in_window
        if plain_pass(dataset, e, no_vague) and e.props.geo_precision.value in VAGUE
    ]
    assert counts["vague"][0].count == len(vague) > 0


def test_named_values_are_ordered_by_count(dataset):
    counts = value_counts(dataset, NO_FILTERS, timeline_bounds(dataset))["actor"]
    assert [v.count for v in counts] == sorted((v.count for v in counts), reverse=True)
    assert counts[0].label == "Russian peacekeeping contingent"


def test_the_url_spelling_round_trips_and_unknown_values_are_named(dataset):
    facets = facets_of(dataset)
    query = {
        "type": "protest,military,military",
        "actor": "nikol  pashinian|Nobody At All",
        "side": "Gegham Stepanyan, Karabakh's ombudsman",  # a name with a comma
        "vague": "hide",
    }
    filters, problems = parse_filters(query, facets)
    assert filters.type == ("military", "protest")  # the data's order, each once
    assert filters.actor == ("Nikol Pashinian",)  # as the data writes it
    assert filters.side == ("Gegham Stepanyan, Karabakh's ombudsman",)
    assert problems == ["actor 'Nobody At All' is not in the data"]
    assert parse_filters(dict(filters.query_items()), facets) == (filters, [])
    assert normalised(Filters(type=("protest", "military")), facets) == Filters(
        type=("military", "protest")
    )
    assert parse_filters({"vague": "yes"}, facets)[1] == ["vague 'yes': the only value is 'hide'"]


def test_the_mask_has_one_bit_per_event_in_the_files_order(dataset):
    facets = facets_of(dataset)
    filters, _ = parse_filters({"type": "protest"}, facets)
    bits = np.frombuffer(base64.b64decode(mask_payload(filters, facets)), dtype=np.uint8)
    unpacked = np.unpackbits(bits, bitorder="little")[: len(dataset.events)]
    assert [bool(b) for b in unpacked] == [
        e.props.event_type.value == "protest" for e in dataset.events
    ]
    assert list(passing(filters, facets)) == [bool(b) for b in unpacked]
    assert filter_state(filters) == [["type", "protest"]]


def test_a_shared_link_carries_the_filters_and_ignores_values_the_data_lacks(dataset):
    view = parse_view_state({"type": "protest,bogus", "actor": "Nobody"}, dataset)
    assert view.filters == Filters(type=("protest",))
    assert parse_view_state({}, dataset).filters == NO_FILTERS


def test_describe_says_what_is_filtered():
    filters = Filters(type=("military",), actor=("A", "B"), hide_vague=True)
    assert filters.describe() == "event type: military; actor: A, B; vague locations hidden"
    assert NO_FILTERS.describe() == ""


def test_a_stored_table_gives_the_same_facets_as_the_events_in_memory(tmp_path):
    """A stored table (dashboard/store.py) is read from its columns and JSON text, without
    making an event: the facets must be the ones the events themselves give."""
    import shutil
    from pathlib import Path

    from dashboard.filters import build_facets
    from dashboard.loading import load_dataset

    root = Path(__file__).resolve().parent.parent
    shutil.copytree(
        root / "geodata", tmp_path / "geodata", ignore=shutil.ignore_patterns("sources")
    )
    shutil.copytree(root / "seeds", tmp_path / "seeds")
    in_memory = build_facets(load_dataset(tmp_path / "geodata", store_min_events=None))
    stored_data = load_dataset(tmp_path / "geodata", store_min_events=0)
    assert stored_data.events.props_json is not None  # the stored path is the one tested
    stored = build_facets(stored_data)
    assert stored.labels == in_memory.labels
    for group in GROUPS:
        assert stored.postings[group].keys() == in_memory.postings[group].keys()
        for key, rows in in_memory.postings[group].items():
            assert list(stored.postings[group][key]) == list(rows), (group, key)
    for name in ("starts", "ends", "vague"):
        assert list(getattr(stored, name)) == list(getattr(in_memory, name))


def test_play_stops_only_at_the_first_days_of_events_that_pass(dataset):
    facets = facets_of(dataset)
    origin = timeline_bounds(dataset)[0]
    protest = parse_filters({"type": "protest"}, facets)[0]
    expected = sorted(
        (e.props.date_start - origin).days
        for e in dataset.events
        if e.props.event_type.value == "protest"
    )
    assert 0 < len(expected) < len(dataset.events)
    assert passing_start_days(protest, facets, origin) == expected
    everything = sorted((e.props.date_start - origin).days for e in dataset.events)
    assert passing_start_days(NO_FILTERS, facets, origin) == everything
