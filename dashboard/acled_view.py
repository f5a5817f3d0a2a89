"""ACLED events on the map and in the side panel: their own trace (layer "acled" in the
layer control), their own card. Kept apart from the curated events in every view: own
colour (violet), own layer toggle, own panel saying the words are ACLED's. They follow the
date slider and the filters (dashboard/filters.py) like everything else and are counted
beside the curated events' counter ("+ 2 ACLED"), never in it, nor in the histogram; the
event list shows them after the events, as a group of their own.

Pure functions returning plotly dicts and Dash components; data strings are text children
or escaped hover text, never HTML.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
from collections.abc import Iterable, Sequence
from typing import Any

from dash import html

from dashboard.acled import ACLED_LAYER
from dashboard.dataset import AcledEvent, Dataset, LonLat, same_point
from dashboard.days import day_number
from dashboard.filters import NO_FILTERS, Filters, acled_shown
from dashboard.panels import format_span  # the event list's dates, written alike
from dashboard.selection import Window, overlaps
from dashboard.traces import marker_trace

ACLED_COLOR = "#6a3d9a"
ACLED_TITLE = "ACLED events (imported, separate source)"
# the layer control's entry while no ACLED row has been imported (python -m dashboard import-acled)
ACLED_NONE_TITLE = "ACLED events (none imported)"
_SIZE = {"day": 9, "week": 12, "month": 15}


def acled_counter(shown: int, layer_visible: bool) -> str:
    """The ACLED rows drawn, beside the events' counter (assets/scrub.js writes the same
    words as the view changes): "+ 2 ACLED"; nothing while the layer is off."""
    return f"+ {shown} ACLED" if layer_visible else ""


def acled_in_window(events: Iterable[AcledEvent], window: Window) -> list[AcledEvent]:
    return [e for e in events if overlaps(e.props.date_start, e.props.date_end, window)]


def acled_at(
    dataset: Dataset,
    lonlat: LonLat,
    window: Window,
    visible: Iterable[str] | None,
    filters: Filters = NO_FILTERS,
) -> list[AcledEvent]:
    """ACLED events drawn at one spot in the window, passing the filters (none when the
    layer is hidden)."""
    if ACLED_LAYER not in set(visible or ()):
        return []
    return [e for e in acled_shown(dataset, filters, window) if same_point(e.lonlat, lonlat)]


def _hover(event: AcledEvent) -> str:
    p = event.props
    return (
        f"<b>ACLED {html_text.escape(p.event_id_cnty)}</b><br>"
        f"{html_text.escape(p.event_type)}: {html_text.escape(p.sub_event_type)}<br>"
        f"{p.date_start.isoformat()} – {p.date_end.isoformat()} ({p.time_precision.value})<br>"
        f"{html_text.escape(p.location)}"
    )


def acled_columns(events: Sequence[AcledEvent]) -> dict[str, list[Any]]:
    return {
        "lon": [e.lonlat[0] for e in events],
        "lat": [e.lonlat[1] for e in events],
        "customdata": [e.id for e in events],
        "text": [_hover(e) for e in events],
        "marker.size": [_SIZE.get(e.props.time_precision.value, 12) for e in events],
        "marker.opacity": [0.85 if e.props.acled_geo_precision == 1 else 0.5 for e in events],
    }


def acled_trace(events: Sequence[AcledEvent], visible: bool) -> dict[str, Any]:
    return marker_trace(
        name=ACLED_TITLE,
        layer=ACLED_LAYER,
        role="acled",
        columns=acled_columns(events),
        color=ACLED_COLOR,
        visible=visible,
    )


def acled_items(events: Sequence[AcledEvent], origin: dt.date) -> list[dict[str, int | None]]:
    return [
        {"s": day_number(e.props.date_start, origin), "e": day_number(e.props.date_end, origin)}
        for e in events
    ]


ACLED_LIST_SIZE = 25  # ACLED rows the list shows (the first, in date order)


def acled_list_rows(events: Sequence[AcledEvent]) -> list:
    """The ACLED rows in the dates and filters, after the events in the event list: a body
    of their own, headed as a separate source, the first ACLED_LIST_SIZE in date order; each
    title a button that opens its ACLED card. [] when there are none."""
    if not events:
        return []
    shown = events[:ACLED_LIST_SIZE]
    more = f"; the first {len(shown)} listed" if len(events) > len(shown) else ""
    heading = html.Tr(
        html.Th(
            f"ACLED rows in the selected dates (a separate source, violet markers): "
            f"{len(events)}{more}",
            colSpan=5,
            scope="rowgroup",
        ),
        className="acled-heading",
    )
    rows = [
        html.Tr(
            [
                html.Td(format_span(e.props.date_start, e.props.date_end, e.props.time_precision)),
                html.Td(
                    html.Button(
                        f"ACLED {e.props.event_id_cnty}: "
                        f"{e.props.sub_event_type or e.props.event_type}",
                        id={"type": "acled-row", "event": e.id},
                        className="row-button",
                        n_clicks=0,
                    )
                ),
                html.Td(f"ACLED: {e.props.event_type}"),
                html.Td(e.props.location),
                html.Td(str(len(e.props.citations))),
            ]
        )
        for e in shown
    ]
    return [html.Tbody([heading, *rows], className="acled-rows")]


def acled_panel(event: AcledEvent) -> list:
    p = event.props
    rows = [
        ("When", f"{p.date_start.isoformat()} – {p.date_end.isoformat()} "
                 f"(ACLED time precision {p.acled_time_precision} → {p.time_precision.value}; "
                 f"event_date {p.event_date.isoformat()})"),
        ("Where", f"{p.location}, {p.admin1}, {p.country} (ACLED geo precision "
                  f"{p.acled_geo_precision} → {p.geo_precision.value})"),
        ("What", f"{p.event_type} — {p.sub_event_type} ({p.disorder_type})"),
        ("Actors", ", ".join(p.actors) or "—"),
        ("Fatalities", str(p.fatalities)),
        ("Sources (as ACLED lists them)", "; ".join(
            c.outlet + (f" ({c.source_scale})" if c.source_scale else "") for c in p.citations
        ) or "—"),
    ]  # fmt: skip
    return [
        html.Article(
            [
                html.H3(f"ACLED {p.event_id_cnty}: {p.event_type}"),
                html.P(
                    "Imported from an ACLED export: a separate source, not from the articles.",
                    className="muted",
                ),
                html.Dl([html.Div([html.Dt(k), html.Dd(v)], className="kv") for k, v in rows]),
                html.H4("ACLED's notes"),
                html.P(p.summary or "—", className="summary"),
                html.P(f"ACLED timestamp {p.timestamp}", className="muted small"),
            ],
            className="acled-card",
            id={"type": "acled-card", "event": p.id},
        )
    ]
