"""Large data is validated column by column (dashboard.columnwise): the same events load, and
every bad record is refused with the same message, naming file, record and field, as when
each record is validated on its own."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from dashboard.columnwise import precheck
from dashboard.loading import DataError, load_dataset

ROOT = Path(__file__).resolve().parent.parent
PLAIN = 60  # plain article events added to the real data


def _plain_events(data_dir: Path) -> list[dict]:
    """Plain article events at real places, each marked as test data in its own words."""
    events = json.loads((data_dir / "events.geojson").read_text("utf-8"))
    places = json.loads((data_dir / "places.geojson").read_text("utf-8"))["features"]
    placed = [p for p in places if p["geometry"]]
    document = next(
        f["properties"]["document_id"]
        for f in events["features"]
        if f["properties"].get("document_id")
    )
    out = []
    for i in range(PLAIN):
        place = placed[i % len(placed)]
        out.append(
            {
                "type": "Feature",
                "geometry": copy.deepcopy(place["geometry"]),
                "properties": {
                    "id": f"test-plain-{i:02d}",
                    "title": f"Test event {i}",
                    "summary": "A test record, not a real event.",
                    "actors": ["test"],
                    "event_type": ["political", "military", "protest"][i % 3],
                    "date_start": f"2021-0{1 + i % 9}-1{i % 10}",
                    "date_end": f"2021-0{1 + i % 9}-1{i % 10}",
                    "time_precision": "day",
                    "date_basis": "occurred",
                    "date_as_written": "test",
                    "place_id": place["properties"]["id"],
                    "geo_precision": ["exact", "settlement", "region"][i % 3],
                    "document_id": document,
                    "passage": {"start": 0, "end": 10 + i},
                    "uncited_reason": "test record",
                    "confidence": "low",
                },
            }
        )
    return out


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    skip = shutil.ignore_patterns("sources")
    shutil.copytree(ROOT / "geodata", tmp_path / "geodata", ignore=skip)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    data_dir = tmp_path / "geodata"
    events = json.loads((data_dir / "events.geojson").read_text("utf-8"))
    events["features"] += _plain_events(data_dir)
    (data_dir / "events.geojson").write_text(json.dumps(events), "utf-8")
    return data_dir


def _features(data_dir: Path) -> list[tuple[str, dict]]:
    features = json.loads((data_dir / "events.geojson").read_text("utf-8"))["features"]
    return [(f["properties"]["id"], f) for f in features]


def _precheck(data_dir: Path):
    dataset = load_dataset(data_dir, store_min_events=None)
    cited = {e for c in dataset.citations for e in c.supports}
    return precheck(_features(data_dir), dataset.places, dataset.documents, dataset.texts, cited)


def test_plain_records_are_cleared_and_the_rest_validated_one_by_one(data_dir):
    cleared = _precheck(data_dir)
    ids = [label for label, _ in _features(data_dir)]
    clear = dict(zip(ids, cleared.clear.tolist(), strict=True))
    assert all(clear[f"test-plain-{i:02d}"] for i in range(PLAIN))
    # Events with reports, citations or 'high' confidence are left to the model.
    dataset = load_dataset(data_dir, store_min_events=None)
    cited = {e for c in dataset.citations for e in c.supports}
    involved = [
        e.id
        for e in dataset.events
        if e.props.sources or e.id in cited or e.props.confidence.value == "high"
    ]
    assert involved and not any(clear[i] for i in involved)
    assert cleared.ids == [i for i in ids if clear[i]]


def test_both_paths_load_the_same_events_in_the_same_order(data_dir):
    one_by_one = load_dataset(data_dir, store_min_events=None)
    by_column = load_dataset(data_dir, store_min_events=0)
    assert by_column.store is not None
    assert len(by_column.events) == len(one_by_one.events)
    for a, b in zip(by_column.events, one_by_one.events, strict=True):
        assert (a.props, a.lonlat, a.citations) == (b.props, b.lonlat, b.citations)
    for name in ("start", "end", "lon", "lat", "type", "precision", "passage_start"):
        left, right = by_column.events.column(name), one_by_one.events.column(name)
        assert np.array_equal(left, right, equal_nan=True), name
    assert [by_column.events.place_ids[p] for p in by_column.events.column("place")] == [
        one_by_one.events.place_ids[p] for p in one_by_one.events.column("place")
    ]


BAD_RECORDS = {
    "id not an identifier": ("id", "Test Plain"),
    "title missing": ("title", None),
    "title blank": ("title", "   "),
    "actors empty": ("actors", []),
    "actor blank": ("actors", [" "]),
    "unknown event type": ("event_type", "riot"),
    "impossible date": ("date_start", "2021-02-30"),
    "date not ISO": ("date_start", "01/02/2021"),
    "date a number": ("date_end", 20210101),
    "end before start": ("date_end", "2020-01-01"),
    "unknown precision": ("geo_precision", "street"),
    "unknown confidence": ("confidence", "sure"),
    "high confidence, one outlet": ("confidence", "high"),
    "unknown place": ("place_id", "nowhere-at-all"),
    "unknown document": ("document_id", "no-such-doc"),
    "passage outside the text": ("passage", {"start": 0, "end": 10_000_000}),
    "passage reversed": ("passage", {"start": 9, "end": 3}),
    "passage without document": ("document_id", None),
    "no reason and no citation": ("uncited_reason", "  "),
    "extra field": ("colour", "red"),
    "a report without its fields": ("sources", [{"id": "s1"}]),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_a_bad_plain_record_is_refused_as_the_model_refuses_it(data_dir, case):
    key, value = BAD_RECORDS[case]
    path = data_dir / "events.geojson"
    events = json.loads(path.read_text("utf-8"))
    target = events["features"][-7]["properties"]
    if value is None and key != "document_id":
        del target[key]
    else:
        target[key] = value
    path.write_text(json.dumps(events), "utf-8")

    cleared = _precheck_allowing_problems(data_dir)
    assert not cleared.clear[-7], case
    assert cleared.clear[-6] and cleared.clear[-8]  # its neighbours still are
    with pytest.raises(DataError) as by_column:
        load_dataset(data_dir, store_min_events=0)
    with pytest.raises(DataError) as one_by_one:
        load_dataset(data_dir, store_min_events=None)
    assert by_column.value.problems == one_by_one.value.problems
    assert any(p.file.endswith("events.geojson") for p in by_column.value.problems)
    named = [p for p in by_column.value.problems if p.record == target["id"]]
    assert named and all(p.field for p in named), by_column.value.report()


def _precheck_allowing_problems(data_dir: Path):
    """precheck with the unchanged places, documents and citations (the events file is bad)."""
    clean = data_dir.parent / "clean"
    if not clean.exists():
        shutil.copytree(data_dir.parent / "seeds", clean / "seeds")
        shutil.copytree(data_dir, clean / "geodata")
        events = json.loads((clean / "geodata" / "events.geojson").read_text("utf-8"))
        events["features"] = events["features"][:-PLAIN]
        (clean / "geodata" / "events.geojson").write_text(json.dumps(events), "utf-8")
    dataset = load_dataset(clean / "geodata", store_min_events=None)
    cited = {e for c in dataset.citations for e in c.supports}
    return precheck(_features(data_dir), dataset.places, dataset.documents, dataset.texts, cited)


def test_a_geometry_that_is_not_its_places_point_is_refused(data_dir):
    path = data_dir / "events.geojson"
    events = json.loads(path.read_text("utf-8"))
    moved = events["features"][-3]
    moved["geometry"]["coordinates"][0] += 0.5
    events["features"][-4]["geometry"]["coordinates"] = [200.0, 0.0]
    path.write_text(json.dumps(events), "utf-8")
    cleared = _precheck_allowing_problems(data_dir)
    assert not cleared.clear[-3] and not cleared.clear[-4] and cleared.clear[-5]
    with pytest.raises(DataError) as by_column:
        load_dataset(data_dir, store_min_events=0)
    with pytest.raises(DataError) as one_by_one:
        load_dataset(data_dir, store_min_events=None)
    assert by_column.value.problems == one_by_one.value.problems
    fields = {(p.record, p.field) for p in by_column.value.problems}
    assert (moved["properties"]["id"], "geometry") in fields
