"""Build the published events: what `python -m dashboard publish` wrote into geodata/sources/.

Reads (both optional; absent = nothing published yet):
  published.json   {"documents": [Document + "text_sha256"],
                    "events": [EventProperties (passage as offsets) + "citations": [...]
                               + "draft": the draft's source id]}
  history.json     {"data_version": N, "changes": [...]} (model `dashboard.history.History`)

Gives the data build (`dashboard.build.events.build_all`) the published documents, event
features and citations, and the text of geodata/history.json. Citations are the objects of
`python -m dashboard.citations` ({"kind", "outlet", "date", "as_written"}); each is matched
to the parenthetical of the article that holds it, so its offsets are never typed. Checks:
the article is unchanged since publishing (SHA-256), ids do not clash with curated ones,
places exist, every citation is in the article, offsets fall inside the text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.build.citation_records import citation_record
from dashboard.citations import find_citations
from dashboard.history import EMPTY_HISTORY, History, history_problems, read_history
from dashboard.model import Citation, Document, EventProperties, GeoPrecision

PUBLISHED_FILE = Path("geodata") / "sources" / "published.json"
HISTORY_SOURCE = Path("geodata") / "sources" / "history.json"


class PublishedError(Exception):
    """published.json or history.json is inconsistent; the message says where."""


@dataclass
class Published:
    documents: list[Document] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)  # GeoJSON features
    citations: list[Citation] = field(default_factory=list)
    history: History = EMPTY_HISTORY


def read_published(root: Path) -> dict[str, Any]:
    path = root / PUBLISHED_FILE
    if not path.is_file():
        return {"documents": [], "events": []}
    return json.loads(path.read_text(encoding="utf-8"))


def build_published(
    root: Path,
    places: dict[str, Any],
    curated_documents: set[str],
    curated_events: set[str],
) -> Published:
    """Everything published, checked; raises PublishedError naming file and record."""
    raw = read_published(root)
    out = Published()
    name = str(PUBLISHED_FILE)
    for record in raw.get("documents", []):
        record = dict(record)
        where = f"{name} [document {record.get('id')}]"
        expected_sha = record.pop("text_sha256", None)
        try:
            doc = Document.model_validate(record)
        except ValueError as exc:
            raise PublishedError(f"{where}: {exc}") from None
        if doc.id in curated_documents:
            raise PublishedError(f"{where}: id clashes with a curated document")
        text_file = root / doc.text_path
        if not text_file.is_file():
            raise PublishedError(f"{where} text_path: {doc.text_path} does not exist")
        text = text_file.read_text(encoding="utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != expected_sha:
            raise PublishedError(
                f"{where} text_sha256: {doc.text_path} changed since it was published "
                "(offsets would point at other text); restore it or re-ingest"
            )
        out.documents.append(doc)
        out.texts[doc.id] = text
    geometry_of = {f["properties"]["id"]: f["geometry"] for f in places["features"]}
    supports: dict[tuple[str, int, str, str, str], list[str]] = {}
    parens = {d.id: find_citations(out.texts[d.id], d.published) for d in out.documents}
    for record in raw.get("events", []):
        record = dict(record)
        where = f"{name} [{record.get('id')}]"
        cited = record.pop("citations", [])
        record.pop("draft", None)
        try:
            props = EventProperties.model_validate(record)
        except ValueError as exc:
            raise PublishedError(f"{where}: {exc}") from None
        if props.id in curated_events:
            raise PublishedError(f"{where}: id clashes with a curated event")
        if props.document_id not in out.texts:
            raise PublishedError(f"{where} document_id: not a published document")
        text = out.texts[props.document_id]
        if (
            props.passage.end > len(text)
            or not text[props.passage.start : props.passage.end].strip()
        ):
            raise PublishedError(f"{where} passage: outside the text or only whitespace")
        if props.place_id not in geometry_of:
            raise PublishedError(f"{where} place_id: unknown place {props.place_id!r}")
        geometry = geometry_of[props.place_id]
        if (geometry is None) != (props.geo_precision is GeoPrecision.OFF_MAP):
            raise PublishedError(
                f"{where} geo_precision: 'off-map' is for places without coordinates (and "
                f"only for them); place {props.place_id!r} has geometry {geometry}"
            )
        for c in cited:
            key = _parenthetical_of(parens[props.document_id], c, props)
            if key is None:
                raise PublishedError(f"{where} citations: {c} is not a citation of the article")
            supports.setdefault((props.document_id, *key), []).append(props.id)
        if not cited and not (props.uncited_reason or "").strip():
            raise PublishedError(f"{where} uncited_reason: no citation and no reason given")
        out.events.append(
            {
                "type": "Feature",
                "properties": props.model_dump(mode="json", exclude_none=True),
                "geometry": geometry,
            }
        )
    for doc in out.documents:
        for index, paren in enumerate(parens[doc.id], start=1):
            for c in paren.citations:
                events = supports.get((doc.id, index, c.kind, c.outlet, c.date.isoformat()))
                if not events:
                    continue
                out.citations.append(citation_record(doc.id, index, paren, c, sorted(set(events))))
    history_raw = read_history(root / HISTORY_SOURCE)
    if history_raw is not None:
        history, problems = history_problems(history_raw)
        if problems:
            record, fld, message, expected = problems[0]
            raise PublishedError(f"{HISTORY_SOURCE} [{record}] {fld}: {message} {expected}")
        out.history = history
    return out


def _parenthetical_of(parens, cited: dict[str, Any], props: EventProperties):
    """(rank, kind, outlet, date) of the parenthetical holding `cited`, nearest the passage."""
    matches = []
    for index, paren in enumerate(parens, start=1):
        for c in paren.citations:
            if (c.kind, c.outlet, c.date.isoformat(), c.as_written) == (
                cited.get("kind"),
                cited.get("outlet"),
                cited.get("date"),
                cited.get("as_written"),
            ):
                inside = props.passage.start <= paren.start < props.passage.end
                distance = 0 if inside else abs(paren.start - props.passage.end)
                matches.append((distance, index, c.kind, c.outlet, c.date.isoformat()))
    if not matches:
        return None
    return min(matches)[1:]


ACLED_SOURCE = Path("geodata") / "sources" / "acled.json"


def build_acled(root: Path) -> str:
    """geodata/acled_events.geojson from sources/acled.json (ACLED rows published)."""
    from dashboard.acled import AcledEventProperties

    path = root / ACLED_SOURCE
    raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"events": []}
    features = []
    for record in raw.get("events", []):
        record = dict(record)
        lon, lat = record.pop("lon", None), record.pop("lat", None)
        where = f"{ACLED_SOURCE} [{record.get('id')}]"
        try:
            props = AcledEventProperties.model_validate(record)
        except ValueError as exc:
            raise PublishedError(f"{where}: {exc}") from None
        if not (isinstance(lon, int | float) and isinstance(lat, int | float)):
            raise PublishedError(f"{where} lon/lat: not numbers")
        features.append(
            {
                "type": "Feature",
                "properties": props.model_dump(mode="json"),
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    features.sort(key=lambda f: (f["properties"]["date_start"], f["properties"]["id"]))
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def history_text(history: History) -> str:
    return json.dumps(history.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
