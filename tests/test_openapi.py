"""The API's OpenAPI description: complete, valid, and what the live server really does.

The fuzz tests run schemathesis (tests/fuzzing.py) against live servers: the real app, and
an app with a deliberately broken route to show that a contract break is caught.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from flask import Response
from pydantic import BaseModel
from werkzeug.serving import WSGIRequestHandler, make_server

from dashboard.app import create_app
from dashboard.openapi import OPENAPI_PATH, QueryModel, api_for, json_response
from tests.conftest import DATA_DIR
from tests.fuzzing import fuzz

# Enough examples per operation and mode to reach the boundaries; ~20 s on 2 cores.
MAX_EXAMPLES = 50


@pytest.fixture(scope="module")
def app():
    return create_app(DATA_DIR)


@pytest.fixture(scope="module")
def document(app):
    response = app.server.test_client().get(OPENAPI_PATH)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_description_is_openapi_31_with_every_data_route(document):
    assert document["openapi"] == "3.1.0"
    assert {
        "/api/layers",
        "/api/layers/{name}.geojson",
        "/api/events.geojson",
        "/api/events.csv",
        "/healthz",
        OPENAPI_PATH,
    } <= set(document["paths"])


def test_every_api_route_the_server_has_is_described(app, document):
    """A route added under /api/ without `dashboard.openapi` would be served undescribed."""
    described = {p.replace("{", "<").replace("}", ">") for p in document["paths"]}
    served = {
        rule.rule
        for rule in app.server.url_map.iter_rules()
        if rule.rule.startswith("/api/") or rule.rule == "/healthz"
    }
    assert served <= described, f"undescribed routes: {sorted(served - described)}"


def test_query_parameters_come_from_the_validating_model(document):
    params = {p["name"]: p for p in document["paths"]["/api/events.geojson"]["get"]["parameters"]}
    assert params["start"]["schema"] == {"type": "string", "format": "date"}
    assert not params["start"]["required"] and "400" in str(params["end"]["description"])
    responses = document["paths"]["/api/events.geojson"]["get"]["responses"]
    assert set(responses) >= {"200", "400", "404"}
    assert "application/geo+json" in responses["200"]["content"]
    event = document["components"]["schemas"]["EventFeatureProperties"]
    # The stored event model plus what the answer embeds, closed to unknown fields.
    assert {"date_start", "passage", "citations", "document", "place_name"} <= set(
        event["properties"]
    )
    assert event["additionalProperties"] is False


def test_schema_is_accepted_by_schemathesis_loader(document):
    import schemathesis

    schema = schemathesis.openapi.from_dict(document)
    labels = {r.ok().label for r in schema.get_all_operations()}
    assert "GET /api/events.geojson" in labels


def test_fuzzing_every_route_of_the_live_app_finds_nothing(live_server):
    report = fuzz(live_server, max_examples=MAX_EXAMPLES)
    print("\n" + report.summary())
    assert len(report.operations) >= 5, report.operations
    assert report.requests >= 100
    assert report.statuses.get("400", 0) > 0, "negative cases never reached a 400"
    assert report.failures == [], report.summary()


@contextlib.contextmanager
def threaded_server(flask_app) -> Iterator[str]:
    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # fuzzing sends thousands
            pass

    server = make_server("127.0.0.1", 0, flask_app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class Count(BaseModel):
    count: int


class CountQuery(QueryModel):
    n: int


def test_fuzzing_catches_a_route_that_breaks_its_contract():
    """A route that answers outside its description for some inputs is reported."""
    app = create_app(DATA_DIR)

    @api_for(app.server).route(
        "/api/broken",
        summary="Says it answers {count: int}",
        query=CountQuery,
        responses={200: json_response(Count, "a count")},
    )
    def broken(query: CountQuery) -> Response:
        if query.n < 0:
            return Response('{"count": "many"}', mimetype="application/json")  # not an int
        if query.n > 1000:
            raise RuntimeError("a real fault: must be a 500 and be reported")
        return Response(f'{{"count": {query.n}}}', mimetype="application/json")

    with threaded_server(app.server) as base:
        report = fuzz(base, max_examples=MAX_EXAMPLES)
    print("\n" + report.summary())
    broken_failures = [f for f in report.failures if "/api/broken" in f]
    assert broken_failures, report.summary()
    assert any("Response violates schema" in f for f in broken_failures), broken_failures
    assert any("ST101 Server error" in f for f in broken_failures), broken_failures
    assert all("/api/broken" in f for f in report.failures), report.failures
