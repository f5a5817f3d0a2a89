"""Wiring only: each callback passes its inputs to a pure function and returns the result.

Scrubbing, play and the address bar run in the browser (assets/scrub.js), so moving the
slider never waits for the server. The server answers only what needs the full text of the
data: the source panel and the event list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update

from dashboard.loading import Dataset, same_point
from dashboard.panels import (
    event_list,
    events_panel,
    feature_panel,
    list_page_after,
    ordered_events,
    page_count,
    selected_event_panel,
)
from dashboard.selection import (
    Window,
    clamp_window,
    events_in_window,
    features_in_window,
    timeline_bounds,
)
from dashboard.viewstate import EVENTS_LAYER, parse_view_state


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


def things_at(dataset: Dataset, lonlat, window: Window, visible_layers) -> tuple[list, list]:
    """Events (in the window) and reference point features (valid then) drawn at one spot.

    Markers that share a spot hide each other from the mouse, so a click on any of them
    shows everything drawn there.
    """
    visible = set(visible_layers or ())
    events = []
    if EVENTS_LAYER in visible:
        events = [
            e
            for e in events_in_window(dataset.events, window)
            if e.lonlat is not None and same_point(e.lonlat, lonlat)
        ]
    features = [
        f
        for layer, layer_features in dataset.layers.items()
        if layer.value in visible
        for f in features_in_window(layer_features, window)
        if f.geometry
        and f.geometry["type"] == "Point"
        and same_point(tuple(f.geometry["coordinates"][:2]), lonlat)
    ]
    return events, features


def _place_heading(dataset: Dataset, events) -> str:
    return dataset.places[events[0].props.place_id].props.name


def selection_panel(
    dataset: Dataset, trigger: Any, click: Any, window: Window, visible_layers=None
):
    """(panel children, selected event id) for whatever the user picked, or None to keep."""
    if isinstance(trigger, dict) and trigger.get("type") in ("event-row", "passage"):
        event = dataset.event(str(trigger.get("event")))
        if event is None:
            return None
        return selected_event_panel(dataset, event, window), event.id
    points = (click or {}).get("points") or []
    if not points:
        return None
    point = points[0]
    custom = point.get("customdata")
    if "lon" in point and "lat" in point:  # a marker: show everything drawn at that spot
        lonlat = (float(point["lon"]), float(point["lat"]))
        events, features = things_at(dataset, lonlat, window, visible_layers)
        if isinstance(custom, list):  # the events layer sends the ids it drew there
            ids = {str(i) for i in custom}
            events = [e for e in dataset.events if e.id in ids] or events
        panel = events_panel(dataset, events, _place_heading(dataset, events)) if events else []
        for feature in features:
            panel += [html.Hr(), *feature_panel(feature)]
        if panel:
            return panel, (events[0].id if events else None)
    if isinstance(custom, str):  # an area of a reference layer
        feature = _feature(dataset, custom)
        if feature is not None:
            return feature_panel(feature), None
    return None


def restored_view(dataset: Dataset, search: str | None):
    """(slider days, layers, selected event, panel) for a shared link, or None for no query."""
    if not search or search == "?":
        return None
    view = parse_view_state(dict(parse_qsl(search.lstrip("?"))), dataset)
    origin = timeline_bounds(dataset)[0]
    days = [(view.window[0] - origin).days, (view.window[1] - origin).days]
    selected = dataset.event(view.selected_event) if view.selected_event else None
    panel = selected_event_panel(dataset, selected, view.window) if selected else no_update
    return days, list(view.visible_layers), view.selected_event, panel


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    @app.callback(
        Output("date-range", "value"),
        Output("layer-toggle", "value"),
        Output("selected-event", "data", allow_duplicate=True),
        Output("detail-panel", "children", allow_duplicate=True),
        Input("url", "search"),
        prevent_initial_call="initial_duplicate",
    )
    def restore_view(search):
        restored = restored_view(dataset, search)
        return restored if restored is not None else (no_update,) * 4

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
        events = events_in_window(dataset.events, window_from_slider(slider, dataset))
        ordered = ordered_events(events, sort)
        page = list_page_after(ctx.triggered_id, int(page or 0), ordered, selected)
        last = page_count(len(ordered)) - 1
        rows = event_list(dataset, events, sort, selected, page)
        return rows, page, page == 0, page >= last
