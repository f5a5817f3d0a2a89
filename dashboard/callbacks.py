"""Wiring only: each callback passes its inputs to a pure function (dashboard.actions,
dashboard.viewstate) and returns the result.

Scrubbing, play and the address bar run in the browser (assets/scrub.js), so moving the
slider never waits for the server. The server answers only what needs the full text of the
data: the source panel and the event list.
"""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from dashboard.actions import event_list_update, selection_panel
from dashboard.asof import as_of_notice
from dashboard.dataset import Dataset
from dashboard.panels import article_view
from dashboard.viewstate import window_from_slider


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    @app.callback(Output("as-of-notice", "children"), Input("url", "search"))
    def show_as_of(search):
        return as_of_notice(dataset, search)

    # One browser callback for every view change (assets/scrub.js: viewChanged): it draws
    # the events layer (assets/events_layer.js), patches the reference layers, the counter
    # and the label, rewrites the address and, once the slider rests, moves the list.
    app.clientside_callback(
        ClientsideFunction("scrub", "viewChanged"),
        Output("map", "figure"),
        Output("event-count", "children"),
        Output("date-range-label", "children"),
        Input("date-range", "value"),
        Input("layer-toggle", "value"),
        Input("selected-event", "data"),
        Input("scrub-tick", "data"),  # set by scrub.js to draw the latest state after a backlog
        State("scrub-model", "data"),
        # Runs at load too: the events layer is drawn only in the browser.
    )
    app.clientside_callback(
        ClientsideFunction("scrub", "togglePlay"),
        Output("play-timer", "disabled"),
        Output("play", "children"),
        Output("date-range", "value", allow_duplicate=True),
        Input("play", "n_clicks"),
        State("play-timer", "disabled"),
        State("date-range", "value"),
        State("timeline-bounds", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("scrub", "play"),
        Output("date-range", "value", allow_duplicate=True),
        Output("play-timer", "disabled", allow_duplicate=True),
        Output("play", "children", allow_duplicate=True),
        Input("play-timer", "n_intervals"),
        State("date-range", "value"),
        State("play-speed", "value"),
        State("timeline-bounds", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("scrub", "stepEvent"),
        Output("date-range", "value", allow_duplicate=True),
        Input("step-prev", "n_clicks"),
        Input("step-next", "n_clicks"),
        State("date-range", "value"),
        State("scrub-model", "data"),
        State("timeline-bounds", "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("detail-panel", "children"),
        Output("selected-event", "data"),
        Input("map", "clickData"),
        Input({"type": "event-row", "event": ALL}, "n_clicks"),
        Input({"type": "passage", "event": ALL}, "n_clicks"),
        State("date-range", "value"),
        State("layer-toggle", "value"),
        prevent_initial_call=True,
    )
    def select(click, _rows, _passages, slider, layers):
        trigger = ctx.triggered_id
        # Re-rendered rows also "trigger" with n_clicks 0: only a real click selects.
        if isinstance(trigger, dict) and not (ctx.triggered and ctx.triggered[0]["value"]):
            return no_update, no_update
        result = selection_panel(
            dataset, trigger, click, window_from_slider(slider, dataset), layers
        )
        return result if result is not None else (no_update, no_update)

    @app.callback(
        Output("article-view", "children"),
        Input("article-choice", "value"),
        prevent_initial_call=True,  # the layout already holds the first document
    )
    def read_article(document_id):
        return article_view(dataset, str(document_id))

    @app.callback(
        Output("event-list", "children"),
        Output("list-page", "data"),
        Output("list-prev", "disabled"),
        Output("list-next", "disabled"),
        Input("list-window", "data"),  # the slider's value once it rests (scrub.js: settle)
        Input("event-list-sort", "value"),
        Input("selected-event", "data"),
        Input("list-prev", "n_clicks"),
        Input("list-next", "n_clicks"),
        State("list-page", "data"),
        prevent_initial_call=True,
    )
    def list_events(slider, sort, selected, _prev, _next, page):
        window = window_from_slider(slider, dataset)
        return event_list_update(dataset, window, sort, selected, ctx.triggered_id, int(page or 0))
