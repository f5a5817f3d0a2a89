"""Wiring only: each callback passes its inputs to a pure function (dashboard.actions,
dashboard.viewstate) and returns the result.

Scrubbing and the address bar run in the browser (assets/scrub.js), so moving the slider
never waits for the server; Play's frames come from the server (dashboard/stepping.py),
one small request per tick, and are then drawn like any slider move. Otherwise the server
answers only what needs the full text of the data: the source panel and the event list.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qs

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from dashboard.actions import (
    event_list_update,
    reader_view,
    selection_panel,
    step,
    step_buttons_disabled,
    view_from_history,
)
from dashboard.asof import as_of_notice, link_notice
from dashboard.dataset import Dataset
from dashboard.filters import (
    GROUPS,
    NO_FILTERS,
    VAGUE_PARAM,
    Filters,
    control_values,
    facets_of,
    filter_state,
    from_choices,
    mask_payload,
    normalised,
    parse_filters,
    passing_start_days,
)
from dashboard.filters_view import control_id, filter_outputs, summary
from dashboard.mapview import bounds_of, map_target
from dashboard.search import build_index, search
from dashboard.search_view import choose, result_items
from dashboard.selection import timeline_bounds
from dashboard.stepping import play_start, play_tick, slider_days
from dashboard.store import STORE_MIN_EVENTS
from dashboard.viewstate import slider_value, window_from_slider

# glyphs from common fonts (DejaVu Sans has both; U+23F8 "⏸" showed as a missing glyph)
PLAY_LABEL, PAUSE_LABEL = "▶ Play", "❚❚ Pause"


def _event_target(dataset: Dataset, selected: str | None) -> dict | None:
    """Bring the selected event's marker into view if it is off screen."""
    event = dataset.event(selected) if selected else None
    if event is None or event.lonlat is None:
        return None
    return map_target(bounds_of([event.lonlat]), always=False)


def filters_in_store(dataset: Dataset, state: list | None):
    """The filters the filter-state store holds (URL query pairs), read as a URL is."""
    try:
        args = {str(name): str(value) for name, value in state or []}
    except (TypeError, ValueError):
        return NO_FILTERS
    return parse_filters(args, facets_of(dataset))[0]


def register_callbacks(app: Dash, dataset: Dataset) -> None:
    # Large data: built on the first search, not at start-up (3.8 s of a 17 s start at 100k
    # events); small data: now (milliseconds), so no first search waits for it.
    search_index = functools.cache(lambda: build_index(dataset))
    if len(dataset.events) < STORE_MIN_EVENTS:
        search_index()

    @app.callback(Output("as-of-notice", "children"), Input("url", "search"))
    def show_as_of(search):
        return link_notice(dataset, search) + as_of_notice(dataset, search)

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
        Input("filter-state", "data"),  # the filters' URL query pairs (dashboard/filters.py)
        Input("filter-mask", "data"),  # which events pass them: one bit per event
        State("scrub-model", "data"),
        # Runs at load too: the events layer is drawn only in the browser.
    )
    # Play: each frame is a pure function of the window (dashboard/stepping.py); a frame
    # is a small request per tick (700 ms apart), and the map then follows in the browser.
    # Play stops only at events that pass the filters (a filtered-out event makes no frame).
    origin = timeline_bounds(dataset)[0]
    bounds = tuple(slider_value(timeline_bounds(dataset), dataset))

    @functools.lru_cache(maxsize=8)
    def play_starts(filters: Filters) -> list[int]:
        return passing_start_days(filters, facets_of(dataset), origin)

    @app.callback(
        Output("play-timer", "disabled"),
        Output("play", "children"),
        Output("date-range", "value", allow_duplicate=True),
        Input("play", "n_clicks"),
        State("play-timer", "disabled"),
        State("date-range", "value"),
        State("play-mode", "value"),
        State("filter-state", "data"),
        prevent_initial_call=True,
    )
    def toggle_play(_clicks, stopped, slider, mode, filter_query):
        if not stopped:  # playing: pause where it is
            return True, PLAY_LABEL, no_update
        window = slider_days(slider, bounds)
        starts = play_starts(filters_in_store(dataset, filter_query))
        return False, PAUSE_LABEL, list(play_start(mode, window, bounds, starts))

    @app.callback(
        Output("date-range", "value", allow_duplicate=True),
        Output("play-timer", "disabled", allow_duplicate=True),
        Output("play", "children", allow_duplicate=True),
        Input("play-timer", "n_intervals"),
        State("date-range", "value"),
        State("play-speed", "value"),
        State("play-mode", "value"),
        State("filter-state", "data"),
        prevent_initial_call=True,
    )
    def play_frame(_n, slider, speed, mode, filter_query):
        window = slider_days(slider, bounds)
        starts = play_starts(filters_in_store(dataset, filter_query))
        frame, stop = play_tick(mode, window, int(speed or 7), bounds, starts)
        if not stop:  # never re-enable the timer: a Pause may have come meanwhile
            return list(frame), no_update, no_update
        return list(frame), True, PLAY_LABEL

    @app.callback(
        Output("date-range", "value", allow_duplicate=True),
        Output("selected-event", "data", allow_duplicate=True),
        Output("detail-panel", "children", allow_duplicate=True),
        Output("map-target", "data", allow_duplicate=True),
        Input("step-prev", "n_clicks"),
        Input("step-next", "n_clicks"),
        State("date-range", "value"),
        State("selected-event", "data"),
        State("filter-state", "data"),
        prevent_initial_call=True,
    )
    def step_event(_prev, _next, slider, selected, filter_query):
        window = window_from_slider(slider, dataset)
        filters = filters_in_store(dataset, filter_query)
        result = step(dataset, ctx.triggered_id, window, selected, filters)
        if result is None:
            return (no_update,) * 4
        return (*result, _event_target(dataset, result[1]))

    @app.callback(
        Output("step-prev", "disabled"),
        Output("step-next", "disabled"),
        Input("list-window", "data"),  # the slider once it rests: not a request per key
        Input("selected-event", "data"),
        Input("filter-state", "data"),
        prevent_initial_call=True,  # the layout holds them for its view (layout.time_controls)
    )
    def step_buttons(settled, selected, filter_query):
        window = window_from_slider(settled, dataset)
        filters = filters_in_store(dataset, filter_query)
        return step_buttons_disabled(dataset, window, selected, filters)

    @app.callback(
        Output("detail-panel", "children"),
        Output("selected-event", "data"),
        Output("map-target", "data", allow_duplicate=True),
        Input("map", "clickData"),
        Input({"type": "event-row", "event": ALL}, "n_clicks"),
        Input({"type": "passage", "event": ALL}, "n_clicks"),
        Input({"type": "acled-row", "event": ALL}, "n_clicks"),  # the list's ACLED rows
        State("date-range", "value"),
        State("layer-toggle", "value"),
        State("filter-state", "data"),  # an ACLED row filtered out is not at the spot
        prevent_initial_call=True,
    )
    def select(click, _rows, _passages, _acled_rows, slider, layers, filter_query):
        trigger = ctx.triggered_id
        # Re-rendered rows also "trigger" with n_clicks 0: only a real click selects.
        if isinstance(trigger, dict) and not (ctx.triggered and ctx.triggered[0]["value"]):
            return no_update, no_update, no_update
        window = window_from_slider(slider, dataset)
        filters = filters_in_store(dataset, filter_query)
        result = selection_panel(dataset, trigger, click, window, layers, filters)
        if result is None:
            return no_update, no_update, no_update
        return (*result, _event_target(dataset, result[1]))

    @app.callback(
        Output("search-results", "children"),
        Output("search-status", "children"),
        Input("search", "value"),
        prevent_initial_call=True,
    )
    def search_results(query):
        return result_items(query, search(search_index(), query or ""))

    @app.callback(
        Output("date-range", "value", allow_duplicate=True),
        Output("selected-event", "data", allow_duplicate=True),
        Output("detail-panel", "children", allow_duplicate=True),
        Output("map-target", "data", allow_duplicate=True),
        Output("search-results", "children", allow_duplicate=True),
        Input({"type": "search-result", "key": ALL}, "n_clicks"),
        Input("search", "n_submit"),
        State("search", "value"),
        State("date-range", "value"),
        prevent_initial_call=True,
    )
    def choose_result(_clicks, _submit, query, slider):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):
            # Re-rendered results also "trigger" with n_clicks 0: only a real click chooses.
            if not (ctx.triggered and ctx.triggered[0]["value"]):
                return (no_update,) * 5
            key = str(trigger.get("key"))
        else:  # Enter in the box: the best result
            results = search(search_index(), query or "")
            if not results:
                return (no_update,) * 5
            key = results[0].key
        chosen = choose(dataset, key, window_from_slider(slider, dataset))
        if chosen is None:
            return (no_update,) * 5
        window, selected, panel, target = chosen
        return slider_value(window, dataset), selected, panel, target, []

    # Back / Forward (assets/contract.js sends the address gone back to): restore the parts
    # of the view that differ. The restored view writes the same address, so no new entry.
    @app.callback(
        Output("date-range", "value", allow_duplicate=True),
        Output("selected-event", "data", allow_duplicate=True),
        Output("detail-panel", "children", allow_duplicate=True),
        Output("layer-toggle", "value", allow_duplicate=True),
        Output("event-list-sort", "value", allow_duplicate=True),
        Output("map-target", "data", allow_duplicate=True),
        Input("history-view", "data"),
        State("date-range", "value"),
        State("selected-event", "data"),
        State("layer-toggle", "value"),
        State("event-list-sort", "value"),
        prevent_initial_call=True,
    )
    def go_back(entry, slider, selected, layers, sort):
        search = entry.get("search") if isinstance(entry, dict) else None
        restore = view_from_history(dataset, search, slider, selected, layers, sort)
        keep = lambda value: no_update if value is None else value  # noqa: E731
        target = restore.map_target
        if target is None and restore.selected_changed:
            target = _event_target(dataset, restore.selected)
        return (
            keep(restore.slider),
            restore.selected if restore.selected_changed else no_update,
            keep(restore.panel),
            keep(restore.layers),
            keep(restore.sort),
            keep(target),
        )

    # Back / Forward to an address with other filters: set the panel to them (its callback
    # below then redraws everything that follows the filters).
    @app.callback(
        *(Output(control_id(g), "value", allow_duplicate=True) for g in [*GROUPS, VAGUE_PARAM]),
        Input("history-view", "data"),
        State("filter-state", "data"),
        prevent_initial_call=True,
    )
    def filters_back(entry, state):
        search = str(entry.get("search") or "") if isinstance(entry, dict) else ""
        args = {k: v[0] for k, v in parse_qs(search.lstrip("?")).items() if v}
        filters = parse_filters(args, facets_of(dataset))[0]
        if filters == filters_in_store(dataset, state):
            return (no_update,) * (len(GROUPS) + 1)
        return tuple(control_values(filters))

    # The list's order goes in the address too (assets/contract.js: setViewPart).
    app.clientside_callback(
        """(sort) => { window.KarabakhContract.setViewPart('sort', sort === 'date' ? null : sort);
                       return window.dash_clientside.no_update; }""",
        Output("url-parts-written", "data"),
        Input("event-list-sort", "value"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction("mapview", "show"),
        Output("map-shown", "data"),
        Input("map-target", "data"),
    )

    @app.callback(
        Output("article-view", "children"),
        Output("article-choice", "value"),
        Input("article-choice", "value"),
        Input("selected-event", "data"),
        prevent_initial_call=True,  # the layout already holds the first document
    )
    def read_article(document_id, selected):
        # a selection opens its event's article at its passage; the picker opens any article
        return reader_view(dataset, selected, document_id, ctx.triggered_id)

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
        Input("filter-state", "data"),
        State("list-page", "data"),
        State("date-range", "value"),  # the window on screen (list-window: once it rests)
        prevent_initial_call=True,
    )
    def list_events(_settled, sort, selected, _prev, _next, state, page, slider):
        window = window_from_slider(slider, dataset)
        filters = filters_in_store(dataset, state)
        trigger = ctx.triggered_id
        return event_list_update(dataset, window, sort, selected, trigger, int(page or 0), filters)

    # The filters: a change of any control (or Clear) gives the one spelling of the filter,
    # which events pass (for the map) and the counts; the window resting recounts only.
    filter_controls = [*GROUPS, VAGUE_PARAM]

    @app.callback(
        Output("filter-state", "data"),
        Output("filter-mask", "data"),
        Output("filters-summary", "children"),
        *(Output(control_id(g), "options") for g in filter_controls),
        *(Output(control_id(g), "value") for g in filter_controls),
        *(Input(control_id(g), "value") for g in filter_controls),
        Input("filters-clear", "n_clicks"),
        Input("list-window", "data"),
        State("date-range", "value"),
        State("filter-state", "data"),
        prevent_initial_call=True,
    )
    def apply_filters(*args):
        n = len(filter_controls)
        values, slider, state = args[:n], args[n + 2], args[n + 3]
        window = window_from_slider(slider, dataset)
        trigger = ctx.triggered_id
        keep_values = [no_update] * n
        if trigger == "list-window":
            filters = filters_in_store(dataset, state)
            new_state = new_mask = no_update
        else:
            if trigger == "filters-clear":
                filters = NO_FILTERS
            else:
                chosen = dict(zip(GROUPS, values[: len(GROUPS)], strict=True))
                filters = normalised(
                    from_choices(chosen, "hide" in (values[-1] or [])), facets_of(dataset)
                )
            new_state = filter_state(filters)
            new_mask = mask_payload(filters, facets_of(dataset))
            if trigger == "filters-clear":
                keep_values = [[] for _ in filter_controls]
        opts = filter_outputs(dataset, filters, window)
        return (
            new_state,
            new_mask,
            summary(filters),
            *(opts[control_id(g)] for g in filter_controls),
            *keep_values,
        )
