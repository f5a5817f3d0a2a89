"""The columnar store (dashboard.store): validated once per data version, read back the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard import loading
from dashboard.loading import DataError, load_dataset
from dashboard.scrub_data import build, event_columns
from dashboard.store import STORE_DIR, STORE_MIN_EVENTS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "geodata", tmp_path / "geodata", ignore=shutil.ignore_patterns("sources")
    )
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "geodata"


def _stores(data_dir: Path) -> list[Path]:
    root = data_dir.parent / STORE_DIR
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def test_small_data_keeps_no_store(data_dir):
    assert len(load_dataset(data_dir).events) < STORE_MIN_EVENTS
    assert load_dataset(data_dir).store is None
    assert _stores(data_dir) == []


def test_a_store_is_written_once_and_read_back_as_the_files_load(data_dir):
    in_memory = load_dataset(data_dir, store_min_events=None)
    first = load_dataset(data_dir, store_min_events=0)  # validates, writes, reads back
    assert first.store is not None and _stores(data_dir) == [first.store]
    written = {p.name: p.stat().st_mtime_ns for p in first.store.iterdir()}
    second = load_dataset(data_dir, store_min_events=0)
    assert second.store == first.store
    assert {p.name: p.stat().st_mtime_ns for p in second.store.iterdir()} == written
    for loaded in (first, second):
        assert len(loaded.events) == len(in_memory.events)
        for stored, expected in zip(loaded.events, in_memory.events, strict=True):
            assert stored.props == expected.props
            assert stored.lonlat == expected.lonlat
            assert stored.citations == expected.citations
        assert set(loaded.places) == set(in_memory.places)
        for place_id, place in in_memory.places.items():
            assert loaded.places[place_id] == place
        assert loaded.event(in_memory.events[3].id) == in_memory.events[3]


def test_a_second_load_reads_the_store_instead_of_the_events_and_places(data_dir, monkeypatch):
    first = load_dataset(data_dir, store_min_events=0)

    def parsed_again(*args, **kwargs):
        raise AssertionError("the same files were parsed and validated again")

    monkeypatch.setattr(loading, "_load_events", parsed_again)
    monkeypatch.setattr(loading, "_load_places", parsed_again)
    second = load_dataset(data_dir, store_min_events=0)
    assert second.store == first.store
    assert [e.id for e in second.events] == [e.id for e in first.events]
    monkeypatch.undo()
    assert load_dataset(data_dir, store_min_events=None).store is None  # None: never a store


def test_the_events_file_is_kept_in_the_store_and_equals_a_fresh_build(data_dir):
    fresh = build(load_dataset(data_dir, store_min_events=None))
    stored = event_columns(load_dataset(data_dir, store_min_events=0))
    assert stored.body == fresh.body and stored.version == fresh.version
    assert (stored.saved.parent / f"scrub-{fresh.version}.bin").read_bytes() == fresh.body
    stored.gzipped()
    assert stored.saved.with_suffix(".bin.gz").is_file()
    again = event_columns(load_dataset(data_dir, store_min_events=0))  # read, not built
    assert again.body == fresh.body and again.saved == stored.saved


def test_changed_data_is_validated_again_and_a_bad_record_is_named(data_dir):
    load_dataset(data_dir, store_min_events=0)
    path = data_dir / "events.geojson"
    events = json.loads(path.read_text("utf-8"))
    bad = events["features"][5]["properties"]
    bad["date_end"] = "2019-01-01"  # before its start
    path.write_text(json.dumps(events), "utf-8")
    with pytest.raises(DataError) as error:
        load_dataset(data_dir, store_min_events=0)
    report = error.value.report()
    assert "events.geojson" in report and bad["id"] in report and "date_end" in report


def test_a_new_version_gets_a_new_store_and_old_ones_are_pruned(data_dir):
    first = load_dataset(data_dir, store_min_events=0).store
    path = data_dir / "events.geojson"
    for title in ("Renamed once", "Renamed twice"):
        events = json.loads(path.read_text("utf-8"))
        events["features"][0]["properties"]["title"] = title
        path.write_text(json.dumps(events), "utf-8")
        loaded = load_dataset(data_dir, store_min_events=0)
        assert loaded.store != first
        assert title in [e.props.title for e in loaded.events]
    stores = _stores(data_dir)
    assert len(stores) == 2 and first not in stores  # the oldest was removed
    assert not [p for p in (data_dir.parent / STORE_DIR).iterdir() if p.name.startswith(".")]


def test_an_unwritable_store_path_leaves_the_data_in_memory(data_dir):
    (data_dir.parent / STORE_DIR).write_text("a file where the store's directory would be")
    loaded = load_dataset(data_dir, store_min_events=0)
    assert loaded.store is None
    assert len(loaded.events) == len(load_dataset(data_dir, store_min_events=None).events)


def test_the_app_compresses_a_stored_events_file_once_at_start(data_dir, monkeypatch):
    import functools

    from dashboard import app as app_module

    monkeypatch.setattr(
        app_module, "load_dataset", functools.partial(load_dataset, store_min_events=0)
    )
    app_module.create_app(data_dir)
    (store,) = _stores(data_dir)
    (gz,) = store.glob("scrub-*.bin.gz")
    client = app_module.create_app(data_dir).server.test_client()  # a second start reads it
    version = gz.name.removeprefix("scrub-").removesuffix(".bin.gz")
    answer = client.get(f"/api/scrub-data/{version}.bin", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.data == gz.read_bytes()


def test_check_keeps_the_events_file_of_large_data_in_the_store(data_dir, monkeypatch, capsys):
    import functools

    from dashboard import __main__ as cli

    monkeypatch.setattr(cli, "load_dataset", functools.partial(load_dataset, store_min_events=0))
    assert cli.main(["check", "--data-dir", str(data_dir)]) == 0
    (store,) = _stores(data_dir)
    fresh = build(load_dataset(data_dir, store_min_events=None))
    assert (store / f"scrub-{fresh.version}.bin").read_bytes() == fresh.body
    assert (store / f"scrub-{fresh.version}.bin.gz").is_file()


def test_a_load_from_the_store_still_reads_and_checks_layers_history_and_acled(data_dir):
    """The store holds events and places; the other files are read (and checked) on every
    load, whether the events come from the store or not."""
    load_dataset(data_dir, store_min_events=0)  # writes the store
    (data_dir / "history.json").write_text('{"data_version": 2, "changes": []}', "utf-8")
    in_memory = load_dataset(data_dir, store_min_events=None)
    stored = load_dataset(data_dir, store_min_events=0)
    assert stored.store is not None
    assert stored.history == in_memory.history and stored.history.data_version == 2
    assert stored.acled == in_memory.acled == ()
    assert stored.layers == in_memory.layers and stored.raw_layers == in_memory.raw_layers
    (data_dir / "layers" / "aor.geojson").write_text("[", "utf-8")
    (data_dir / "history.json").write_text("{", "utf-8")
    (data_dir / "acled_events.geojson").write_text("{", "utf-8")
    with pytest.raises(DataError) as error:
        load_dataset(data_dir, store_min_events=0)
    assert [p.file for p in error.value.problems] == [
        "geodata/layers/aor.geojson",
        "geodata/history.json",
        "geodata/acled_events.geojson",
    ]


def test_data_kept_in_memory_when_the_store_cannot_be_written_equals_the_files(data_dir):
    """The table built column by column (used as it is when no store can be written) holds
    the same events, citations and columns as one built event by event."""
    (data_dir.parent / STORE_DIR).write_text("a file where the store's directory would be")
    in_memory = load_dataset(data_dir, store_min_events=None)
    loaded = load_dataset(data_dir, store_min_events=0)
    assert loaded.store is None
    for built, expected in zip(loaded.events, in_memory.events, strict=True):
        assert (built.props, built.lonlat, built.citations) == (
            expected.props,
            expected.lonlat,
            expected.citations,
        )
    for name in ("start", "end", "document", "passage_start", "passage_end", "place"):
        column, expected = loaded.events.column(name), in_memory.events.column(name)
        assert column.dtype == expected.dtype and column.tolist() == expected.tolist(), name
    assert event_columns(loaded).body == build(in_memory).body
    for doc_id in in_memory.documents:
        assert loaded.events.document_row(doc_id) == in_memory.events.document_row(doc_id)
    # each event's properties as read from the file, compact JSON with its non-ASCII kept
    as_read = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads((data_dir / "events.geojson").read_text("utf-8"))["features"]
    }
    compact = [
        json.dumps(as_read[event_id], ensure_ascii=False, separators=(",", ":"))
        for event_id in loaded.events.ids
    ]
    assert loaded.events.props_json.tolist() == compact
    assert any(ord(c) > 127 for text in compact for c in text)


def test_every_event_streamed_from_the_store_is_the_same_text_and_none_is_kept(data_dir):
    """The all-events GeoJSON of stored data (events made from the store one at a time) is
    the in-memory data's, and making it keeps no event (a million would not fit)."""
    from dashboard.exports import events_geojson_text

    in_memory = load_dataset(data_dir, store_min_events=None)
    stored = load_dataset(data_dir, store_min_events=0)
    text = "".join(events_geojson_text(stored, per_chunk=10))
    assert text == "".join(events_geojson_text(in_memory))
    assert stored.events._made == {}
