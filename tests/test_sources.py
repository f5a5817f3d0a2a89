"""Events resting on several kinds of source: validation errors, independence, the panel."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from dash import html

from dashboard.dataset import Event
from dashboard.loading import DataError, load_dataset
from dashboard.model import ReportSource
from dashboard.panels import event_card
from dashboard.provenance import independent_outlets, relayed_statement, source_count
from tests import records as r
from tests.conftest import edit_json


def _report(**changes) -> dict:
    source = {
        "id": "s1",
        "kind": "report",
        "outlet": "TASS",
        "published": "2020-11-15",
        "url": "https://tass.com/defense/1223893",
        "excerpt": "the command center of the Russian peacekeeping forces finished its deployment",
        "language": "en",
    }
    source.update(changes)
    return source


def _reported_event(dataset_dir: Path, **changes) -> dict:
    """A copy of the first placed event turned into one that rests only on reports."""
    events = json.loads((dataset_dir / "events.geojson").read_text("utf-8"))
    feature = copy.deepcopy(next(f for f in events["features"] if f["geometry"]))
    props = feature["properties"]
    for key in ("document_id", "passage", "uncited_reason"):
        props.pop(key, None)
    props.update(
        id="test-reported-event",
        confidence="medium",
        sources=[_report()],
    )
    props.update(changes)
    return feature


def _add(data_dir: Path, feature: dict) -> None:
    edit_json(data_dir / "events.geojson", lambda d: d["features"].append(feature))


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(data_dir)
    return [str(p) for p in info.value.problems]


def test_an_event_resting_only_on_a_report_loads(data_copy):
    _add(data_copy, _reported_event(data_copy))
    event = load_dataset(data_copy).event("test-reported-event")
    assert event is not None and event.props.document_id is None
    assert event.props.sources[0].outlet == "TASS"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"url": "javascript:alert(1)"}, "sources.0.url", "should match pattern"),
        ({"url": None}, "sources.0.url", "string"),
        ({"excerpt": " ".join(["word"] * 31)}, "sources.0", "31 words"),
        ({"language": "English"}, "sources.0.language", "should match pattern"),
        ({"kind": "article"}, "sources.0.kind", "Input should be"),
        ({"outlet": "  "}, "sources.0.outlet", "at least 1 character"),
        ({"published": "15 Nov 2020"}, "sources.0.published", "date"),
        ({"via": "somewhere"}, "sources.0.via", "Extra inputs"),
    ],
)
def test_a_bad_report_source_names_file_record_and_field(data_copy, change, field, words):
    _add(data_copy, _reported_event(data_copy, sources=[_report(**change)]))
    problems = [p for p in _problems(data_copy) if "test-reported-event" in p]
    assert problems, "the bad source was not reported"
    assert any(
        p.startswith("geodata/events.geojson [test-reported-event] properties." + field)
        and words in p
        for p in problems
    ), problems


def test_an_event_with_no_source_at_all_is_refused(data_copy):
    _add(data_copy, _reported_event(data_copy, sources=[]))
    problems = _problems(data_copy)
    assert any("test-reported-event" in p and "rests on no source" in p for p in problems)


def test_a_disagreement_must_point_at_the_events_own_sources(data_copy):
    disagreement = {
        "about": "number",
        "what": "peacekeepers killed",
        "versions": [
            {"value": "five", "sources": ["s1"]},
            {"value": "six", "sources": ["s9"]},
        ],
    }
    _add(data_copy, _reported_event(data_copy, disagreements=[disagreement]))
    problems = _problems(data_copy)
    assert any("test-reported-event" in p and "unknown sources ['s9']" in p for p in problems)


def test_a_disagreement_needs_two_versions(data_copy):
    one = {"about": "date", "what": "day", "versions": [{"value": "12 Dec", "sources": ["s1"]}]}
    _add(data_copy, _reported_event(data_copy, disagreements=[one]))
    problems = _problems(data_copy)
    assert any("disagreements.0.versions" in p and "at least 2" in p for p in problems)


def test_high_confidence_needs_two_independent_outlets(data_copy):
    repost = _report(id="s2", published_on="hyetert.org", url="https://hyetert.org/x")
    _add(data_copy, _reported_event(data_copy, confidence="high", sources=[_report(), repost]))
    problems = _problems(data_copy)
    assert any(
        "test-reported-event" in p and "properties.confidence" in p and "1 independent" in p
        for p in problems
    ), problems


def test_reposts_count_once_and_relayed_statements_are_named():
    tass = ReportSource.model_validate(_report(citing=["Russian Ministry of Defence"]))
    repost = ReportSource.model_validate(
        _report(id="s2", published_on="hyetert.org", url="https://hyetert.org/x")
    )
    interfax = ReportSource.model_validate(
        _report(id="s3", outlet="Interfax", citing=["Russian Ministry of Defence"])
    )
    mod = ReportSource.model_validate(
        _report(id="s4", kind="official", outlet="Russian Ministry of Defence")
    )
    assert independent_outlets([tass, repost]) == ["TASS"]
    assert independent_outlets([tass, repost, interfax]) == ["TASS", "Interfax"]
    assert relayed_statement([tass, interfax, mod]) == "Russian Ministry of Defence"
    assert relayed_statement([tass, repost]) is None


def test_the_statement_two_reports_both_relay_is_named():
    def report(id_, outlet, citing):
        url = f"https://example.org/{id_}"
        return ReportSource.model_validate(_report(id=id_, outlet=outlet, citing=citing, url=url))

    # two sources are enough to say they relay one statement
    pair = [report("a", "Wire A", ["Body X"]), report("b", "Wire B", ["Body X"])]
    assert relayed_statement(pair) == "Body X"
    assert relayed_statement([report("a", "Wire A", ["Body X"])]) is None  # one is not
    # only what every source carries counts: here Body X, though the last also cites Body Y
    three = [
        report("a", "Wire A", ["Body X", "Body Z"]),
        report("b", "Wire B", ["Body X"]),
        report("c", "Wire C", ["Body Y", "Body X"]),
    ]
    assert relayed_statement(three) == "Body X"


def test_source_count_counts_the_article_its_citations_and_the_reports():
    # an article event with no citation rests on one source: the article (issue 12)
    assert source_count(r.event("uncited", "2021-03-01")) == 1
    cited = r.event("cited", "2021-03-01", citations=(r.citation("c1", ["cited"]),))
    assert source_count(cited) == 2
    tass = ReportSource.model_validate(_report())
    interfax = ReportSource.model_validate(_report(id="s3", outlet="Interfax"))
    article = r.event("rep", "2021-03-01", sources=[tass])
    no_article = article.props.model_copy(update={"document_id": None, "passage": None})
    reported = Event(no_article, article.lonlat, ())
    assert source_count(reported) == 1  # no article: only its report
    both = r.event("both", "2021-03-01", sources=[tass, interfax])
    assert source_count(both) == 3


def _texts(node) -> list[str]:
    """Every string under a component, in reading order."""
    if node is None:
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, list | tuple):
        return [text for child in node for text in _texts(child)]
    return _texts(getattr(node, "children", None))


def test_the_panel_shows_every_version_claim_link_and_outlet_count(data_copy):
    second = _report(
        id="s2",
        outlet="News.az",
        url="https://news.az/news/x",
        excerpt="Five Russian peacekeepers were killed on Wednesday",
    )
    feature = _reported_event(
        data_copy,
        confidence="high",
        sources=[_report(), second],
        claims=[{"by": "Azerbaijan's prosecutors", "says": "five died", "sources": ["s2"]}],
        disagreements=[
            {
                "about": "number",
                "what": "peacekeepers killed",
                "versions": [
                    {"value": "no figure given", "sources": ["s1"]},
                    {"value": "five", "sources": ["s2"]},
                ],
            }
        ],
    )
    _add(data_copy, feature)
    dataset = load_dataset(data_copy)
    card = event_card(dataset, dataset.event("test-reported-event"))
    text = " ".join(_texts(card))
    assert "Sources disagree on the number: peacekeepers killed" in text
    versions = [
        "".join(_texts(c))
        for c in _walk_components(card)
        if getattr(c, "className", "") == "version"
    ]
    assert versions == ["no figure given — TASS", "five — News.az"]
    assert "Claim by Azerbaijan's prosecutors: " in text
    assert "Reported by 2 independent outlets: TASS, News.az." in text
    links = [
        c.href
        for c in _walk_components(card)
        if isinstance(c, html.A) and c.href and c.href.startswith("https://")
    ]
    assert "https://tass.com/defense/1223893" in links and "https://news.az/news/x" in links


def _walk_components(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            if child is not None and not isinstance(child, str):
                yield from _walk_components(child)
    elif children is not None and not isinstance(children, str):
        yield from _walk_components(children)
