"""The built event data: coverage of every citation, offsets, places, geometry, determinism."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.build.events import build_all, build_events
from dashboard.citations import find_citations
from dashboard.model import Citation, Document, EventProperties, GeoPrecision, PlaceProperties

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
OUTPUTS = ("documents.json", "places.geojson", "citations.json", "events.geojson")


def _load(name: str):
    return json.loads((GEODATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return [Document.model_validate(d) for d in _load("documents.json")]


@pytest.fixture(scope="module")
def texts(documents) -> dict[str, str]:
    return {d.id: (ROOT / d.text_path).read_text(encoding="utf-8") for d in documents}


@pytest.fixture(scope="module")
def places() -> dict[str, tuple[PlaceProperties, dict | None]]:
    features = _load("places.geojson")["features"]
    return {
        f["properties"]["id"]: (PlaceProperties.model_validate(f["properties"]), f["geometry"])
        for f in features
    }


@pytest.fixture(scope="module")
def citations() -> list[Citation]:
    return [Citation.model_validate(c) for c in _load("citations.json")]


@pytest.fixture(scope="module")
def events() -> list[tuple[EventProperties, dict | None]]:
    return [
        (EventProperties.model_validate(f["properties"]), f["geometry"])
        for f in _load("events.geojson")["features"]
    ]


def test_counts(documents, events, citations, places):
    assert len(documents) >= 1
    assert len(events) > 20
    assert len(citations) >= 19
    assert len({p.id for p, _ in events}) == len(events)
    assert len({c.id for c in citations}) == len(citations)
    assert len(places) >= 26


def test_every_parenthetical_supports_an_event(documents, texts, citations):
    covered = {
        (c.document_id, c.parenthetical.start, c.parenthetical.end) for c in citations if c.supports
    }
    for doc in documents:
        found = find_citations(texts[doc.id], doc.published)
        assert found, f"no citation parentheticals found in {doc.id}"
        for paren in found:
            assert (doc.id, paren.start, paren.end) in covered, f"{doc.id}: {paren.text} uncovered"


def test_citations_match_the_parser(documents, texts, citations):
    by_doc = {d.id: d for d in documents}
    for c in citations:
        doc = by_doc[c.document_id]
        found = {(p.start, p.end): p for p in find_citations(texts[doc.id], doc.published)}
        paren = found[(c.parenthetical.start, c.parenthetical.end)]
        assert (c.kind.value, c.outlet, c.date, c.date_as_written) in {
            (x.kind, x.outlet, x.date, x.as_written) for x in paren.citations
        }
    expected = sum(
        len(p.citations) for d in documents for p in find_citations(texts[d.id], d.published)
    )
    assert len(citations) == expected


def test_supports_refer_to_existing_events(citations, events):
    ids = {p.id for p, _ in events}
    for c in citations:
        assert c.supports, c.id
        assert set(c.supports) <= ids, c.id


def test_passages_inside_the_seed_and_trimmed(events, texts):
    for props, _ in events:
        if props.document_id is None:  # rests on reports only: no passage
            assert props.passage is None and props.sources, props.id
            continue
        text = texts[props.document_id]
        start, end = props.passage.start, props.passage.end
        assert 0 <= start < end <= len(text), props.id
        assert not text[start].isspace() and not text[end - 1].isspace(), props.id


def test_events_have_dates_places_and_sources(events, places, citations):
    supported = {e for c in citations for e in c.supports}
    for props, _ in events:
        assert props.date_start <= props.date_end
        assert props.time_precision and props.date_as_written.strip()
        assert props.place_id in places, props.id
        if props.document_id is not None:
            assert props.id in supported or (props.uncited_reason or "").strip(), props.id
        else:
            assert all(s.url.startswith(("http://", "https://")) for s in props.sources), props.id
        if props.time_precision.value == "day" and props.date_start != props.date_end:
            # a span known to the day at both ends, e.g. the war of 27 Sep - 9 Nov 2020
            assert props.date_basis.value == "occurred", props.id


def test_geometry_is_the_place_point(events, places):
    for props, geometry in events:
        _, place_geometry = places[props.place_id]
        assert geometry == place_geometry, props.id
        # rule: off-map precision iff the place has no coordinates
        assert (geometry is None) == (props.geo_precision is GeoPrecision.OFF_MAP), props.id


def test_places_are_points_or_null(places):
    for pid, (props, geometry) in places.items():
        if geometry is None:
            assert props.note.strip(), f"{pid}: an off-map place needs a note"
            assert not props.label
        else:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_alt_name_languages(places):
    langs = {(pid, a.name): a.lang for pid, (p, _) in places.items() for a in p.alt_names}
    assert langs[("stepanakert", "Khankendi")] == "az"
    assert langs[("stepanakert", "Xankəndi")] == "az"
    assert langs[("shusha", "Shushi")] == "hy"
    assert langs[("lachin", "Berdzor")] == "hy"
    assert langs[("lachin", "Laçın")] == "az"
    assert langs[("yerevan", "Երևան")] == "hy"


def test_every_places_csv_row_is_a_place(places):
    import csv

    with (GEODATA / "sources" / "places.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    named = {p.name: (p, g) for p, g in places.values()}
    for row in rows:
        _, geometry = named[row["name"]]
        assert geometry["coordinates"] == [float(row["lon"]), float(row["lat"])]


def test_build_is_deterministic_and_matches_the_files(tmp_path):
    first = build_all(ROOT)
    assert build_all(ROOT) == first
    for name in OUTPUTS:
        assert first[f"geodata/{name}"] == (GEODATA / name).read_text(encoding="utf-8"), (
            f"geodata/{name} is stale: run python -m dashboard.build.events"
        )


def test_build_writes_identical_bytes_in_a_copy(tmp_path):
    shutil.copytree(GEODATA / "sources", tmp_path / "geodata" / "sources")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    build_events(tmp_path)
    for name in OUTPUTS:
        assert (tmp_path / "geodata" / name).read_bytes() == (GEODATA / name).read_bytes(), name
