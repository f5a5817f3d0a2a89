"""Benchmark variant (b): the same page, but a slider step rebuilds the map on the server.

The real layout (dashboard.layout.build_layout, opened on the given window) and the real
figure builder (dashboard.figures.map_figure) are used. The difference from the app: the map
is redrawn by a normal server-side @callback that returns the whole figure, with the events
as a plotly scattermap trace (one marker per place, styled as the app styles them; the
app's first design, kept here), instead of assets/events_layer.js and assets/scrub.js
updating the map in the browser. Benchmark use only.

    python bench/server_filter_app.py --port 8070 [--data-dir DIR] [--start D --end D]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dash import Dash, Input, Output, State  # noqa: E402
from flask import jsonify  # noqa: E402

from dashboard.app import ASSETS_DIR, DEFAULT_DATA_DIR  # noqa: E402
from dashboard.contract import (  # noqa: E402
    EVENT_COLORS,
    EVENT_MARKER,
    EVENTS_LAYER,
    PRECISION_RANK,
    SEVERAL_TYPES_COLOR,
)
from dashboard.figures import escape, map_figure  # noqa: E402
from dashboard.layout import build_layout  # noqa: E402
from dashboard.loading import Dataset, load_dataset  # noqa: E402
from dashboard.selection import (  # noqa: E402
    PlaceGroup,
    clamp_window,
    events_in_window,
    group_by_place,
    timeline_bounds,
)
from dashboard.viewstate import (  # noqa: E402
    ViewState,
    default_view,
    window_from_slider,
)


def _group_style(group: PlaceGroup) -> tuple[str, int, float]:
    types = group.event_types
    color = (
        EVENT_COLORS.get(types[0], SEVERAL_TYPES_COLOR)
        if len(types) == 1
        else (SEVERAL_TYPES_COLOR)
    )
    size, opacity = EVENT_MARKER.get(group.precision, (14, 0.9))
    return color, size, opacity


def _group_hover(group: PlaceGroup, dataset: Dataset) -> str:
    place = dataset.places[group.place_id].props.name
    count = len(group.events)
    lines = [f"<b>{escape(place)}</b> — {count} event{'s' if count != 1 else ''}"]
    lines += [escape(e.props.title) for e in group.events[:6]]
    if count > 6:
        lines.append(f"… and {count - 6} more")
    lines.append(f"<i>located to {group.precision.value}</i>")
    return "<br>".join(lines)


def _event_columns(groups: Sequence[PlaceGroup], dataset: Dataset) -> dict[str, list[Any]]:
    # Vaguest first so pinpoint markers are drawn on top and stay clickable.
    ordered = sorted(groups, key=lambda g: -PRECISION_RANK[g.precision])
    styles = [_group_style(g) for g in ordered]
    return {
        "lon": [g.lonlat[0] for g in ordered],
        "lat": [g.lonlat[1] for g in ordered],
        "customdata": [[e.id for e in g.events] for g in ordered],
        "text": [_group_hover(g, dataset) for g in ordered],
        "marker.color": [c for c, _, _ in styles],
        "marker.size": [s for _, s, _ in styles],
        "marker.opacity": [o for _, _, o in styles],
    }


def _events_trace(columns: dict[str, list[Any]], visible: bool) -> dict:
    return {
        "type": "scattermap",
        "mode": "markers",
        "name": "Events",
        "meta": {"layer": EVENTS_LAYER, "role": "events"},
        "lon": columns["lon"],
        "lat": columns["lat"],
        "customdata": columns["customdata"],
        "text": columns["text"],
        "marker": {
            "color": columns["marker.color"],
            "size": columns["marker.size"],
            "opacity": columns["marker.opacity"],
        },
        "hovertemplate": "%{text}<extra></extra>",
        "visible": visible,
        "showlegend": False,
    }


def figure_with_events(dataset: Dataset, view: ViewState) -> dict:
    """The app's figure for the view plus the view's events as a plotly trace on top."""
    figure = map_figure(dataset, view)
    groups = group_by_place(events_in_window(dataset.events, view.window))
    trace = _events_trace(_event_columns(groups, dataset), True)
    trace["visible"] = bool(trace["lon"])  # plotly keeps drawing emptied traces
    figure["data"].append(trace)
    return figure


def create_server_filter_app(data_dir: Path, start: dt.date | None, end: dt.date | None) -> Dash:
    dataset = load_dataset(data_dir)
    view = default_view(dataset)
    if start and end:
        window = clamp_window((start, end), timeline_bounds(dataset))
        view = ViewState(window, None, view.visible_layers)
    app = Dash(
        __name__,
        assets_folder=str(ASSETS_DIR),  # same CSS and labels; scrub.js is loaded but unused
        serve_locally=True,
        compress=True,
        update_title=None,
    )
    layout = build_layout(dataset, view)
    # The first view with its events trace (the app's layout has none: its events layer is
    # drawn in the browser, and this variant registers no browser callbacks).
    layout["map"].figure = figure_with_events(dataset, view)
    app.layout = layout

    @app.callback(
        Output("map", "figure"),
        Output("event-count", "children"),
        Input("date-range", "value"),
        State("layer-toggle", "value"),
        prevent_initial_call=True,
    )
    def redraw(slider, layers):
        window = window_from_slider(slider, dataset)
        figure = figure_with_events(dataset, ViewState(window, None, tuple(layers or ())))
        count = f"{len(events_in_window(dataset.events, window))} of {len(dataset.events)} events"
        return figure, count

    @app.server.get("/healthz")
    def healthz():
        return jsonify(status="ok", events=len(dataset.events))

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--start", type=dt.date.fromisoformat)
    parser.add_argument("--end", type=dt.date.fromisoformat)
    args = parser.parse_args()
    app = create_server_filter_app(args.data_dir, args.start, args.end)
    app.run(host="127.0.0.1", port=args.port, debug=False)
