"""Hostile requests get a 4xx, never a 5xx or the page; real faults are 500s with a request id.

Three layers, outermost first:

1. `RequestGuard`, WSGI middleware around the Flask app: every request gets an id (a sane
   incoming `X-Request-ID` is kept, else a new one) echoed in the response; requests that no
   route should see are answered here: a target over `MAX_TARGET_BYTES` (414), headers over
   `MAX_HEADER_BYTES` (431), control characters (NUL, ...) or a `..` segment in the decoded path
   (400: encoded traversal such as `..%2f` arrives here already decoded), a bad or too large
   Content-Length (400/413). gunicorn refuses some of these itself first (request line over
   4094 bytes, a header over 8190 bytes); the guard makes the dev server and any other WSGI
   server behave the same.
2. Flask rules (`install`): the page is served at `/` only (Dash answers every other path
   with the page too: that is turned into a 404); errors under `/api/` are JSON
   (`dashboard.openapi.ErrorBody`), elsewhere plain text; bodies over `MAX_BODY_BYTES` are a
   413 even when chunked; an unexpected exception is logged with the request id and answered
   500 with that id and nothing else; security headers on every response.
3. Dash's own routes wrapped (`wrap_dash_routes`): a callback request is checked against the
   callback it names (JSON object, a known server-side output, the inputs and state that
   callback declares) before Dash sees it, so a malformed one is a 400 instead of Dash's
   KeyError/RecursionError 500; an unknown component-suite file is a 404 instead of Dash's
   DependencyException 500. Whatever fails after those checks is a real fault: 500, logged.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.exceptions import HTTPException

from dashboard.callback_values import value_problem

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "karabakh.request_id"
MAX_TARGET_BYTES = 8192  # path + query; gunicorn's request line limit is 4094
MAX_HEADER_BYTES = 16384  # all header names and values together
MAX_BODY_BYTES = 1 << 20  # the page's largest callback request is a few kB
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

log = logging.getLogger("dashboard.requests")


def permissions_policy() -> str:
    """Every powerful feature off: the page uses none of them."""
    features = (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
    return ", ".join(f"{f}=()" for f in features)


def security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": permissions_policy(),
    }


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def error_body(path: str, status: int, message: str) -> tuple[bytes, str]:
    """(body, content type): JSON `{error, status}` under /api/, plain text elsewhere."""
    if is_api_path(path):
        body = json.dumps({"error": message, "status": status}, ensure_ascii=False)
        return body.encode(), "application/json"
    return f"{status} {message}\n".encode(), "text/plain; charset=utf-8"


# --------------------------------------------------------------------------- 1. WSGI guard

_REASONS = {400: "Bad Request", 413: "Content Too Large", 414: "URI Too Long"}
_REASONS[431] = "Request Header Fields Too Large"


def request_problem(environ: dict[str, Any]) -> tuple[int, str] | None:
    """Why this request must not reach the app (status, message), or None."""
    path = environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or f"{path}?{query}"
    if len(target) > MAX_TARGET_BYTES:
        return 414, f"the URL is longer than {MAX_TARGET_BYTES} bytes"
    header_bytes = sum(
        len(k) + len(str(v))
        for k, v in environ.items()
        if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")
    )
    if header_bytes > MAX_HEADER_BYTES:
        return 431, f"the headers are longer than {MAX_HEADER_BYTES} bytes"
    if _CONTROL.search(path):
        return 400, "the path holds a control character"
    if ".." in path.split("/"):
        return 400, "the path holds a '..' segment"
    length = environ.get("CONTENT_LENGTH") or ""
    if length:
        if not length.isdigit():
            return 400, "Content-Length is not a number"
        if int(length) > MAX_BODY_BYTES:
            return 413, f"the body is larger than {MAX_BODY_BYTES} bytes"
    return None


class RequestGuard:
    """WSGI middleware: request ids, and refusal of requests no route should see."""

    def __init__(self, app: Callable, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = list(headers.items())

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else secrets.token_hex(8)
        environ[REQUEST_ID_ENVIRON] = request_id

        problem = request_problem(environ)
        if problem is not None:
            status, message = problem
            path = environ.get("PATH_INFO", "")
            body, content_type = error_body(path, status, message)
            log.info("refused %s %r: %s (request id %s)", status, path[:200], message, request_id)
            start_response(
                f"{status} {_REASONS[status]}",
                [
                    ("Content-Type", content_type),
                    ("Content-Length", str(len(body))),
                    (REQUEST_ID_HEADER, request_id),
                    ("Connection", "close"),
                    *self.headers,
                ],
            )
            return [body]

        def start_with_id(status: str, headers: list, exc_info: Any = None):
            if not any(k.lower() == "x-request-id" for k, _ in headers):
                headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        return self.app(environ, start_with_id)


# --------------------------------------------------------------------------- 2. Flask rules


def request_id() -> str:
    return request.environ.get(REQUEST_ID_ENVIRON, "-")


def install(server: Flask, csp: str, catchall_endpoint: str) -> None:
    """Error handling, page-only-at-root and headers for `server`, and the WSGI guard."""
    headers = security_headers(csp)
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @server.before_request
    def only_known_paths() -> None:
        rule = request.url_rule
        if rule is not None and rule.endpoint == catchall_endpoint:
            abort(404)  # Dash's catch-all would answer the page for any path

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        if exc.code is None or exc.code < 400:
            return exc.get_response()
        body, content_type = error_body(request.path, exc.code, exc.name)
        response = Response(body, status=exc.code, content_type=content_type)
        for name in ("Allow", "Retry-After"):  # keep what the exception says about retrying
            if name in exc.get_response().headers:
                response.headers[name] = exc.get_response().headers[name]
        return response

    @server.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        # A real fault: the log has the traceback and the id, the client only the id.
        server.logger.exception(
            "unhandled error in %s %s (request id %s)", request.method, request.path, request_id()
        )
        body, content_type = error_body(
            request.path, 500, f"Internal Server Error (request id {request_id()})"
        )
        return Response(body, status=500, content_type=content_type)

    @server.after_request
    def add_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    server.wsgi_app = RequestGuard(server.wsgi_app, headers)  # type: ignore[method-assign]


# --------------------------------------------------------------------------- 3. Dash's routes


def _id_matches(declared: str, given: Any) -> bool:
    if declared.startswith("{"):  # a pattern-matching id: the renderer sends the concrete dicts
        return isinstance(given, dict)
    return given == declared


def _dependency_problem(kind: str, declared: list[dict], given: Any) -> str | None:
    if not isinstance(given, list) or len(given) != len(declared):
        return f"'{kind}' must list the callback's {len(declared)} {kind}"
    for want, item in zip(declared, given, strict=True):
        items = item if isinstance(item, list) and want["id"].startswith("{") else [item]
        for one in items:
            if not isinstance(one, dict) or one.get("property") != want["property"]:
                return f"'{kind}' does not match the callback's {kind}"
            if not _id_matches(want["id"], one.get("id")):
                return f"'{kind}' does not match the callback's {kind}"
            problem = value_problem(one["id"], one["property"], one.get("value"))
            if problem:
                return problem
    return None


def _changed_problem(changed: Any, inputs: list[dict]) -> str | None:
    """changedPropIds must name the callback's own inputs (Dash parses pattern ids as JSON)."""
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    plain = {f"{i['id']}.{i['property']}" for i in inputs if not i["id"].startswith("{")}
    patterns = {i["property"] for i in inputs if i["id"].startswith("{")}
    for prop_id in changed:
        if prop_id in plain:
            continue
        component, _, prop = prop_id.rpartition(".")
        try:
            is_pattern = prop in patterns and isinstance(json.loads(component), dict)
        except (ValueError, RecursionError):
            is_pattern = False
        if not is_pattern:
            return f"'changedPropIds' names {prop_id[:80]!r}, not an input of the callback"
    return None


def _outputs_match(declared: Any, given: Any) -> bool:
    """Dash's own check of the outputs a request names, run before Dash so it is a 400."""
    from dash import Output
    from dash._validate import validate_output_spec  # dash is pinned <5
    from dash.exceptions import CallbackException

    if isinstance(declared, list | tuple) != isinstance(given, list):
        return False
    try:
        validate_output_spec(declared, given, Output)
    except (CallbackException, KeyError, TypeError, AttributeError):
        return False
    return True


def callback_request_problem(body: Any, callback_map: dict[str, dict]) -> str | None:
    """What makes this `/_dash-update-component` body one the page would never send, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str):
        return "'output' is missing or not a string"
    callback = callback_map.get(output)
    if callback is None or "callback" not in callback:
        return f"no server callback has the output {output[:80]!r}"
    if not _outputs_match(callback["output"], body.get("outputs")):
        return "'outputs' does not match the callback's outputs"
    for kind, key in (("inputs", "inputs"), ("state", "state")):
        problem = _dependency_problem(kind, callback[key], body.get(key, []))
        if problem:
            return problem
    return _changed_problem(body.get("changedPropIds", []), callback["inputs"])


def wrap_dash_routes(server: Flask, prefix: str, callback_map: dict[str, dict]) -> None:
    from dash.exceptions import DependencyException

    callback_endpoint = prefix + "_dash-update-component"
    suites = "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"
    suites_endpoint = prefix + suites
    dispatch = server.view_functions[callback_endpoint]
    serve_suite = server.view_functions[suites_endpoint]

    def checked_dispatch(*args: Any, **kwargs: Any) -> Any:
        if not request.is_json:
            abort(415)
        # Read at most one byte past the limit: a chunked body has no Content-Length to
        # refuse it by, and the dev server hands it over whole.
        raw = request.stream.read(MAX_BODY_BYTES)
        if request.stream.read(1):  # werkzeug's limited stream may raise the 413 itself
            abort(413)
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: 100,000 nested '['
            return _plain(400, "the body is not valid JSON (or is nested too deeply)")
        problem = callback_request_problem(body, callback_map)
        if problem:
            return _plain(400, problem)
        request._cached_json = (body, body)  # Dash's request.get_json() reads this: parse once
        return dispatch(*args, **kwargs)

    def checked_suite(*args: Any, **kwargs: Any) -> Any:
        try:
            return serve_suite(*args, **kwargs)
        except DependencyException:  # a file Dash never registered: a bad URL, not a fault
            abort(404)

    server.view_functions[callback_endpoint] = checked_dispatch
    server.view_functions[suites_endpoint] = checked_suite


def _plain(status: int, message: str) -> Response:
    return Response(f"{status} {message}\n", status=status, mimetype="text/plain")
