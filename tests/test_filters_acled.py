"""ACLED rows in the filters (dashboard/filters.py): the source dataset group, the groups an
ACLED row's fields map onto, counts, the URL, the browser's mask, Play's frames, the map's
ACLED trace and the exports. The rows are the test fixture (tests/fixtures/, in ACLED's
format, TEST DATA: no ACLED data ships), added to the real curated events in memory."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from dashboard.acled import AcledEventProperties, parse_export
from dashboard.acled_view import acled_counter
from dashboard.dataset import AcledEvent
from dashboard.exports import EXPORT_SOURCE, events_csv, events_geojson, events_kml
from dashboard.figures import map_figure
from dashboard.filters import (
    ACLED,
    ARTICLES,
    NO_FILTERS,
    Filters,
    acled_passing,
    acled_shown,
    build_facets,
    filtered_events,
    mask_payload,
    parse_filters,
    passing_start_days,
    value_counts,
)
from dashboard.filters_view import filters_panel
from dashboard.selection import events_in_window, timeline_bounds
from dashboard.viewstate import default_view

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "acled_test_export.csv"
EVERYTHING = (dt.date(2000, 1, 1), dt.date(2030, 1, 1))


@pytest.fixture(scope="module")
def with_acled(dataset):
    rows, problems = parse_export(FIXTURE.read_text("utf-8"))
    assert problems == []
    acled = tuple(
        sorted(
            (
                AcledEvent(
                    AcledEventProperties.model_validate(
                        {k: v for k, v in row.items() if k not in ("lon", "lat")}
                    ),
                    (row["lon"], row["lat"]),
                )
                for row in rows
            ),
            key=lambda e: (e.props.date_start, e.id),
        )
    )
    data = dataclasses.replace(dataset, acled=acled)
    object.__setattr__(data, "_facets", build_facets(data))  # the replace copied the cache
    return data


def ids(rows) -> list[str]:
    return [e.id for e in rows]


def f(data, **args) -> Filters:
    filters, problems = parse_filters(args, build_facets(data))
    assert problems == []
    return filters


def test_the_fixture_rows_are_what_the_tests_assume(with_acled):
    by_id = {e.id: e.props for e in with_acled.acled}
    assert by_id["acled-test0002"].event_type == "Protests"
    assert by_id["acled-test0003"].geo_precision.value == "region"
    assert "Military Forces of Armenia" in by_id["acled-test0003"].actors
    assert [c.outlet for c in by_id["acled-test0003"].citations] == ["Sputnik", "News.am"]


def test_the_source_dataset_keeps_articles_or_acled(with_acled):
    curated = list(with_acled.events)
    everything = filtered_events(with_acled, NO_FILTERS, None)
    assert list(everything) == curated
    assert ids(acled_shown(with_acled, NO_FILTERS, EVERYTHING)) == ids(with_acled.acled)

    articles = f(with_acled, dataset=ARTICLES)
    assert list(filtered_events(with_acled, articles, None)) == curated
    assert acled_shown(with_acled, articles, EVERYTHING) == []

    acled = f(with_acled, dataset=ACLED)
    assert list(filtered_events(with_acled, acled, None)) == []
    assert ids(acled_shown(with_acled, acled, EVERYTHING)) == ids(with_acled.acled)

    both = f(with_acled, dataset="acled,articles")
    assert both.dataset == (ARTICLES, ACLED)  # one spelling: the data's order
    assert list(filtered_events(with_acled, both, None)) == curated
    assert len(acled_shown(with_acled, both, EVERYTHING)) == 3


def test_acled_rows_take_part_in_the_groups_their_fields_map_onto(with_acled):
    # an ACLED actor, an ACLED source (also an outlet of the articles), a precision
    soldiers = f(with_acled, actor="military forces of ARMENIA")
    assert ids(acled_shown(with_acled, soldiers, EVERYTHING)) == ["acled-test0003"]
    news_am = f(with_acled, outlet="News.am")
    assert ids(acled_shown(with_acled, news_am, EVERYTHING)) == ["acled-test0003"]
    assert len(filtered_events(with_acled, news_am, None)) > 0  # curated events cite it too
    region = f(with_acled, precision="region")
    assert ids(acled_shown(with_acled, region, EVERYTHING)) == ["acled-test0003"]
    hide = Filters(hide_vague=True)
    assert "acled-test0003" not in ids(acled_shown(with_acled, hide, EVERYTHING))
    # of ACLED's event types only Protests maps onto ours
    assert ids(acled_shown(with_acled, f(with_acled, type="protest"), EVERYTHING)) == [
        "acled-test0002"
    ]
    for other in ("military", "diplomatic", "statement", "political", "agreement"):
        assert acled_shown(with_acled, f(with_acled, type=other), EVERYTHING) == []
    # no claims, no source kind: choosing either leaves every ACLED row out
    side = next(iter(build_facets(with_acled).labels["side"].values()))
    assert acled_shown(with_acled, f(with_acled, side=side), EVERYTHING) == []
    assert acled_shown(with_acled, f(with_acled, kind="report"), EVERYTHING) == []


def test_counts_hold_acled_rows_in_the_window(with_acled):
    window = (dt.date(2021, 2, 1), dt.date(2021, 3, 31))
    curated = events_in_window(with_acled.events, window)
    counts = value_counts(with_acled, NO_FILTERS, window)
    by_value = {v.label: v.count for v in counts["dataset"]}
    assert by_value == {ARTICLES: len(curated), ACLED: 3}
    # an ACLED actor is a value of the actor group, counted in the window only
    actors = {v.label: v.count for v in counts["actor"]}
    assert actors["Military Forces of Armenia"] == 1
    later = value_counts(with_acled, NO_FILTERS, (dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
    assert "Military Forces of Armenia" not in {v.label for v in later["actor"]}
    # faceted: with ACLED only chosen, a type counts ACLED rows (protest: TEST0002)
    acled_only = value_counts(with_acled, f(with_acled, dataset=ACLED), window)
    assert {v.label: v.count for v in acled_only["type"]}["protest"] == 1
    # and the dataset group counts given the other groups
    protest = value_counts(with_acled, f(with_acled, type="protest"), window)
    protests = [e for e in curated if e.props.event_type.value == "protest"]
    assert {v.label: v.count for v in protest["dataset"]} == {
        ARTICLES: len(protests),
        ACLED: 1,
    }


def test_the_mask_has_the_acled_rows_after_the_events(with_acled):
    facets = build_facets(with_acled)
    n = len(with_acled.events)
    filters = f(with_acled, type="protest")
    bits = np.frombuffer(base64.b64decode(mask_payload(filters, facets)), dtype=np.uint8)
    unpacked = [bool(b) for b in np.unpackbits(bits, bitorder="little")]
    assert unpacked[:n] == [e.props.event_type.value == "protest" for e in with_acled.events]
    assert unpacked[n : n + 3] == [e.props.event_type == "Protests" for e in with_acled.acled]
    assert list(acled_passing(filters, facets)) == unpacked[n : n + 3]


def test_play_stops_at_the_acled_rows_that_pass(with_acled):
    origin = timeline_bounds(with_acled)[0]
    facets = build_facets(with_acled)
    acled_days = sorted((e.props.date_start - origin).days for e in with_acled.acled)
    assert passing_start_days(f(with_acled, dataset=ACLED), facets, origin) == acled_days
    curated_days = sorted((e.props.date_start - origin).days for e in with_acled.events)
    assert passing_start_days(f(with_acled, dataset=ARTICLES), facets, origin) == curated_days


def test_the_map_draws_only_the_acled_rows_that_pass(with_acled):
    view = dataclasses.replace(
        default_view(with_acled), visible_layers=(*default_view(with_acled).visible_layers,)
    )

    def acled_trace(filters):
        figure = map_figure(with_acled, dataclasses.replace(view, filters=filters))
        return next(t for t in figure["data"] if t["meta"]["role"] == "acled")

    assert sorted(acled_trace(NO_FILTERS)["customdata"]) == sorted(ids(with_acled.acled))
    assert acled_trace(f(with_acled, type="protest"))["customdata"] == ["acled-test0002"]
    hidden = acled_trace(f(with_acled, dataset=ARTICLES))
    assert hidden["visible"] is False


def test_the_panel_offers_the_dataset_only_with_acled_rows(dataset, with_acled):
    window = timeline_bounds(with_acled)

    def group(panel):
        return next(c for c in panel.children if getattr(c, "id", None) == "filter-group-dataset")

    shown = group(filters_panel(with_acled, NO_FILTERS, window))
    assert shown.hidden is False
    labels = [o["label"] for o in shown.children[1].options]
    assert labels == [f"Events from articles ({len(with_acled.events)})", "ACLED (3)"]
    assert "Protests" in shown.children[2].children  # says what maps and what does not
    assert group(filters_panel(dataset, NO_FILTERS, timeline_bounds(dataset))).hidden is True
    assert f(with_acled, dataset=ACLED).describe() == "source dataset: ACLED"


def test_exports_hold_events_from_articles_and_say_so(with_acled):
    acled_only = f(with_acled, dataset=ACLED)
    collection = events_geojson(with_acled, EVERYTHING, acled_only)
    assert collection["features"] == [] and collection["source"] == EXPORT_SOURCE
    everything = events_geojson(with_acled, EVERYTHING, NO_FILTERS)
    assert len(everything["features"]) == len(with_acled.events)
    assert not any(feature["id"].startswith("acled-") for feature in everything["features"])
    rows = events_csv(with_acled, EVERYTHING, NO_FILTERS).splitlines()
    assert rows[0].endswith(",dataset") and all(r.endswith(",articles") for r in rows[1:2])
    assert EXPORT_SOURCE.encode() in events_kml(with_acled, EVERYTHING, acled_only)


def test_the_acled_counter_words():
    assert acled_counter(2, True) == "+ 2 ACLED"
    assert acled_counter(2, False) == ""


def test_a_click_on_an_acled_spot_shows_only_the_rows_that_pass(with_acled):
    from dashboard.acled_view import acled_at

    yerevan = next(e for e in with_acled.acled if e.id == "acled-test0002").lonlat
    layers = ["acled"]
    assert ids(acled_at(with_acled, yerevan, EVERYTHING, layers)) == [
        "acled-test0002",
        "acled-test0003",
    ]
    protest = f(with_acled, type="protest")
    assert ids(acled_at(with_acled, yerevan, EVERYTHING, layers, protest)) == ["acled-test0002"]
    assert acled_at(with_acled, yerevan, EVERYTHING, [], protest) == []


def test_the_list_shows_the_acled_rows_that_pass_after_the_events(with_acled):
    from dashboard.actions import event_list_update, selection_panel

    def acled_buttons(filters):
        rows, *_ = event_list_update(with_acled, EVERYTHING, "date", None, None, 0, filters)
        bodies = [r for r in rows if getattr(r, "className", None) == "acled-rows"]
        if not bodies:
            return []
        (body,) = bodies
        assert "separate source" in body.children[0].children.children
        return [tr.children[1].children.id["event"] for tr in body.children[1:]]

    assert acled_buttons(NO_FILTERS) == ids(with_acled.acled)  # date order
    assert acled_buttons(f(with_acled, type="protest")) == ["acled-test0002"]
    assert acled_buttons(f(with_acled, dataset=ARTICLES)) == []
    # a row opens its ACLED card; nothing curated is selected
    panel, selected = selection_panel(
        with_acled, {"type": "acled-row", "event": "acled-test0002"}, None, EVERYTHING
    )
    assert selected is None and panel[0].className == "acled-card"
    assert "ACLED TEST0002" in panel[0].children[0].children
    assert (
        selection_panel(with_acled, {"type": "acled-row", "event": "nope"}, None, EVERYTHING)
        is None
    )


def test_a_map_click_on_an_acled_spot_shows_only_the_rows_that_pass(with_acled):
    from dashboard.acled_view import acled_panel
    from dashboard.actions import selection_panel
    from tests.records import text_of

    row = next(e for e in with_acled.acled if e.id == "acled-test0002")
    click = {"points": [{"lon": row.lonlat[0], "lat": row.lonlat[1], "customdata": row.id}]}
    panel, selected = selection_panel(
        with_acled, "map", click, EVERYTHING, ["acled"], f(with_acled, type="protest")
    )
    assert selected is None
    assert text_of(panel) == text_of(acled_panel(row))  # acled-test0003 there is filtered out
    everything, _ = selection_panel(with_acled, "map", click, EVERYTHING, ["acled"])
    assert len(text_of(everything)) > len(text_of(panel))
