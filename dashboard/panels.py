"""The side panel, the event list, the article reader and the legend, as Dash components
built from data.

Every string from the data goes in as a component child or prop, which React renders as text:
nothing here builds HTML from data, and links are only emitted for http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
from dash import html

from dashboard import registry
from dashboard.asof import event_history
from dashboard.contract import (
    AREA_OPACITY,
    BLOCKADE_STYLE,
    EVENT_COLORS,
    EVENT_MARKER,
    FAINT_FACTOR,
    SEVERAL_TYPES_COLOR,
)
from dashboard.dataset import Dataset, Event, LayerFeature
from dashboard.days import format_date
from dashboard.model import (
    ARTICLE_SOURCE_ID,
    Accuracy,
    Citation,
    DateBound,
    Document,
    GeoPrecision,
    LayerDateSource,
    ReportSource,
    SourceKind,
)
from dashboard.provenance import independent_outlets, relayed_statement, source_count
from dashboard.selection import Window
from dashboard.tables import EventTable, EventView

# Rows per page of the event list. Dash's renderer does work per component on every update,
# so a long table would slow every slider step (bench/scrub.py: ~25 ms at 50 rows vs 10).
LIST_PAGE_SIZE = 25
SORT_KEYS = {
    "date": lambda e: (e.props.date_start, e.props.date_end, e.id),
    "title": lambda e: (e.props.title.lower(), e.id),
    "type": lambda e: (e.props.event_type.value, e.props.date_start, e.id),
    "place": lambda e: (e.props.place_id, e.props.date_start, e.id),
}


PRECISION_WORDS = {  # how the marker relates to the event, in words a reader can use
    GeoPrecision.EXACT: "located exactly",
    GeoPrecision.SETTLEMENT: "located to the settlement",
    GeoPrecision.NEAR: "near the marked settlement",
    GeoPrecision.REGION: "somewhere in the region; the marker stands for it",
    GeoPrecision.COUNTRY: "somewhere in the country; the marker is its capital",
    GeoPrecision.OFF_MAP: "not placed on the map",
}


def safe_link(url: str | None, text: str) -> html.A | html.Span:
    """A link only for http(s) URLs; anything else (javascript:, data:) stays plain text."""
    if url and re.match(r"^https?://", url.strip(), flags=re.IGNORECASE):
        return html.A(text, href=url.strip(), target="_blank", rel="noopener noreferrer")
    return html.Span(text)


def format_span(start: dt.date, end: dt.date, precision: str) -> str:
    if precision == "month" and start.day == 1:
        return f"{start:%B %Y}"
    if precision == "year" and start.month == 1 and start.day == 1:
        return str(start.year)
    if start == end:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


def _row(label: str, *value) -> html.Div:
    return html.Div([html.Dt(label), html.Dd(list(value))], className="kv")


# --------------------------------------------------------------------------- passages


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between blank lines) that holds text[start:end]."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    return para_start, len(text) if para_end < 0 else para_end


def passage_view(text: str, start: int, end: int) -> html.Blockquote:
    """The event's paragraph, with its own sentence(s) highlighted."""
    para_start, para_end = paragraph_bounds(text, start, end)
    return html.Blockquote(
        [
            text[para_start:start],
            html.Mark(text[start:end], className="passage-highlight"),
            text[end:para_end],
        ],
        className="passage",
    )


# --------------------------------------------------------------------------- event cards


def citation_item(citation: Citation, show_note: bool = True) -> html.Li:
    kind = "cross-reference to EDM" if citation.kind.value == "edm" else "outlet"
    parts: list = [
        html.Strong(citation.outlet),
        ", ",
        html.Span(citation.date_as_written, className="as-written"),
        html.Span(f" → {citation.date.isoformat()}", className="resolved-date"),
        html.Span(f" ({kind})", className="muted"),
    ]
    if citation.note and show_note:
        parts.append(html.Div(citation.note, className="muted small"))
    return html.Li(parts, className="citation")


def citation_list(citations: Sequence[Citation]) -> list:
    """The citations, each note under its outlet; a note several outlets share, once below."""
    counts: dict[str, int] = {}
    for citation in citations:
        if citation.note:
            counts[citation.note] = counts.get(citation.note, 0) + 1
    shared = [note for note, n in counts.items() if n > 1]
    items = [citation_item(c, show_note=c.note not in shared) for c in citations]
    notes = [html.P(note, className="muted small shared-note") for note in shared]
    return [html.Ul(items, className="citations"), *notes]


def document_view(document: Document) -> html.Div:
    issue = ", ".join(
        part
        for part in (
            document.series,
            f"Vol. {document.volume}" if document.volume is not None else "",
            f"Issue {document.issue}" if document.issue is not None else "",
        )
        if part
    )
    published = (
        f"{document.published:%B %Y}"
        if document.published_precision.value == "month"
        else format_date(document.published)
    )
    return html.Div(
        [
            safe_link(document.url, document.title),
            html.Div(f"{document.author} — {document.publisher}"),
            html.Div(f"{issue}; published {published}", className="muted"),
        ],
        className="document",
    )


SOURCE_KIND_LABELS = {
    SourceKind.REPORT: "Report",
    SourceKind.OFFICIAL: "Official statement",
}


def report_item(source: ReportSource) -> html.Li:
    """One report or official statement: who, when, the link, and its short verbatim excerpt."""
    heading: list = [
        html.Span(SOURCE_KIND_LABELS[source.kind], className="source-kind"),
        " ",
        safe_link(source.url, source.outlet),
    ]
    if source.published is not None:
        heading.append(f", {format_date(source.published)}")
    else:  # the research notes kept no date for it: say so rather than leave a gap
        heading.append(html.Span(", date not recorded", className="muted"))
    if source.published_on:
        heading.append(html.Span(f" (as republished by {source.published_on})", className="muted"))
    parts: list = [html.Div(heading, className="source-head")]
    if source.title:
        parts.append(html.Div(f"“{source.title}”", className="source-title"))
    if source.citing:
        parts.append(html.Div(f"citing {', '.join(source.citing)}", className="muted small"))
    parts.append(
        html.Q(source.excerpt, lang=source.language, className="excerpt", title="verbatim excerpt")
    )
    return html.Li(parts, className="report-source", id=f"source-{source.id}")


def _source_names(event: Event, ids: Sequence[str], document: Document | None) -> str:
    """The outlets of the event's sources `ids`, once each; the article is named by its
    publisher (the model lets claims and versions cite it only on events from an article)."""
    by_id = {s.id: s.outlet for s in event.props.sources}
    if document is not None:
        by_id[ARTICLE_SOURCE_ID] = document.publisher
    return ", ".join(dict.fromkeys(by_id[i] for i in ids))


def claims_view(event: Event, document: Document | None) -> list:
    return [
        html.Div(
            [
                html.Strong(f"Claim by {claim.by}: "),
                claim.says,
                html.Span(
                    f" (reported by {_source_names(event, claim.sources, document)})",
                    className="muted",
                ),
            ],
            className="claim",
        )
        for claim in event.props.claims
    ]


def disagreements_view(event: Event, document: Document | None) -> list:
    views = []
    for disagreement in event.props.disagreements:
        views.append(
            html.Div(
                [
                    html.Strong(
                        f"Sources disagree on the {disagreement.about.value}: {disagreement.what}"
                    ),
                    html.Ul(
                        [
                            html.Li(
                                [
                                    html.Span(version.value, className="version-value"),
                                    " — ",
                                    _source_names(event, version.sources, document),
                                ],
                                className="version",
                            )
                            for version in disagreement.versions
                        ]
                    ),
                    html.P(disagreement.note, className="muted small")
                    if disagreement.note
                    else None,
                ],
                className="disagreement",
            )
        )
    return views


def outlets_line(event: Event, document: Document | None) -> html.P:
    outlets = independent_outlets(event.props.sources, event.citations, document)
    count = len(outlets)
    text = f"Reported by {count} independent outlet{'s' if count != 1 else ''}: "
    text += ", ".join(outlets) + "."
    relayed = relayed_statement(event.props.sources)
    if relayed:
        text += f" All of these relay a statement by {relayed}: they confirm what was said."
    return html.P(text, className="outlet-count")


def event_card(dataset: Dataset, event: Event, selected: bool = False) -> html.Article:
    props = event.props
    place = dataset.places[props.place_id].props
    document = dataset.documents[props.document_id] if props.document_id else None
    when = format_span(props.date_start, props.date_end, props.time_precision.value)
    where = place.name
    also = ", ".join(f"{a.name} ({a.lang})" for a in place.alt_names)
    rows = [
        _row(
            "When",
            f"“{props.date_as_written}” → {when}",
            html.Span(
                f" (precision: {props.time_precision.value}; date {props.date_basis.value})",
                className="muted",
            ),
        ),
        _row(
            "Where",
            where,
            html.Span(f" ({PRECISION_WORDS[props.geo_precision]})", className="muted"),
            html.Div(f"also: {also}", className="muted small alt-names") if also else None,
        ),
    ]
    if props.place_note:
        rows.append(_row("Marker", props.place_note))
    rows += [
        _row("Who", ", ".join(props.actors)),
        _row("Type", props.event_type.value),
        _row("Confidence", props.confidence.value),
    ]
    body: list = [
        html.H3(props.title),
        html.Dl(rows),
        html.P(props.summary, className="summary"),
        *claims_view(event, document),
        *disagreements_view(event, document),
        html.H4("Sources"),
        outlets_line(event, document),
    ]
    if props.sources:
        body.append(html.Ul([report_item(s) for s in props.sources], className="reports"))
    if document is not None and props.passage is not None:
        text = dataset.texts[document.id]
        cited: list = (
            citation_list(event.citations)
            if event.citations
            else [html.P(f"No citation in the article: {props.uncited_reason}", className="muted")]
        )
        body += [
            html.H4("Article"),
            document_view(document),
            html.H5("Outlets the article cites (as it cites them)"),
            *cited,
            html.H5("Passage"),
            passage_view(text, props.passage.start, props.passage.end),
        ]
    body += event_history(dataset, props.id)
    return html.Article(
        body,
        className="event-card" + (" selected" if selected else ""),
        id={"type": "event-card", "event": props.id},
        # focus moves here after a selection (assets/focus.js), so keyboard and screen-reader
        # users land on what they chose
        tabIndex="-1",
        **{"aria-label": props.title},
    )


def events_panel(
    dataset: Dataset, events: Sequence[Event], heading: str, selected: str | None = None
) -> list:
    if not events:
        return [html.P("No events here in the selected dates.", className="muted")]
    ordered = sorted(events, key=lambda e: (e.id != selected, e.props.date_start, e.id))
    count = len(ordered)
    return [
        html.H2(heading),
        html.P(
            f"{count} event{'s' if count != 1 else ''} in the selected dates", className="muted"
        ),
        *[event_card(dataset, e, e.id == selected) for e in ordered],
    ]


def selected_event_panel(dataset: Dataset, event: Event, window: Window) -> list:
    """The selected event first, then the others at its place in the window."""
    in_window = dataset.events.window(window)
    place = dataset.events.place_row(event.props.place_id)
    same_place = in_window.take(np.flatnonzero(in_window.column("place") == place))
    here = [e for e in same_place if e.id != event.id]
    heading = dataset.places[event.props.place_id].props.name
    return events_panel(dataset, [event, *here], heading, event.id)


# --------------------------------------------------------------------------- layer features


def spot_features(features: Sequence[LayerFeature], opened: str | None = None) -> list:
    """Reference features drawn where a clicked marker is, folded (the one with the id
    `opened` unfolded), before the event cards."""
    if not features:
        return []
    return [
        html.Div(
            [
                html.H3("Also at this spot", className="spot-heading"),
                *[
                    html.Details(
                        [html.Summary(f.props.name), *feature_panel(f)[1:]],
                        className="spot-feature",
                        id=f"spot-{f.props.id}",
                        open=f.props.id == opened,
                    )
                    for f in features
                ],
            ],
            className="spot-features",
        )
    ]


def feature_panel(feature: LayerFeature) -> list:
    props = feature.props
    alt = ", ".join(f"{a.name} ({a.lang})" for a in props.alt_names)
    validity = (
        f"{props.valid_from.isoformat() if props.valid_from else 'before the map starts'} – "
        f"{props.valid_to.isoformat() if props.valid_to else 'no end date'}"
    )
    rows = [
        _row("Layer", registry.get(props.layer).title),  # as the legend and control say
        _row("Kind", props.kind),
        _row("Accuracy", html.Strong(props.accuracy.value)),
        _row("Source", props.source),
    ]
    if props.source_url:
        rows.append(_row("Source link", safe_link(props.source_url, props.source_url)))
    if props.license:
        rows.append(_row("Licence", props.license))
    rows.append(_row("Valid", validity))
    if props.faint_from:
        rows.append(
            _row(
                "Drawn faint from",
                f"{format_date(props.faint_from)}: held only formally, or may already have "
                "ended (see the note)",
            )
        )
    if props.area_km2 is not None:
        rows.append(_row("Area", f"{props.area_km2:,.1f} km²"))
    if props.compare_with:
        rows.append(_row("Compare with", props.compare_with))
    if feature.geometry is None:
        rows.append(_row("Location", "not placed: no coordinates in any source read"))
    return [
        html.H2(props.name),
        html.P(f"Also: {alt}", className="muted") if alt else None,
        html.Dl(rows),
        html.P(props.note, className="note") if props.note else None,
        *date_sources_block(props.date_sources),
    ]


BOUND_LABELS = {
    DateBound.FROM: "From",
    DateBound.TO: "Until",
    DateBound.FAINT_FROM: "Faint from",
    DateBound.CHANGE: "Change",
}


def date_sources_block(sources: Sequence[LayerDateSource]) -> list:
    """Each date of a reference feature with the source it rests on (text, never HTML)."""
    if not sources:
        return []
    items = []
    for s in sorted(sources, key=lambda s: (s.date, s.bound.value)):
        published = f", {format_date(s.published)}" if s.published else ""
        head = f"{BOUND_LABELS[s.bound]} {format_date(s.date)} ({s.basis.value}): "
        body = [head, safe_link(s.url, s.outlet + published)]
        body.append(f" [{s.confidence}]")
        if s.excerpt:
            body.append(html.Q(s.excerpt, lang=s.language, className="excerpt"))
        if s.note:
            body.append(html.Span(f" {s.note}", className="muted"))
        items.append(html.Li(body))
    return [html.H3("Dates and their sources"), html.Ul(items, className="date-sources")]


def placeholder_panel() -> list:
    return [
        html.H2("Sources"),
        html.P(
            "Click a marker or a layer on the map, or pick an event in the list, to read what "
            "happened, which outlets the article cites, and the passage it comes from.",
            className="muted",
        ),
    ]


# --------------------------------------------------------------------------- event list


def ordered_events(events: Sequence[Event], sort: str) -> list[Event]:
    if sort == "latest":  # exactly the date order reversed (by start), not by end date
        return sorted(events, key=SORT_KEYS["date"], reverse=True)
    return sorted(events, key=SORT_KEYS.get(sort, SORT_KEYS["date"]))


def page_count(n_events: int) -> int:
    return max(1, -(-n_events // LIST_PAGE_SIZE))


def event_list(
    dataset: Dataset,
    events: Sequence[Event],
    sort: str,
    selected: str | None,
    page: int = 0,
    ordered: bool = False,
) -> list:
    """One page of the events as table rows; `page` is clamped to the pages there are.
    `ordered`: the events are already in `sort`'s order (no second sort)."""
    ordered_list = events if ordered else ordered_events(events, sort)
    page = min(max(page, 0), page_count(len(ordered_list)) - 1)
    first = page * LIST_PAGE_SIZE
    shown = ordered_list[first : first + LIST_PAGE_SIZE]
    rows = []
    for event in shown:
        props = event.props
        place = dataset.places[props.place_id].props.name
        rows.append(
            html.Tr(
                [
                    html.Td(format_span(props.date_start, props.date_end, props.time_precision)),
                    html.Td(
                        html.Button(
                            props.title,
                            id={"type": "event-row", "event": props.id},
                            className="row-button",
                            n_clicks=0,
                        )
                    ),
                    html.Td(props.event_type.value),
                    # an event with no point (a region, a country) is listed but not drawn
                    html.Td(place + ("" if event.lonlat else " (not placed on the map)")),
                    html.Td(str(source_count(event))),
                ],
                className="selected" if props.id == selected else None,
            )
        )
    total = len(ordered_list)
    caption = f"{total} event{'s' if total != 1 else ''} in the selected dates"
    if len(ordered_list) > len(shown):
        caption += f"; {first + 1}–{first + len(shown)} shown (page {page + 1} of "
        caption += f"{page_count(len(ordered_list))})"
    return [
        html.Caption(caption),
        html.Thead(
            html.Tr(
                [html.Th(t, scope="col") for t in ("Date", "Event", "Type", "Place", "Sources")]
            )
        ),
        html.Tbody(rows),
    ]


def list_page_after(
    trigger: str | None, page: int, ordered: Sequence[Event], selected: str | None
) -> int:
    """The list page to show after a user action.

    Paging buttons move one page; new dates or a new order start again at the first page; a
    newly selected event turns to the page that holds it (else the page stays).
    """
    last = page_count(len(ordered)) - 1
    if trigger == "list-prev":
        page -= 1
    elif trigger == "list-next":
        page += 1
    elif trigger in ("list-window", "event-list-sort"):
        page = 0
    elif trigger == "selected-event" and selected:
        if isinstance(ordered, EventView):  # looked up, no event made
            index = ordered.position(selected)
        else:
            index = next((i for i, e in enumerate(ordered) if e.id == selected), None)
        if index is not None:
            page = index // LIST_PAGE_SIZE
    return min(max(page, 0), last)


# --------------------------------------------------------------------------- article reader


def document_label(document: Document) -> str:
    """How the reader's document picker names a document: title, author, date."""
    published = (
        f"{document.published:%B %Y}"
        if document.published_precision.value == "month"
        else format_date(document.published)
    )
    return f"{document.title} — {document.author}, {published}"


def document_choices(dataset: Dataset) -> list[dict[str, str]]:
    """Every seed document as a picker option, newest first (then by title)."""
    ordered = sorted(
        dataset.documents.values(), key=lambda d: (-d.published.toordinal(), d.title, d.id)
    )
    return [{"label": document_label(d), "value": d.id} for d in ordered]


MARK_TITLES = 10  # a mark's tooltip names this many of its events, then counts the rest


def passage_marks(table: EventTable, document_id: str) -> list[tuple[int, int, np.ndarray]]:
    """(start, end, rows) of each passage of a document that events come from, in text
    order, from the table's passage columns. Overlapping passages are one mark: the earliest
    keeps its start, and the later one's events join it (rows in the table's order)."""
    row = table.document_row(document_id)  # -1 if no event comes from it
    # (-1 picks no row either: an event from no document has no passage, passage_start -1)
    rows = np.flatnonzero((table.column("document") == row) & (table.column("passage_start") >= 0))
    if not len(rows):
        return []
    # One int64 per span (start in the high bits): a 1-D unique, in (start, end) order.
    spans = table.column("passage_start")[rows].astype(np.int64) << 32
    spans |= table.column("passage_end")[rows].astype(np.int64)
    keys, inverse = np.unique(spans, return_inverse=True)
    unique = np.stack([keys >> 32, keys & 0xFFFFFFFF], 1)
    inverse = inverse.ravel()
    grouped = rows[np.argsort(inverse, kind="stable")]
    ends = np.cumsum(np.bincount(inverse))  # every unique span occurs: one count each
    marks: list[tuple[int, int, np.ndarray]] = []
    for (start, end), members in zip(unique.tolist(), np.split(grouped, ends[:-1]), strict=True):
        if marks and start < marks[-1][1]:
            first, last, earlier = marks[-1]
            marks[-1] = (first, max(end, last), np.concatenate([earlier, members]))
        else:
            marks.append((start, end, members))
    return marks


def article_view(dataset: Dataset, document_id: str, selected: str | None = None) -> list:
    """The whole seed text with every event's passage marked; marks select their events.

    The selected event's passage is set apart (class `selected`, aria-current) and
    assets/focus.js scrolls the reader to it.
    """
    if document_id not in dataset.documents:
        return [html.P("No such document in seeds/: pick one from the list.", className="muted")]
    text = dataset.texts[document_id]
    table = dataset.events
    selected_row = table.position(selected) if selected else None
    children: list = []
    cursor = 0
    for start, end, rows in passage_marks(table, document_id):
        children.append(text[cursor:start])
        is_selected = selected_row is not None and bool(np.any(rows == selected_row))
        extra = {"aria-current": "true"} if is_selected else {}
        titles = [table.titles[i] for i in rows[:MARK_TITLES].tolist()]
        if len(rows) > MARK_TITLES:
            titles.append(f"and {len(rows) - MARK_TITLES:,} more")
        children.append(
            html.Button(
                text[start:end],
                id={"type": "passage", "event": selected if is_selected else table.ids[rows[0]]},
                className="passage-mark" + (" selected" if is_selected else ""),
                title="; ".join(titles) + " — select to read",
                n_clicks=0,
                **extra,
            )
        )
        cursor = end
    children.append(text[cursor:])
    return [html.H2(dataset.documents[document_id].title), html.Div(children, className="article")]


# --------------------------------------------------------------------------- legend


def _fill(color: str, opacity: float) -> str:
    """A fill at the opacity the map draws it with, as a colour: the swatch's outline stays
    at full strength (an element's opacity would fade its outline too, and the faint swatch
    was all but invisible)."""
    if opacity >= 1:
        return color
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity:g})"


def _swatch(
    color: str, opacity: float = 1.0, dashed: bool = False, round_: bool = False, kind: str = ""
):
    style = {"backgroundColor": _fill(color, opacity)}
    cls = " ".join(["swatch", *(["dashed"] if dashed else []), *(["round"] if round_ else [])])
    return html.Span(className=cls + (f" {kind}" if kind else ""), style=style)


def legend(dataset: Dataset) -> html.Div:
    """What the styling means: the layer colours, how uncertainty looks, the event colours."""
    # Posts are drawn as dots: their swatch is round (issue 12, bug 9).
    layer_rows = [
        html.Li([_swatch(layer.color, round_=layer.name == "peacekeeper_posts"), layer.title])
        for layer in registry.reference_layers()
    ] + [
        html.Li(
            [
                _swatch(registry.get("lachin_corridor").color, round_=True),
                "Lachin corridor waypoints (not events)",
            ]
        )
    ]
    area = registry.get("aor").color  # how certain a geometry is, shown on the area's colour
    certainty_rows = [
        html.Li([_swatch(area, AREA_OPACITY[a], dashed=a is not Accuracy.VERIFIED), label])
        for a, label in (
            (Accuracy.VERIFIED, "verified: solid"),
            (Accuracy.APPROXIMATE, "approximate: lighter, dashed outline"),
            (Accuracy.SCHEMATIC, "schematic: palest, dotted outline"),
        )
    ] + [
        html.Li(
            [
                _swatch(
                    area,
                    AREA_OPACITY[Accuracy.SCHEMATIC] * FAINT_FACTOR,
                    dashed=True,
                    kind="faint",
                ),
                "faint: held only formally (the area after 20 Sep 2023), or may already have "
                "ended (a post whose closing day is unknown)",
            ]
        ),
        html.Li(
            [
                _swatch(BLOCKADE_STYLE["color"], dashed=True),
                "dark red dashes on the 2022 road: the blockade, phase by phase",
            ]
        ),
    ]
    event_rows = [
        html.Li([_swatch(color, round_=True), kind]) for kind, color in EVENT_COLORS.items()
    ] + [html.Li([_swatch(SEVERAL_TYPES_COLOR, round_=True), "several types at one place"])]
    precision_rows = [
        html.Li(
            [
                html.Span(
                    className="swatch round",
                    style={
                        "width": f"{min(size, 30)}px",
                        "height": f"{min(size, 30)}px",
                        "backgroundColor": _fill("#555555", opacity),
                    },
                ),
                PRECISION_WORDS[precision],
            ]
        )
        for precision, (size, opacity) in EVENT_MARKER.items()
        if precision is not GeoPrecision.EXACT
    ]
    unlocated = [
        html.Li(f.props.name)
        for layer in registry.reference_layers()
        for f in dataset.layers.get(layer.name, ())
        if f.geometry is None
    ]
    return html.Details(
        [
            html.Summary("Legend: what the colours and shapes mean"),
            html.Ul(layer_rows, className="legend-list"),
            html.H4("Certainty of geometry"),
            html.Ul(certainty_rows, className="legend-list"),
            html.H4("Events (one marker per place, white rim)"),
            html.Ul(event_rows, className="legend-list"),
            html.H4("Marker size and paleness: how precisely the place is known"),
            html.P(
                "The vaguer an event's place, the larger and paler its marker: a pinpoint is "
                "small and solid; an event placed only to a region or a country is a wide, "
                "translucent disc.",
                className="muted small",
            ),
            html.Ul(precision_rows, className="legend-list"),
            html.H4("Posts listed, not placed (no coordinates)") if unlocated else None,
            html.Ul(unlocated, className="unlocated") if unlocated else None,
        ],
        id="legend",
        className="legend",
        open=True,
    )
