"""Hostile HTTP requests against live servers (the dev server and gunicorn): always a 4xx.

Never a 5xx, never the map page for a path that is not the page, never a traceback; under
/api/ the answer is JSON `{error, status}`. Real faults stay 500s, logged with a request id.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
from urllib.parse import urlparse

import pytest
from dash import Dash, Input, Output, html

from dashboard import hardening
from dashboard.app import create_app
from dashboard.callback_values import CALLBACK_VALUES, value_key
from tests.conftest import DATA_DIR, gunicorn_serving

JSON = {"Content-Type": "application/json"}
PAGE_MARKER = b"react-entry-point"  # in the HTML of the map page, nowhere else


def callback_body(output: str, inputs: list, state: list | None = None, changed=None) -> bytes:
    """A request as the page sends it: outputs as Dash spells them in the `output` string."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outputs = [dict(zip(("id", "property"), p.split(".", 1), strict=True)) for p in parts]
    body = {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": changed or [],
    }
    return json.dumps(body).encode()


LIST_OUTPUT = "..event-list.children...list-page.data...list-prev.disabled...list-next.disabled.."


def list_inputs(window=None, sort="date", page=0) -> tuple[list, list]:
    inputs = [
        {"id": "list-window", "property": "data", "value": window},
        {"id": "event-list-sort", "property": "value", "value": sort},
        {"id": "selected-event", "property": "data", "value": None},
        {"id": "list-prev", "property": "n_clicks", "value": None},
        {"id": "list-next", "property": "n_clicks", "value": None},
        {"id": "filter-state", "property": "data", "value": []},
    ]
    state = [
        {"id": "list-page", "property": "data", "value": page},
        {"id": "date-range", "property": "value", "value": window},
    ]
    return inputs, state


def list_request(**kwargs) -> bytes:
    inputs, state = list_inputs(**kwargs)
    return callback_body(LIST_OUTPUT, inputs, state, ["list-window.data"])


# (name, method, target, headers, body): every request the issue lists, then more.
HOSTILE = [
    ("issue: encoded traversal", "GET", "/api/layers/..%2f..%2f..%2fetc%2fpasswd.geojson"),
    ("issue: raw traversal", "GET", "/api/layers/../../pyproject.toml"),
    ("issue: NUL byte", "GET", "/api/layers/aor.geojson%00.txt"),
    ("issue: unknown api path", "GET", "/api/nope"),
    ("issue: missing asset", "GET", "/_dash-component-suites/dash/nope.js"),
    ("issue: suite traversal", "GET", "/_dash-component-suites/../../pyproject.toml"),
    (
        "issue: unknown callback output",
        "POST",
        "/_dash-update-component",
        JSON,
        callback_body("nope.children", [{"id": "x", "property": "y", "value": 1}]),
    ),
    ("issue: 100,000 nested [", "POST", "/_dash-update-component", JSON, b"[" * 100_000),
    ("encoded dots", "GET", "/api/layers/%2e%2e%2fpyproject.toml"),
    ("double-encoded traversal", "GET", "/api/layers/..%252f..%252fpyproject.toml"),
    ("asset traversal", "GET", "/assets/..%2f..%2fpyproject.toml"),
    ("NUL in a suite path", "GET", "/_dash-component-suites/dash%00/x.js"),
    ("unknown package suite", "GET", "/_dash-component-suites/os/path.py"),
    ("/api without slash", "GET", "/api"),
    ("/api/ itself", "GET", "/api/"),
    ("unknown layer", "GET", "/api/layers/nope.geojson"),
    ("layer with a trailing slash", "GET", "/api/layers/aor.geojson/"),
    ("unknown page path", "GET", "/admin"),
    ("favicon elsewhere", "GET", "/favicon.ico"),
    ("overlong URL", "GET", "/" + "a" * 20_000),
    ("overlong query", "GET", "/api/events.geojson?start=" + "9" * 20_000),
    ("long but allowed query value", "GET", "/api/events.geojson?start=" + "9" * 3000),
    ("overlong header", "GET", "/", {"X-Junk": "a" * 20_000}),
    ("many headers", "GET", "/api/layers", {f"X-Junk-{i}": "a" * 150 for i in range(120)}),
    ("impossible date", "GET", "/api/events.geojson?start=2021-02-30&end=2021-03-01"),
    ("reversed window", "GET", "/api/events.csv?start=2021-03-01&end=2021-02-01"),
    ("timestamp for a date", "GET", "/api/events.geojson?start=1612137600&end=1612137600"),
    ("NUL in a query", "GET", "/api/events.geojson?start=%00&end=2021-01-01"),
    ("repeated parameter", "GET", "/api/events.csv?start=2021-01-01&start=2021-01-02"),
    ("unknown parameter", "GET", "/api/events.geojson?strat=2021-01-01"),
    ("parameter on a route without any", "GET", "/healthz?verbose=1"),
    ("POST to a GET route", "POST", "/api/events.geojson", JSON, b"{}"),
    ("DELETE", "DELETE", "/api/layers/aor.geojson"),
    ("TRACE on the page", "TRACE", "/"),
    ("GET the callback route", "GET", "/_dash-update-component"),
    ("callback: not JSON", "POST", "/_dash-update-component", JSON, b"{not json"),
    ("callback: not UTF-8", "POST", "/_dash-update-component", JSON, b'{"a": "\xff\xfe"}'),
    ("callback: text/plain", "POST", "/_dash-update-component", {"Content-Type": "text/plain"}),
    ("callback: a list", "POST", "/_dash-update-component", JSON, b"[]"),
    ("callback: 100,000 nested {", "POST", "/_dash-update-component", JSON, b'{"a":' * 100_000),
    ("callback: output a number", "POST", "/_dash-update-component", JSON, b'{"output": 5}'),
    (
        "callback: a browser-side callback",
        "POST",
        "/_dash-update-component",
        JSON,
        callback_body("..map.figure...event-count.children...date-range-label.children..", []),
    ),
    (
        "callback: outputs missing",
        "POST",
        "/_dash-update-component",
        JSON,
        list_request().replace(b'"outputs": [', b'"outputs": [], "x": ['),
    ),
    (
        "callback: wrong inputs",
        "POST",
        "/_dash-update-component",
        JSON,
        callback_body(LIST_OUTPUT, [{"id": "x", "property": "y", "value": 1}]),
    ),
    ("callback: page as text", "POST", "/_dash-update-component", JSON, list_request(page="x")),
    (
        "callback: ten thousand years of slider",
        "POST",
        "/_dash-update-component",
        JSON,
        list_request(window=[10**9, -(10**9)]),
    ),
    ("callback: sort as a list", "POST", "/_dash-update-component", JSON, list_request(sort=[])),
    (
        "callback: changed prop not an input",
        "POST",
        "/_dash-update-component",
        JSON,
        callback_body(LIST_OUTPUT, *list_inputs(), ['{"evil": [' + "[" * 50_000 + "]}.x"]),
    ),
    ("oversized callback body", "POST", "/_dash-update-component", JSON, b" " * (2 << 20)),
    (
        "Content-Length not a number",
        "POST",
        "/_dash-update-component",
        {**JSON, "Content-Length": "abc"},
        None,
    ),
    (
        "Content-Length of 100 GB",
        "POST",
        "/_dash-update-component",
        {**JSON, "Content-Length": "100000000000"},
        None,
    ),
]
HOSTILE = [case + (None,) * (5 - len(case)) for case in HOSTILE]


def send(base: str, method: str, target: str, headers=None, body=None) -> tuple[int, dict, bytes]:
    """One request exactly as given (no normalisation of the path), on its own connection."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.putrequest(method, target, skip_host=False, skip_accept_encoding=True)
        headers = dict(headers or {})
        if body is not None and "Content-Length" not in headers:
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            connection.putheader(name, value)
        # The server may answer (413) and close before reading the whole body.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def send_chunked(base: str, target: str, chunks) -> tuple[int, bytes]:
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request("POST", target, body=chunks, headers=JSON, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module", params=["dev-server", "gunicorn"])
def server(request, live_server):
    if request.param == "dev-server":
        yield request.param, live_server
    else:
        with gunicorn_serving(workers=2) as base:
            yield request.param, base


@pytest.mark.parametrize(
    "name, method, target, headers, body", HOSTILE, ids=[c[0] for c in HOSTILE]
)
def test_hostile_request_gets_a_4xx(server, name, method, target, headers, body):
    kind, base = server
    status, got_headers, content = send(base, method, target, headers, body)
    assert 400 <= status < 500, (status, content[:300])
    assert PAGE_MARKER not in content and b"Traceback" not in content
    headers_lower = {k.lower(): v for k, v in got_headers.items()}
    if "x-request-id" in headers_lower:  # answered by the app, not refused by gunicorn itself
        assert headers_lower["x-content-type-options"] == "nosniff"
        if target.startswith(("/api", "/healthz")):  # the described routes
            assert headers_lower["content-type"].startswith("application/json"), content[:200]
            error = json.loads(content)
            assert error["status"] == status and error["error"]
        else:
            assert headers_lower["content-type"].startswith("text/plain"), content[:200]


def test_control_characters_in_the_raw_request_line(server):
    kind, base = server
    url = urlparse(base)
    for raw in (b"/api/\x01x", b"/\x7f", b"/api/layers/aor.geojson\x00"):
        with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
            sock.sendall(b"GET " + raw + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        status = int(answer.split(b" ", 2)[1])
        assert 400 <= status < 500, answer[:200]


def test_oversized_chunked_callback_body_is_a_413(server):
    kind, base = server
    chunks = (b"[" + b"0," * 65536 for _ in range(16))  # ~2 MB, no Content-Length
    status, content = send_chunked(base, "/_dash-update-component", chunks)
    assert status == 413, content[:200]


def test_the_page_and_a_real_callback_still_work(server):
    kind, base = server
    status, headers, content = send(base, "GET", "/?start=2021-02-01&end=2021-03-01")
    assert status == 200 and PAGE_MARKER in content
    assert {"Cross-Origin-Opener-Policy", "Permissions-Policy"} <= set(headers)
    status, headers, content = send(base, "POST", "/_dash-update-component", JSON, list_request())
    assert status == 200 and b"event-list" in content, content[:300]
    status, headers, _ = send(base, "GET", "/healthz", {"X-Request-ID": "probe-42"})
    assert status == 200 and headers["X-Request-ID"] == "probe-42"


def test_every_server_callback_input_has_a_value_contract():
    """A new server callback must say what the page sends (dashboard/callback_values.py)."""
    app = create_app(DATA_DIR)
    keys = set()
    for callback in app.callback_map.values():
        if "callback" not in callback:
            continue  # runs in the browser
        for dep in callback["inputs"] + callback["state"]:
            component = json.loads(dep["id"]) if dep["id"].startswith("{") else dep["id"]
            keys.add(value_key(component, dep["property"]))
    assert keys <= set(CALLBACK_VALUES), f"no contract for {sorted(keys - set(CALLBACK_VALUES))}"


# --------------------------------------------------------------------------- real faults


@pytest.fixture
def faulty_app():
    """A Dash app hardened like ours whose callback and API route fail on purpose."""
    app = Dash(__name__)
    app.layout = html.Div([html.Button(id="go"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("go", "n_clicks"))
    def explode(n_clicks):
        return 1 / 0

    @app.server.get("/api/explode")
    def api_explode():
        raise RuntimeError("on purpose")

    hardening.install(app.server, "default-src 'none'", "/<path:path>")
    hardening.wrap_dash_routes(app.server, "/", app.callback_map)
    return app


def test_a_failing_callback_stays_a_500_logged_with_its_request_id(faulty_app, caplog):
    client = faulty_app.server.test_client()
    body = callback_body(
        "out.children",
        [{"id": "go", "property": "n_clicks", "value": 1}],
        changed=["go.n_clicks"],
    )
    response = client.post(
        "/_dash-update-component", data=body, headers={**JSON, "X-Request-ID": "fault-1"}
    )
    assert response.status_code == 500
    assert "fault-1" in response.get_data(as_text=True)
    assert "ZeroDivisionError" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if "fault-1" in r.getMessage()]
    assert logged and logged[0].exc_info[0] is ZeroDivisionError

    malformed = client.post("/_dash-update-component", data=b'{"output": "out.children"}')
    assert malformed.status_code == 415  # not JSON: the client's fault
    malformed = client.post(
        "/_dash-update-component", data=b'{"output": "out.children"}', headers=JSON
    )
    assert malformed.status_code == 400


def test_a_failing_api_route_is_a_json_500_with_its_request_id(faulty_app, caplog):
    response = faulty_app.server.test_client().get("/api/explode")
    assert response.status_code == 500 and response.mimetype == "application/json"
    request_id = response.headers["X-Request-ID"]
    assert request_id in response.get_json()["error"]
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records)
