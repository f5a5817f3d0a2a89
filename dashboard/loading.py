"""Load and validate every data file into one plain, immutable `Dataset`.

Validation collects *every* problem (file, record, field, what is wrong, what was expected)
before giving up, so an analyst fixing a data file sees the whole list at once. The app and
`python -m dashboard check` both call `load_dataset`; on problems it raises `DataError`,
whose `report()` is what both print.
"""

from __future__ import annotations

import gc
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pydantic import BaseModel, ValidationError
from shapely.geometry import shape

# The dataset types live in dashboard.dataset; imported here under their old names too, so
# code written against `dashboard.loading.Dataset` keeps working.
from dashboard import registry
from dashboard.acled import AcledEventProperties
from dashboard.columnwise import Cleared, precheck
from dashboard.dataset import (
    AcledEvent,
    Dataset,
    Event,
    EventTable,
    LayerFeature,
    LonLat,
    Place,
    same_point,
)
from dashboard.history import EMPTY_HISTORY, HISTORY_FILE, History, history_problems
from dashboard.model import (
    Citation,
    Confidence,
    Document,
    EventProperties,
    GeoPrecision,
    LayerProperties,
    PlaceProperties,
)
from dashboard.provenance import independent_outlets
from dashboard.store import STORE_MIN_EVENTS, read_store, store_key, store_root, write_store
from dashboard.tables import Strings

DOCUMENTS_FILE = "documents.json"
PLACES_FILE = "places.geojson"
EVENTS_FILE = "events.geojson"
CITATIONS_FILE = "citations.json"
ACLED_FILE = "acled_events.geojson"
PUBLISH_STAGING = ".publish-staging"  # beside geodata/: where publish builds before swapping
LAYERS_DIR = "layers"

# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, said so that a person can fix it."""

    file: str
    record: str  # the record's id, or its position when it has no usable id
    field: str  # dotted path of the field, or "" for the whole record / file
    message: str  # what is wrong
    expected: str = ""  # what was expected instead

    def __str__(self) -> str:
        where = self.file + (f" [{self.record}]" if self.record else "")
        where += f" {self.field}:" if self.field else ":"
        text = f"{where} {self.message}"
        return text + (f" (expected {self.expected})" if self.expected else "")


class DataError(Exception):
    """The data cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{len(self.problems)} problem(s) in the data:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading files


class _Collector:
    """Accumulates problems while loading continues as far as it sensibly can."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, record: str, fld: str, message: str, expected: str = "") -> None:
        self.problems.append(Problem(file, record, fld, message, expected))

    def validation(self, file: str, record: str, error: ValidationError, prefix: str) -> None:
        for err in error.errors(include_url=False):
            loc = ".".join(str(part) for part in err["loc"])
            fld = f"{prefix}.{loc}" if prefix and loc else (loc or prefix)
            got = err.get("input")
            shown = _shorten(repr(got)) if err["type"] != "missing" else ""
            message = err["msg"] + (f", got {shown}" if shown else "")
            self.add(file, record, fld, message, _expected_for(err))


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected_for(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    if kind.startswith("date"):
        return "an ISO date YYYY-MM-DD"
    if kind == "missing":
        return "the field to be present"
    if kind == "extra_forbidden":
        return "only the fields documented in geodata/README.md"
    if kind == "string_pattern_mismatch":
        return f"text matching {ctx.get('pattern')}"
    if kind == "string_too_short":
        return "non-empty text"
    return ""


UNREADABLE = object()  # not None: a file holding JSON `null` must be reported, not skipped


def _read_json(path: Path, root: Path, out: _Collector) -> Any:
    """The parsed file, or UNREADABLE after reporting why."""
    name = _rel(path, root)
    if not path.is_file():
        out.add(name, "", "", "file is missing")
        return UNREADABLE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        out.add(name, "", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    except json.JSONDecodeError as exc:
        out.add(name, "", "", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    return UNREADABLE


def _rel(path: Path, root: Path) -> str:
    """A file's name as messages give it: from the project root (every file read is under
    it: `load_dataset` makes the data directory absolute, and root is its parent)."""
    return str(path.relative_to(root))


def _features(doc: Any, name: str, out: _Collector) -> list[tuple[str, dict[str, Any]]]:
    """The features of a FeatureCollection, each with a label for messages."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(name, "", "type", "not a GeoJSON FeatureCollection", '"type": "FeatureCollection"')
        return []
    features = doc.get("features")
    if not isinstance(features, list):
        out.add(name, "", "features", "missing or not a list", "a list of features")
        return []
    labelled = []
    for index, feature in enumerate(features):
        label = _record_label(feature, index)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            out.add(name, label, "type", "not a GeoJSON Feature", '"type": "Feature"')
            continue
        if not isinstance(feature.get("properties"), dict):
            out.add(name, label, "properties", "missing or not an object", "an object")
            continue
        labelled.append((label, feature))
    return labelled


def _record_label(record: Any, index: int) -> str:
    if isinstance(record, dict):
        props = record.get("properties") if record.get("type") == "Feature" else record
        if isinstance(props, dict) and isinstance(props.get("id"), str) and props["id"].strip():
            return _shorten(props["id"], 60)
    return f"#{index}"


def _model(
    model: type[BaseModel], data: Any, name: str, label: str, prefix: str, out: _Collector
) -> Any | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        out.validation(name, label, exc, prefix)
        return None


def _geometry(
    geometry: Any, name: str, label: str, out: _Collector, points_only: bool = False
) -> tuple[bool, dict[str, Any] | None]:
    """Check a GeoJSON geometry (or null; `points_only`: a Point or null). Returns (ok,
    geometry); callers keep the geometry only when it is ok."""
    if geometry is None:
        return True, None
    if not isinstance(geometry, dict) or "type" not in geometry:
        out.add(name, label, "geometry", "not a GeoJSON geometry", "a geometry object or null")
        return False, None
    if points_only and geometry["type"] != "Point":
        out.add(name, label, "geometry.type", f"is {geometry['type']!r}", "Point")
        return False, None
    if geometry["type"] == "Point":
        # Checked directly: building a shapely Point per record cost most of the start-up
        # time at 100k events, and a point is valid whenever its numbers are in range.
        return _point_ok(geometry, name, label, out), geometry
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        out.add(name, label, "geometry.coordinates", f"unreadable ({exc})", "GeoJSON coordinates")
        return False, None
    if geom.is_empty:
        out.add(name, label, "geometry", "is empty", "coordinates, or null geometry")
        return False, None
    # An infinite coordinate makes a bound infinite, outside the range; shapely's bounds
    # skip NaN (a NaN coordinate is refused as invalid below), so no bound is NaN.
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        out.add(
            name,
            label,
            "geometry.coordinates",
            f"outside WGS 84 range (bounds {minx}, {miny}, {maxx}, {maxy})",
            "longitude -180..180 and latitude -90..90",
        )
        return False, None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        out.add(name, label, "geometry", f"invalid: {reason}", "a valid (OGC) geometry")
        return False, None
    return True, geometry


def _point_ok(geometry: dict[str, Any], name: str, label: str, out: _Collector) -> bool:
    coords = geometry.get("coordinates")
    if not (
        isinstance(coords, list)
        and len(coords) in (2, 3)
        and all(type(v) in (int, float) for v in coords)
    ):
        shown = _shorten(repr(coords))
        out.add(name, label, "geometry.coordinates", f"unreadable ({shown})", "[lon, lat] numbers")
        return False
    lon, lat = coords[0], coords[1]
    finite = all(math.isfinite(v) for v in coords)
    if not finite or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        out.add(
            name,
            label,
            "geometry.coordinates",
            f"outside WGS 84 range (point {lon}, {lat})",
            "longitude -180..180 and latitude -90..90",
        )
        return False
    return True


def _point(geometry: dict[str, Any] | None) -> LonLat | None:
    if geometry is None:
        return None
    lon, lat = geometry["coordinates"][:2]
    return (float(lon), float(lat))


def _duplicates(ids: list[str], name: str, out: _Collector) -> None:
    seen: set[str] = set()
    for record_id in ids:
        if record_id in seen:
            out.add(name, record_id, "id", "duplicate id", "ids unique within the file")
        seen.add(record_id)


# --------------------------------------------------------------------------- loaders


def _load_documents(data_dir: Path, root: Path, out: _Collector):
    path = data_dir / DOCUMENTS_FILE
    name = _rel(path, root)
    raw = _read_json(path, root, out)
    documents: dict[str, Document] = {}
    texts: dict[str, str] = {}
    if raw is UNREADABLE:
        return documents, texts
    if not isinstance(raw, list):
        out.add(name, "", "", "not a JSON array of documents", "[{...}, ...]")
        return documents, texts
    for index, record in enumerate(raw):
        label = _record_label(record, index)
        doc = _model(Document, record, name, label, "", out)
        if doc is None:
            continue
        if doc.id in documents:
            out.add(name, doc.id, "id", "duplicate id", "ids unique within the file")
            continue
        text_path = (root / doc.text_path).resolve()
        if root.resolve() not in text_path.parents:
            out.add(name, doc.id, "text_path", "points outside the project", "a path under seeds/")
            continue
        try:
            texts[doc.id] = text_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            out.add(name, doc.id, "text_path", f"{doc.text_path} does not exist", "a seed file")
            continue
        except (UnicodeDecodeError, OSError) as exc:
            out.add(name, doc.id, "text_path", f"{doc.text_path} unreadable: {exc}", "UTF-8 text")
            continue
        documents[doc.id] = doc
    return documents, texts


def _load_places(
    data_dir: Path, root: Path, out: _Collector
) -> tuple[dict[str, Place], dict[str, dict[str, Any]]]:
    """(id -> place, id -> its properties as read)."""
    path = data_dir / PLACES_FILE
    name = _rel(path, root)
    raw = _read_json(path, root, out)
    places: dict[str, Place] = {}
    as_read: dict[str, dict[str, Any]] = {}
    if raw is UNREADABLE:
        return places, as_read
    features = _features(raw, name, out)
    _duplicates([label for label, _ in features], name, out)
    for label, feature in features:
        props = _model(PlaceProperties, feature["properties"], name, label, "properties", out)
        ok, geometry = _geometry(feature.get("geometry"), name, label, out, points_only=True)
        if props is not None and ok:
            places[props.id] = Place(props, _point(geometry))
            as_read[props.id] = feature["properties"]
    return places, as_read


def _load_citations(data_dir: Path, root: Path, out: _Collector, texts: Mapping[str, str]):
    path = data_dir / CITATIONS_FILE
    name = _rel(path, root)
    raw = _read_json(path, root, out)
    citations: list[Citation] = []
    if raw is UNREADABLE:
        return citations
    if not isinstance(raw, list):
        out.add(name, "", "", "not a JSON array of citations", "[{...}, ...]")
        return citations
    _duplicates([_record_label(r, i) for i, r in enumerate(raw)], name, out)
    for index, record in enumerate(raw):
        label = _record_label(record, index)
        citation = _model(Citation, record, name, label, "", out)
        if citation is None:
            continue
        text = texts.get(citation.document_id)
        if text is None:
            out.add(
                name,
                label,
                "document_id",
                f"unknown document {citation.document_id!r}",
                f"an id in {DOCUMENTS_FILE}",
            )
            continue
        span = citation.parenthetical
        if span.end > len(text):
            out.add(
                name,
                label,
                "parenthetical",
                f"span {span.start}-{span.end} is outside the text ({len(text)} characters)",
                "offsets inside the seed text",
            )
            continue
        quoted = text[span.start : span.end]
        if not (quoted.startswith("(") and quoted.endswith(")")):
            out.add(
                name,
                label,
                "parenthetical",
                f"span {span.start}-{span.end} does not cover a parenthesis",
                "offsets of a whole '( ... )' in the seed text",
            )
            continue
        citations.append(citation)
    return citations


def _load_events(
    data_dir: Path,
    root: Path,
    out: _Collector,
    documents: Mapping[str, Document],
    texts: Mapping[str, str],
    places: Mapping[str, Place],
    citations: list[Citation],
    *,
    columnwise: bool,
) -> tuple[list[tuple[Event, dict[str, Any]]], Cleared | None]:
    """The valid events, each with its properties as read, in the dataset's order.

    `columnwise`: records that `dashboard.columnwise.precheck` clears are not validated one
    by one; they come back as its columns (the second item), every other record as an
    `Event`. Problems are found and worded by the per-record checks either way."""
    path = data_dir / EVENTS_FILE
    name = _rel(path, root)
    raw = _read_json(path, root, out)
    if raw is UNREADABLE:
        return [], None
    features = _features(raw, name, out)
    _duplicates([label for label, _ in features], name, out)
    cleared = None
    if columnwise:
        cited = {event_id for citation in citations for event_id in citation.supports}
        cleared = precheck(features, places, documents, texts, cited)
        features = [f for f, ok in zip(features, cleared.clear.tolist(), strict=True) if not ok]
    parsed: list[tuple[str, EventProperties, dict[str, Any] | None, dict[str, Any]]] = []
    for label, feature in features:
        props = _model(EventProperties, feature["properties"], name, label, "properties", out)
        ok, geometry = _geometry(feature.get("geometry"), name, label, out, points_only=True)
        if props is not None and ok:
            parsed.append((label, props, geometry, feature["properties"]))

    event_ids = {props.id for _, props, _, _ in parsed} | set(cleared.ids if cleared else ())
    supporting: dict[str, list[Citation]] = {}
    citations_name = _rel(data_dir / CITATIONS_FILE, root)
    for citation in citations:
        for event_id in citation.supports:
            if event_id not in event_ids:
                out.add(
                    citations_name,
                    citation.id,
                    "supports",
                    f"unknown event {event_id!r}",
                    f"an id in {EVENTS_FILE}",
                )
            supporting.setdefault(event_id, []).append(citation)

    events: list[tuple[Event, dict[str, Any]]] = []
    for label, props, geometry, as_read in parsed:
        problems_before = len(out.problems)
        if props.document_id is not None and props.passage is not None:
            _check_article_source(props, name, label, out, documents, texts)
        place = places.get(props.place_id)
        if place is None:
            out.add(
                name,
                label,
                "properties.place_id",
                f"unknown place {props.place_id!r}",
                f"an id in {PLACES_FILE}",
            )
        else:
            lonlat = _point(geometry)
            if place.lonlat is None and props.geo_precision is not GeoPrecision.OFF_MAP:
                out.add(
                    name,
                    label,
                    "properties.geo_precision",
                    f"place {props.place_id!r} has no coordinates but precision is "
                    f"{props.geo_precision.value!r}",
                    "'off-map'",
                )
            if lonlat != place.lonlat and not same_point(lonlat, place.lonlat):
                out.add(
                    name,
                    label,
                    "geometry",
                    f"{lonlat} differs from place {props.place_id!r} at {place.lonlat}",
                    "the place's point (rebuild with python -m dashboard.build)",
                )
        cited = tuple(supporting.get(props.id, ()))
        for citation in cited:
            if citation.document_id != props.document_id:
                out.add(
                    citations_name,
                    citation.id,
                    "supports",
                    f"supports event {props.id!r}, which does not come from "
                    f"{citation.document_id!r}",
                    "only events whose document_id is the citation's document",
                )
        if props.document_id and not cited and not (props.uncited_reason or "").strip():
            out.add(
                name,
                label,
                "properties.uncited_reason",
                "no citation supports the event and no reason is given",
                f"a citation in {CITATIONS_FILE} or a non-empty uncited_reason",
            )
        _check_confidence(props, cited, documents, name, label, out)
        if len(out.problems) == problems_before:
            events.append((Event(props, _point(geometry), cited), as_read))
    events.sort(key=lambda pair: (pair[0].props.date_start, pair[0].props.date_end, pair[0].id))
    return events, cleared


def _check_article_source(
    props: EventProperties,
    name: str,
    label: str,
    out: _Collector,
    documents: Mapping[str, Document],
    texts: Mapping[str, str],
) -> None:
    """The event's article exists and its passage lies inside the text, on real words."""
    assert props.document_id is not None and props.passage is not None
    if props.document_id not in documents:
        out.add(
            name,
            label,
            "properties.document_id",
            f"unknown document {props.document_id!r}",
            f"an id in {DOCUMENTS_FILE}",
        )
        return
    text = texts[props.document_id]
    if props.passage.end > len(text):
        out.add(
            name,
            label,
            "properties.passage",
            f"span {props.passage.start}-{props.passage.end} is outside the text of "
            f"{props.document_id} ({len(text)} characters)",
            "offsets inside the seed text",
        )
    elif not text[props.passage.start : props.passage.end].strip():
        out.add(
            name,
            label,
            "properties.passage",
            "span covers only whitespace",
            "offsets of the passage's sentence(s)",
        )


def _check_confidence(
    props: EventProperties,
    cited: tuple[Citation, ...],
    documents: Mapping[str, Document],
    name: str,
    label: str,
    out: _Collector,
) -> None:
    """'high' means two or more independent outlets: say so only when the sources show it."""
    if props.confidence is not Confidence.HIGH:
        return
    document = documents.get(props.document_id) if props.document_id else None
    outlets = independent_outlets(props.sources, cited, document)
    if len(outlets) < 2:
        out.add(
            name,
            label,
            "properties.confidence",
            f"is 'high' but only {len(outlets)} independent outlet(s) report it "
            f"({', '.join(outlets) or 'none'}; reposts count as the outlet they repost)",
            "'medium' or 'low', or a second independent source",
        )


def _load_layers(data_dir: Path, root: Path, out: _Collector):
    layers: dict[str, tuple[LayerFeature, ...]] = {}
    raw_layers: dict[str, dict[str, Any]] = {}
    all_ids: dict[str, str] = {}
    for layer in registry.layer_names():
        path = data_dir / LAYERS_DIR / f"{layer}.geojson"
        name = _rel(path, root)
        raw = _read_json(path, root, out)
        if raw is UNREADABLE:
            continue
        features = []
        for label, feature in _features(raw, name, out):
            props = _model(LayerProperties, feature["properties"], name, label, "properties", out)
            ok, geometry = _geometry(feature.get("geometry"), name, label, out)
            if props is None or not ok:
                continue
            if props.layer != layer:
                out.add(
                    name,
                    label,
                    "properties.layer",
                    f"is {props.layer!r}",
                    f"{layer!r}, the file's layer",
                )
                continue
            if props.id in all_ids:
                out.add(
                    name,
                    label,
                    "properties.id",
                    f"duplicate id (also in {all_ids[props.id]})",
                    "ids unique across layers",
                )
                continue
            all_ids[props.id] = name
            features.append(LayerFeature(props, geometry))
        layers[layer] = tuple(features)
        raw_layers[layer] = raw
    return layers, raw_layers


def load_dataset(data_dir: Path | str, store_min_events: int | None = STORE_MIN_EVENTS) -> Dataset:
    """Load, validate and cross-check every file under `data_dir` (a geodata/ directory).

    Document texts are read relative to the directory that holds `data_dir` (the project
    root, where seeds/ lives). Raises DataError listing every problem found.

    Data with at least `store_min_events` events (None: never) is validated once per data
    version and kept in a columnar store (`dashboard.store`): a later load of the same files
    reads the store instead of parsing and validating them again.
    """
    # Loading makes millions of small objects that all live on: with the cyclic collector
    # running, it re-scanned them again and again (most of the load time at 100k events).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Absolute and without "..": the project root is the data directory's parent, also
        # for `--data-dir .` run inside geodata/ (Path(".").parent is "." itself).
        return _load_dataset(Path(os.path.abspath(data_dir)), store_min_events)
    finally:
        if collecting:
            gc.enable()


def _load_dataset(data_dir: Path, store_min_events: int | None) -> Dataset:
    root = data_dir.parent
    out = _Collector()
    if not data_dir.is_dir():
        out.add(str(data_dir), "", "", "data directory is missing")
        raise DataError(out.problems)
    if (root / PUBLISH_STAGING / "COMMIT").is_file():  # dashboard/ingest/publish.py
        out.add(
            _rel(root / PUBLISH_STAGING, root),
            "",
            "",
            "a publish was interrupted while swapping files in: geodata/ is half old, half new",
            "python -m dashboard publish --recover (completes it)",
        )
        raise DataError(out.problems)
    documents, texts = _load_documents(data_dir, root, out)
    root_of_stores = store_root(data_dir)
    key = None
    if store_min_events is not None and not out.problems:
        inputs = [data_dir / f for f in (EVENTS_FILE, PLACES_FILE, CITATIONS_FILE, DOCUMENTS_FILE)]
        key = store_key(inputs, texts)
        if (root_of_stores / key / "manifest.json").is_file():
            probe = _Collector()  # problems here are reported by the full load below
            citations = _load_citations(data_dir, root, probe, texts)
            stored = read_store(root_of_stores, key, citations) if not probe.problems else None
            if stored is not None:
                return _stored_dataset(data_dir, root, out, documents, texts, citations, stored)
    places, places_as_read = _load_places(data_dir, root, out)
    citations = _load_citations(data_dir, root, out, texts)
    # Large data is checked column by column (and then kept in the store); the per-record
    # path words every problem either way.
    large = store_min_events is not None and _feature_count(data_dir) >= store_min_events
    events, cleared = _load_events(
        data_dir, root, out, documents, texts, places, citations, columnwise=large
    )
    layers, raw_layers = _load_layers(data_dir, root, out)
    history = _load_history(data_dir, root, out)
    acled = _load_acled(data_dir, root, out)
    if out.problems:
        raise DataError(out.problems)
    store = None
    if cleared is None:
        table = EventTable.from_events([event for event, _ in events])
    else:
        table = _table_of(events, cleared, citations)
        written = write_store(root_of_stores, key, table, places, list(places_as_read.values()))
        stored = read_store(root_of_stores, key, citations) if written else None
        if stored is not None:  # served from the store: what was just made is let go
            table, places, store = stored  # type: ignore[assignment]
    return Dataset(
        documents=documents,
        texts=texts,
        places=places,
        events=table,
        citations=tuple(citations),
        layers=layers,
        raw_layers=raw_layers,
        history=history,
        acled=acled,
        store=store,
    )


def _feature_count(data_dir: Path) -> int:
    """About how many events the file holds, from its size (no parse): decides the path."""
    path = data_dir / EVENTS_FILE
    return path.stat().st_size // 400 if path.is_file() else 0  # a plain event is ~600 bytes


def _table_of(
    events: list[tuple[Event, dict[str, Any]]], cleared: Cleared, citations: list[Citation]
) -> EventTable:
    """One table of the cleared records' columns and the events validated one by one, in the
    dataset's order (start, end, id); each event's properties kept as JSON text."""
    objects = [event for event, _ in events]
    rows = EventTable.from_events(objects)
    ids = cleared.ids + [e.id for e in objects]
    start = np.concatenate([cleared.start, rows.column("start")])
    end = np.concatenate([cleared.end, rows.column("end")])
    order = np.lexsort((np.array(ids), end, start))
    listed = order.tolist()
    place_of = cleared.place_ids + [rows.place_ids[i] for i in rows.column("place").tolist()]
    place_codes: dict[str, int] = {}
    places = np.array([place_codes.setdefault(place_of[i], len(place_codes)) for i in listed])
    document_of = cleared.document_ids + [e.props.document_id for e in objects]
    document_codes: dict[str, int] = {}
    documents = np.array(
        [
            document_codes.setdefault(document_of[i], len(document_codes)) if document_of[i] else -1
            for i in listed
        ]
    )
    titles = cleared.titles + [e.props.title for e in objects]
    props = cleared.props + [as_read for _, as_read in events]
    columns = {
        "start": start[order].astype(np.int32),
        "end": end[order].astype(np.int32),
        "lon": np.concatenate([cleared.lon, rows.column("lon")])[order],
        "lat": np.concatenate([cleared.lat, rows.column("lat")])[order],
        "place": places.astype(np.int32),
        "type": np.concatenate([cleared.type, rows.column("type")])[order],
        "precision": np.concatenate([cleared.precision, rows.column("precision")])[order],
        "time": np.concatenate([cleared.time, rows.column("time")])[order],
        "document": documents.astype(np.int32),
        "passage_start": np.concatenate([cleared.passage_start, rows.column("passage_start")])[
            order
        ].astype(np.int32),
        "passage_end": np.concatenate([cleared.passage_end, rows.column("passage_end")])[
            order
        ].astype(np.int32),
    }
    supporting: dict[str, list[Citation]] = {}
    for citation in citations:
        for event_id in citation.supports:
            supporting.setdefault(event_id, []).append(citation)
    return EventTable(
        len(ids),
        columns=columns,
        ids=Strings.of([ids[i] for i in listed]),
        titles=Strings.of([titles[i] for i in listed]),
        place_ids=list(place_codes),
        document_ids=list(document_codes),
        props_json=Strings.of(
            [json.dumps(props[i], ensure_ascii=False, separators=(",", ":")) for i in listed]
        ),
        citations={event_id: tuple(cited) for event_id, cited in supporting.items()},
    )


def _stored_dataset(data_dir, root, out, documents, texts, citations, stored) -> Dataset:
    """The dataset whose events and places come from its store (validated when written)."""
    events, places, store = stored
    layers, raw_layers = _load_layers(data_dir, root, out)
    history = _load_history(data_dir, root, out)
    acled = _load_acled(data_dir, root, out)
    if out.problems:
        raise DataError(out.problems)
    return Dataset(
        documents=documents,
        texts=texts,
        places=places,
        events=events,
        citations=tuple(citations),
        layers=layers,
        raw_layers=raw_layers,
        history=history,
        acled=acled,
        store=store,
    )


def _load_acled(data_dir: Path, root: Path, out: _Collector) -> tuple[AcledEvent, ...]:
    """geodata/acled_events.geojson (absent = no ACLED import published)."""
    path = data_dir / ACLED_FILE
    if not path.exists():
        return ()
    name = _rel(path, root)
    raw = _read_json(path, root, out)
    if raw is UNREADABLE:
        return ()
    features = _features(raw, name, out)
    _duplicates([label for label, _ in features], name, out)
    events = []
    for label, feature in features:
        props = _model(AcledEventProperties, feature["properties"], name, label, "properties", out)
        ok, geometry = _geometry(feature.get("geometry"), name, label, out, points_only=True)
        if props is not None and ok and geometry is not None:
            events.append(AcledEvent(props, _point(geometry)))
        elif props is not None and ok:
            out.add(name, label, "geometry", "is null", "the ACLED row's point")
    events.sort(key=lambda e: (e.props.date_start, e.id))
    return tuple(events)


def _load_history(data_dir: Path, root: Path, out: _Collector) -> History:
    """geodata/history.json (absent = nothing published yet: data version 0)."""
    path = data_dir / HISTORY_FILE
    if not path.exists():
        return EMPTY_HISTORY
    raw = _read_json(path, root, out)
    if raw is UNREADABLE:
        return EMPTY_HISTORY
    history, problems = history_problems(raw)
    for record, fld, message, expected in problems:
        out.add(_rel(path, root), record, fld, message, expected)
    return history or EMPTY_HISTORY
