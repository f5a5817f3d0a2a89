"""The data model: what every record in geodata/ must look like.

These pydantic models are the single statement of the schema. `geodata/README.md` documents
the same fields for people; `dashboard.loading` validates every file against these models and
turns pydantic's errors into messages naming file, record and field.

Nothing here reads files: this module is the bottom of the import graph.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a property name must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- names


class AltName(Strict):
    """One other name of a place, in the language it is used in (contested names paired)."""

    name: NonEmpty
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,8})?$")]  # BCP 47


# --------------------------------------------------------------------------- reference layers


class LayerName(StrEnum):
    """The four reference layers and the offline context basemap layers."""

    STEPANAKERT = "stepanakert"
    LACHIN_CORRIDOR = "lachin_corridor"
    PEACEKEEPER_POSTS = "peacekeeper_posts"
    AOR = "aor"
    CONTEXT_COUNTRIES = "context_countries"
    CONTEXT_BOUNDARIES = "context_boundaries"
    CONTEXT_RIVERS = "context_rivers"
    CONTEXT_LAKES = "context_lakes"


REFERENCE_LAYERS: tuple[LayerName, ...] = (
    LayerName.AOR,
    LayerName.LACHIN_CORRIDOR,
    LayerName.STEPANAKERT,
    LayerName.PEACEKEEPER_POSTS,
)
CONTEXT_LAYERS: tuple[LayerName, ...] = (
    LayerName.CONTEXT_COUNTRIES,
    LayerName.CONTEXT_LAKES,
    LayerName.CONTEXT_RIVERS,
    LayerName.CONTEXT_BOUNDARIES,
)


class Accuracy(StrEnum):
    """How far a geometry can be trusted."""

    VERIFIED = "verified"  # several independent sources agree within ~1 km
    APPROXIMATE = "approximate"  # from a generalised source (e.g. Natural Earth 1:10m, ~1-2 km)
    SCHEMATIC = "schematic"  # constructed from a rule (buffer, straight segments), not surveyed
    SETTLEMENT_PROXY = "settlement-proxy"  # placed at the named settlement's centre
    UNLOCATED = "unlocated"  # no coordinates in any source read: listed, not placed


class LayerProperties(Strict):
    """Properties of every feature in geodata/layers/*.geojson."""

    id: Identifier
    name: NonEmpty
    alt_names: list[AltName] = Field(default_factory=list)
    layer: LayerName
    kind: Identifier  # what the feature is within its layer, e.g. corridor-area, route, post
    source: NonEmpty  # where the geometry comes from
    source_url: str | None = None
    license: str | None = None
    accuracy: Accuracy
    valid_from: dt.date | None = None  # first day the feature holds; None = before the map's span
    valid_to: dt.date | None = None  # last day it holds (inclusive); None = still holds
    note: str = ""
    area_km2: float | None = Field(default=None, ge=0)  # computed in a metric CRS
    compare_with: str | None = None  # published estimates the area should be compared with

    @model_validator(mode="after")
    def _validity_in_order(self) -> LayerProperties:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


# --------------------------------------------------------------------------- gazetteer


class PlaceProperties(Strict):
    """Properties of a place in geodata/places.geojson (geometry null = off the map)."""

    id: Identifier
    name: NonEmpty
    alt_names: list[AltName] = Field(default_factory=list)
    kind: NonEmpty  # city, town, village, capital, organisation-seat, ...
    source: NonEmpty  # where the coordinate was read
    source_url: str | None = None
    cross_checks: str = ""  # other sources' coordinates for the same place
    note: str = ""
    label: bool = True  # drawn as a labelled point on the context basemap


# --------------------------------------------------------------------------- events


class EventType(StrEnum):
    AGREEMENT = "agreement"  # armistice, treaty
    POLITICAL = "political"  # elections, appointments, parties, internal politics
    DIPLOMATIC = "diplomatic"  # letters, meetings, demarches between governments/organisations
    MILITARY = "military"  # troop movements, conscription, deployments
    PROTEST = "protest"
    STATEMENT = "statement"  # public statements and announcements


class TimePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"  # Monday to Sunday ("last week")
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"  # a span whose bounds are vague ("late 2020", "during February and March")


# --------------------------------------------------------------------------- documents


class Document(Strict):
    """A seed document: one analysis article, its text kept verbatim in seeds/."""

    id: Identifier
    title: NonEmpty
    author: NonEmpty
    publisher: NonEmpty
    series: NonEmpty  # e.g. Eurasia Daily Monitor
    volume: int | None = None
    issue: int | None = None
    published: dt.date  # publication date; see published_precision
    published_precision: TimePrecision = TimePrecision.DAY
    url: Annotated[str, StringConstraints(pattern=r"^https?://")]
    text_path: NonEmpty  # path of the text relative to the repository root, e.g. seeds/000_....txt


class DateBasis(StrEnum):
    OCCURRED = "occurred"  # the date is when the event happened
    REPORTED = "reported"  # only when an outlet reported it is known


class GeoPrecision(StrEnum):
    EXACT = "exact"
    SETTLEMENT = "settlement"
    REGION = "region"
    COUNTRY = "country"
    OFF_MAP = "off-map"


class Span(Strict):
    """Character offsets into a document's text: text[start:end], Python str indices."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class EventProperties(Strict):
    """Properties of an event feature in geodata/events.geojson (geometry = its place's point)."""

    id: Identifier
    title: NonEmpty  # short, neutral, own words
    summary: NonEmpty  # own words
    actors: list[NonEmpty] = Field(min_length=1)
    event_type: EventType
    date_start: dt.date
    date_end: dt.date  # inclusive; equals date_start for a single day
    time_precision: TimePrecision
    date_basis: DateBasis
    date_as_written: NonEmpty  # how the seed words the date ("On March 1", "late 2020")
    place_id: Identifier
    geo_precision: GeoPrecision
    document_id: Identifier
    passage: Span  # the sentence(s) the event comes from
    uncited_reason: str | None = None  # required when no citation supports the event

    @model_validator(mode="after")
    def _dates_in_order(self) -> EventProperties:
        if self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} is before date_start {self.date_start}")
        return self


class CitationKind(StrEnum):
    OUTLET = "outlet"  # a news outlet the article cites
    EDM = "edm"  # a cross-reference to another Eurasia Daily Monitor article


class Citation(Strict):
    """One outlet-and-date the article cites, in geodata/citations.json."""

    id: Identifier
    document_id: Identifier
    kind: CitationKind
    outlet: NonEmpty  # as written ("News.am", "Arminfo"; "EDM" for cross-references)
    date_as_written: NonEmpty  # as written ("February 26", "November 12, 13, 2020")
    date: dt.date  # resolved with the year rule in dashboard.citations
    parenthetical: Span  # offsets of the whole "( ... )" in the document text
    supports: list[Identifier] = Field(min_length=1)  # event ids this citation supports
    note: str = ""  # e.g. why it supports several events
