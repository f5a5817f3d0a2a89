"""ACLED import: the standard columns mapped onto ours, bad rows named by row and column,
re-imports reporting updates and deletions, publishing as a separate source.

The fixture (tests/fixtures/acled_test_export.csv) is in ACLED's format but is TEST DATA:
its rows are rebuilt from facts already in the seed article, say so in their notes, and
have ids (TEST0001...) that ACLED does not use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from dashboard.acled import ACLED_COLUMNS, compare, date_range, parse_export
from dashboard.acled_view import ACLED_NONE_TITLE, ACLED_TITLE
from dashboard.actions import selection_panel
from dashboard.figures import map_figure, scrub_model
from dashboard.ingest.cli import main as cli
from dashboard.layout import layer_toggle
from dashboard.loading import load_dataset
from dashboard.selection import timeline_bounds
from dashboard.viewstate import ViewState, default_view, toggleable_layers
from tests.test_publish import tree_hash

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "acled_test_export.csv"
D = dt.date


def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(FIXTURE.read_text("utf-8"))))


def to_csv(records: list[dict[str, str]], columns=ACLED_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def test_the_fixture_is_marked_as_test_data_and_has_every_standard_column():
    header = FIXTURE.read_text("utf-8").splitlines()[0].split(",")
    assert tuple(header) == ACLED_COLUMNS
    for row in rows():
        assert row["notes"].startswith("TEST DATA, not from ACLED")
        assert row["event_id_cnty"].startswith("TEST")


def test_codes_map_onto_our_precisions():
    events, problems = parse_export(FIXTURE.read_text("utf-8"))
    assert problems == []
    by_id = {e["event_id_cnty"]: e for e in events}
    day, month, week = by_id["TEST0001"], by_id["TEST0002"], by_id["TEST0003"]
    assert (day["date_start"], day["date_end"], day["time_precision"]) == (
        "2021-03-01", "2021-03-01", "day")  # fmt: skip
    assert (month["date_start"], month["date_end"], month["time_precision"]) == (
        "2021-02-01", "2021-02-28", "month")  # fmt: skip
    assert (week["date_start"], week["date_end"], week["time_precision"]) == (
        "2021-02-06", "2021-02-12", "week")  # fmt: skip
    assert (day["geo_precision"], week["geo_precision"]) == ("settlement", "region")
    assert month["geo_precision"] == "settlement"
    assert week["acled_geo_precision"] == 3 and week["acled_time_precision"] == 2
    assert [c["outlet"] for c in week["citations"]] == ["Sputnik", "News.am"]
    assert week["summary"].startswith("TEST DATA") and week["timestamp"] == 1700000000
    assert day["inter1"] == "State forces" and week["inter1"] == "1"  # text or numbers
    assert month["actors"] == ["Protesters (Armenia)", "Conscripts' parents"]
    assert (day["lon"], day["lat"]) == (49.89201, 40.37767)


@pytest.mark.parametrize("text", ["25 March 2021", "2021-03-25", "25-03-2021"])
def test_acled_date_formats(text):
    record = rows()[0] | {"event_date": text}
    events, problems = parse_export(to_csv([record]))
    assert problems == [] and events[0]["event_date"] == "2021-03-25"


def test_month_precision_in_a_leap_february():
    assert date_range(D(2024, 2, 15), 3)[:2] == (D(2024, 2, 1), D(2024, 2, 29))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("event_date", "2021-02-30", "row 2 column event_date: '2021-02-30' is not a date"),
        ("year", "2020", "row 2 column year: '2020' differs from event_date's year 2021"),
        ("time_precision", "4", "row 2 column time_precision: '4' is not an ACLED precision"),
        ("geo_precision", "", "row 2 column geo_precision: '' is not an ACLED precision code"),
        ("latitude", "95.1", "row 2 column latitude: '95.1' is not a latitude"),
        ("longitude", "east", "row 2 column longitude: 'east' is not a longitude"),
        ("fatalities", "-1", "row 2 column fatalities: '-1' is not a whole number"),
        ("timestamp", "1.5e9", "row 2 column timestamp: '1.5e9' is not a whole number"),
        ("location", "", "row 2 column location: empty"),
        ("event_id_cnty", "<b>x</b>", "row 2 column event_id_cnty: '<b>x</b>' is not an ACLED"),
    ],
)
def test_bad_rows_name_row_column_and_what_was_expected(column, value, message):
    records = rows()
    records[0] = records[0] | {column: value}
    _, problems = parse_export(to_csv(records))
    assert message in [str(p)[: len(message)] for p in problems], [str(p) for p in problems]
    assert all("expected" in str(p) for p in problems)


def test_missing_columns_and_duplicate_ids():
    _, problems = parse_export(to_csv(rows(), [c for c in ACLED_COLUMNS if c != "notes"]))
    assert str(problems[0]).startswith("row 1 column notes: missing column(s)")
    records = rows()
    records[2]["event_id_cnty"] = "TEST0001"
    _, problems = parse_export(to_csv(records))
    assert [str(p) for p in problems] == [
        "row 4 column event_id_cnty: duplicate id (also row 2) (expected each event once)"
    ]


def test_reimport_reports_updated_and_deleted_rows():
    first, _ = parse_export(FIXTURE.read_text("utf-8"))
    records = rows()
    records[0] = records[0] | {"fatalities": "0", "source": "Azertag; Report.az",
                               "timestamp": "1700100000"}  # fmt: skip
    del records[1]
    newer, _ = parse_export(to_csv(records))
    report = compare(newer, first)
    assert report == {"new": [], "updated": ["acled-test0001"],
                      "unchanged": ["acled-test0003"], "deleted": ["acled-test0002"]}  # fmt: skip


# --------------------------------------------------------------------------- the commands


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "geodata", tmp_path / "geodata")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "geodata"


def _import(path: Path, project: Path, out: Path, *extra: str) -> int:
    return cli(["import-acled", str(path), "--out", str(out), "--data-dir", str(project), *extra])


def test_import_publish_reimport_update_and_retract(project, tmp_path, capsys):
    draft = tmp_path / "acled.json"
    assert _import(FIXTURE, project, draft, "--decision", "accept") == 0
    assert cli(["publish", str(draft), "--data-dir", str(project)]) == 0
    dataset = load_dataset(project)
    assert [e.id for e in dataset.acled] == ["acled-test0002", "acled-test0003", "acled-test0001"]
    curated = load_dataset(ROOT / "geodata").events
    assert dataset.events == curated  # curated events untouched: a separate source
    assert not {e.id for e in dataset.acled} & {e.id for e in dataset.events}

    records = rows()
    records[0] = records[0] | {"latitude": "40.4", "timestamp": "1700100000"}
    del records[1]
    newer = tmp_path / "newer.csv"
    newer.write_text(to_csv(records), "utf-8")
    capsys.readouterr()
    assert _import(newer, project, draft) == 0
    out = capsys.readouterr().out
    assert "0 new, 1 updated, 1 unchanged, 1 deleted" in out
    assert "deleted by ACLED (set decision 'retract' to take it down): acled-test0002" in out
    reviewed = json.loads(draft.read_text("utf-8"))
    by_id = {c["id"]: c for c in reviewed["candidates"]}
    assert by_id["acled-test0001"]["changed_fields"] == ["lat", "timestamp"]
    assert "timestamp 1700000000 -> 1700100000" in by_id["acled-test0001"]["reason"]
    by_id["acled-test0001"]["decision"] = "accept"
    by_id["acled-test0002"]["decision"] = "retract"
    draft.write_text(json.dumps(reviewed), "utf-8")
    assert cli(["publish", str(draft), "--data-dir", str(project)]) == 0
    dataset = load_dataset(project)
    assert [e.id for e in dataset.acled] == ["acled-test0003", "acled-test0001"]
    moved = next(e for e in dataset.acled if e.id == "acled-test0001")
    assert moved.lonlat == (49.89201, 40.4)
    kinds = {(c.event_id, c.change.value) for c in dataset.history.since(1)}
    assert kinds == {("acled-test0001", "relocated"), ("acled-test0001", "edited"),
                     ("acled-test0002", "retracted")}  # fmt: skip
    after = tree_hash(project)
    assert cli(["publish", str(draft), "--data-dir", str(project)]) == 0  # twice: no change
    assert tree_hash(project) == after


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01PK\x03\x04", "binary data (NUL byte at byte 0)"),
        (b"\xff\xfeevent_id_cnty", "not UTF-8 text"),
        (b"a,b\n1,2\n", "row 1 column event_id_cnty, event_date"),
    ],
)
def test_hostile_exports_are_refused_and_write_nothing(project, tmp_path, capsys, content, message):
    bad = tmp_path / "export.csv"
    bad.write_bytes(content)
    before = tree_hash(project)
    assert _import(bad, project, tmp_path / "d.json") == 1
    err = capsys.readouterr().err
    assert str(bad) in err and message in err, err
    assert not (tmp_path / "d.json").exists()
    assert tree_hash(project) == before


def test_a_bad_row_refuses_the_whole_import(project, tmp_path, capsys):
    records = rows()
    records[1] = records[1] | {"event_date": "31 February 2021"}
    bad = tmp_path / "export.csv"
    bad.write_text(to_csv(records), "utf-8")
    assert _import(bad, project, tmp_path / "d.json") == 1
    assert f"{bad} row 3 column event_date: '31 February 2021' is not a date" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "d.json").exists()


# --------------------------------------------------------------------------- on the map


def test_acled_is_its_own_layer_trace_and_panel(project, tmp_path):
    # before any import the layer control says so, and its box cannot be ticked
    empty = load_dataset(project)
    assert not empty.acled
    options = layer_toggle(empty, default_view(empty)).options
    (none,) = [o for o in options if o["value"] == "acled"]
    assert none == {"label": ACLED_NONE_TITLE, "value": "acled", "disabled": True}
    draft = tmp_path / "acled.json"
    assert _import(FIXTURE, project, draft, "--decision", "accept") == 0
    assert cli(["publish", str(draft), "--data-dir", str(project)]) == 0
    dataset = load_dataset(project)
    assert "acled" in toggleable_layers()
    options = layer_toggle(dataset, default_view(dataset)).options
    assert {"label": ACLED_TITLE, "value": "acled"} in options

    figure = map_figure(dataset, default_view(dataset))
    model = scrub_model(dataset)
    (entry,) = [t for t in model["traces"] if t["layer"] == "acled"]
    trace = figure["data"][entry["index"]]
    assert trace["meta"] == {"layer": "acled", "role": "acled"}
    assert sorted(trace["customdata"]) == sorted(e.id for e in dataset.acled)
    assert figure["data"][model["halo_index"]]["meta"]["role"] == "halo"
    hidden = ViewState(timeline_bounds(dataset), None, ("events",))
    assert map_figure(dataset, hidden)["data"][entry["index"]]["visible"] is False

    baku = next(e for e in dataset.acled if e.id == "acled-test0001")
    click = {"points": [{"lon": baku.lonlat[0], "lat": baku.lonlat[1]}]}
    window = (D(2021, 3, 1), D(2021, 3, 1))
    panel, _ = selection_panel(dataset, "map", click, window, ["events", "acled"])
    text = str(panel)
    assert "ACLED TEST0001" in text and "a separate source" in text
    assert "TEST DATA, not from ACLED" in text
    panel, _ = selection_panel(dataset, "map", click, window, ["events"])
    assert "ACLED TEST0001" not in str(panel)  # hidden layer: not in the panel either


def test_published_acled_events_load_alike_from_the_files_and_from_the_store(project, tmp_path):
    draft = tmp_path / "acled.json"
    assert _import(FIXTURE, project, draft, "--decision", "accept") == 0
    assert cli(["publish", str(draft), "--data-dir", str(project)]) == 0
    from_files = load_dataset(project, store_min_events=None)
    load_dataset(project, store_min_events=0)  # writes the store
    from_store = load_dataset(project, store_min_events=0)  # reads it
    assert from_store.store is not None and len(from_files.acled) == 3
    assert from_store.acled == from_files.acled
    assert from_store.history == from_files.history
