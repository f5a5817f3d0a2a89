"""A bare Dash page holding only an empty `go.Scattermap` on `white-bg`: the cold-start floor.

Served the same way as the real app (`python bench/bare_app.py --port N`), with a `/healthz`
route so the benchmark can wait for it exactly as it waits for the real app.
"""

from __future__ import annotations

import argparse

import plotly.graph_objects as go
from dash import Dash, dcc, html


def create_bare_app(size: tuple[int, int] | None = None) -> Dash:
    """The bare page; `size` (width, height px) fixes the map's size, else 90vh tall."""
    app = Dash(__name__, serve_locally=True, compress=True, update_title=None)
    figure = go.Figure(go.Scattermap(lon=[], lat=[], mode="markers"))
    figure.update_layout(
        map={"style": "white-bg", "center": {"lat": 39.78, "lon": 46.75}, "zoom": 8.3},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
    )
    app.layout = html.Div(
        dcc.Graph(
            id="map",
            figure=figure,
            style=(
                {"width": f"{size[0]}px", "height": f"{size[1]}px"} if size else {"height": "90vh"}
            ),
        ),
    )

    @app.server.get("/healthz")
    def healthz():
        return "ok"

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8060)
    parser.add_argument("--size", help="the map's WIDTHxHEIGHT in px (default: 90vh tall)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x")) if args.size else None
    create_bare_app(size).run(host="127.0.0.1", port=args.port, debug=False)
