"""Build the documents, gazetteer, citations and events from curated inputs.

    python -m dashboard.build.events [--root PATH]

Reads (all under geodata/sources/):
  documents_curated.json     the seed documents' metadata (Document records)
  places.csv                 the reference kit's gazetteer: a coordinate + where read, per place
  places_extra.csv           places needed by events but not in places.csv (empty lat/lon = off map)
  place_alt_name_langs.csv   the language (BCP 47) of every alternative name
  events_curated.json        events from the seed articles, each with a passage locator
  events_reported.json       events resting on reports and official statements read elsewhere
  citation_links.json        which events each citation parenthetical supports
  published.json, history.json   what `python -m dashboard publish` added (build/published.py)

Writes (under geodata/): documents.json, places.geojson, citations.json, events.geojson,
history.json, acled_events.geojson (ACLED rows published with `publish`: a separate source).

Offsets are never typed by hand: citation spans come from `dashboard.citations.find_citations`
run over each seed text, and passage spans from locating short anchors in the seed. Every
input is checked against the pydantic models in `dashboard.model`; any inconsistency (an
anchor found zero or several times, a parenthetical without links, an unknown event or place,
an event without a supporting citation or uncited_reason) stops the build with a message.
Output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dashboard.build import BuildError
from dashboard.build.citation_records import citation_record
from dashboard.build.kit import alt_name_langs, read_csv, read_json, slug
from dashboard.build.kit import alt_names as kit_alt_names
from dashboard.build.published import (
    PublishedError,
    build_acled,
    build_published,
    history_text,
)
from dashboard.citations import Parenthetical, find_citations
from dashboard.model import (
    AltName,
    Citation,
    Document,
    EventProperties,
    GeoPrecision,
    PlaceProperties,
    Span,
)

SOURCES = Path("geodata") / "sources"
REPORTED_EVENTS_FILE = "events_reported.json"
OUT = Path("geodata")

# the end of a sentence: . ! or ? (optionally followed by a closing quote) before space or end
_SENTENCE_END = re.compile(r"[.!?][”\"’]?(?=\s|$)")


# --------------------------------------------------------------------------- helpers


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _unique(text: str, needle: str, where: str) -> int:
    first = text.find(needle)
    if first < 0:
        raise BuildError(f"{where}: anchor {needle!r} not found in the seed")
    if text.find(needle, first + 1) >= 0:
        raise BuildError(f"{where}: anchor {needle!r} occurs more than once in the seed")
    return first


def _sentence_end(text: str, pos: int) -> int:
    match = _SENTENCE_END.search(text, pos)
    if match is None:
        return len(text.rstrip())
    end = match.end()
    line_end = text.find("\n", pos)
    if line_end != -1 and line_end < end:  # a line without a full stop ends the sentence
        end = len(text[:line_end].rstrip())
    return end


def locate_passage(text: str, locator: dict[str, Any], where: str) -> Span:
    """A passage span from a short locator {"from": ..., "to": ... | "sentences": n}."""
    extra = set(locator) - {"from", "to", "sentences"}
    if extra or "from" not in locator:
        raise BuildError(f"{where}: passage locator needs 'from' and 'to' or 'sentences'")
    start = _unique(text, locator["from"], where)
    if "to" in locator:
        to = text.find(locator["to"], start)
        if to < 0:
            raise BuildError(f"{where}: 'to' anchor {locator['to']!r} not found after 'from'")
        end = to + len(locator["to"])
    else:
        end = start + len(locator["from"])
        for _ in range(int(locator.get("sentences", 1))):
            end = _sentence_end(text, end)
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end)


# --------------------------------------------------------------------------- documents


def build_documents(root: Path) -> tuple[list[Document], dict[str, str]]:
    documents = [
        Document.model_validate(r) for r in read_json(root / SOURCES / "documents_curated.json")
    ]
    texts = {}
    for doc in documents:
        texts[doc.id] = (root / doc.text_path).read_text(encoding="utf-8")
    return documents, texts


# --------------------------------------------------------------------------- places


def _with_names_read_elsewhere(row: dict[str, str], langs: dict[tuple[str, str], str]) -> str:
    """The row's alt_names cell plus every other name place_alt_name_langs.csv lists for it.

    places.csv is the kit's gazetteer and is not edited here; names read elsewhere (e.g. the
    Armenian Akna for Agdam, Ivanyan for Khojaly) join it through the languages file.
    """
    names = [a.strip() for a in row["alt_names"].split(";") if a.strip()]
    names += [alt for (place, alt) in langs if place == row["name"] and alt not in names]
    return "; ".join(names)


def _place_feature(row: dict[str, str], langs: dict[tuple[str, str], str]) -> dict[str, Any]:
    cell = _with_names_read_elsewhere(row, langs)
    alt_names = [AltName(**alt) for alt in kit_alt_names(row["name"], cell, langs)]
    located = bool(row["lat"] and row["lon"])
    props = PlaceProperties(
        id=slug(row["name"]),
        name=row["name"],
        alt_names=alt_names,
        kind=row["kind"],
        source=row["source"],
        source_url=row["source_url"] or None,
        cross_checks=row["cross_checks"],
        note=row["note"],
        label=located,
    )
    geometry = (
        {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        if located
        else None
    )
    return {
        "type": "Feature",
        "properties": props.model_dump(mode="json"),
        "geometry": geometry,
    }


def build_places(root: Path) -> dict[str, Any]:
    langs = alt_name_langs(root / SOURCES)
    rows = read_csv(root / SOURCES / "places.csv") + read_csv(root / SOURCES / "places_extra.csv")
    features = [_place_feature(row, langs) for row in rows]
    ids = [f["properties"]["id"] for f in features]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BuildError(f"places: duplicate ids {duplicates}")
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- events


def _curated_event_records(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """(input file name, record) for every curated event: article events, then reported ones.

    Records in events_curated.json come from a seed article (document_id defaults to the
    file's); records in events_reported.json rest only on reports and official statements.
    """
    records: list[tuple[str, dict[str, Any]]] = []
    curated = read_json(root / SOURCES / "events_curated.json")
    for record in curated["events"]:
        record = dict(record)
        record.setdefault("document_id", curated.get("document_id"))
        records.append(("events_curated.json", record))
    reported_path = root / SOURCES / REPORTED_EVENTS_FILE
    if reported_path.is_file():
        records += [(REPORTED_EVENTS_FILE, dict(r)) for r in read_json(reported_path)["events"]]
    return records


def build_event_features(
    root: Path, texts: dict[str, str], places: dict[str, Any]
) -> list[dict[str, Any]]:
    geometry_of = {f["properties"]["id"]: f["geometry"] for f in places["features"]}
    features = []
    seen: set[str] = set()
    for file_name, record in _curated_event_records(root):
        where = f"{file_name} [{record.get('id')}]"
        if record.get("document_id") is not None:
            if record["document_id"] not in texts:
                raise BuildError(f"{where}: unknown document {record['document_id']!r}")
            locator = record.pop("passage")
            record["passage"] = locate_passage(texts[record["document_id"]], locator, where)
        try:
            props = EventProperties.model_validate(record)
        except ValidationError as exc:
            raise BuildError(f"{where}: {exc}") from None
        if props.id in seen:
            raise BuildError(f"{where}: duplicate event id")
        seen.add(props.id)
        if props.place_id not in geometry_of:
            raise BuildError(f"{where}: unknown place {props.place_id!r}")
        geometry = geometry_of[props.place_id]
        if (geometry is None) != (props.geo_precision is GeoPrecision.OFF_MAP):
            raise BuildError(
                f"{where}: geo_precision 'off-map' is for places without coordinates "
                f"(and only for them); place {props.place_id!r} has geometry {geometry}"
            )
        features.append(
            {
                "type": "Feature",
                "properties": props.model_dump(mode="json", exclude_none=True),
                "geometry": geometry,
            }
        )
    features.sort(
        key=lambda f: (
            f["properties"]["date_start"],
            f["properties"]["date_end"],
            f["properties"]["id"],
        )
    )
    return features


# --------------------------------------------------------------------------- citations


def build_citations(
    root: Path, documents: Iterable[Document], texts: dict[str, str], event_ids: set[str]
) -> list[Citation]:
    links_by_doc: dict[str, dict[str, dict[str, Any]]] = {}
    curated = read_json(root / SOURCES / "citation_links.json")
    for link in curated["links"]:
        doc_id = link.get("document_id", curated["document_id"])
        links_by_doc.setdefault(doc_id, {})[link["parenthetical"]] = link
    citations: list[Citation] = []
    for doc in documents:
        parentheticals: list[Parenthetical] = find_citations(texts[doc.id], doc.published)
        links = links_by_doc.get(doc.id, {})
        found = {p.text for p in parentheticals}
        for key in sorted(set(links) - found):
            raise BuildError(f"citation_links.json: {key!r} is not a parenthetical of {doc.id}")
        for index, paren in enumerate(parentheticals, start=1):
            link = links.get(paren.text)
            if link is None:
                raise BuildError(
                    f"citation_links.json: no link for {paren.text!r} in {doc.id}; every "
                    "citation parenthetical must support at least one event"
                )
            unknown = [e for e in link["supports"] if e not in event_ids]
            if unknown:
                raise BuildError(f"citation_links.json [{paren.text}]: unknown events {unknown}")
            for cited in paren.citations:
                if not cited.outlet:
                    raise BuildError(f"{doc.id} {paren.text!r}: a citation names no outlet")
                note = link.get("note", "")
                if cited.kind == "edm" and cited.outlet_as_written not in ("see EDM", "EDM"):
                    written = f"Written as '{cited.outlet_as_written}'."
                    note = f"{written} {note}".strip()
                citations.append(
                    citation_record(doc.id, index, paren, cited, list(link["supports"]), note)
                )
    ids = [c.id for c in citations]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BuildError(f"citations: duplicate ids {duplicates}")
    return citations


# --------------------------------------------------------------------------- all


def build_all(repo_root: Path) -> dict[str, str]:
    """Every output file's relative path -> its exact text (nothing written)."""
    root = Path(repo_root)
    documents, texts = build_documents(root)
    places = build_places(root)
    events = build_event_features(root, texts, places)
    curated_ids = {f["properties"]["id"] for f in events}
    citations = build_citations(root, documents, texts, curated_ids)
    try:  # what `python -m dashboard publish` added (dashboard/build/published.py)
        published = build_published(root, places, {d.id for d in documents}, curated_ids)
        acled = build_acled(root)
    except PublishedError as exc:
        raise BuildError(str(exc)) from None
    documents = documents + published.documents
    events = sorted(
        events + published.events,
        key=lambda f: (
            f["properties"]["date_start"],
            f["properties"]["date_end"],
            f["properties"]["id"],
        ),
    )
    citations = citations + published.citations
    supported = {e for c in citations for e in c.supports}
    for feature in events:
        props = feature["properties"]
        from_article = props.get("document_id") is not None
        if (
            from_article
            and props["id"] not in supported
            and not (props.get("uncited_reason") or "").strip()
        ):
            raise BuildError(
                f"events_curated.json [{props['id']}]: no citation supports it and it has no "
                "uncited_reason"
            )
    return {
        str(OUT / "documents.json"): _dump([d.model_dump(mode="json") for d in documents]),
        str(OUT / "places.geojson"): _dump(places),
        str(OUT / "citations.json"): _dump([c.model_dump(mode="json") for c in citations]),
        str(OUT / "events.geojson"): _dump({"type": "FeatureCollection", "features": events}),
        str(OUT / "history.json"): history_text(published.history),
        str(OUT / "acled_events.geojson"): acled,
    }


def build_events(repo_root: Path) -> None:
    """Write geodata/documents.json, places.geojson, citations.json and events.geojson."""
    _write_outputs(Path(repo_root))


def _write_outputs(root: Path) -> list[str]:
    outputs = build_all(root)  # everything is checked before anything is written
    for rel, text in outputs.items():
        (root / rel).write_text(text, encoding="utf-8")
    return list(outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.build.events", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parents[2],
        help="the repository root (holds geodata/ and seeds/); default: this checkout",
    )
    args = parser.parse_args(argv)
    try:
        written = _write_outputs(args.root)
    except BuildError as exc:
        parser.exit(1, f"build failed: {exc}\n")
    for rel in written:
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
