"""What the page shows after a user action (dashboard.actions), on records built for each case:
a click on a spot shared by events and posts, hidden layers, dated features, shared links."""

from __future__ import annotations

import datetime as dt

import pytest
from dash import html

from dashboard import panels
from dashboard.actions import (
    event_list_update,
    layer_feature,
    reader_view,
    selection_panel,
    step,
    step_buttons_disabled,
    things_at,
    view_from_history,
    view_from_query,
)
from dashboard.model import LayerName
from dashboard.selection import group_by_place, overlaps, timeline_bounds
from dashboard.viewstate import EVENTS_LAYER, slider_value, toggleable_layers
from tests import records as r
from tests.records import find_all, text_of

D = dt.date
MARCH = (D(2021, 3, 1), D(2021, 3, 31))
POSTS = LayerName.PEACEKEEPER_POSTS.value
ALL = toggleable_layers()


@pytest.fixture
def spot():
    """Two events and a post at HERE (one event outside March), one event and an ended post
    at THERE, an unplaced post, and an area."""
    events = [
        r.event("here-1", "2021-03-02"),
        r.event("here-2", "2021-03-20"),
        r.event("here-late", "2021-05-01"),
        r.event("there-1", "2021-03-05", place_id="there", lonlat=r.THERE),
        r.event("off", "2021-03-06", place_id="off", lonlat=None, geo_precision="off-map"),
    ]
    features = [
        r.feature("post-here", geometry=r.point(r.HERE), valid_from="2020-11-13"),
        r.feature("post-there", geometry=r.point(r.THERE), valid_to="2021-02-28"),
        r.feature("post-unplaced"),
        r.feature(
            "aor-core",
            LayerName.AOR,
            {"type": "Polygon", "coordinates": [[[46.7, 39.8], [46.8, 39.8], [46.8, 39.9]]]},
            kind="core",
        ),
        r.feature("route", LayerName.LACHIN_CORRIDOR, r.point(r.HERE), kind="route"),
    ]
    places = [r.place("here"), r.place("there", r.THERE), r.place("off", None)]
    return r.dataset(events, places=places, features=features)


def ids(items):
    return [getattr(item, "id", None) or item.props.id for item in items]


# --------------------------------------------------------------------------- things_at


def test_things_at_finds_events_in_the_window_and_posts_valid_then(spot):
    events, features = things_at(spot, r.HERE, MARCH, ALL)
    assert ids(events) == ["here-1", "here-2"]
    assert ids(features) == ["route", "post-here"]


def test_things_at_matches_the_spot_to_within_rounding_only(spot):
    near = (r.HERE[0] + 5e-7, r.HERE[1] - 5e-7)
    assert ids(things_at(spot, near, MARCH, ALL)[0]) == ["here-1", "here-2"]
    apart = (r.HERE[0] + 1e-4, r.HERE[1])
    assert things_at(spot, apart, MARCH, ALL) == ([], [])


def test_things_at_leaves_out_a_post_that_ended_before_the_window(spot):
    events, features = things_at(spot, r.THERE, MARCH, ALL)
    assert ids(events) == ["there-1"]
    assert features == []
    _, february = things_at(spot, r.THERE, (D(2021, 2, 1), D(2021, 2, 28)), ALL)
    assert ids(february) == ["post-there"]


def test_things_at_gives_nothing_from_a_hidden_events_layer(spot):
    events, features = things_at(spot, r.HERE, MARCH, [POSTS])
    assert events == []
    assert ids(features) == ["post-here"]


def test_things_at_gives_nothing_from_a_hidden_reference_layer(spot):
    events, features = things_at(spot, r.HERE, MARCH, [EVENTS_LAYER])
    assert ids(events) == ["here-1", "here-2"]
    assert features == []


@pytest.mark.parametrize("visible", [[], None])
def test_things_at_with_every_layer_hidden_gives_nothing(spot, visible):
    assert things_at(spot, r.HERE, MARCH, visible) == ([], [])


def test_layer_feature_finds_a_feature_in_any_layer(spot):
    assert layer_feature(spot, "aor-core").props.layer == "aor"
    assert layer_feature(spot, "post-unplaced").geometry is None
    assert layer_feature(spot, "nope") is None


# --------------------------------------------------------------------------- selection_panel


def card_ids(panel):
    return [a.id["event"] for a in find_all(panel, html.Article)]


def test_a_list_row_or_passage_selects_its_event_with_the_others_at_its_place(spot):
    for kind in ("event-row", "passage"):
        panel, selected = selection_panel(spot, {"type": kind, "event": "here-2"}, None, MARCH)
        assert selected == "here-2"
        assert card_ids(panel) == ["here-2", "here-1"]


def test_an_unknown_event_or_an_unrelated_trigger_keeps_the_panel(spot):
    assert selection_panel(spot, {"type": "event-row", "event": "nope"}, None, MARCH) is None
    assert selection_panel(spot, {"type": "other", "event": "here-1"}, None, MARCH) is None
    assert selection_panel(spot, "map", None, MARCH) is None
    assert selection_panel(spot, "map", {"points": []}, MARCH) is None
    assert selection_panel(spot, "map", {}, MARCH) is None


def test_a_marker_click_shows_every_event_and_post_drawn_there(spot):
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1]}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, ALL)
    assert selected == "here-1"
    assert card_ids(panel) == ["here-1", "here-2"]
    # the selected event's card is marked as such, and only that one
    assert [a.className for a in find_all(panel, html.Article)] == [
        "event-card selected",
        "event-card",
    ]
    assert panel[0].children == "Place here"
    shown = text_of(panel)
    assert "Feature route" in shown and "Feature post-here" in shown
    # the features come folded before the event cards, reachable without scrolling past
    # every card (issue 12, bug 7)
    folded = find_all(panel, html.Details)
    assert len(folded) == 2
    assert panel.index(next(c for c in panel if isinstance(c, html.Div))) < panel.index(
        next(c for c in panel if isinstance(c, html.Article))
    )


def test_a_marker_click_on_a_hidden_events_layer_shows_only_the_post(spot):
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1]}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, [POSTS])
    assert selected is None
    assert card_ids(panel) == []
    assert "Feature post-here" in text_of(panel)


def headings(panel):
    return [c.children for c in panel if isinstance(c, html.H2)]


def test_a_click_on_a_reference_point_shows_that_point_first(spot):
    # HERE holds the corridor's route point and a post; the registry puts the corridor
    # first, but the user clicked the post
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1], "customdata": "post-here"}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, [POSTS, "lachin_corridor"])
    assert selected is None
    assert headings(panel) == ["Feature post-here", "Feature route"]
    click["points"][0]["customdata"] = "route"
    panel, _ = selection_panel(spot, "map", click, MARCH, [POSTS, "lachin_corridor"])
    assert headings(panel) == ["Feature route", "Feature post-here"]


def test_a_clicked_reference_point_beside_events_comes_first_and_unfolded(spot):
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1], "customdata": "post-here"}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, ALL)
    assert (selected, card_ids(panel)) == ("here-1", ["here-1", "here-2"])
    folded = find_all(panel, html.Details)
    assert [(d.id, d.open) for d in folded] == [("spot-post-here", True), ("spot-route", False)]
    # a click on the events' marker opens none of them, in the registry's order
    click["points"][0]["customdata"] = ["here-1", "here-2"]
    panel, _ = selection_panel(spot, "map", click, MARCH, ALL)
    folded = find_all(panel, html.Details)
    assert [(d.id, d.open) for d in folded] == [("spot-route", False), ("spot-post-here", False)]


@pytest.fixture
def two_acled_rows(monkeypatch):
    """Two ACLED rows at any spot, each shown as a heading naming its id."""
    import dashboard.actions as actions

    class Acled:
        def __init__(self, id_):
            self.id = id_

    monkeypatch.setattr(actions, "acled_at", lambda *a: [Acled("acled-1"), Acled("acled-2")])
    monkeypatch.setattr(actions, "acled_panel", lambda e: [html.H2(f"ACLED {e.id}")])


def test_a_clicked_acled_marker_comes_before_the_reference_points_there(spot, two_acled_rows):
    here = {"lon": r.HERE[0], "lat": r.HERE[1]}
    visible = [POSTS, "acled"]
    panel, _ = selection_panel(spot, "map", {"points": [{**here, "customdata": "acled-2"}]},
                               MARCH, visible)  # fmt: skip
    assert headings(panel) == ["ACLED acled-2", "ACLED acled-1", "Feature post-here"]
    assert isinstance(panel[1], html.Hr) and not isinstance(panel[0], html.Hr)
    panel, _ = selection_panel(spot, "map", {"points": [{**here, "customdata": "post-here"}]},
                               MARCH, visible)  # fmt: skip
    assert headings(panel) == ["Feature post-here", "ACLED acled-1", "ACLED acled-2"]


def test_clicked_first_keeps_the_others_in_order():
    from dashboard.actions import clicked_first

    assert clicked_first(["a", "b", "c"], "c", str) == ["c", "a", "b"]
    assert clicked_first(["a", "b", "c"], None, str) == ["a", "b", "c"]
    assert clicked_first(["a", "b", "c"], "zz", str) == ["a", "b", "c"]


def test_the_events_layer_s_ids_choose_the_events(spot):
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1], "customdata": ["here-2"]}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, [EVENTS_LAYER])
    assert (selected, card_ids(panel)) == ("here-2", ["here-2"])
    unknown = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1], "customdata": ["gone"]}]}
    panel, selected = selection_panel(spot, "map", unknown, MARCH, [EVENTS_LAYER])
    assert card_ids(panel) == ["here-1", "here-2"]  # unknown ids: what is drawn there


def test_a_click_on_nothing_drawn_keeps_the_panel(spot):
    click = {"points": [{"lon": 10.0, "lat": 10.0}]}
    assert selection_panel(spot, "map", click, MARCH, ALL) is None


def test_an_area_click_shows_that_feature(spot):
    panel, selected = selection_panel(spot, "map", {"points": [{"customdata": "aor-core"}]}, MARCH)
    assert selected is None
    assert panel[0].children == "Feature aor-core"
    assert selection_panel(spot, "map", {"points": [{"customdata": "nope"}]}, MARCH) is None


# A shared link needs no action since the page is built for the view its address asks for
# (dashboard/app.py: requested_view); tests/test_api.py and the browser tests cover it.


def test_event_list_update_pages_and_says_which_buttons_work(spot, monkeypatch):
    monkeypatch.setattr(panels, "LIST_PAGE_SIZE", 2)
    rows, page, prev_off, next_off = event_list_update(spot, MARCH, "date", None, None, 0)
    assert (page, prev_off, next_off) == (0, True, False)
    assert text_of(rows[0]).startswith("4 events")  # here-1, here-2, there-1, off
    rows, page, prev_off, next_off = event_list_update(spot, MARCH, "date", None, "list-next", 0)
    assert (page, prev_off, next_off) == (1, False, True)
    assert [b.id["event"] for b in find_all(rows, html.Button)] == ["off", "here-2"]
    rows, page, *_ = event_list_update(spot, MARCH, "date", None, "list-next", 1)
    assert page == 1
    only = (D(2021, 3, 2), D(2021, 3, 2))
    rows, page, prev_off, next_off = event_list_update(spot, only, "date", None, None, 0)
    assert (page, prev_off, next_off) == (0, True, True)


def test_a_marker_click_selects_the_events_it_names_in_date_order(dataset):
    """The events layer sends the ids it drew at the marker; they are looked up by id, the
    earliest is selected whatever order the click listed them in, unknown ids are ignored."""
    busiest = max(group_by_place(dataset.events), key=lambda g: len(g.events))
    ids = [e.id for e in busiest.events]
    click = {
        "points": [
            {
                "lon": busiest.lonlat[0],
                "lat": busiest.lonlat[1],
                "customdata": ids[::-1] + ["no-such-event"],
            }
        ]
    }
    panel, selected = selection_panel(
        dataset, "map", click, timeline_bounds(dataset), toggleable_layers()
    )
    assert selected == ids[0]
    cards = [c.id["event"] for c in panel if isinstance(getattr(c, "id", None), dict)]
    assert sorted(cards) == sorted(ids)  # every named event once; the unknown id dropped


def test_event_list_update_passes_the_order_and_the_selection_on(spot, monkeypatch):
    monkeypatch.setattr(panels, "LIST_PAGE_SIZE", 2)
    rows, page, *_ = event_list_update(spot, MARCH, "title", "there-1", "selected-event", 0)
    # by title: Event here-1, Event here-2, Event off, Event there-1 -> there-1 is on page 2
    assert page == 1
    body = rows[2]
    assert [b.id["event"] for b in find_all(body, html.Button)] == ["off", "there-1"]
    assert [tr.className for tr in body.children] == [None, "selected"]
    latest, *_ = event_list_update(spot, MARCH, "latest", None, None, 0)
    assert [b.id["event"] for b in find_all(latest[2], html.Button)] == ["here-2", "off"]


# --------------------------------------------------------------------------- stepping, reader


def test_next_and_previous_event_select_it_and_move_the_window_to_it(spot):
    origin = timeline_bounds(spot)[0]
    days = lambda w: [(w[0] - origin).days, (w[1] - origin).days]  # noqa: E731
    march = (D(2021, 3, 1), D(2021, 3, 10))
    # date order: here-1 (2 Mar), there-1 (5 Mar), off (6 Mar), here-2 (20 Mar), here-late
    slider, selected, panel = step(spot, "step-next", march, "off")
    assert selected == "here-2"
    assert slider == days((D(2021, 3, 11), D(2021, 3, 20)))  # same width, ends on its day
    assert card_ids(panel)[0] == "here-2"
    slider, selected, panel = step(spot, "step-prev", march, "off")
    assert (selected, slider) == ("there-1", days(march))  # in the window: it stays
    assert card_ids(panel) == ["there-1"]
    assert step(spot, "step-prev", march, "here-1") is None  # nothing before the first


def test_the_step_buttons_are_disabled_only_at_the_ends(spot):
    assert step_buttons_disabled(spot, MARCH, "here-1") == [True, False]
    assert step_buttons_disabled(spot, MARCH, "there-1") == [False, False]
    assert step_buttons_disabled(spot, MARCH, "here-late") == [False, True]


def test_the_reader_opens_the_selected_event_s_article_or_the_chosen_one(spot):
    other = r.document("doc-2")
    events = [r.event("mine", "2021-03-01"), r.event("theirs", "2021-03-02", document_id="doc-2")]
    data = r.dataset(events, documents=[r.document(), other])
    view, shown = reader_view(data, "theirs", r.DOC_ID, "selected-event")
    assert shown == "doc-2"  # a new selection opens its own article
    assert view[0].children == "Article doc-2"
    view, shown = reader_view(data, "theirs", r.DOC_ID, "document-picker")
    assert shown == r.DOC_ID  # picking a document opens that one
    assert view[0].children == f"Article {r.DOC_ID}"
    assert reader_view(data, None, None, None)[1] == r.DOC_ID  # nothing chosen: the first
    assert reader_view(r.dataset([], documents=[]), None, None, None) == ([], None)


# --------------------------------------------------------------------------- Back / Forward


def test_back_to_a_view_without_the_selection_clears_it_and_keeps_what_is_the_same(dataset):
    layers = list(toggleable_layers())
    origin = timeline_bounds(dataset)[0]
    event = next(e for e in dataset.events if e.lonlat)
    whole = slider_value(timeline_bounds(dataset), dataset)
    # went back from "event selected" to the default view: only the selection changes
    restore = view_from_history(dataset, "", whole, event.id, layers, "date")
    assert restore.selected is None and restore.selected_changed
    assert "Click a marker" in text_of(restore.panel)  # the placeholder
    assert restore.slider is None and restore.layers is None and restore.sort is None
    assert restore.map_target is None
    # forward again: the event, its card, and (its dates being inside) the same window
    query = f"?event={event.id}&layers={','.join(layers)}"
    again = view_from_history(dataset, query, whole, None, layers, "date")
    assert again.selected == event.id and again.selected_changed
    assert event.props.title in text_of(again.panel)
    assert again.slider is None
    # a view with other dates, layers, order and map position restores each of them
    start = origin + dt.timedelta(days=10)
    other = view_from_history(
        dataset,
        f"?start={start}&end={start}&layers=aor&sort=title&map=9.5/39.8/46.75",
        whole,
        None,
        layers,
        "date",
    )
    assert other.slider == [10, 10] and other.layers == ["aor"] and other.sort == "title"
    assert other.map_target == {"center": [46.75, 39.8], "zoom": 9.5}
    assert not other.selected_changed and other.panel is None


def test_back_to_a_link_whose_event_is_outside_its_dates_moves_the_dates(dataset):
    event = dataset.event("baku-asks-peacekeepers-vigilance")
    view = view_from_query(dataset, f"?start=2018-01-01&end=2018-06-30&event={event.id}")
    assert overlaps(event.props.date_start, event.props.date_end, view.window)


def test_steps_go_to_the_events_that_pass_the_filters(dataset):
    from dashboard.filters import facets_of, parse_filters
    from dashboard.selection import timeline_bounds
    from dashboard.stepping import date_order

    filters, _ = parse_filters({"type": "protest"}, facets_of(dataset))
    protests = date_order([e for e in dataset.events if e.props.event_type.value == "protest"])
    assert len(protests) >= 2
    window = timeline_bounds(dataset)
    everything = date_order(dataset.events)
    # a protest whose next event in date order is not the next protest
    i = next(
        i
        for i, e in enumerate(protests[:-1])
        if everything[everything.index(e) + 1].id != protests[i + 1].id
    )
    _, chosen, _ = step(dataset, "step-next", window, protests[i].id, filters)
    assert chosen == protests[i + 1].id
    _, unfiltered, _ = step(dataset, "step-next", window, protests[i].id)
    assert unfiltered != chosen  # without the filter the next event is another one
    assert step_buttons_disabled(dataset, window, protests[-1].id, filters) == [False, True]
    assert step_buttons_disabled(dataset, window, protests[-1].id)[1] is False


# --------------------------------------------------------------------------- mutmut survivors


@pytest.fixture
def typed():
    """Five events at HERE, two of them military, in March 2021 (titles not in date order)."""
    events = [
        r.event("a", "2021-03-01", title="Zulu", event_type="military"),
        r.event("b", "2021-03-02", title="Alpha"),
        r.event("c", "2021-03-03", title="Mike", event_type="military"),
        r.event("d", "2021-03-04", title="Bravo"),
        r.event("e", "2021-04-10", title="Echo", event_type="military"),
    ]
    return r.dataset(events)


def military(data):
    from dashboard.filters import facets_of, parse_filters

    filters, unknown = parse_filters({"type": "military"}, facets_of(data))
    assert filters.active and not unknown
    return filters


def row_ids(rows):
    return [b.id["event"] for b in find_all(rows, html.Button)]


def test_the_list_s_order_holds_with_and_without_filters(typed):
    from dashboard.actions import window_in_order

    assert ids(window_in_order(typed, MARCH, "date")) == ["a", "b", "c", "d"]
    assert ids(window_in_order(typed, MARCH, "latest")) == ["d", "c", "b", "a"]
    assert ids(window_in_order(typed, MARCH, "title")) == ["b", "d", "c", "a"]
    only = military(typed)
    assert ids(window_in_order(typed, MARCH, "date", only)) == ["a", "c"]
    assert ids(window_in_order(typed, MARCH, "latest", only)) == ["c", "a"]
    assert ids(window_in_order(typed, MARCH, "title", only)) == ["c", "a"]
    spring = (D(2021, 3, 1), D(2021, 4, 30))
    assert ids(window_in_order(typed, spring, "title", only)) == ["e", "c", "a"]


def test_the_list_in_date_order_or_reversed_stays_a_lazy_view(typed):
    """By date (or latest first) the window's rows are the table's own, so no event is made
    until its page is drawn (at a million events a sort would make every one)."""
    from dashboard.actions import window_in_order
    from dashboard.tables import EventView

    for filters in (None, military(typed)):
        extra = () if filters is None else (filters,)
        for sort in ("date", "latest"):
            listed = window_in_order(typed, MARCH, sort, *extra)
            assert isinstance(listed, EventView), (sort, filters)
        assert not isinstance(window_in_order(typed, MARCH, "title", *extra), EventView)


def test_a_table_not_in_date_order_is_still_listed_in_date_order(typed):
    """The date shortcut (the table's own order) is taken only when the table is in date
    order; a Dataset built from events in another order is sorted."""
    from dataclasses import replace

    from dashboard.actions import window_in_order
    from dashboard.tables import EventTable

    shuffled = replace(typed, events=EventTable.from_events(tuple(typed.events)[::-1]))
    assert ids(window_in_order(shuffled, MARCH, "date")) == ["a", "b", "c", "d"]
    assert ids(window_in_order(shuffled, MARCH, "latest")) == ["d", "c", "b", "a"]


def test_event_list_update_lists_only_the_events_passing_the_filters(typed):
    rows, page, prev_off, next_off = event_list_update(
        typed, MARCH, "title", "c", None, 0, military(typed)
    )
    assert row_ids(rows) == ["c", "a"]
    assert text_of(rows[0]).startswith("2 events")
    assert (page, prev_off, next_off) == (0, True, True)


def test_a_click_naming_some_of_the_events_at_a_spot_shows_just_those(spot):
    """The events layer names the events it drew there (the others at the spot are hidden
    by the filters): exactly those, all of them, in date order."""
    spring = (D(2021, 3, 1), D(2021, 5, 31))
    here = {"lon": r.HERE[0], "lat": r.HERE[1]}
    click = {"points": [{**here, "customdata": ["here-late", "here-1"]}]}
    panel, selected = selection_panel(spot, "map", click, spring, [EVENTS_LAYER])
    assert (selected, card_ids(panel)) == ("here-1", ["here-1", "here-late"])


def test_acled_events_at_a_spot_follow_the_event_cards(spot, two_acled_rows):
    click = {"points": [{"lon": r.HERE[0], "lat": r.HERE[1]}]}
    panel, selected = selection_panel(spot, "map", click, MARCH, [EVENTS_LAYER, "acled"])
    assert (selected, card_ids(panel)) == ("here-1", ["here-1", "here-2"])
    assert headings(panel)[-2:] == ["ACLED acled-1", "ACLED acled-2"]
    articles = [i for i, c in enumerate(panel) if isinstance(c, html.Article)]
    acled = [i for i, c in enumerate(panel) if isinstance(c, html.H2) and "ACLED" in c.children]
    assert max(articles) < min(acled)
    assert isinstance(panel[acled[0] - 1], html.Hr) and isinstance(panel[acled[1] - 1], html.Hr)


def test_things_at_takes_an_event_at_the_tolerance_exactly():
    """things_at's vectorised rule is same_point's: to within 1e-6 degrees inclusive (the
    offsets are exact in binary at the equator and the meridian)."""
    from dashboard.dataset import same_point

    origin = (0.0, 0.0)
    data = r.dataset(
        [r.event("zero", "2021-03-02", lonlat=origin)], places=[r.place("here", origin)]
    )
    for click in [(1e-6, 0.0), (0.0, 1e-6), (-1e-6, -1e-6)]:
        assert same_point(click, origin)
        assert ids(things_at(data, click, MARCH, [EVENTS_LAYER])[0]) == ["zero"]
    assert things_at(data, (2e-6, 0.0), MARCH, [EVENTS_LAYER]) == ([], [])


def test_steps_and_buttons_with_nothing_selected_start_from_the_window(spot):
    """Nothing selected: Next is the first event starting in or after the window, Previous
    the last starting before its end."""
    april = (D(2021, 4, 1), D(2021, 4, 30))
    _, selected, _ = step(spot, "step-next", april, None)
    assert selected == "here-late"
    _, selected, _ = step(spot, "step-prev", april, None)
    assert selected == "here-2"
    assert step(spot, "step-next", (D(2021, 6, 1), D(2021, 6, 30)), None) is None
    assert step_buttons_disabled(spot, april, None) == [False, False]
    assert step_buttons_disabled(spot, (D(2021, 6, 1), D(2021, 6, 30)), None) == [False, True]
    assert step_buttons_disabled(spot, (D(2021, 1, 1), D(2021, 1, 31)), None) == [True, False]


def test_the_reader_marks_the_selected_event_s_passage_in_a_document_picked(spot):
    other = r.document("doc-2")
    events = [
        r.event("mine", "2021-03-01"),
        r.event("theirs", "2021-03-02", document_id="doc-2", passage=(18, 40)),
    ]
    data = r.dataset(events, documents=[r.document(), other])
    view, shown = reader_view(data, "mine", "doc-2", "document-picker")
    assert shown == "doc-2"  # the chosen one, not the first document
    assert view[0].children == "Article doc-2"
    view, shown = reader_view(data, "theirs", "doc-2", "document-picker")
    marks = find_all(view, html.Button)
    assert [(m.id["event"], m.className) for m in marks] == [("theirs", "passage-mark selected")]


def test_back_compares_the_list_order_with_the_page_s(dataset):
    whole = slider_value(timeline_bounds(dataset), dataset)
    layers = list(toggleable_layers())
    same = view_from_history(dataset, "?sort=title", whole, None, layers, "title")
    assert same.sort is None  # the page shows that order already
    back_to_date = view_from_history(dataset, "", whole, None, layers, "title")
    assert back_to_date.sort == "date"
    unset = view_from_history(dataset, "", whole, None, layers, None)
    assert unset.sort is None  # a page with no order yet lists by date
    assert view_from_history(dataset, "?sort=title", whole, None, layers, None).sort == "title"


def test_back_with_no_slider_value_yet_sets_the_window(dataset):
    whole = slider_value(timeline_bounds(dataset), dataset)
    restore = view_from_history(dataset, "", None, None, list(toggleable_layers()), "date")
    assert restore.slider == whole
