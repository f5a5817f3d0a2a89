"""The columnar store (dashboard.store): validated once per data version, read back the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

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
