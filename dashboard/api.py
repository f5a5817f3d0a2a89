"""HTTP routes beside the Dash page: layer and event GeoJSON, CSV, health.

Each route is declared through `dashboard.openapi`, so the query model that validates its
parameters and the models of its answers are also its OpenAPI description. Errors, unknown
paths and headers are `dashboard.hardening`'s business.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Literal

from flask import Flask, Response, request
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from dashboard import registry
from dashboard.dataset import Dataset, Event
from dashboard.exports import events_csv, events_geojson, events_geojson_text, events_kml
from dashboard.filters import (
    ENUM_VALUES,
    GROUP_TITLES,
    NAMED_GROUPS,
    NO_FILTERS,
    Filters,
    facets_of,
    filtered_events,
    parse_filters,
)
from dashboard.model import Citation, Document, EventProperties, LayerProperties
from dashboard.openapi import QueryModel, ResponseSpec, api_for, error_json, json_response
from dashboard.scrub_data import MEDIA_TYPE, URL_PREFIX, event_columns
from dashboard.selection import Window, page_title

GEOJSON = "application/geo+json"
KML = "application/vnd.google-earth.kml+xml"


def _json(payload: object, status: int = 200, mimetype: str = "application/json") -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype=mimetype)


# --------------------------------------------------------------------------- parameters


class WindowQuery(QueryModel):
    """An optional date window, inclusive; a missing end leaves that side open."""

    start: dt.date | None = Field(
        None, description="first day of the window, YYYY-MM-DD (none: from the beginning)"
    )
    end: dt.date | None = Field(
        None,
        description="last day of the window, inclusive, YYYY-MM-DD (none: to the end); "
        "not before `start` (400)",
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def _iso_day(cls, value: object, info) -> object:
        # Only YYYY-MM-DD: pydantic alone would also take timestamps and datetimes.
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            shown = value[:40] if isinstance(value, str) else value
            raise ValueError(
                f"'{info.field_name}' is not a date: expected YYYY-MM-DD, got {shown!r}"
            ) from None

    @model_validator(mode="after")
    def _in_order(self) -> WindowQuery:
        if self.start and self.end and self.end < self.start:
            raise ValueError("'end' is before 'start'")
        return self

    @property
    def window(self) -> Window | None:
        if self.start is None and self.end is None:
            return None
        return (self.start or dt.date.min, self.end or dt.date.max)


def _filter_field(name: str, separator: str, example: str) -> Any:
    if name in ENUM_VALUES:  # a fixed list of values: the schema says which
        one = "(" + "|".join(re.escape(v) for v in ENUM_VALUES[name]) + ")"
        return Field(
            None,
            pattern=f"^{one}(,{one})*$",
            description=f"{GROUP_TITLES[name]}: keep events with any of these values, "
            f"comma-separated (e.g. {example})",
        )
    return Field(
        None,
        description=f"{GROUP_TITLES[name]}: keep events with any of these names, separated "
        f"by '{separator}' (names contain commas; e.g. {example}); case and spacing do not "
        "matter; a name no event has matches nothing",
    )


class EventsQuery(WindowQuery):
    """A window and the filters, with the names the page's address uses (dashboard/filters.py)."""

    dataset: str | None = Field(
        None,
        pattern="^(articles|acled)(,(articles|acled))*$",
        description="Source dataset: 'articles' (the events curated from articles), 'acled' "
        "(imported ACLED rows); comma-separated. The answers hold events from articles only "
        "(ACLED rows are never exported), so 'acled' alone matches nothing",
    )
    type: str | None = _filter_field("type", ",", "'military,protest'")
    actor: str | None = _filter_field("actor", "|", "'Nikol Pashinian|Vladimir Putin'")
    outlet: str | None = _filter_field("outlet", "|", "'TASS|Reuters'")
    side: str | None = _filter_field("side", "|", "'Russian Ministry of Defence'")
    kind: str | None = _filter_field("kind", ",", "'article,official'")
    precision: str | None = _filter_field("precision", ",", "'exact,settlement'")
    vague: Literal["hide"] | None = Field(
        None, description="'hide': leave out events placed only to a region, country or off the map"
    )


def _filtered(dataset: Dataset, query: EventsQuery) -> tuple[Filters, bool]:
    """(the query's filters, whether no event can match): a group whose every name is one
    no event has matches nothing (the page's filters drop such names; an API query asked
    for them, so the answer is empty rather than everything)."""
    args = query.model_dump(exclude={"start", "end"}, exclude_none=True)
    if not args:
        return NO_FILTERS, False
    filters, _unknown = parse_filters(args, facets_of(dataset))
    nothing = any(args.get(g, "").strip("| ") and not filters.chosen(g) for g in NAMED_GROUPS)
    return filters, nothing


def _events_asked(dataset: Dataset, query: EventsQuery) -> tuple[Filters, list[Event]]:
    filters, nothing = _filtered(dataset, query)
    return filters, [] if nothing else filtered_events(dataset, filters, query.window)


# --------------------------------------------------------------------------- answers


class Geometry(BaseModel):
    """A GeoJSON geometry (RFC 7946); coordinates are lon, lat in WGS 84."""

    model_config = ConfigDict(extra="allow")

    type: Literal[
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ]


class LayerFeatureOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["Feature"]
    geometry: Geometry | None
    properties: LayerProperties


class LayerCollection(BaseModel):
    """A reference layer as stored in geodata/layers/ (see geodata/README.md)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["FeatureCollection"]
    features: list[LayerFeatureOut]


class LayerEntry(BaseModel):
    """A layer as dashboard/registry.py declares it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    url: str = Field(description="where its GeoJSON is")
    title: str
    role: registry.Role = Field(description="reference: dated, toggleable; context: basemap")
    about: str = Field(description="what the layer holds and where it comes from")


class LayerIndex(BaseModel):
    model_config = ConfigDict(extra="forbid")

    layers: list[LayerEntry]


# What the events answer embeds of a citation (dashboard.exports leaves these two out).
CITATION_FIELDS_NOT_EXPORTED = {"supports", "document_id"}
CitedSource = create_model(
    "CitedSource",
    __config__=ConfigDict(extra="forbid"),
    __doc__="A source the article cites for the event, as written and resolved to a date.",
    **{
        name: (info.annotation, info)
        for name, info in Citation.model_fields.items()
        if name not in CITATION_FIELDS_NOT_EXPORTED
    },
)


class EventFeatureProperties(EventProperties):
    """The stored event properties plus what a reader needs without a second request."""

    place_name: str
    citations: list[CitedSource]  # type: ignore[valid-type]
    document: Document | None = Field(description="the seed article, null for report-only")
    independent_outlets: list[str] = Field(
        description="distinct outlets reporting the event (dashboard.provenance)"
    )


class PointGeometry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2, description="lon, lat")


class EventFeature(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["Feature"]
    id: str
    geometry: PointGeometry | None = Field(description="null for events off the map")
    properties: EventFeatureProperties


class WindowOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: dt.date | None = Field(description="null: open")
    end: dt.date | None = Field(description="null: open")


class EventCollection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["FeatureCollection"]
    source: str = Field(
        description="where the events come from: curated from articles (ACLED rows are never "
        "exported)"
    )
    features: list[EventFeature]
    window: WindowOut | None = Field(None, description="present when a window was asked for")
    filters: dict[str, str] | None = Field(
        None, description="present when filters were asked for: as the query spells them"
    )


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]
    events: int = Field(ge=0)


KML_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "a KML 2.2 document (XML); see dashboard.exports.events_kml",
}
CSV_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "one header row, then one row per event; see dashboard.exports.CSV_COLUMNS",
}


# --------------------------------------------------------------------------- routes


def register_api(server: Flask, dataset: Dataset) -> None:
    api = api_for(server)
    layer_bodies = {
        layer: json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
        for layer, raw in dataset.raw_layers.items()
    }

    @api.route(
        "/api/layers/{name}.geojson",
        summary="One layer as stored",
        path_params={"name": {"type": "string", "enum": sorted(layer_bodies)}},
        responses={
            200: json_response(LayerCollection, "the layer", GEOJSON),
        },
        tags=("layers",),
    )
    def layer_geojson(name: str) -> Response:
        if name not in layer_bodies:
            known = ", ".join(sorted(layer_bodies))
            return error_json(404, f"no layer {name[:40]!r}; layers: {known}")
        return Response(layer_bodies[name], mimetype=GEOJSON)

    @api.route(
        "/api/layers",
        summary="Every layer: name, URL, title, role and what it holds",
        responses={200: json_response(LayerIndex, "the layers the data holds")},
        tags=("layers",),
    )
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

    @api.route(
        "/api/events.geojson",
        summary="Events with their citations and article, optionally within a date window",
        description=(
            "All events, or those whose own span overlaps the window [start, end]. Each "
            "feature embeds the sources the article cites for it and the article's metadata."
        ),
        query=EventsQuery,
        responses={200: json_response(EventCollection, "the events", GEOJSON)},
        tags=("events",),
    )
    def events(query: EventsQuery) -> Response:
        if query.window is None and query.model_dump(exclude_none=True) == {}:
            # Every event: streamed as it is made, never held whole (at a million events
            # the text alone is gigabytes); ask for a window to get less.
            return Response(events_geojson_text(dataset), mimetype=GEOJSON)
        filters, chosen = _events_asked(dataset, query)
        collection = events_geojson(dataset, events=chosen)
        if query.window is not None:  # as asked: null ends are open
            collection["window"] = query.model_dump(mode="json", include={"start", "end"})
        asked = query.model_dump(exclude={"start", "end"}, exclude_none=True)
        if asked:
            collection["filters"] = asked
        return _json(collection, mimetype=GEOJSON)

    @api.route(
        "/api/events.csv",
        summary="The same events flattened to one CSV row each",
        description=(
            "List fields are joined with '; '; a cell that would run as a spreadsheet formula "
            "is prefixed with '."
        ),
        query=EventsQuery,
        responses={200: ResponseSpec("the events as CSV", "text/csv", schema=CSV_SCHEMA)},
        tags=("events",),
    )
    def events_as_csv(query: EventsQuery) -> Response:
        _filters, chosen = _events_asked(dataset, query)
        return Response(
            events_csv(dataset, events=chosen),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="karabakh-events.csv"'},
        )

    @api.route(
        "/api/events.kml",
        summary="The same events as KML (Google Earth): one placemark each",
        description=(
            "A KML 2.2 document: each event a placemark with its title, its time span, its "
            "point (none for an event off the map), its type, precisions and confidence as "
            "ExtendedData, and its record and sources in the description (HTML-escaped text, "
            "since Google Earth renders descriptions as HTML)."
        ),
        query=EventsQuery,
        responses={200: ResponseSpec("the events as KML", KML, schema=KML_SCHEMA)},
        tags=("events",),
    )
    def events_as_kml(query: EventsQuery) -> Response:
        _filters, chosen = _events_asked(dataset, query)
        body = events_kml(dataset, events=chosen, title=page_title(dataset))
        return Response(
            body,
            mimetype=KML,
            headers={"Content-Disposition": 'attachment; filename="karabakh-events.kml"'},
        )

    @api.route(
        URL_PREFIX + "{version}.bin",
        summary="The events as the page's events layer reads them (binary columns)",
        description=(
            "Compact binary columns of every event (day spans, marker, type and precision "
            "codes, UTF-8 ids and titles) and the markers, the layout given in "
            "dashboard/scrub_data.py. One file per data version: the page's scrub model "
            "names the current address; the body never changes, so it is served with an "
            "ETag and `Cache-Control: immutable`, gzipped once. An old version is a 404 "
            "naming the current address."
        ),
        path_params={"version": {"type": "string", "pattern": "^[0-9a-f]{20}$"}},
        responses={
            200: ResponseSpec(
                description="the events' columns",
                media_type=MEDIA_TYPE,
                schema={"type": "string", "format": "binary"},
            ),
            304: ResponseSpec(description="not modified (If-None-Match)", schema={}),
        },
        tags=("events",),
    )
    def scrub_columns(version: str) -> Response:
        current = event_columns(dataset)
        if version != current.version:
            return error_json(404, f"no scrub data {version[:40]!r}; current: {current.url}")
        headers = {
            "ETag": current.etag,
            "Cache-Control": "public, max-age=31536000, immutable",
            "Vary": "Accept-Encoding",
        }
        if request.if_none_match.contains_weak(current.version):
            return Response(status=304, headers=headers)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            body = current.gzipped()
            headers["Content-Encoding"] = "gzip"  # flask-compress leaves encoded bodies alone
        else:
            body = current.body
        return Response(body, mimetype=MEDIA_TYPE, headers=headers)

    @api.route(
        "/healthz",
        summary="Liveness for load balancers",
        responses={200: json_response(Health, "the app is serving")},
        tags=("meta",),
    )
    def healthz() -> Response:
        return _json({"status": "ok", "events": len(dataset.events)})
