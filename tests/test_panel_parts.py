"""What each part of the side panel, the event list, the reader and the legend says, and
which parts carry the classes the style sheet and the scripts rely on (issue 9: mutmut's
survivors in dashboard/panels.py were wording, classes and branches no test read).

`classed(tree, name)` is the text of every component carrying a class, in reading order:
what `.name` in assets/style.css (or a script or a browser test's selector) applies to. A
class dropped from one component, renamed or set on another changes these lists.
"""

from __future__ import annotations

import numpy as np
from dash import html

from dashboard import panels, registry
from dashboard.contract import AREA_OPACITY, BLOCKADE_STYLE, FAINT_FACTOR
from dashboard.model import Accuracy, ReportSource
from dashboard.panels import (
    article_view,
    citation_list,
    date_sources_block,
    document_choices,
    document_label,
    document_view,
    event_card,
    event_list,
    events_panel,
    feature_panel,
    legend,
    list_page_after,
    paragraph_bounds,
    passage_marks,
    placeholder_panel,
    spot_features,
)
from tests import records as r
from tests.records import find_all, text_of


def classed(tree, name: str) -> list[str]:
    """The text of each component with the class `name`, depth first."""
    return [
        text_of(c)
        for c in find_all(tree, object)
        if name in (getattr(c, "className", None) or "").split()
    ]


def report(source_id: str, outlet: str, **fields) -> dict:
    values = {"id": source_id, "kind": "report", "outlet": outlet, "excerpt": "A quote.",
              "language": "en", "url": f"https://example.org/{source_id}"}  # fmt: skip
    return ReportSource.model_validate(values | fields).model_dump()


def full_event(**fields):
    """An article event with everything a card can show: two reports relaying one body, a
    claim and a disagreement resting on the article and the reports, three citations (two
    sharing a note), a month-precise date and a place with two other names."""
    citations = (
        r.citation("c1", ["e1"], outlet="News.am", note="both say so"),
        r.citation("c2", ["e1"], outlet="Armenpress", note="both say so"),
        r.citation("c3", ["e1"], outlet="APA", note="its own note"),
    )
    values = {
        "time_precision": "month",
        "date_as_written": "in March",
        "sources": [
            report("s1", "Wire A", citing=["the ministry"]),
            report("s2", "Wire B", citing=["the ministry"]),
        ],
        "claims": [{"by": "Side A", "says": "it was calm", "sources": ["article", "s1", "s2"]}],
        "disagreements": [
            {
                "about": "number",
                "what": "people there",
                "versions": [
                    {"value": "five", "sources": ["s1"]},
                    {"value": "six", "sources": ["s2", "article"]},
                ],
                "note": "The summary follows the article.",
            }
        ],
    }
    return r.event("e1", "2021-03-01", "2021-03-31", citations=citations, **values | fields)


def full_card():
    event = full_event()
    alt_names = [{"name": "Ստեփանակերտ", "lang": "hy"}, {"name": "Xankəndi", "lang": "az"}]
    data = r.dataset([event], places=[r.place("here", alt_names=alt_names)])
    return event_card(data, event)


# --------------------------------------------------------------------------- event cards


def test_an_event_card_reads_in_order_with_its_notes_set_apart():
    card = full_card()
    assert [text_of(h) for h in find_all(card, (html.H3, html.H4, html.H5))] == [
        "Event e1",
        "Sources",
        "Article",
        "Outlets the article cites (as it cites them)",
        "Passage",
    ]
    assert [text_of(row) for row in find_all(card, html.Dl)[0].children] == [
        "When“in March” → March 2021 (precision: month; date occurred)",
        "WherePlace here (located to the settlement)also: Ստեփանակերտ (hy), Xankəndi (az)",
        "WhoSomeone",
        "Typepolitical",
        "Confidencemedium",
    ]
    assert len(classed(card, "kv")) == 5  # each row laid out as label | value
    assert classed(card, "summary") == ["What happened in e1."]
    # what is set in small grey type: qualifiers, notes, whom a claim or report comes from
    assert classed(card, "muted") == [
        " (precision: month; date occurred)",
        " (located to the settlement)",
        "also: Ստեփանակերտ (hy), Xankəndi (az)",
        " (reported by A Publisher, Wire A, Wire B)",
        "The summary follows the article.",
        ", date not recorded",
        "citing the ministry",
        ", date not recorded",
        "citing the ministry",
        "A Series, Vol. 18, Issue 47; published 25 Mar 2021",
        " (outlet)",
        " (outlet)",
        " (outlet)",
        "its own note",
        "both say so",
    ]
    assert classed(card, "alt-names") == ["also: Ստեփանակերտ (hy), Xankəndi (az)"]


def test_an_event_card_names_who_claims_who_disagrees_and_how_many_outlets_report_it():
    card = full_card()
    assert classed(card, "claim") == [
        "Claim by Side A: it was calm (reported by A Publisher, Wire A, Wire B)"
    ]
    (disagreement,) = classed(card, "disagreement")
    assert disagreement.startswith("Sources disagree on the number: people there")
    assert classed(card, "version") == ["five — Wire A", "six — Wire B, A Publisher"]
    assert classed(card, "version-value") == ["five", "six"]
    assert classed(card, "outlet-count") == [
        "Reported by 6 independent outlets: A Publisher, News.am, Armenpress, APA, Wire A, "
        "Wire B. All of these relay a statement by the ministry: they confirm what was said."
    ]
    (reports,) = [ul for ul in find_all(card, html.Ul) if getattr(ul, "className", "") == "reports"]
    assert [item.id for item in reports.children] == ["source-s1", "source-s2"]


def test_a_disagreement_without_a_note_has_no_note_line():
    event = full_event(
        disagreements=[
            {
                "about": "date",
                "what": "the day",
                "versions": [
                    {"value": "1 March", "sources": ["s1"]},
                    {"value": "2 March", "sources": ["s2"]},
                ],
            }  # fmt: skip
        ]
    )
    card = event_card(r.dataset([event]), event)
    (view,) = [d for d in find_all(card, html.Div) if getattr(d, "className", "") == "disagreement"]
    heading, versions, note = view.children
    assert text_of(heading) == "Sources disagree on the date: the day"
    assert note is None


def test_the_outlet_line_counts_one_outlet_in_the_singular():
    event = r.event("e1", "2021-03-01")
    card = event_card(r.dataset([event]), event)
    assert classed(card, "outlet-count") == ["Reported by 1 independent outlet: A Publisher."]
    assert classed(card, "muted")[-1] == "No citation in the article: not cited"
    assert classed(card, "alt-names") == []  # a place with no other name has no "also:" line


def test_an_event_card_is_focusable_and_named_for_screen_readers():
    card = full_card()
    # assets/focus.js moves the focus here after a selection: only tabIndex -1 lets it
    assert card.tabIndex == "-1"
    assert card.to_plotly_json()["props"]["aria-label"] == "Event e1"


def test_shared_citation_notes_are_said_once_below_the_list():
    listing, shared = citation_list(full_event().citations)
    assert listing.className == "citations"
    assert [text_of(item) for item in listing.children] == [
        "News.am, February 26 → 2021-02-26 (outlet)",
        "Armenpress, February 26 → 2021-02-26 (outlet)",
        "APA, February 26 → 2021-02-26 (outlet)its own note",
    ]
    assert (shared.children, shared.className) == ("both say so", "muted small shared-note")
    single = r.citation("c4", ["e1"], note="alone")
    (only,) = citation_list([single])  # a note only one citation has stays under it
    assert text_of(only) == "News.am, February 26 → 2021-02-26 (outlet)alone"
    three = [r.citation(f"c{i}", ["e1"], note="all three") for i in range(3)]
    listing, shared = citation_list(three)
    assert "all three" not in text_of(listing) and shared.children == "all three"


def test_the_events_panel_and_the_placeholder_are_set_in_grey_type():
    events = [r.event("a", "2021-03-01"), r.event("b", "2021-03-02")]
    panel = events_panel(r.dataset(events), events, "Here")
    assert classed(panel[:2], "muted") == ["2 events in the selected dates"]
    assert classed(events_panel(r.dataset(), [], "Here"), "muted") == [
        "No events here in the selected dates."
    ]
    heading, hint = placeholder_panel()
    assert hint.className == "muted"
    assert hint.children == (
        "Click a marker or a layer on the map, or pick an event in the list, to read what "
        "happened, which outlets the article cites, and the passage it comes from."
    )


def test_the_article_block_and_date_sources_set_their_details_apart():
    view = document_view(r.document())
    assert view.className == "document"  # its title link is set in bold
    assert classed(view, "muted") == ["A Series, Vol. 18, Issue 47; published 25 Mar 2021"]
    from dashboard.model import LayerDateSource

    source = LayerDateSource.model_validate(
        {"bound": "to", "date": "2021-05-01", "basis": "upper-bound", "outlet": "Wire A",
         "language": "en", "confidence": "high", "checked": "test", "note": "gone by then"}
    )  # fmt: skip
    assert classed(date_sources_block([source]), "muted") == [" gone by then"]


# --------------------------------------------------------------------------- layer features


def test_a_feature_panel_sets_apart_its_other_names_and_its_note_and_says_when_it_fades():
    post = r.feature(
        "post-1",
        geometry=r.point(),
        note="a caveat",
        faint_from="2021-01-01",
        valid_to="2021-06-01",
        alt_names=[{"name": "Պոստ", "lang": "hy"}],
    )
    panel = feature_panel(post)
    assert classed(panel, "muted") == ["Also: Պոստ (hy)"]
    assert classed(panel, "note") == ["a caveat"]
    rows = {row.children[0].children: text_of(row.children[1]) for row in panel[2].children}
    assert rows["Drawn faint from"] == (
        "1 Jan 2021: held only formally, or may already have ended (see the note)"
    )


def test_features_at_a_clicked_spot_are_folded_under_a_heading_with_their_whole_panel():
    posts = [
        r.feature("post-1", geometry=r.point(), alt_names=[{"name": "Պոստ", "lang": "hy"}]),
        r.feature("post-2", geometry=r.point(), note="a caveat"),
    ]
    (block,) = spot_features(posts, opened="post-2")
    assert block.className == "spot-features"
    heading, first, second = block.children
    assert (heading.children, heading.className) == ("Also at this spot", "spot-heading")
    # each unfolds to the feature's panel under its name (the panel's own heading left out)
    assert text_of(first.children[0]) == "Feature post-1"
    assert text_of(first.children[1]) == "Also: Պոստ (hy)"
    assert text_of(first.children[1:]) == text_of(feature_panel(posts[0])[1:])
    assert (first.open, second.open) == (False, True)
    assert spot_features([]) == []


# --------------------------------------------------------------------------- event list


def test_event_list_rows_are_buttons_under_column_headers():
    events = [r.event(f"e{i:02}", f"2021-03-{i + 1:02}", title=f"T{30 - i:02}") for i in range(30)]
    data = r.dataset(events)
    caption, head, body = event_list(data, events, "date", None)  # the first page by default
    assert caption.children.endswith("1–25 shown (page 1 of 2)")
    assert [th.scope for th in head.children.children] == ["col"] * 5  # headers of columns
    buttons = find_all(body, html.Button)
    assert {(b.className, b.n_clicks) for b in buttons} == {("row-button", 0)}  # not clicked
    # sorted as asked, unless the caller says the events come in that order already
    by_title = event_list(data, events, "title", None)[2]
    assert find_all(by_title, html.Button)[0].children == "T01"
    as_given = event_list(data, events[::-1], "date", None, ordered=True)[2]
    assert find_all(as_given, html.Button)[0].children == "T01"


def test_the_list_page_follows_paging_and_the_selection_in_a_table_view(monkeypatch):
    monkeypatch.setattr(panels, "LIST_PAGE_SIZE", 2)
    events = [r.event(f"e{i}", f"2021-03-0{i + 1}") for i in range(5)]  # 3 pages
    view = r.dataset(events).events[:]  # an EventView, as the app passes it
    assert list_page_after("list-prev", 2, view, None) == 1
    assert list_page_after("selected-event", 0, view, "e4") == 2
    assert list_page_after("selected-event", 2, view, "e1") == 0
    assert list_page_after(None, 1, view, "e4") == 1  # a selection alone does not turn it
    assert list_page_after("list-next", 0, view, "e4") == 1


# --------------------------------------------------------------------------- article reader


def test_the_document_picker_names_each_article_with_its_date_as_precise_as_known():
    monthly = r.document("doc-2", published="2021-04-01", published_precision="month")
    assert document_label(monthly) == "Article doc-2 — A. Author, April 2021"
    assert document_label(r.document()) == "Article doc-1 — A. Author, 25 Mar 2021"
    data = r.dataset(documents=[r.document(), monthly])
    assert [c["value"] for c in document_choices(data)] == ["doc-2", "doc-1"]


def test_the_selected_event_s_passage_is_marked_current_and_names_that_event():
    a = r.TEXT.index("Second")
    events = [
        r.event("e1", "2021-03-01", passage=(a, a + 10)),
        r.event("e2", "2021-03-02", passage=(a, a + 10)),
        r.event("e3", "2021-03-03", passage=(0, 5)),
    ]
    data = r.dataset(events)
    marks = find_all(article_view(data, r.DOC_ID, selected="e2"), html.Button)
    first, second = marks  # in text order: e3's, then the one e1 and e2 share
    assert second.className == "passage-mark selected"
    assert second.id == {"type": "passage", "event": "e2"}
    assert second.to_plotly_json()["props"]["aria-current"] == "true"
    assert first.className == "passage-mark"
    assert "aria-current" not in first.to_plotly_json()["props"]
    assert {m.n_clicks for m in marks} == {0}  # a fresh mark is not a click
    plain = find_all(article_view(data, r.DOC_ID), html.Button)
    assert [m.className for m in plain] == ["passage-mark", "passage-mark"]
    assert all("aria-current" not in m.to_plotly_json()["props"] for m in plain)
    assert plain[1].id["event"] == "e1"


def test_a_mark_names_ten_of_its_events_then_counts_the_rest():
    a = r.TEXT.index("Second")

    def title(n):
        events = [r.event(f"e{i:02}", "2021-03-01", passage=(a, a + 10)) for i in range(n)]
        (mark,) = find_all(article_view(r.dataset(events), r.DOC_ID), html.Button)
        return mark.title

    assert title(10).endswith("Event e09 — select to read")
    assert title(12).endswith("Event e09; and 2 more — select to read")
    assert title(12).count("Event ") == 10


def test_a_missing_document_says_so_in_grey():
    (message,) = article_view(r.dataset(), "no-such-doc")
    assert (message.children, message.className) == (
        "No such document in seeds/: pick one from the list.",
        "muted",
    )


def test_passage_marks_in_a_text_of_many_events_keep_the_table_s_order():
    # Two shared spans, events alternating between them: each mark lists its events in the
    # table's (date) order, more than a sort's small-array path would keep by chance.
    a, b = r.TEXT.index("Second"), r.TEXT.index("Third")
    spans = [(a, a + 10), (b, b + 5)]
    events = [
        r.event(f"e{i:02}", f"2021-03-{i % 28 + 1:02}", passage=spans[i % 2]) for i in range(60)
    ]
    table = r.dataset(events).events
    marks = passage_marks(table, r.DOC_ID)
    assert [(start, end) for start, end, _ in marks] == spans
    for _, _, rows in marks:
        assert rows.tolist() == sorted(rows.tolist())
    assert sum(len(rows) for _, _, rows in marks) == 60
    assert np.array_equal(np.sort(np.concatenate([rows for _, _, rows in marks])), np.arange(60))


def test_a_text_that_opens_with_a_blank_line_starts_its_first_paragraph_after_it():
    text = "\n\nFirst paragraph.\n\nSecond."
    start = text.index("paragraph")
    assert paragraph_bounds(text, start, start + 5) == (2, text.index("\n\nSecond"))


# --------------------------------------------------------------------------- legend


def test_the_legend_says_what_each_certainty_and_event_style_means():
    data = r.dataset(features=[r.feature("unplaced", name="Post X")])
    shown = legend(data)
    assert shown.className == "legend"
    lists = find_all(shown, html.Ul)
    assert [ul.className for ul in lists] == ["legend-list"] * 4 + ["unlocated"]
    assert [text_of(h) for h in find_all(shown, html.H4)] == [
        "Certainty of geometry",
        "Events (one marker per place, white rim)",
        "Marker size and paleness: how precisely the place is known",
        "Posts listed, not placed (no coordinates)",
    ]
    assert [text_of(li) for li in lists[1].children] == [
        "verified: solid",
        "approximate: lighter, dashed outline",
        "schematic: palest, dotted outline",
        "faint: held only formally (the area after 20 Sep 2023), or may already have ended "
        "(a post whose closing day is unknown)",
        "dark red dashes on the 2022 road: the blockade, phase by phase",
    ]
    # the size-and-paleness key: dots, drawn round like the markers they explain
    assert {li.children[0].className for li in lists[3].children} == {"swatch round"}
    (note,) = find_all(shown, html.P)
    assert note.children == (
        "The vaguer an event's place, the larger and paler its marker: a pinpoint is small and "
        "solid; an event placed only to a region or a country is a wide, translucent disc."
    )


def test_the_legend_s_swatches_have_the_map_s_colours_and_opacities():
    def at(color: str, opacity: float) -> str:  # a fill at an opacity, as CSS reads it
        red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        return color if opacity >= 1 else f"rgba({red}, {green}, {blue}, {opacity:g})"

    shown = legend(r.dataset())
    layers, certainty = find_all(shown, html.Ul)[:2]
    waypoints = layers.children[-1].children[0]
    assert waypoints.style["backgroundColor"] == registry.get("lachin_corridor").color
    assert waypoints.className == "swatch round"  # drawn as dots on the map
    area = registry.get("aor").color
    schematic = AREA_OPACITY[Accuracy.SCHEMATIC]
    assert [li.children[0].style["backgroundColor"] for li in certainty.children] == [
        at(area, AREA_OPACITY[Accuracy.VERIFIED]),
        at(area, AREA_OPACITY[Accuracy.APPROXIMATE]),
        at(area, schematic),
        at(area, schematic * FAINT_FACTOR),
        BLOCKADE_STYLE["color"],
    ]


def test_the_legend_of_a_dataset_without_some_layer_s_features_lists_no_unplaced_posts():
    from dataclasses import replace

    data = replace(r.dataset(features=[r.feature("unplaced", name="Post X")]), layers={})
    assert legend(data).children[-2:] == [None, None]


def test_a_document_no_event_comes_from_is_shown_whole_without_marks():
    data = r.dataset([r.event("e1", "2021-03-01")], documents=[r.document(), r.document("doc-2")])
    heading, body = article_view(data, "doc-2")
    assert heading.children == "Article doc-2"
    assert text_of(body) == r.TEXT and find_all(body, html.Button) == []
    assert passage_marks(data.events, "doc-2") == []
