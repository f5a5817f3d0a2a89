"""What the page shows after a user action: a click on the map, a row or passage picked, the
event list paged or re-sorted. (A shared link needs no action: app.py builds its page.)

Pure functions from the action's inputs (as Dash delivers them) and the dataset to what the
page should show; `dashboard.callbacks` only connects them to the page. None means "leave the
page as it is".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import parse_qs

import numpy as np
from dash import html

from dashboard.acled_view import acled_at, acled_list_rows, acled_panel
from dashboard.dataset import Dataset, Event, LayerFeature, LonLat, same_point
from dashboard.filters import NO_FILTERS, Filters, acled_shown, filtered_events
from dashboard.panels import (
    SORT_KEYS,
    article_view,
    event_list,
    events_panel,
    feature_panel,
    list_page_after,
    ordered_events,
    page_count,
    placeholder_panel,
    selected_event_panel,
    spot_features,
)
from dashboard.selection import Window, features_in_window, timeline_bounds
from dashboard.stepping import date_order, step_target, steps_available, window_including
from dashboard.tables import EventView
from dashboard.viewstate import EVENTS_LAYER, ViewState, parse_view_state, slider_value

T = TypeVar("T")
SAME_POINT = 1e-6  # dashboard.dataset.same_point's tolerance, in degrees


def layer_feature(dataset: Dataset, feature_id: str) -> LayerFeature | None:
    """The reference or context feature with this id, in any layer."""
    for features in dataset.layers.values():
        for feature in features:
            if feature.props.id == feature_id:
                return feature
    return None


def things_at(
    dataset: Dataset, lonlat: LonLat, window: Window, visible_layers: Iterable[str] | None
) -> tuple[list[Event], list[LayerFeature]]:
    """Events (in the window) and reference point features (valid then) drawn at one spot.

    Markers that share a spot hide each other from the mouse, so a click on any of them
    shows everything drawn there. Hidden layers draw nothing, so they give nothing.
    """
    visible = set(visible_layers or ())
    events = []
    if EVENTS_LAYER in visible:
        in_window = dataset.events.window(window)
        lon, lat = in_window.column("lon"), in_window.column("lat")
        here = (np.abs(lon - lonlat[0]) <= SAME_POINT) & (np.abs(lat - lonlat[1]) <= SAME_POINT)
        events = list(in_window.take(np.flatnonzero(here)))
    features = [
        f
        for layer, layer_features in dataset.layers.items()
        if layer in visible
        for f in features_in_window(layer_features, window)
        if f.geometry
        and f.geometry["type"] == "Point"
        and same_point(tuple(f.geometry["coordinates"][:2]), lonlat)
    ]
    return events, features


def clicked_first(items: Sequence[T], clicked: str | None, id_of: Callable[[T], str]) -> list[T]:
    """The item whose id is `clicked` first, the others in their order."""
    return sorted(items, key=lambda item: id_of(item) != clicked)


def _place_heading(dataset: Dataset, events: Sequence[Event]) -> str:
    return dataset.places[events[0].props.place_id].props.name


def selection_panel(
    dataset: Dataset,
    trigger: Any,
    click: Any,
    window: Window,
    visible_layers: Iterable[str] | None = None,
    filters: Filters = NO_FILTERS,
) -> tuple[list, str | None] | None:
    """(panel children, selected event id) for whatever the user picked, or None to keep.

    `trigger` is the id of what was clicked (an event row or a passage of the article:
    `{"type": "event-row" | "passage", "event": id}`), `click` the map's clickData.
    """
    if isinstance(trigger, dict) and trigger.get("type") == "acled-row":  # its own card
        wanted = str(trigger.get("event"))
        acled = next((e for e in dataset.acled if e.id == wanted), None)
        return None if acled is None else (acled_panel(acled), None)
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
        # A reference point or an ACLED marker sends its own id: what the user clicked comes
        # first (the others at the spot follow in the registry's order).
        clicked = custom if isinstance(custom, str) else None
        features = clicked_first(features, clicked, lambda f: f.props.id)
        acled = clicked_first(
            acled_at(dataset, lonlat, window, visible_layers, filters), clicked, lambda e: e.id
        )
        if isinstance(custom, list):  # the events layer sends the ids it drew there
            # Looked up by id (not a scan of every event), kept in the dataset's order.
            found = {str(i): dataset.event(str(i)) for i in custom}
            drawn = [e for e in found.values() if e is not None]
            events = sorted(drawn, key=SORT_KEYS["date"]) or events
        if events:
            # The first event in the panel's order is the one selected (and put in the URL),
            # so the shared link shows this same panel (issue 12, bug 2).
            first = date_order(events)[0]
            panel = events_panel(dataset, events, _place_heading(dataset, events), first.id)
            # Reference features here come first, folded: reachable without scrolling past
            # every event card (bug 7); the one clicked, if any, unfolded.
            panel = [*panel[:2], *spot_features(features, opened=clicked), *panel[2:]]
            for event in acled:  # a separate source
                panel += [html.Hr(), *acled_panel(event)]
            return panel, first.id
        sections = [feature_panel(f) for f in features] + [acled_panel(e) for e in acled]
        if acled and acled[0].id == clicked:
            sections = sections[len(features) :] + sections[: len(features)]
        panel = [child for section in sections for child in (html.Hr(), *section)]
        if panel:
            return panel[1:], None
    if isinstance(custom, str):  # an area of a reference layer
        feature = layer_feature(dataset, custom)
        if feature is not None:
            return feature_panel(feature), None
    return None


def step(
    dataset: Dataset,
    trigger: Any,
    window: Window,
    selected: str | None,
    filters: Filters = NO_FILTERS,
) -> tuple[list[int], str, list] | None:
    """(slider days, selected id, panel) after Previous/Next event, or None at an end. With
    filters, a step goes to the previous / next event that passes them (the map's)."""
    direction = "next" if trigger == "step-next" else "prev"
    ordered = date_order(filtered_events(dataset, filters, None))
    target = step_target(ordered, selected, window, direction)
    if target is None:
        return None
    window = window_including(target, window, timeline_bounds(dataset))
    return slider_value(window, dataset), target.id, selected_event_panel(dataset, target, window)


def step_buttons_disabled(
    dataset: Dataset, window: Window, selected: str | None, filters: Filters = NO_FILTERS
) -> list[bool]:
    """[previous disabled, next disabled]: nothing (that passes the filters) at that end."""
    ordered = date_order(filtered_events(dataset, filters, None))
    has_prev, has_next = steps_available(ordered, selected, window)
    return [not has_prev, not has_next]


def reader_view(
    dataset: Dataset, selected: str | None, chosen: str | None, trigger: Any
) -> tuple[list, str | None]:
    """(reader contents, document shown): a new selection opens its event's article with
    its passage set apart; picking a document opens that one (the selection still marked
    if its passage is in it)."""
    event = dataset.event(selected) if selected else None
    document_id = chosen
    if trigger == "selected-event" and event is not None and event.props.document_id:
        document_id = event.props.document_id
    if document_id is None:
        document_id = next(iter(dataset.documents), None)
    if document_id is None:
        return [], None
    return article_view(dataset, str(document_id), selected), document_id


def event_list_update(
    dataset: Dataset,
    window: Window,
    sort: str,
    selected: str | None,
    trigger: str | None,
    page: int,
    filters: Filters = NO_FILTERS,
) -> tuple[list, int, bool, bool]:
    """(rows, page, previous disabled, next disabled) of the event list after an action."""
    ordered = window_in_order(dataset, window, sort, filters)
    page = list_page_after(trigger, page, ordered, selected)
    last = page_count(len(ordered)) - 1
    rows = event_list(dataset, ordered, sort, selected, page, ordered=True)
    # the ACLED rows in the dates and filters follow, as a separate source
    rows += acled_list_rows(acled_shown(dataset, filters, window))
    return rows, page, page == 0, page >= last


def window_in_order(
    dataset: Dataset, window: Window, sort: str, filters: Filters = NO_FILTERS
) -> Sequence[Event]:
    """The window's events that pass the filters, in the list's order, sorted once: the
    dataset keeps its events in date order and the window lookup keeps that order, so "date"
    needs no sort at all and "latest" is the same rows backwards. Both stay lazy views: a
    page makes 25 events."""
    events = filtered_events(dataset, filters, window)  # in the table's order
    if isinstance(events, EventView) and date_order(dataset.events) is dataset.events:
        if sort == "date":
            return events
        if sort == "latest":
            return events.reversed()
    return ordered_events(events, sort)


def view_from_query(dataset: Dataset, search: str | None) -> ViewState:
    """The view an address's query names, as a shared link opens it: a linked event outside
    the linked dates moves the dates to it (issue 12, bug 4)."""
    args = {k: v[0] for k, v in parse_qs(str(search or "").lstrip("?")).items() if v}
    view = parse_view_state(args, dataset)
    selected = dataset.event(view.selected_event) if view.selected_event else None
    if selected is None:
        return view
    window = window_including(selected, view.window, timeline_bounds(dataset))
    return replace(view, window=window)


@dataclass(frozen=True)
class HistoryRestore:
    """What Back / Forward changes on the page (None: leave that part as it is)."""

    slider: list[int] | None
    selected: str | None
    selected_changed: bool
    panel: list | None
    layers: list[str] | None
    sort: str | None
    map_target: dict | None


def view_from_history(
    dataset: Dataset,
    search: str | None,
    slider: Any,
    selected: str | None,
    layers: Sequence[str] | None,
    sort: str | None,
) -> HistoryRestore:
    """The page's parts that differ from the view the browser went back (or forward) to."""
    view = view_from_query(dataset, search)
    days = slider_value(view.window, dataset)
    current_days = sorted(slider) if isinstance(slider, list | tuple) else None
    selection_changed = view.selected_event != (selected or None)
    event = dataset.event(view.selected_event) if view.selected_event else None
    panel = None
    if selection_changed:
        panel = (
            selected_event_panel(dataset, event, view.window)
            if event is not None
            else placeholder_panel()
        )
    target = None
    if view.map_view is not None:
        mv = view.map_view
        target = {"center": [mv.lon, mv.lat], "zoom": mv.zoom}
    return HistoryRestore(
        slider=days if days != current_days else None,
        selected=view.selected_event,
        selected_changed=selection_changed,
        panel=panel,
        layers=list(view.visible_layers)
        if list(view.visible_layers) != list(layers or [])
        else None,
        sort=view.sort if view.sort != (sort or "date") else None,
        map_target=target,
    )
