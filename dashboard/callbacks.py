"""Wiring only: each callback passes its inputs to a pure function and returns the result.

Scrubbing, play and the address bar run in the browser (assets/scrub.js), so moving the
slider never waits for the server. The server answers only what needs the full text of the
data: the source panel and the event list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from dashboard.loading import Dataset
from dashboard.panels import event_list, events_panel, feature_panel
from dashboard.selection import Window, clamp_window, events_in_window, timeline_bounds


def window_from_slider(value: Any, dataset: Dataset) -> Window:
    """Slider days -> dates; anything unreadable means the whole timeline."""
    bounds = timeline_bounds(dataset)
    try:
        lo, hi = sorted(int(v) for v in value)
    except (TypeError, ValueError):
        return bounds
    origin = bounds[0]
    return clamp_window((origin + dt.timedelta(days=lo), origin + dt.timedelta(days=hi)), bounds)


def _feature(dataset: Dataset, feature_id: str):
    for features in dataset.layers.values():
        for feature in features:
            if feature.props.id == feature_id:
                return feature
    return None


def selection_panel(dataset: Dataset, trigger: Any, click: Any, window: Window):
    """(panel children, selected event id) for whatever the user picked, or None to keep."""
    if isinstance(trigger, dict) and trigger.get("type") in ("event-row", "passage"):
        event = dataset.event(str(trigger.get("event")))
        if event is None:
            return None
        here = [
            e
            for e in events_in_window(dataset.events, window)
            if e.props.place_id == event.props.place_id
        ]
        if event not in here:
            here.insert(0, event)
        heading = dataset.places[event.props.place_id].props.name
        return events_panel(dataset, here, heading, event.id), event.id
    points = (click or {}).get("points") or []
    if not points:
        return None
    custom = points[0].get("customdata")
    if isinstance(custom, list):  # the events trace: the ids of the events at that place
        events = [e for e in (dataset.event(str(i)) for i in custom) if e is not None]
        if not events:
            return None
        heading = dataset.places[events[0].props.place_id].props.name
        return events_panel(dataset, events, heading), events[0].id
    if isinstance(custom, str):  # a reference-layer feature
        feature = _feature(dataset, custom)
        if feature is not None:
            return feature_panel(feature), None
    return None


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    app.clientside_callback(
        ClientsideFunction("scrub", "update"),
        Output("map", "figure"),
        Output("event-count", "children"),
        Output("date-range-label", "children"),
        Input("date-range", "value"),
        Input("layer-toggle", "value"),
        Input("selected-event", "data"),
        State("scrub-model", "data"),
        prevent_initial_call=True,  # the server drew the first view already
    )
    app.clientside_callback(
        ClientsideFunction("scrub", "writeUrl"),
        Output("url-sink", "data"),
        Input("date-range", "value"),
        Input("layer-toggle", "value"),
        Input("selected-event", "data"),
        State("scrub-model", "data"),
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
        prevent_initial_call=True,
    )
    def select(click, _rows, _passages, slider):
        trigger = ctx.triggered_id
        # Re-rendered rows also "trigger" with n_clicks 0: only a real click selects.
        if isinstance(trigger, dict) and not (ctx.triggered and ctx.triggered[0]["value"]):
            return no_update, no_update
        result = selection_panel(dataset, trigger, click, window_from_slider(slider, dataset))
        return result if result is not None else (no_update, no_update)

    @app.callback(
        Output("event-list", "children"),
        Input("date-range", "value"),
        Input("event-list-sort", "value"),
        Input("selected-event", "data"),
        prevent_initial_call=True,
    )
    def list_events(slider, sort, selected):
        window = window_from_slider(slider, dataset)
        return event_list(dataset, events_in_window(dataset.events, window), sort, selected)
