"""Event records checked column by column: how loading validates large data quickly.

`precheck` takes every event feature of events.geojson and says, for each, whether it
certainly passes every check `dashboard.loading` makes of an event: the schema of
`EventProperties`, its geometry, its place, its article and passage, its citations. Each rule
runs down a column of values (one pass of a small test per value, or numpy over the column)
instead of building a pydantic model and an `Event` per record.

Only records of the plain shape are cleared: an article event (document and passage) with no
reports, claims or disagreements, no citation pointing at it, and confidence other than
'high' (which needs the outlets counted). Every record not cleared goes through loading's
per-record validation, which names the file, the record and the field of each problem; the
pre-check never reports anything itself, so it may be stricter than the model (a record it
refuses still loads if the model accepts it) but never looser.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dashboard.dataset import Place, same_point
from dashboard.model import (
    Confidence,
    DateBasis,
    EventProperties,
    EventType,
    GeoPrecision,
)
from dashboard.tables import PRECISIONS, TIME_PRECISIONS, TYPES

FIELDS = frozenset(EventProperties.model_fields)
REQUIRED = frozenset(n for n, f in EventProperties.model_fields.items() if f.is_required())
LIST_FIELDS = ("sources", "claims", "disagreements")  # cleared only when absent or empty
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9_.-]*")  # model.Identifier, whole string
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MISSING = object()

_TYPE_CODE = {name: i for i, name in enumerate(TYPES)}
_PRECISION_CODE = {name: i for i, name in enumerate(PRECISIONS)}
_DATE_BASES = frozenset(b.value for b in DateBasis)
_CONFIDENCES = frozenset(c.value for c in Confidence) - {Confidence.HIGH.value}
_OFF_MAP = GeoPrecision.OFF_MAP.value


@dataclass
class Cleared:
    """The cleared records (`clear[i]` true) and their columns, in the file's order."""

    clear: np.ndarray  # bool, one per feature
    start: np.ndarray  # int32 day ordinals
    end: np.ndarray
    lon: np.ndarray  # float64, NaN: no geometry
    lat: np.ndarray
    type: np.ndarray  # uint8, rows in TYPES
    precision: np.ndarray  # uint8, rows in PRECISIONS
    time: np.ndarray  # uint8, rows in TIME_PRECISIONS
    passage_start: np.ndarray  # int32
    passage_end: np.ndarray
    ids: list[str]
    titles: list[str]
    place_ids: list[str]
    document_ids: list[str]
    props: list[dict[str, Any]]  # the properties as read


def _identifier(v: Any) -> bool:
    return type(v) is str and len(v) <= 80 and _IDENTIFIER.fullmatch(v) is not None


def _text(v: Any) -> bool:  # model.NonEmpty, and already stripped (as the model keeps it)
    return type(v) is str and v != "" and v.strip() == v


def _actors(v: Any) -> bool:
    return type(v) is list and len(v) > 0 and all(_text(a) for a in v)


def _one_of(values: frozenset[str]) -> Callable[[Any], bool]:
    return lambda v: type(v) is str and v in values


def _ordinal(v: Any) -> int:
    """The day's ordinal for an ISO date YYYY-MM-DD, else 0 (never a valid ordinal here)."""
    if type(v) is not str or _DAY.fullmatch(v) is None:
        return 0
    try:
        return dt.date.fromisoformat(v).toordinal()
    except ValueError:
        return 0


def _optional_text(v: Any) -> bool:
    return v is _MISSING or type(v) is str


def _empty_lists(p: dict[str, Any]) -> bool:
    return all(type(v) is list and not v for v in (p.get(k, []) for k in LIST_FIELDS))


def _span(v: Any) -> tuple[int, int]:
    """(start, end) of a valid model.Span, else (-1, -1)."""
    if type(v) is not dict or v.keys() != {"start", "end"}:
        return (-1, -1)
    start, end = v["start"], v["end"]
    if type(start) is not int or type(end) is not int or start < 0 or end <= start:
        return (-1, -1)
    return (start, end)


def _point(geometry: Any) -> tuple[float, float] | None | bool:
    """The point of a valid GeoJSON Point (or None for null geometry); False if not valid."""
    if geometry is None:
        return None
    if type(geometry) is not dict or geometry.get("type") != "Point":
        return False
    coords = geometry.get("coordinates")
    if type(coords) is not list or len(coords) not in (2, 3):
        return False
    if not all(type(c) in (int, float) and math.isfinite(c) for c in coords):
        return False
    lon, lat = coords[0], coords[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return False
    return (float(lon), float(lat))


def _at_its_place(point: Any, place: Place | None, precision: str) -> bool:
    """The event's point is its place's (loading: geometry and geo_precision checks)."""
    if place is None or point is False:
        return False
    if place.lonlat is None and precision != _OFF_MAP:
        return False
    return point == place.lonlat or same_point(point, place.lonlat)


def _flags(values: Sequence[Any], test: Callable[[Any], bool]) -> np.ndarray:
    return np.fromiter(map(test, values), dtype=bool, count=len(values))


def precheck(
    features: Sequence[tuple[str, dict[str, Any]]],
    places: Mapping[str, Place],
    documents: Mapping[str, Any],
    texts: Mapping[str, str],
    cited: set[str],
) -> Cleared:
    """Which event features certainly pass loading's checks (see the module docstring), with
    their columns. `cited`: the event ids some citation supports."""
    props = [feature["properties"] for _, feature in features]
    n = len(props)
    ok = _flags(props, FIELDS.issuperset) & _flags(props, REQUIRED.issubset)
    ok &= _flags(props, _empty_lists)

    def column(key: str) -> list[Any]:
        return [p.get(key, _MISSING) for p in props]

    ids = column("id")
    ok &= _flags(ids, _identifier)
    ok &= _flags(ids, lambda v: type(v) is str and v not in cited)
    titles = column("title")
    for values in (titles, column("summary"), column("date_as_written")):
        ok &= _flags(values, _text)
    ok &= _flags(column("actors"), _actors)
    types = column("event_type")
    ok &= _flags(types, _one_of(frozenset(t.value for t in EventType)))
    times = column("time_precision")
    ok &= _flags(times, _one_of(frozenset(TIME_PRECISIONS)))
    ok &= _flags(column("date_basis"), _one_of(_DATE_BASES))
    ok &= _flags(column("confidence"), _one_of(_CONFIDENCES))
    precisions = column("geo_precision")
    ok &= _flags(precisions, _one_of(frozenset(PRECISIONS)))
    ok &= _flags(column("place_note"), _optional_text)
    start = np.fromiter(map(_ordinal, column("date_start")), dtype=np.int64, count=n)
    end = np.fromiter(map(_ordinal, column("date_end")), dtype=np.int64, count=n)
    ok &= (start > 0) & (end >= start)

    # An article event: its document and passage, the passage on words of the text, and a
    # reason when no citation supports it.
    document_ids = column("document_id")
    ok &= _flags(document_ids, lambda v: _identifier(v) and v in documents)
    spans = np.array([_span(v) for v in column("passage")], dtype=np.int64).reshape(n, 2)
    ok &= spans[:, 0] >= 0
    ok &= _flags(column("uncited_reason"), lambda v: type(v) is str and v.strip() != "")
    for i in np.flatnonzero(ok).tolist():
        text = texts.get(document_ids[i], "")
        s, e = int(spans[i, 0]), int(spans[i, 1])
        if e > len(text) or not text[s:e].strip():
            ok[i] = False

    # The geometry is the place's point (or none, for a place off the map).
    points = [_point(feature.get("geometry")) for _, feature in features]
    place_ids = column("place_id")
    ok &= _flags(place_ids, _identifier)
    for i in np.flatnonzero(ok).tolist():
        ok[i] = _at_its_place(points[i], places.get(place_ids[i]), precisions[i])

    rows = np.flatnonzero(ok)
    picked = rows.tolist()
    lonlat = np.array([points[i] or (np.nan, np.nan) for i in picked], dtype=np.float64).reshape(
        len(picked), 2
    )
    return Cleared(
        clear=ok,
        start=start[rows].astype(np.int32),
        end=end[rows].astype(np.int32),
        lon=lonlat[:, 0].copy(),
        lat=lonlat[:, 1].copy(),
        type=np.array([_TYPE_CODE[types[i]] for i in picked], dtype=np.uint8),
        precision=np.array([_PRECISION_CODE[precisions[i]] for i in picked], dtype=np.uint8),
        time=np.array([TIME_PRECISIONS.index(times[i]) for i in picked], dtype=np.uint8),
        passage_start=spans[rows, 0].astype(np.int32),
        passage_end=spans[rows, 1].astype(np.int32),
        ids=[ids[i] for i in picked],
        titles=[titles[i] for i in picked],
        place_ids=[place_ids[i] for i in picked],
        document_ids=[document_ids[i] for i in picked],
        props=[props[i] for i in picked],
    )
