"""HTTP routes beside the Dash page: layer and event GeoJSON, health, errors, headers."""

from __future__ import annotations

import datetime as dt
import json

from flask import Flask, Response, abort, request
from werkzeug.exceptions import HTTPException

from dashboard import registry
from dashboard.dataset import Dataset
from dashboard.exports import events_csv, events_geojson

GEOJSON = "application/geo+json"
# Dash answers every path with its page; only these exist here, the rest is a plain 404.
KNOWN_PREFIXES = ("/_dash-", "/_favicon", "/_reload-hash", "/assets/", "/api/", "/healthz")


def _json(payload: object, status: int = 200, mimetype: str = "application/json") -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype=mimetype)


def _error(status: int, message: str) -> Response:
    return _json({"error": message, "status": status}, status)


def parse_window(start: str | None, end: str | None) -> tuple[dt.date, dt.date] | str | None:
    """The window the query asks for, None for no window, or a message saying what is wrong."""
    if start is None and end is None:
        return None
    parsed = []
    for name, value in (("start", start), ("end", end)):
        if value is None:
            return f"'{name}' is missing: give both start and end as YYYY-MM-DD"
        try:
            if len(value) != 10:
                raise ValueError
            parsed.append(dt.date.fromisoformat(value))
        except ValueError:
            return f"'{name}' is not a date: expected YYYY-MM-DD, got {value[:40]!r}"
    if parsed[1] < parsed[0]:
        return "'end' is before 'start'"
    return parsed[0], parsed[1]


def security_headers(csp: str):
    def add(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", csp)
        return response

    return add


def register_api(server: Flask, dataset: Dataset, csp: str) -> None:
    layer_bodies = {
        layer: json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
        for layer, raw in dataset.raw_layers.items()
    }
    all_events = json.dumps(events_geojson(dataset), ensure_ascii=False, separators=(",", ":"))

    @server.before_request
    def only_known_routes() -> None:
        if request.path != "/" and not request.path.startswith(KNOWN_PREFIXES):
            abort(404)

    @server.get("/api/layers/<name>.geojson")
    def layer_geojson(name: str) -> Response:
        if name not in layer_bodies:
            known = ", ".join(sorted(layer_bodies))
            return _error(404, f"no layer {name[:40]!r}; layers: {known}")
        return Response(layer_bodies[name], mimetype=GEOJSON)

    @server.get("/api/layers")
    def layer_index() -> Response:
        # Every registered layer the data holds, described as the registry declares it.
        described = [
            {
                "name": layer.name,
                "url": f"/api/layers/{layer.name}.geojson",
                "title": layer.title,
                "role": layer.role,
                "about": layer.docs,
            }
            for layer in registry.layers()
            if layer.name in layer_bodies
        ]
        return _json({"layers": described})

    @server.get("/api/events.geojson")
    def events() -> Response:
        window = parse_window(request.args.get("start"), request.args.get("end"))
        if isinstance(window, str):
            return _error(400, window)
        if window is None:
            return Response(all_events, mimetype=GEOJSON)
        return _json(events_geojson(dataset, window), mimetype=GEOJSON)

    @server.get("/api/events.csv")
    def events_as_csv() -> Response:
        window = parse_window(request.args.get("start"), request.args.get("end"))
        if isinstance(window, str):
            return _error(400, window)
        return Response(events_csv(dataset, window), mimetype="text/csv")

    @server.get("/healthz")
    def healthz() -> Response:
        return _json({"status": "ok", "events": len(dataset.events)})

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        return Response(f"{exc.code} {exc.name}\n", status=exc.code or 500, mimetype="text/plain")

    @server.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        # Never a traceback to a client; the server log has it.
        server.logger.exception("unhandled error")
        return Response("500 Internal Server Error\n", status=500, mimetype="text/plain")

    server.after_request(security_headers(csp))
