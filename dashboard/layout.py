"""The page: map, time controls, layer control and legend, source panel, event list, reader.

Stable element ids (tests and other tools drive the page through them): `map`, `date-range`,
`play`, `step-prev`, `step-next`, `event-count`, `layer-toggle`, `detail-panel`,
`event-list`, `event-list-sort`, `article-choice`, `article-view`.

Only arrangement lives here: each piece of the page is a function of the dataset and the
view, and what goes into it (figures, panels, the scrub model) is built elsewhere.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import registry
from dashboard.acled_view import ACLED_NONE_TITLE, ACLED_TITLE, acled_counter, acled_list_rows
from dashboard.actions import step_buttons_disabled, window_in_order
from dashboard.asof import version_label
from dashboard.contract import check_scrub_model
from dashboard.dataset import Dataset
from dashboard.export_view import export_section
from dashboard.figures import map_figure, scrub_model, slider_marks
from dashboard.filters import acled_shown, filtered_events
from dashboard.filters_view import filters_panel
from dashboard.mapview import map_target, window_bounds
from dashboard.panels import (
    LIST_PAGE_SIZE,
    article_view,
    document_choices,
    event_list,
    legend,
    page_count,
    placeholder_panel,
    selected_event_panel,
)
from dashboard.search_view import search_box
from dashboard.selection import page_title, timeline_bounds
from dashboard.stores import store
from dashboard.timeline_chart import timeline_alt, timeline_image_src
from dashboard.viewstate import (
    ACLED_LAYER,
    EVENTS_LAYER,
    ViewState,
    slider_value,
    toggleable_layers,
)


def _once(dataset: Dataset, name: str, build):
    """A piece of the page that depends on the data only, built once per dataset: the layout
    is built per request (for the view the address asks for), these parts never change."""
    cache = dataset.__dict__.setdefault("_page_parts", {})
    if name not in cache:
        cache[name] = build()
    return cache[name]


GRAPH_CONFIG = {
    "scrollZoom": True,
    "displaylogo": False,
    "responsive": True,
    # "Share" sends the chart to plotly's cloud (the page's only off-machine request); box
    # and lasso select mean nothing on this map. plotly's PNG button draws a copy of the
    # figure, which has no events layer (measured: no event marker in its picture): the
    # page's own "Download the map as PNG" (assets/export.js) replaces it.
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": [
        "sendDataToCloud",
        "editInChartStudio",
        "select2d",
        "lasso2d",
        "toImage",
    ],
}
PLAY_SPEEDS = [
    {"label": "day", "value": 1},
    {"label": "week", "value": 7},
    {"label": "month", "value": 30},
]
PLAY_MODES = [
    {"label": "reveal in order", "value": "cumulative"},  # dashboard/stepping.py: PlayMode
    {"label": "slide the window", "value": "window"},
]
LIST_SORTS = [
    {"label": "date", "value": "date"},
    {"label": "latest first", "value": "latest"},
    {"label": "title", "value": "title"},
    {"label": "type", "value": "type"},
    {"label": "place", "value": "place"},
]


def layer_toggle(dataset: Dataset, view: ViewState) -> dcc.Checklist:
    titles = {layer.name: layer.title for layer in registry.reference_layers()}
    titles[EVENTS_LAYER] = "Events"
    titles[ACLED_LAYER] = ACLED_TITLE
    options: list[dict] = [{"label": titles[name], "value": name} for name in toggleable_layers()]
    if not dataset.acled:  # offered but empty would look like a layer with nothing in view
        for option in options:
            if option["value"] == ACLED_LAYER:
                option.update(label=ACLED_NONE_TITLE, disabled=True)
    return dcc.Checklist(
        id="layer-toggle",
        options=options,
        value=list(view.visible_layers),
        className="layer-toggle",
        inputClassName="layer-toggle-input",
    )


def header(dataset: Dataset) -> html.Header:
    return html.Header(
        [
            html.H1(page_title(dataset)),
            html.P(
                "Reference layers and dated events from analysis articles, news reports and "
                "official statements. Every geometry states its source and accuracy; every "
                "event lists its sources with links, and the passage of the article it comes "
                "from.",
                className="muted",
            ),
        ],
        className="page-header",
    )


def map_graph(dataset: Dataset, view: ViewState) -> html.Div:
    return html.Div(
        dcc.Graph(
            id="map",
            figure=map_figure(dataset, view),
            config=GRAPH_CONFIG,
            style={"height": "100%"},
            clear_on_unhover=True,
        ),
        className="map-frame",
    )


def time_controls(dataset: Dataset, view: ViewState) -> html.Div:
    """Play (revealing events in order, or sliding the window), its speed, previous/next
    event, the window's dates and the event counter."""
    in_window = filtered_events(dataset, view.filters, view.window)
    prev_disabled, next_disabled = step_buttons_disabled(
        dataset, view.window, view.selected_event, view.filters
    )
    return html.Div(
        [
            html.Button("▶ Play", id="play", n_clicks=0, className="control"),
            html.Div(
                dcc.RadioItems(id="play-mode", options=PLAY_MODES, value="cumulative", inline=True),
                className="play-mode",
                role="group",
                **{"aria-label": "Play mode"},
            ),
            # native radio buttons: Dash's dropdown keeps a focusable element under
            # aria-hidden (axe: aria-hidden-focus)
            html.Div(
                [
                    html.Span("step:", className="muted"),
                    dcc.RadioItems(id="play-speed", options=PLAY_SPEEDS, value=7, inline=True),
                ],
                className="play-speed",
                role="group",
                **{"aria-label": "Play speed"},
            ),
            # Enabled as the view allows (the callback follows later changes only).
            html.Button(
                "◀ Previous event",
                id="step-prev",
                n_clicks=0,
                className="control",
                disabled=prev_disabled,
            ),
            html.Button(
                "Next event ▶",
                id="step-next",
                n_clicks=0,
                className="control",
                disabled=next_disabled,
            ),
            html.Span(id="date-range-label", className="window-label"),
            html.Span(
                f"{len(in_window)} of {len(dataset.events)} events",
                id="event-count",
                className="counter",
                **{"aria-live": "polite"},
            ),
            *_acled_counter(dataset, view),
        ],
        className="time-controls",
    )


def _acled_counter(dataset: Dataset, view: ViewState) -> list[html.Span]:
    """ACLED rows drawn, counted beside the events (only when some are loaded)."""
    if not dataset.acled:
        return []
    shown = len(acled_shown(dataset, view.filters, view.window))
    text = acled_counter(shown, ACLED_LAYER in view.visible_layers)
    return [html.Span(text, id="acled-count", className="counter acled-counter")]


def date_slider(dataset: Dataset, view: ViewState) -> html.Div:
    bounds = timeline_bounds(dataset)
    slider = dcc.RangeSlider(
        id="date-range",
        min=0,
        max=slider_value(bounds, dataset)[1],
        step=1,
        value=slider_value(view.window, dataset),
        marks=_once(dataset, "marks", lambda: slider_marks(bounds)),
        allowCross=False,
        # day numbers mean nothing to a reader; the window's dates are written out beside
        # the play button
        allow_direct_input=False,
        updatemode="drag",
        className="date-range",
    )
    # The thumbs announce dates, counted from data-origin (assets/slider.js).
    return html.Div(
        slider, className="date-range-wrapper", **{"data-origin": bounds[0].isoformat()}
    )


def time_panel(dataset: Dataset, view: ViewState) -> html.Div:
    return html.Div(
        [
            time_controls(dataset, view),
            # a static image: no second plotly figure drawn beside the map at load
            html.Img(
                id="timeline-histogram",
                src=_once(dataset, "timeline-src", lambda: timeline_image_src(dataset)),
                alt=_once(dataset, "timeline-alt", lambda: timeline_alt(dataset)),
                className="histogram",
            ),
            date_slider(dataset, view),
            dcc.Interval(id="play-timer", interval=700, disabled=True),
        ],
        className="time-panel",
    )


def sidebar(dataset: Dataset, view: ViewState) -> html.Aside:
    """The layer control, the source panel (what was clicked) and the legend."""
    selected = dataset.event(view.selected_event) if view.selected_event else None
    panel = (
        selected_event_panel(dataset, selected, view.window)
        if selected is not None
        else placeholder_panel()
    )
    return html.Aside(
        [
            html.H3("Layers"),
            layer_toggle(dataset, view),
            filters_panel(dataset, view.filters, view.window),
            # On a phone the details open as a sheet over the map (assets/sheet.js).
            html.Div(
                [
                    html.Button(
                        "✕ Close",
                        id="sheet-close",
                        className="control sheet-close",
                        type="button",
                        **{"aria-label": "Close the details"},
                    ),
                    html.Div(
                        panel,
                        id="detail-panel",
                        className="detail-panel",
                        role="region",
                        **{"aria-live": "polite", "aria-label": "Sources"},
                    ),
                ],
                id="detail-sheet",
                className="detail-sheet",
            ),
            _once(dataset, "legend", lambda: legend(dataset)),
        ],
        className="sidebar",
    )


def event_list_section(dataset: Dataset, view: ViewState) -> html.Section:
    in_window = window_in_order(dataset, view.window, view.sort, view.filters)
    pager = html.Div(
        [
            html.Button(
                f"◀ Previous {LIST_PAGE_SIZE}", id="list-prev", className="control", disabled=True
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
    )
    return html.Section(
        [
            html.Div(
                [
                    html.H2("Events in the selected dates"),
                    html.Label("Sort by", htmlFor="event-list-sort"),
                    dcc.RadioItems(
                        id="event-list-sort", options=LIST_SORTS, value=view.sort, inline=True
                    ),
                    pager,
                ],
                className="list-header",
            ),
            html.Table(
                event_list(dataset, in_window, view.sort, view.selected_event, ordered=True)
                # the ACLED rows in the dates and filters follow, as in actions.event_list_update
                + acled_list_rows(acled_shown(dataset, view.filters, view.window)),
                id="event-list",
                className="event-list",
            ),
        ],
        className="list-section",
    )


def reader(dataset: Dataset, selected: str | None = None) -> html.Details:
    """The article reader: any seed document in full, every event's passage marked; a
    linked event's article opens at its passage, set apart."""
    choices = document_choices(dataset)
    first = choices[0]["value"] if choices else None
    event = dataset.event(selected) if selected else None
    if event is not None and event.props.document_id:
        first = event.props.document_id
    count = len(choices)
    return html.Details(
        [
            html.Summary(
                f"Read the articles ({count} document{'s' if count != 1 else ''} in seeds/), "
                "with every event's passage marked"
            ),
            html.Label("Document", htmlFor="article-choice", className="reader-label"),
            dcc.Dropdown(
                id="article-choice",
                options=choices,
                value=first,
                clearable=False,
                searchable=count > 10,
                className="article-choice",
            ),
            html.Div(article_view(dataset, first, selected) if first else [], id="article-view"),
        ],
        className="reader",
    )


def footer(dataset: Dataset) -> html.Footer:
    return html.Footer(
        [
            "Basemap: Natural Earth (public domain). Geometry is schematic or "
            "approximate where it says so. Data and sources: ",
            html.A("/api/events.geojson", href="/api/events.geojson"),
            ". ",
            html.Span(version_label(dataset), id="data-version"),
        ],
        className="muted footer",
    )


def _checked_model(dataset: Dataset) -> dict:
    """The scrub model, checked against the written contract once per dataset: create_app
    builds the page at start-up, so a model off the contract stops the start (a pydantic
    ValidationError naming the field) instead of a blank map in every browser. Cheap: about
    6 ms here, 0.1 s more per 100,000 ACLED items (the events are not in the model)."""
    model = scrub_model(dataset)
    check_scrub_model(model)
    return model


def stores(dataset: Dataset, view: ViewState) -> list:
    """State the browser keeps: the scrub model (assets/scrub.js), the selection, the list."""
    return [
        store("scrub-model", _once(dataset, "model", lambda: _checked_model(dataset))),
        store("selected-event", view.selected_event),
        store("scrub-tick"),
        store("list-window"),
        store("list-page", 0),
        dcc.Location(id="url", refresh=False),
        # What to bring into view (assets/mapview.js): at first, every placed event shown,
        # unless the link says where the map looks (the figure starts there).
        store(
            "map-target",
            None if view.map_view else map_target(window_bounds(dataset, view.window)),
        ),
        store("map-shown"),
        # Back / Forward: the address the browser went back to (assets/contract.js)
        store("history-view"),
        store("url-parts-written"),
    ]


def build_layout(dataset: Dataset, view: ViewState) -> html.Div:
    return html.Div(
        [
            header(dataset),
            html.Div(
                id="as-of-notice", role="status"
            ),  # filled when a link is from another version
            html.Main(
                [
                    html.Section(
                        [
                            search_box(),
                            map_graph(dataset, view),
                            time_panel(dataset, view),
                            export_section(dataset, view),
                        ],
                        className="map-column",
                    ),
                    sidebar(dataset, view),
                ],
                className="main",
            ),
            event_list_section(dataset, view),
            reader(dataset, view.selected_event)
            if view.selected_event
            else _once(dataset, "reader", lambda: reader(dataset)),
            footer(dataset),
            *stores(dataset, view),
        ],
        className="page",
    )
