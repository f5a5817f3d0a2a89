"""Benchmark variant (b): the same page, but a slider step rebuilds the map on the server.

The real layout (dashboard.layout.build_layout, opened on the given window) and the real
figure builder (dashboard.figures.map_figure) are used; the only difference from the app is
that the map is redrawn by a normal server-side @callback that returns the whole figure,
instead of assets/scrub.js patching it in the browser. Benchmark use only.

    python bench/server_filter_app.py --port 8070 [--data-dir DIR] [--start D --end D]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dash import Dash, Input, Output, State  # noqa: E402
from flask import jsonify  # noqa: E402

from dashboard.app import ASSETS_DIR, DEFAULT_DATA_DIR  # noqa: E402
from dashboard.callbacks import window_from_slider  # noqa: E402
from dashboard.figures import map_figure  # noqa: E402
from dashboard.layout import build_layout  # noqa: E402
from dashboard.loading import load_dataset  # noqa: E402
from dashboard.selection import clamp_window, events_in_window, timeline_bounds  # noqa: E402
from dashboard.viewstate import ViewState, default_view  # noqa: E402


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
    app.layout = build_layout(dataset, view)

    @app.callback(
        Output("map", "figure"),
        Output("event-count", "children"),
        Input("date-range", "value"),
        State("layer-toggle", "value"),
        prevent_initial_call=True,
    )
    def redraw(slider, layers):
        window = window_from_slider(slider, dataset)
        figure = map_figure(dataset, ViewState(window, None, tuple(layers or ())))
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
