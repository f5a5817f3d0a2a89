"""The search box (id `search`) on the page: its components, and what choosing a result
shows. The matching itself is dashboard/search.py; this module only turns results into
controls and a chosen result into a selection.

Text from the data goes in as component children (React renders it as text), never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from dashboard.dataset import Dataset
from dashboard.mapview import Bounds, bounds_of, feature_bounds, map_target
from dashboard.panels import events_panel, feature_panel, selected_event_panel
from dashboard.search import Result
from dashboard.selection import Window, events_in_window, timeline_bounds
from dashboard.stepping import date_order, window_including


def search_box() -> html.Div:
    return html.Div(
        [
            html.Label("Find a place, event, person or outlet", htmlFor="search"),
            dcc.Input(
                id="search",
                type="search",
                placeholder="Khankendi, Şuşa, Գորիս, Balasanian, TASS …",
                debounce=False,
                autoComplete="off",
                className="search-input",
            ),
            html.Div(id="search-status", className="sr-only", **{"aria-live": "polite"}),
            html.Ul(id="search-results", className="search-results"),
        ],
        className="search-box",
        role="search",
    )


KIND_LABELS = {"place": "place", "feature": "map feature", "event": "event"}


def result_items(query: str | None, results: Sequence[Result]) -> tuple[list, str]:
    """(list items, status line) for the results of a query."""
    if not (query or "").strip():
        return [], ""
    if not results:
        return [], f"Nothing found for “{query.strip()}”"
    items = []
    for result in results:
        alias = f" — as “{result.matched}”" if result.matched != result.label else ""
        items.append(
            html.Li(
                html.Button(
                    [
                        html.Span(result.label, className="result-label"),
                        html.Span(alias, className="result-alias"),
                        html.Span(
                            f"{KIND_LABELS[result.kind]}: {result.detail}",
                            className="result-detail",
                        ),
                    ],
                    id={"type": "search-result", "key": result.key},
                    className="search-result",
                    n_clicks=0,
                )
            )
        )
    count = len(results)
    # The status names its query: results follow each key, so a reader (or a test) can tell
    # the answer to "Susa" from the one to "Sus" that came a moment before.
    return items, f"{count} result{'s' if count != 1 else ''} for “{query.strip()}”"


def _place_panel(dataset: Dataset, place_id: str) -> list:
    props = dataset.places[place_id].props
    alt = ", ".join(f"{a.name} ({a.lang})" for a in props.alt_names)
    return [
        html.H2(props.name),
        html.P(f"Also: {alt}", className="muted") if alt else None,
        html.P("No events at this place.", className="muted"),
        html.P(f"Coordinates: {props.source}", className="muted small"),
    ]


def choose(
    dataset: Dataset, key: str, window: Window
) -> tuple[Window, str | None, list, dict | None] | None:
    """(window, selected event id, panel, map target) for a chosen result, or None.

    A place selects its first event in the window (else its first event at all, moving the
    window to it), like a click on its marker; an event is selected and its dates brought
    into the window; a map feature shows its provenance.
    """
    kind, _, ident = key.partition(":")
    bounds = timeline_bounds(dataset)
    if kind == "event":
        event = dataset.event(ident)
        if event is None:
            return None
        window = window_including(event, window, bounds)
        target = map_target(bounds_of([event.lonlat] if event.lonlat else []), always=False)
        return window, event.id, selected_event_panel(dataset, event, window), target
    if kind == "place" and ident in dataset.places:
        place = dataset.places[ident]
        point: Bounds | None = bounds_of([place.lonlat] if place.lonlat else [])
        target = map_target(point, always=False)
        here = list(dataset.events.at_place(ident))
        if not here:
            return window, None, _place_panel(dataset, ident), target
        in_window = date_order(events_in_window(here, window))
        if in_window:
            first = in_window[0]
            return (
                window,
                first.id,
                events_panel(dataset, in_window, place.props.name, first.id),
                target,
            )
        first = date_order(here)[0]
        window = window_including(first, window, bounds)
        return window, first.id, selected_event_panel(dataset, first, window), target
    if kind == "feature":
        for features in dataset.layers.values():
            for feature in features:
                if feature.props.id == ident:
                    target = map_target(feature_bounds(feature), always=False)
                    return window, None, feature_panel(feature), target
    return None
