"""The side panel, event cards, event list and article reader as pure functions of the data
(no browser): what text they show, what they link, and how they order and merge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dash import html

from dashboard import panels
from dashboard.model import LayerName
from dashboard.panels import (
    article_view,
    citation_item,
    document_view,
    event_card,
    event_list,
    events_panel,
    feature_panel,
    format_date,
    format_span,
    list_page_after,
    ordered_events,
    page_count,
    paragraph_bounds,
    passage_view,
    placeholder_panel,
    safe_link,
    selected_event_panel,
)
from tests import records as r
from tests.records import find_all, text_of

D = dt.date

# --------------------------------------------------------------------------- safe_link


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/a",
        "https://example.org/a?b=c#d",
        "HTTPS://EXAMPLE.ORG/",
        "  https://example.org/padded  ",
    ],
)
def test_safe_link_links_http_and_https(url):
    link = safe_link(url, "the text")
    assert isinstance(link, html.A)
    assert link.children == "the text"
    assert link.href == url.strip()
    assert link.target == "_blank"
    assert link.rel == "noopener noreferrer"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "//example.org/protocol-relative",
        "example.org",
        "http:/one-slash",
        "xhttps://example.org",
        "",
        None,
    ],
)
def test_safe_link_leaves_anything_else_as_plain_text(url):
    shown = safe_link(url, "the text")
    assert isinstance(shown, html.Span)
    assert shown.children == "the text"
    assert not hasattr(shown, "href")


# --------------------------------------------------------------------------- dates


def test_format_date_is_day_month_year():
    assert format_date(D(2021, 3, 1)) == "1 Mar 2021"
    assert format_date(D(2020, 11, 10)) == "10 Nov 2020"


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        (D(2021, 3, 1), D(2021, 3, 1), "day", "1 Mar 2021"),
        (D(2021, 2, 26), D(2021, 3, 4), "day", "26 Feb 2021 – 4 Mar 2021"),
        (D(2021, 2, 26), D(2021, 3, 4), "range", "26 Feb 2021 – 4 Mar 2021"),
        (D(2021, 3, 1), D(2021, 3, 31), "month", "March 2021"),
        (D(2021, 3, 2), D(2021, 3, 31), "month", "2 Mar 2021 – 31 Mar 2021"),
        (D(2021, 1, 1), D(2021, 12, 31), "year", "2021"),
        (D(2021, 2, 1), D(2021, 12, 31), "year", "1 Feb 2021 – 31 Dec 2021"),
        (D(2021, 1, 2), D(2021, 12, 31), "year", "2 Jan 2021 – 31 Dec 2021"),
        (D(2021, 1, 1), D(2021, 1, 31), "month", "January 2021"),
    ],
)
def test_format_span(start, end, precision, shown):
    assert format_span(start, end, precision) == shown


def test_format_span_of_several_days_names_both_ends():
    shown = format_span(D(2020, 11, 10), D(2020, 11, 12), "day")
    assert "10 Nov 2020" in shown and "12 Nov 2020" in shown


# --------------------------------------------------------------------------- passages


def test_paragraph_bounds_find_the_paragraph_between_blank_lines():
    text = r.TEXT
    second = text.index("Second")
    middle = text.index("Its middle")
    start, end = paragraph_bounds(text, middle, middle + 10)
    assert start == second
    assert text[start:end] == text.split("\n\n")[1]


def test_paragraph_bounds_at_the_edges_of_the_text():
    text = r.TEXT
    assert paragraph_bounds(text, 0, 5) == (0, text.index("\n\n"))
    last = text.index("Third")
    assert paragraph_bounds(text, last + 1, last + 5) == (last, len(text))
    assert paragraph_bounds("one paragraph", 4, 6) == (0, len("one paragraph"))


def test_passage_view_highlights_the_passage_inside_its_paragraph():
    text = r.TEXT
    start = text.index("Its middle")
    end = start + len("Its middle sentence matters.")
    view = passage_view(text, start, end)
    before, mark, after = view.children
    assert before == "Second paragraph starts here. "
    assert isinstance(mark, html.Mark) and mark.children == "Its middle sentence matters."
    assert mark.className == "passage-highlight"
    assert after == " It ends here."
    assert view.className == "passage"


# --------------------------------------------------------------------------- event cards


def test_citation_item_shows_outlet_date_as_written_resolved_date_and_kind():
    outlet = r.citation("c1", ["e1"], note="supports two events")
    item = citation_item(outlet)
    assert text_of(item) == ("News.am, February 26 → 2021-02-26 (outlet)supports two events")
    assert item.className == "citation"
    edm = r.citation("c2", ["e1"], kind="edm", outlet="EDM")
    assert text_of(citation_item(edm)).endswith("(cross-reference to EDM)")
    assert len(citation_item(edm).children) == 5  # no note, no note line


def test_document_view_links_the_article_and_names_its_issue():
    view = document_view(r.document())
    link, byline, issue = view.children
    assert isinstance(link, html.A) and link.href == "https://example.org/doc-1"
    assert link.children == "Article doc-1"
    assert byline.children == "A. Author — A Publisher"
    assert issue.children == "A Series, Vol. 18, Issue 47; published 25 Mar 2021"
    bare = document_view(r.document(volume=None, issue=None, published_precision="month"))
    assert bare.children[2].children == "A Series; published March 2021"


def test_event_card_shows_dates_place_people_type_sources_article_and_passage():
    cited = r.citation("c1", ["e1"])
    event = r.event(
        "e1",
        "2021-02-26",
        "2021-03-01",
        citations=(cited,),
        date_as_written="late February",
        actors=["Armenia", "Russia"],
        passage=(r.TEXT.index("Its middle"), r.TEXT.index(" It ends")),
    )
    data = r.dataset([event])
    card = event_card(data, event)
    shown = text_of(card)
    assert "“late February” → 26 Feb 2021 – 1 Mar 2021" in shown
    assert "(precision: day; date occurred)" in shown
    assert "Place here (located to the settlement)" in shown
    assert "Armenia, Russia" in shown
    assert "What happened in e1." in shown
    assert "News.am, February 26" in shown
    assert "No citation" not in shown
    assert find_all(card, html.Mark)[0].children == "Its middle sentence matters."
    assert card.className == "event-card"
    assert card.id == {"type": "event-card", "event": "e1"}
    assert event_card(data, event, selected=True).className == "event-card selected"


def test_event_card_of_an_uncited_off_map_event_says_so():
    event = r.event("e1", "2021-02-26", place_id="off", lonlat=None, geo_precision="off-map")
    data = r.dataset([event], places=[r.place("off", None)])
    shown = text_of(event_card(data, event))
    assert "Place off (not placed on the map)" in shown
    assert "No citation in the article: not cited" in shown


def test_events_panel_puts_the_selected_event_first_then_by_date():
    events = [r.event("b", "2021-03-01"), r.event("a", "2021-03-01"), r.event("c", "2021-01-05")]
    data = r.dataset(events)
    panel = events_panel(data, events, "Heading", selected="b")
    assert panel[0].children == "Heading"
    assert panel[1].children == "3 events in the selected dates"
    assert [card.id["event"] for card in panel[2:]] == ["b", "c", "a"]
    assert [card.className for card in panel[2:]] == [
        "event-card selected",
        "event-card",
        "event-card",
    ]
    one = events_panel(data, events[:1], "H")
    assert one[1].children == "1 event in the selected dates"


def test_events_panel_without_events_says_so():
    (message,) = events_panel(r.dataset(), [], "Heading")
    assert message.children == "No events here in the selected dates."


def test_selected_event_panel_adds_the_other_events_at_its_place_in_the_window():
    chosen = r.event("chosen", "2021-03-05")
    same_place = r.event("same", "2021-03-01")
    other_place = r.event("other", "2021-03-02", place_id="there", lonlat=r.THERE)
    outside = r.event("outside", "2021-06-01")
    data = r.dataset([chosen, same_place, other_place, outside])
    panel = selected_event_panel(data, chosen, (D(2021, 3, 1), D(2021, 3, 31)))
    assert panel[0].children == "Place here"
    assert [card.id["event"] for card in panel[2:]] == ["chosen", "same"]


def test_selected_event_panel_shows_the_event_even_outside_the_window():
    chosen = r.event("chosen", "2021-06-01")
    data = r.dataset([chosen, r.event("same", "2021-03-01")])
    panel = selected_event_panel(data, chosen, (D(2021, 3, 1), D(2021, 3, 31)))
    assert [card.id["event"] for card in panel[2:]] == ["chosen", "same"]


# --------------------------------------------------------------------------- layer features


def test_feature_panel_lists_provenance_and_links_only_http_sources():
    post = r.feature(
        "post-1",
        geometry=r.point(),
        source_url="https://example.org/post",
        license="CC BY 4.0",
        valid_from="2020-11-13",
        valid_to="2023-09-30",
        area_km2=1234.56,
        compare_with="an estimate",
        note="a caveat",
        alt_names=[{"name": "Պոստ", "lang": "hy"}],
    )
    panel = feature_panel(post)
    assert panel[0].children == "Feature post-1"
    assert panel[1].children == "Also: Պոստ (hy)"
    shown = text_of(panel[2])
    for part in (
        "Peacekeeper checkpoints and posts",
        "post",
        "schematic",
        "test",
        "CC BY 4.0",
        "2020-11-13 – 2023-09-30",
        "1,234.6 km²",
        "an estimate",
    ):
        assert part in shown
    assert "not placed" not in shown
    (link,) = find_all(panel, html.A)
    assert link.href == "https://example.org/post"
    assert panel[3].children == "a caveat"


def test_feature_panel_of_an_unplaced_open_ended_feature():
    panel = feature_panel(r.feature("post-2"))
    shown = text_of(panel)
    assert "before the map starts – no end date" in shown
    assert "not placed: no coordinates in any source read" in shown
    assert panel[1] is None and panel[3] is None
    for absent in ("Source link", "Licence", "Area", "Compare with"):
        assert absent not in shown
    assert find_all(panel, html.A) == []


def test_placeholder_panel_tells_what_to_do():
    heading, hint = placeholder_panel()
    assert heading.children == "Sources"
    assert "Click a marker" in hint.children


# --------------------------------------------------------------------------- event list


def test_ordered_events_by_each_key():
    a = r.event("a", "2021-03-01", "2021-03-10", title="beta", event_type="protest")
    b = r.event("b", "2021-02-01", "2021-03-20", title="Alpha", place_id="there")
    c = r.event("c", "2021-03-01", "2021-03-05", title="gamma", event_type="agreement")
    events = [a, b, c]

    def ids(sort):
        return [e.id for e in ordered_events(events, sort)]

    assert ids("date") == ["b", "c", "a"]
    assert ids("latest") == ["a", "c", "b"]  # the date order reversed (issue 12, bug 10)
    assert ids("title") == ["b", "a", "c"]
    assert ids("type") == ["c", "b", "a"]
    assert ids("place") == ["a", "c", "b"]
    assert ids("no-such-key") == ids("date")


def test_page_count():
    size = panels.LIST_PAGE_SIZE
    assert [page_count(n) for n in (0, 1, size, size + 1, 2 * size, 2 * size + 1)] == [
        1,
        1,
        1,
        2,
        2,
        3,
    ]


def test_event_list_rows_show_date_title_type_place_and_source_count():
    cited = r.citation("c1", ["e1"])
    e1 = r.event("e1", "2021-03-01", "2021-03-31", time_precision="month", citations=(cited,))
    e2 = r.event("e2", "2021-04-02", place_id="off", lonlat=None, geo_precision="off-map")
    data = r.dataset([e1, e2], places=[r.place("here"), r.place("off", None)])
    caption, head, body = event_list(data, [e2, e1], "date", selected="e2")
    assert caption.children == "2 events in the selected dates"
    assert [th.children for th in head.children.children] == [
        "Date",
        "Event",
        "Type",
        "Place",
        "Sources",
    ]
    first, second = body.children
    assert [text_of(td) for td in first.children] == [
        "March 2021",
        "Event e1",
        "political",
        "Place here",
        "2",  # the article and the outlet it cites
    ]
    assert first.className is None
    # uncited, it still rests on one source: the article's passage (issue 12)
    assert [text_of(td) for td in second.children][3:] == ["Place off (not placed on the map)", "1"]
    assert second.className == "selected"
    button = first.children[1].children
    assert button.id == {"type": "event-row", "event": "e1"}


def test_list_page_after_each_action(monkeypatch):
    monkeypatch.setattr(panels, "LIST_PAGE_SIZE", 2)
    events = [r.event(f"e{i}", f"2021-03-0{i + 1}") for i in range(5)]  # 3 pages
    assert list_page_after("list-next", 0, events, None) == 1
    assert list_page_after("list-next", 2, events, None) == 2
    assert list_page_after("list-prev", 1, events, None) == 0
    assert list_page_after("list-prev", 0, events, None) == 0
    assert list_page_after("list-window", 2, events, None) == 0
    assert list_page_after("event-list-sort", 1, events, None) == 0
    assert list_page_after("selected-event", 0, events, "e4") == 2
    assert list_page_after("selected-event", 0, events, "e3") == 1
    assert list_page_after("selected-event", 1, events, "e0") == 0
    assert list_page_after("selected-event", 1, events, "unknown") == 1
    assert list_page_after("selected-event", 1, events, None) == 1
    assert list_page_after(None, 7, events, None) == 2
    assert list_page_after(None, -3, [], None) == 0


# --------------------------------------------------------------------------- article reader


def marks_of(view: list) -> list[html.Button]:
    return find_all(view, html.Button)


def test_article_view_keeps_the_whole_text_and_marks_each_passage():
    first = (0, r.TEXT.index(" It has"))
    third = (r.TEXT.index("Third"), len(r.TEXT))
    data = r.dataset(
        [r.event("e1", "2021-03-01", passage=first), r.event("e2", "2021-03-02", passage=third)]
    )
    heading, body = article_view(data, r.DOC_ID)
    assert heading.children == "Article doc-1"
    assert body.className == "article"
    assert text_of(body) == r.TEXT
    marks = marks_of(body)
    assert [m.children for m in marks] == ["First paragraph.", "Third and last paragraph."]
    assert [m.id for m in marks] == [
        {"type": "passage", "event": "e1"},
        {"type": "passage", "event": "e2"},
    ]
    assert marks[0].title == "Event e1 — select to read"
    assert marks[0].className == "passage-mark"


def test_article_view_merges_overlapping_passages_into_one_mark():
    a = r.TEXT.index("Second")
    b = r.TEXT.index("Its middle")
    c = r.TEXT.index(" It ends")
    events = [
        r.event("e1", "2021-03-01", passage=(a, c)),  # the first two sentences
        r.event("e2", "2021-03-02", passage=(b, len(r.TEXT.split("\n\n")[1]) + a)),
    ]
    heading, body = article_view(r.dataset(events), r.DOC_ID)
    assert text_of(body) == r.TEXT
    (mark,) = marks_of(body)
    assert mark.children == r.TEXT.split("\n\n")[1]
    assert mark.id == {"type": "passage", "event": "e1"}
    assert mark.title == "Event e1; Event e2 — select to read"


def test_article_view_merges_a_passage_inside_another_and_shared_spans():
    a = r.TEXT.index("Second")
    end = a + len(r.TEXT.split("\n\n")[1])
    b = r.TEXT.index("Its middle")
    events = [
        r.event("outer", "2021-03-01", passage=(a, end)),
        r.event("inner", "2021-03-02", passage=(b, b + 10)),
        r.event("twin", "2021-03-03", passage=(a, end)),
    ]
    (mark,) = marks_of(article_view(r.dataset(events), r.DOC_ID))
    assert mark.children == r.TEXT[a:end]  # the inner one does not shorten the outer
    assert mark.title == "Event outer; Event twin; Event inner — select to read"


def test_article_view_keeps_touching_passages_apart():
    a = r.TEXT.index("Second")
    b = r.TEXT.index("Its middle")
    events = [
        r.event("e1", "2021-03-01", passage=(a, b)),
        r.event("e2", "2021-03-02", passage=(b, b + 10)),
    ]
    body = article_view(r.dataset(events), r.DOC_ID)[1]
    assert [m.id["event"] for m in marks_of(body)] == ["e1", "e2"]
    assert text_of(body) == r.TEXT


def test_article_view_shows_only_its_own_documents_passages():
    other = r.document("doc-2")
    events = [
        r.event("mine", "2021-03-01", passage=(0, 5)),
        r.event("theirs", "2021-03-02", passage=(6, 15), document_id="doc-2"),
    ]
    data = r.dataset(events, documents=[r.document(), other])
    assert [m.id["event"] for m in marks_of(article_view(data, "doc-2"))] == ["theirs"]
    assert article_view(data, "doc-2")[0].children == "Article doc-2"


def test_a_feature_panel_names_its_layer_by_the_title_the_legend_uses():
    from dashboard import registry

    panel = feature_panel(r.feature("aor-1", LayerName.AOR, r.point(), kind="core"))
    (layer_row,) = [row for row in find_all(panel, html.Div) if text_of(row).startswith("Layer")]
    assert text_of(layer_row) == "Layer" + registry.get("aor").title
    assert "Peacekeeping area of responsibility" in text_of(layer_row)


# --------------------------------------------------------------------------- legend


def test_legend_explains_layers_certainty_events_precision_and_unplaced_posts():
    from dashboard import registry
    from dashboard.contract import EVENT_COLORS
    from dashboard.panels import legend

    data = r.dataset(
        features=[r.feature("placed", geometry=r.point()), r.feature("unplaced", name="Post X")]
    )
    shown = legend(data)
    assert shown.id == "legend" and shown.open is True
    (summary, layers, _, certainty, _, events, size_title, size_text, precision) = shown.children[
        :9
    ]
    unplaced_title, unplaced = shown.children[9:]
    assert "size" in size_title.children and "paler" in size_text.children
    assert size_text.className == "muted small"  # a note, set in small grey type
    assert summary.children == "Legend: what the colours and shapes mean"
    assert [text_of(li) for li in layers.children] == [
        "Peacekeeping area of responsibility",
        "Lachin corridor",
        "Stepanakert",
        "Peacekeeper checkpoints and posts",
        "Lachin corridor waypoints (not events)",
    ]
    assert "round" in layers.children[3].children[0].className  # posts are dots
    swatch = layers.children[0].children[0]
    assert swatch.style["backgroundColor"] == registry.get("aor").color
    assert [li.children[0].className for li in certainty.children] == [
        "swatch",
        "swatch dashed",
        "swatch dashed",
        "swatch dashed faint",  # faint: held only formally, or may already have ended
        "swatch dashed",  # the blockade on the 2022 road
    ]
    # a fill's opacity is in its colour, never the element's (which would fade the outline)
    assert all("opacity" not in li.children[0].style for li in certainty.children)
    assert certainty.children[0].children[0].style["backgroundColor"] == "rgba(49, 130, 189, 0.35)"
    assert [text_of(li) for li in events.children][:-1] == list(EVENT_COLORS)
    assert text_of(events.children[-1]) == "several types at one place"
    assert all(li.children[0].className == "swatch round" for li in events.children)
    assert [text_of(li) for li in precision.children] == [
        "located to the settlement",
        "near the marked settlement",
        "somewhere in the region; the marker stands for it",
        "somewhere in the country; the marker is its capital",
    ]
    assert unplaced_title.children == "Posts listed, not placed (no coordinates)"
    assert [li.children for li in unplaced.children] == ["Post X"]
    # each precision's dot at the size (capped at 30 px) and opacity the map draws it with
    from dashboard.contract import EVENT_MARKER

    assert [li.children[0].style for li in precision.children] == [
        {"width": f"{min(size, 30)}px", "height": f"{min(size, 30)}px",
         "backgroundColor": f"rgba(85, 85, 85, {opacity:g})"}
        for precision, (size, opacity) in EVENT_MARKER.items()
        if precision.value != "exact"  # the legend leaves "exact" out
    ]  # fmt: skip


def test_legend_without_unplaced_posts_has_no_such_section():
    from dashboard.panels import legend

    children = legend(r.dataset(features=[r.feature("placed", geometry=r.point())])).children
    assert children[-2:] == [None, None]


# --------------------------------------------------------------------------- exact structure


def rows_of(panel: list) -> list[tuple[str, str]]:
    """(label, value text) of every row of a panel's definition list."""
    (dl,) = find_all(panel, html.Dl)
    return [(row.children[0].children, text_of(row.children[1])) for row in dl.children]


def test_feature_panel_rows_are_labelled_in_order():
    post = r.feature(
        "post-1",
        geometry=r.point(),
        source_url="https://example.org/post",
        license="CC BY 4.0",
        valid_from="2020-11-13",
        area_km2=12.34,
        compare_with="an estimate",
        alt_names=[{"name": "Պոստ", "lang": "hy"}, {"name": "Post", "lang": "az"}],
    )
    panel = feature_panel(post)
    assert panel[1].children == "Also: Պոստ (hy), Post (az)"
    assert rows_of(panel) == [
        ("Layer", "Peacekeeper checkpoints and posts"),
        ("Kind", "post"),
        ("Accuracy", "schematic"),
        ("Source", "test"),
        ("Source link", "https://example.org/post"),
        ("Licence", "CC BY 4.0"),
        ("Valid", "2020-11-13 – no end date"),
        ("Area", "12.3 km²"),
        ("Compare with", "an estimate"),
    ]
    assert find_all(panel, html.Strong)[0].children == "schematic"
    assert rows_of(feature_panel(r.feature("unplaced")))[-1] == (
        "Location",
        "not placed: no coordinates in any source read",
    )


def test_citation_item_parts_carry_their_classes():
    item = citation_item(r.citation("c1", ["e1"], note="why"))
    strong, comma, written, resolved, kind, note = item.children
    assert isinstance(strong, html.Strong) and strong.children == "News.am"
    assert comma == ", "
    assert (written.className, written.children) == ("as-written", "February 26")
    assert (resolved.className, resolved.children) == ("resolved-date", " → 2021-02-26")
    assert (kind.className, kind.children) == ("muted", " (outlet)")
    assert (note.className, note.children) == ("muted small", "why")


# --------------------------------------------------------------------------- reports


def _report(**fields):
    from dashboard.model import ReportSource

    values = {
        "id": "s1",
        "kind": "report",
        "outlet": "Test Wire",
        "url": "https://example.org/report",
        "excerpt": "Seven posts were set up.",
        "language": "en",
    }
    return ReportSource.model_validate(values | fields)


def test_a_report_shows_who_when_where_republished_its_headline_whom_it_cites_and_the_quote():
    from dashboard.panels import report_item

    item = report_item(
        _report(
            published="2020-11-15",
            published_on="mirror.example",
            title="Posts set up",
            citing=["the ministry", "a spokesman"],
            language="ru",
        )
    )
    assert (item.id, item.className) == ("source-s1", "report-source")
    head, title, citing, quote = item.children
    assert head.className == "source-head"
    kind, space, link, date, republished = head.children
    assert (kind.children, kind.className, space) == ("Report", "source-kind", " ")
    assert (link.href, link.children) == ("https://example.org/report", "Test Wire")
    assert date == ", 15 Nov 2020"
    assert (republished.children, republished.className) == (
        " (as republished by mirror.example)",
        "muted",
    )
    assert (title.children, title.className) == ("“Posts set up”", "source-title")
    assert (citing.children, citing.className) == (
        "citing the ministry, a spokesman",
        "muted small",
    )
    assert isinstance(quote, html.Q)
    assert (quote.children, quote.lang, quote.className, quote.title) == (
        "Seven posts were set up.",
        "ru",
        "excerpt",
        "verbatim excerpt",
    )


def test_a_bare_official_statement_shows_who_that_its_date_is_not_recorded_and_the_quote():
    from dashboard.panels import report_item

    item = report_item(_report(kind="official", url="https://example.org/statement"))
    head, quote = item.children
    assert [text_of(c) for c in head.children] == [
        "Official statement",
        " ",
        "Test Wire",
        ", date not recorded",  # a newcomer read a dateless source as a gap
    ]
    assert find_all(head, html.A)[0].href == "https://example.org/statement"
    assert quote.children == "Seven posts were set up." and quote.lang == "en"


def test_date_sources_list_each_date_with_its_source_in_date_order():
    from dashboard.model import LayerDateSource
    from dashboard.panels import date_sources_block

    def source(**fields):
        values = {"bound": "from", "date": "2020-11-13", "basis": "reported", "outlet": "Wire A",
                  "language": "en", "confidence": "high", "checked": "test"}  # fmt: skip
        return LayerDateSource.model_validate(values | fields)

    assert date_sources_block([]) == []
    later = source(bound="to", date="2021-05-01", basis="upper-bound", note="gone by then")
    quoted = source(
        url="https://example.org/a", excerpt="Der Posten wurde errichtet.", language="de",
        published="2020-11-14",
    )  # fmt: skip
    heading, listing = date_sources_block([later, quoted])
    assert heading.children == "Dates and their sources"
    assert listing.className == "date-sources"
    first, second = listing.children
    assert text_of(first) == (
        "From 13 Nov 2020 (reported): Wire A, 14 Nov 2020 [high]Der Posten wurde errichtet."
    )
    (link,) = find_all(first, html.A)
    assert link.href == "https://example.org/a"
    (quote,) = find_all(first, html.Q)
    assert (quote.lang, quote.className) == ("de", "excerpt")  # read in its own language
    assert text_of(second) == "Until 1 May 2021 (upper-bound): Wire A [high] gone by then"
    assert find_all(second, html.A) == [] and find_all(second, html.Q) == []


def test_event_card_rows_are_labelled_in_order():
    event = r.event("e1", "2021-02-26", place_note="drawn at the district centre")
    card = event_card(r.dataset([event]), event)
    labels = [row.children[0].children for row in find_all(card, html.Dl)[0].children]
    assert labels == ["When", "Where", "Marker", "Who", "Type", "Confidence"]
    assert rows_of([card])[2:] == [
        ("Marker", "drawn at the district centre"),
        ("Who", "Someone"),
        ("Type", "political"),
        ("Confidence", "medium"),
    ]


# Classes the panels set only as names (no rule in style.css, no script reads them): hooks
# for tests and readers of the HTML. Any other class must be one the style sheet styles, or a
# rename would silently drop its look (a muted line, a link-like summary, a marked card).
UNSTYLED_HOOKS = {"alt-names", "as-written", "citation", "date-sources", "resolved-date",
                  "source-head", "summary"}  # fmt: skip


def test_every_class_the_panels_render_is_styled_or_a_known_hook():
    import re

    from dashboard.model import ReportSource

    css = (Path(__file__).resolve().parents[1] / "assets" / "style.css").read_text("utf-8")
    styled = set(re.findall(r"\.([A-Za-z][\w-]*)", css))
    source = ReportSource.model_validate(
        {
            "id": "s1",
            "kind": "report",
            "outlet": "Wire",
            "url": "https://example.org/r",
            "excerpt": "A quote.",
            "language": "en",
            "published_on": "mirror.example",
            "title": "A headline",
            "citing": ["Body X"],
        }  # fmt: skip
    )
    cited = r.citation("c1", ["e1"], note="a note")
    event = r.event("e1", "2021-02-26", citations=(cited,), sources=[source.model_dump()])
    place = r.place("here", alt_names=[{"name": "Place", "lang": "hy"}])
    post = r.feature("post-1", geometry=r.point(), note="a caveat", faint_from="2021-01-01",
                     valid_to="2021-06-01")  # fmt: skip
    data = r.dataset([event], places=[place], features=[post])
    rendered = [
        *events_panel(data, [event], "Here", "e1"),
        *panels.spot_features([post], opened="post-1"),
        *feature_panel(post),
        panels.legend(data),
    ]
    classes = {
        name
        for component in find_all(rendered, object)
        for name in (getattr(component, "className", None) or "").split()
    }
    assert {"event-card", "selected", "spot-feature", "muted", "excerpt"} <= classes
    assert classes - UNSTYLED_HOOKS <= styled, sorted(classes - UNSTYLED_HOOKS - styled)
