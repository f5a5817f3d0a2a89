"""The search core (dashboard/search.py): folding, matching and ranking over the real data."""

from __future__ import annotations

import pytest

from dashboard.search import Entry, build_index, fold, search
from dashboard.search_view import result_items


@pytest.fixture(scope="module")
def index(dataset):
    return build_index(dataset)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Şuşa", "susa"),
        ("SUSA", "susa"),
        ("Xankəndi", "xankendi"),
        ("Ağdərə", "agdere"),
        ("Zarıslı", "zarisli"),
        ("Ханкенди", "ханкенди"),
        ("Ёлка", "елка"),
        ("Ստեփանակերտ", "ստեփանակերտ"),
        ("ՍՈՒՍ", "սուս"),  # Armenian has case too
    ],
)
def test_fold_drops_case_and_diacritics(text, folded):
    assert fold(text) == folded


def _first(index, query):
    results = search(index, query)
    assert results, query
    return results[0]


@pytest.mark.parametrize("query", ["Khankendi", "khankendi", "Xankəndi", "xankendi", "Stepan"])
def test_every_name_of_stepanakert_finds_it_first(index, query):
    first = _first(index, query)
    assert (first.kind, first.id) == ("place", "stepanakert")


@pytest.mark.parametrize("query", ["Susa", "Şuşa", "SHUSHA", "Shushi", "shusha"])
def test_shusha_by_any_spelling(index, query):
    first = _first(index, query)
    assert (first.kind, first.id) == ("place", "shusha")


def test_armenian_script_query(index):
    first = _first(index, "Գորիս")
    assert (first.kind, first.id, first.matched) == ("place", "goris", "Գորիս")
    assert _first(index, "գոր").id == "goris"  # typeahead: a prefix, lower case


def test_alternative_names_in_pairs(index):
    assert _first(index, "Berdzor").id == "lachin"
    assert _first(index, "Laçın").id == "lachin"
    assert _first(index, "lacin").id == "lachin"


def test_events_by_title_actor_and_outlet(index, dataset):
    event = dataset.events[0]
    assert any(r.id == event.id for r in search(index, event.props.title))
    actor = "Balasanian"
    found = {r.id for r in search(index, actor, limit=100) if r.kind == "event"}
    expected = {e.id for e in dataset.events if any(actor in a for a in e.props.actors)}
    assert found >= expected and expected
    outlet = next(c.outlet for e in dataset.events for c in e.citations if c.kind == "outlet")
    cited = {e.id for e in dataset.events if any(c.outlet == outlet for c in e.citations)}
    assert cited <= {r.id for r in search(index, outlet, limit=100)}


def test_reference_features_are_found_but_not_basemap_lines(index):
    assert any(r.kind == "feature" for r in search(index, "observation post"))
    assert not [r for r in search(index, "boundary") if r.id.startswith("boundary-")]


def test_ranking_exact_before_prefix_before_inside():
    index = [
        Entry("event", "c", "Contains susa inside", ("xxsusaxx",)),
        Entry("place", "b", "Susak", ("Susak",)),
        Entry("place", "a", "Şuşa", ("Şuşa",)),
        Entry("event", "d", "Nothing", ("Nothing",)),
    ]
    assert [r.id for r in search(index, "susa")] == ["a", "b", "c"]


@pytest.mark.parametrize("query", ["", "   ", "<script>", "%", "'"])
def test_blank_or_symbol_queries_find_nothing_and_do_not_fail(index, query):
    assert search(index, query) == [] or all(r.label for r in search(index, query))


def test_results_are_capped(index):
    assert len(search(index, "a", limit=5)) <= 5


def test_the_status_line_names_the_query_it_answers(index):
    items, status = result_items("  Susa ", search(index, "Susa"))
    assert items and status == f"{len(items)} result{'s' if len(items) != 1 else ''} for “Susa”"
    assert result_items("zzzz", []) == ([], "Nothing found for “zzzz”")
    assert result_items("  ", []) == ([], "")
