"""The HTTP API's contract: routes declared once, validated and described from the same models.

A route is declared with `OpenApi.route(...)`: the pydantic model of its query parameters both
validates each request (a bad query is a 400 with a JSON message, before the view runs) and
becomes the `parameters` of its OpenAPI operation; its response models become the response
schemas. `/api/openapi.json` serves the description (OpenAPI 3.1, whose schemas are JSON
Schema, which is what pydantic writes). tests/test_openapi.py fuzzes every declared route
against it with schemathesis, and fails for any /api/ route the server has but the description
lacks (a route added with plain `@server.get` would be served undescribed).

To add a route from another module (search, exports, columnar data, ...):

    from dashboard.openapi import QueryModel, api_for, json_response

    class SearchQuery(QueryModel):
        q: str = Field(min_length=1, max_length=200, description="words to look for")

    @api_for(app.server).route(
        "/api/search", summary="Events matching words", query=SearchQuery,
        responses={200: json_response(SearchResult, "matching events")},
    )
    def search(query: SearchQuery) -> Response: ...

The view receives the validated query model (and path parameters as keyword arguments). A
400 answer for a bad query and a 404/405 for unknown paths and methods are documented on every
operation automatically (`dashboard.hardening` turns every error under /api/ into `ErrorBody`).
Not modelled yet: request bodies (a writer's POST would add a `body=` model the same way).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.json_schema import models_json_schema

OPENAPI_PATH = "/api/openapi.json"
REF_TEMPLATE = "#/components/schemas/{model}"
EXTENSION_KEY = "karabakh_openapi"


class ErrorBody(BaseModel):
    """What every error under /api/ answers (400, 404, 405, 413, ...)."""

    model_config = ConfigDict(extra="forbid", title="ErrorBody")

    error: str
    status: int


class QueryModel(BaseModel):
    """Base of query-parameter models: unknown parameters are errors (a typo is not ignored)."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class ResponseSpec:
    """One documented response: its media type and either a pydantic model or a raw schema."""

    description: str
    media_type: str = "application/json"
    model: type[BaseModel] | None = None
    schema: dict[str, Any] | None = None


def json_response(
    model: type[BaseModel], description: str, media_type: str = "application/json"
) -> ResponseSpec:
    return ResponseSpec(description=description, media_type=media_type, model=model)


def error_response(description: str) -> ResponseSpec:
    return ResponseSpec(description=description, model=ErrorBody)


@dataclass
class Operation:
    path: str  # OpenAPI form: /api/layers/{name}.geojson
    method: str
    summary: str
    description: str
    query: type[QueryModel] | None
    path_params: dict[str, dict[str, Any]]
    responses: dict[int, ResponseSpec]
    tags: tuple[str, ...] = ()
    operation_id: str = ""


def _flask_rule(path: str) -> str:
    return path.replace("{", "<").replace("}", ">")


def query_error_message(error: ValidationError) -> str:
    """The first problem in words a script's author can act on."""
    parts = []
    for err in error.errors(include_url=False):
        name = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown parameter {name[:40]!r}")
        elif err["type"] == "value_error":
            parts.append(str(err["ctx"]["error"]))
        else:
            parts.append(f"{name!r}: {err['msg']}" if name else err["msg"])
    return "; ".join(parts)


def parse_query(model: type[QueryModel]) -> QueryModel | str:
    """The request's query validated by `model`, or a message saying what is wrong."""
    values: dict[str, str] = {}
    for name, given in request.args.lists():
        if len(given) > 1:
            return f"{name[:40]!r} is given {len(given)} times: give it once"
        values[name] = given[0]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        return query_error_message(exc)


def error_json(status: int, message: str) -> Response:
    body = json.dumps({"error": message, "status": status}, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


@dataclass
class OpenApi:
    """The app's API description, filled in by every `route` declaration."""

    server: Flask
    title: str
    version: str
    description: str = ""
    operations: list[Operation] = field(default_factory=list)

    def route(
        self,
        path: str,
        *,
        summary: str,
        responses: dict[int, ResponseSpec],
        description: str = "",
        query: type[QueryModel] | None = None,
        path_params: dict[str, dict[str, Any]] | None = None,
        tags: tuple[str, ...] = (),
        method: str = "GET",
    ) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
        """Register a Flask view at `path` (OpenAPI `{param}` syntax) and describe it."""

        def decorator(view: Callable[..., Response]) -> Callable[..., Response]:
            operation = Operation(
                path=path,
                method=method.lower(),
                summary=summary,
                description=description or (view.__doc__ or "").strip(),
                query=query,
                path_params=path_params or {},
                responses=dict(responses),
                tags=tags,
                operation_id=view.__name__,
            )
            self.operations.append(operation)

            def endpoint(**kwargs: Any) -> Response:
                if query is None:
                    if request.args:
                        name = next(iter(request.args))
                        return error_json(400, f"unknown parameter {name[:40]!r}")
                    return view(**kwargs)
                parsed = parse_query(query)
                if isinstance(parsed, str):
                    return error_json(400, parsed)
                return view(parsed, **kwargs)

            self.server.add_url_rule(
                _flask_rule(path),
                endpoint=f"api:{view.__name__}",
                view_func=endpoint,
                methods=[method],
            )
            return view

        return decorator

    def document(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document, schemas in components/schemas."""
        models: set[type[BaseModel]] = {ErrorBody}
        for op in self.operations:
            models.update(r.model for r in op.responses.values() if r.model is not None)
        ordered = sorted(models, key=lambda m: m.__name__)
        refs, defs = models_json_schema(
            [(m, "serialization") for m in ordered], ref_template=REF_TEMPLATE
        )
        components = dict(sorted(defs.get("$defs", {}).items()))

        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            responses = {**op.responses}
            if op.query is not None or op.path_params:
                responses.setdefault(400, error_response("the query is not valid"))
            responses.setdefault(404, error_response("no such resource"))
            responses.setdefault(405, error_response("method not allowed"))
            paths.setdefault(op.path, {})[op.method] = {
                "operationId": op.operation_id,
                "summary": op.summary,
                **({"description": op.description} if op.description else {}),
                **({"tags": list(op.tags)} if op.tags else {}),
                "parameters": [*_path_parameters(op), *_query_parameters(op.query)],
                "responses": {
                    str(status): _response(spec, refs) for status, spec in sorted(responses.items())
                },
            }
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "paths": paths,
            "components": {"schemas": components},
        }


def _response(spec: ResponseSpec, refs: dict) -> dict[str, Any]:
    schema = refs[spec.model, "serialization"] if spec.model is not None else spec.schema or {}
    return {"description": spec.description, "content": {spec.media_type: {"schema": schema}}}


def _path_parameters(op: Operation) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True, "schema": schema}
        for name, schema in op.path_params.items()
    ]


def _query_parameters(model: type[QueryModel] | None) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        # `X | None = None` is how pydantic spells "optional"; in a query it means "absent".
        options = prop.get("anyOf")
        if options and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            prop.pop("anyOf")
            prop.pop("default", None)
            prop.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def api_for(server: Flask) -> OpenApi:
    """The description of this server's API (created, and served, on first use)."""
    spec = server.extensions.get(EXTENSION_KEY)
    if spec is None:
        spec = OpenApi(
            server=server,
            title="Karabakh Protectorate Map API",
            version="1",
            description=(
                "Reference layers and dated, cited events of Russia's peacekeeping protectorate "
                "in Nagorno-Karabakh (November 2020 - June 2024). Errors under /api/ are JSON "
                "`{error, status}`."
            ),
        )
        server.extensions[EXTENSION_KEY] = spec

        @spec.route(
            OPENAPI_PATH,
            summary="This description (OpenAPI 3.1)",
            responses={200: ResponseSpec("the OpenAPI document", schema={"type": "object"})},
            tags=("meta",),
        )
        def openapi_json() -> Response:
            body = json.dumps(spec.document(), ensure_ascii=False)
            return Response(body, mimetype="application/json")

    return spec
