"""The page: map, time controls, layer control and legend, source panel, event list, reader.

Stable element ids (tests and other tools drive the page through them): `map`, `date-range`,
`play`, `step-prev`, `step-next`, `event-count`, `layer-toggle`, `detail-panel`,
`event-list`, `event-list-sort`, `article-view`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from dash import dcc, html

from dashboard.figures import (
    AREA_OPACITY,
    EVENT_COLORS,
    EVENT_MARKER,
    LAYER_COLORS,
    LAYER_TITLES,
    SEVERAL_TYPES_COLOR,
    map_figure,
    scrub_model,
)
from dashboard.loading import Dataset
from dashboard.model import REFERENCE_LAYERS, Accuracy, GeoPrecision
from dashboard.panels import (
    LIST_PAGE_SIZE,
    article_view,
    event_list,
    page_count,
    placeholder_panel,
    selected_event_panel,
)
from dashboard.selection import events_in_window, timeline_bounds
from dashboard.viewstate import EVENTS_LAYER, TOGGLEABLE_LAYERS, ViewState

GRAPH_CONFIG = {"scrollZoom": True, "displaylogo": False, "responsive": True}


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    current = dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def slider_marks(bounds: tuple[dt.date, dt.date]) -> dict[int, str]:
    """A mark at every month start in the span; labels on quarters so they stay readable."""
    months = [m for m in _month_starts(*bounds) if m >= bounds[0]]
    label_every = 3 if len(months) <= 18 else 6 if len(months) <= 48 else 12
    return {
        (m - bounds[0]).days: (f"{m:%b %Y}" if (m.month - 1) % label_every == 0 else "")
        for m in months
    }


def histogram_figure(dataset: Dataset) -> dict:
    """Events per month (by start date), a small static chart above the slider."""
    counts = Counter(
        dt.date(e.props.date_start.year, e.props.date_start.month, 1) for e in dataset.events
    )
    months = sorted(counts)
    bounds = timeline_bounds(dataset)
    return {
        "data": [
            {
                "type": "bar",
                "x": [m.isoformat() for m in months],
                "y": [counts[m] for m in months],
                "marker": {"color": "#6b7b8c"},
                "hovertemplate": "%{x|%b %Y}: %{y} events<extra></extra>",
                "xperiod": "M1",
                "xperiodalignment": "start",
            }
        ],
        "layout": {
            "height": 64,
            "margin": {"l": 10, "r": 10, "t": 4, "b": 4},
            "xaxis": {
                "range": [bounds[0].isoformat(), bounds[1].isoformat()],
                "visible": False,
                "type": "date",
            },
            "yaxis": {"visible": False, "fixedrange": True},
            "bargap": 0.1,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def _swatch(color: str, opacity: float = 1.0, dashed: bool = False, round_: bool = False):
    style = {"backgroundColor": color, "opacity": opacity}
    cls = "swatch" + (" dashed" if dashed else "") + (" round" if round_ else "")
    return html.Span(className=cls, style=style)


def legend(dataset: Dataset) -> html.Div:
    """What the styling means: the layer colours, how uncertainty looks, the event colours."""
    layer_rows = [
        html.Li([_swatch(LAYER_COLORS[layer]), LAYER_TITLES[layer]]) for layer in REFERENCE_LAYERS
    ]
    certainty_rows = [
        html.Li([_swatch("#3182bd", AREA_OPACITY[a], dashed=a is not Accuracy.VERIFIED), label])
        for a, label in (
            (Accuracy.VERIFIED, "verified: solid"),
            (Accuracy.APPROXIMATE, "approximate: lighter, dashed outline"),
            (Accuracy.SCHEMATIC, "schematic: palest, dotted outline"),
        )
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
                        "backgroundColor": "#555",
                        "opacity": opacity,
                    },
                ),
                f"located to {precision.value}",
            ]
        )
        for precision, (size, opacity) in EVENT_MARKER.items()
        if precision is not GeoPrecision.EXACT
    ]
    unlocated = [
        html.Li(f.props.name)
        for layer in REFERENCE_LAYERS
        for f in dataset.layers.get(layer, ())
        if f.geometry is None
    ]
    return html.Details(
        [
            html.Summary("Legend: what the colours and shapes mean"),
            html.Ul(layer_rows, className="legend-list"),
            html.H4("Certainty of geometry"),
            html.Ul(certainty_rows, className="legend-list"),
            html.H4("Events (one marker per place)"),
            html.Ul(event_rows, className="legend-list"),
            html.Ul(precision_rows, className="legend-list"),
            html.H4("Posts listed, not placed (no coordinates)") if unlocated else None,
            html.Ul(unlocated, className="unlocated") if unlocated else None,
        ],
        id="legend",
        className="legend",
        open=True,
    )


def layer_toggle(view: ViewState) -> dcc.Checklist:
    titles = {layer.value: LAYER_TITLES[layer] for layer in REFERENCE_LAYERS}
    titles[EVENTS_LAYER] = "Events from the articles"
    return dcc.Checklist(
        id="layer-toggle",
        options=[{"label": titles[name], "value": name} for name in TOGGLEABLE_LAYERS],
        value=list(view.visible_layers),
        className="layer-toggle",
        inputClassName="layer-toggle-input",
    )


def build_layout(dataset: Dataset, view: ViewState) -> html.Div:
    bounds = timeline_bounds(dataset)
    span_days = (bounds[1] - bounds[0]).days
    window_days = [(view.window[0] - bounds[0]).days, (view.window[1] - bounds[0]).days]
    in_window = events_in_window(dataset.events, view.window)
    selected_event = dataset.event(view.selected_event) if view.selected_event else None
    panel = (
        selected_event_panel(dataset, selected_event, view.window)
        if selected_event is not None
        else placeholder_panel()
    )
    first_document = next(iter(dataset.documents), None)

    return html.Div(
        [
            html.Header(
                [
                    html.H1("Russia's Karabakh protectorate, 2020–2023"),
                    html.P(
                        "Reference layers and dated events from analysis articles. Every "
                        "geometry states its source and accuracy; every event links to the "
                        "passage and the outlets its article cites.",
                        className="muted",
                    ),
                ],
                className="page-header",
            ),
            html.Main(
                [
                    html.Section(
                        [
                            html.Div(
                                dcc.Graph(
                                    id="map",
                                    figure=map_figure(dataset, view),
                                    config=GRAPH_CONFIG,
                                    style={"height": "100%"},
                                    clear_on_unhover=True,
                                ),
                                className="map-frame",
                            ),
                            html.Div(
                                [
                                    html.Div(
                                        [
                                            html.Button(
                                                "▶ Play", id="play", n_clicks=0, className="control"
                                            ),
                                            dcc.Dropdown(
                                                id="play-speed",
                                                options=[
                                                    {"label": "1 day / step", "value": 1},
                                                    {"label": "1 week / step", "value": 7},
                                                    {"label": "1 month / step", "value": 30},
                                                ],
                                                value=7,
                                                clearable=False,
                                                searchable=False,
                                                className="play-speed",
                                            ),
                                            html.Button(
                                                "◀ Previous event",
                                                id="step-prev",
                                                n_clicks=0,
                                                className="control",
                                            ),
                                            html.Button(
                                                "Next event ▶",
                                                id="step-next",
                                                n_clicks=0,
                                                className="control",
                                            ),
                                            html.Span(
                                                id="date-range-label", className="window-label"
                                            ),
                                            html.Span(
                                                f"{len(in_window)} of {len(dataset.events)} events",
                                                id="event-count",
                                                className="counter",
                                                **{"aria-live": "polite"},
                                            ),
                                        ],
                                        className="time-controls",
                                    ),
                                    dcc.Graph(
                                        id="timeline-histogram",
                                        figure=histogram_figure(dataset),
                                        config={"staticPlot": True},
                                        className="histogram",
                                    ),
                                    dcc.RangeSlider(
                                        id="date-range",
                                        min=0,
                                        max=span_days,
                                        step=1,
                                        value=window_days,
                                        marks=slider_marks(bounds),
                                        allowCross=False,
                                        # day numbers mean nothing to a reader; the window's
                                        # dates are written out beside the play button
                                        allow_direct_input=False,
                                        updatemode="drag",
                                        className="date-range",
                                    ),
                                    dcc.Interval(id="play-timer", interval=700, disabled=True),
                                ],
                                className="time-panel",
                            ),
                        ],
                        className="map-column",
                    ),
                    html.Aside(
                        [
                            html.H3("Layers"),
                            layer_toggle(view),
                            html.Div(
                                panel,
                                id="detail-panel",
                                className="detail-panel",
                                role="region",
                                **{"aria-live": "polite", "aria-label": "Sources"},
                            ),
                            legend(dataset),
                        ],
                        className="sidebar",
                    ),
                ],
                className="main",
            ),
            html.Section(
                [
                    html.Div(
                        [
                            html.H2("Events in the selected dates"),
                            html.Label("Sort by", htmlFor="event-list-sort"),
                            dcc.RadioItems(
                                id="event-list-sort",
                                options=[
                                    {"label": "date", "value": "date"},
                                    {"label": "latest first", "value": "latest"},
                                    {"label": "title", "value": "title"},
                                    {"label": "type", "value": "type"},
                                    {"label": "place", "value": "place"},
                                ],
                                value="date",
                                inline=True,
                            ),
                            html.Div(
                                [
                                    html.Button(
                                        f"◀ Previous {LIST_PAGE_SIZE}",
                                        id="list-prev",
                                        className="control",
                                        disabled=True,
                                    ),
                                    html.Button(
                                        f"Next {LIST_PAGE_SIZE} ▶",
                                        id="list-next",
                                        className="control",
                                        disabled=page_count(len(in_window)) <= 1,
                                    ),
                                ],
                                className="list-pager",
                                role="group",
                                **{"aria-label": "Pages of the event list"},
                            ),
                        ],
                        className="list-header",
                    ),
                    html.Table(
                        event_list(dataset, in_window, "date", view.selected_event),
                        id="event-list",
                        className="event-list",
                    ),
                ],
                className="list-section",
            ),
            html.Details(
                [
                    html.Summary("Read the whole article, with every event's passage marked"),
                    html.Div(
                        article_view(dataset, first_document) if first_document else [],
                        id="article-view",
                    ),
                ],
                className="reader",
            ),
            html.Footer(
                [
                    "Basemap: Natural Earth (public domain). Geometry is schematic or "
                    "approximate where it says so. Data and sources: ",
                    html.A("/api/events.geojson", href="/api/events.geojson"),
                    ".",
                ],
                className="muted footer",
            ),
            dcc.Store(id="scrub-model", data=scrub_model(dataset)),
            dcc.Store(id="timeline-bounds", data=[0, span_days]),
            dcc.Store(id="selected-event", data=view.selected_event),
            dcc.Store(id="scrub-tick"),
            dcc.Store(id="list-window"),
            dcc.Store(id="list-page", data=0),
            dcc.Location(id="url", refresh=False),
        ],
        className="page",
    )
