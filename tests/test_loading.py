"""Loading rejects bad data with a message naming file, record and field; good data loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.loading import DataError, load_dataset
from tests.conftest import ROOT


def _edit_json(path: Path, edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _first_event(data: dict) -> dict:
    return data["features"][0]["properties"]


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(data_dir)
    return [str(p) for p in info.value.problems]


def test_shipped_data_loads(dataset):
    assert dataset.events, "no events loaded"
    assert dataset.documents and dataset.places and dataset.citations
    assert all(dataset.layers.values()), "a layer file is empty"


def test_every_event_has_its_citations_attached(dataset):
    supported = {eid for c in dataset.citations for eid in c.supports}
    for event in dataset.events:
        assert {c.id for c in event.citations} == {
            c.id for c in dataset.citations if event.id in c.supports
        }
        if event.props.document_id is not None:  # article events: cited, or say why not
            assert event.id in supported or event.props.uncited_reason
        else:
            assert event.props.sources and not event.citations


def test_missing_file_names_the_file(data_copy):
    (data_copy / "events.geojson").unlink()
    problems = _problems(data_copy)
    assert any("events.geojson" in p and "missing" in p for p in problems)


def test_invalid_json_names_file_and_line(data_copy):
    (data_copy / "layers" / "aor.geojson").write_text('{"type": "FeatureCollection",', "utf-8")
    problems = _problems(data_copy)
    assert any(
        "layers/aor.geojson" in p and "not valid JSON" in p and "line 1" in p for p in problems
    )


def test_feature_without_source_names_feature_and_field(data_copy):
    path = data_copy / "layers" / "peacekeeper_posts.geojson"
    data = json.loads(path.read_text("utf-8"))
    feature_id = data["features"][0]["properties"]["id"]
    del data["features"][0]["properties"]["source"]
    path.write_text(json.dumps(data), "utf-8")
    problems = _problems(data_copy)
    assert any(
        "peacekeeper_posts.geojson" in p and f"[{feature_id}]" in p and "properties.source" in p
        for p in problems
    ), problems


def test_unparseable_date(data_copy):
    path = data_copy / "events.geojson"
    event_id = json.loads(path.read_text("utf-8"))["features"][0]["properties"]["id"]
    _edit_json(path, lambda d: _first_event(d).update(date_start="2021-02-30"))
    problems = _problems(data_copy)
    assert any(
        f"[{event_id}] properties.date_start" in p and "YYYY-MM-DD" in p for p in problems
    ), problems


def test_end_before_start(data_copy):
    path = data_copy / "events.geojson"
    event_id = json.loads(path.read_text("utf-8"))["features"][0]["properties"]["id"]

    def edit(data):
        props = _first_event(data)
        props.update(date_start="2021-03-10", date_end="2021-03-01")

    _edit_json(path, edit)
    problems = _problems(data_copy)
    assert any(f"[{event_id}]" in p and "date_end" in p and "before" in p for p in problems)


def test_unknown_place(data_copy):
    path = data_copy / "events.geojson"
    _edit_json(path, lambda d: _first_event(d).update(place_id="atlantis"))
    problems = _problems(data_copy)
    assert any("properties.place_id" in p and "unknown place 'atlantis'" in p for p in problems)


def test_passage_outside_text(data_copy):
    path = data_copy / "events.geojson"
    _edit_json(path, lambda d: _first_event(d).update(passage={"start": 10, "end": 999_999}))
    problems = _problems(data_copy)
    assert any("properties.passage" in p and "outside the text" in p for p in problems)


@pytest.mark.parametrize("field", ["outlet", "date"])
def test_citation_without_outlet_or_date(data_copy, field):
    path = data_copy / "citations.json"
    citation_id = json.loads(path.read_text("utf-8"))[0]["id"]
    _edit_json(path, lambda d: d[0].pop(field))
    problems = _problems(data_copy)
    assert any(f"citations.json [{citation_id}] {field}:" in p for p in problems), problems


def test_citation_supporting_unknown_event(data_copy):
    _edit_json(data_copy / "citations.json", lambda d: d[0]["supports"].append("no-such-event"))
    problems = _problems(data_copy)
    assert any("supports" in p and "no-such-event" in p for p in problems)


def test_every_problem_is_reported_not_just_the_first(data_copy):
    _edit_json(data_copy / "events.geojson", lambda d: _first_event(d).update(place_id="atlantis"))
    (data_copy / "layers" / "aor.geojson").write_text("not json", "utf-8")
    problems = _problems(data_copy)
    assert any("atlantis" in p for p in problems)
    assert any("aor.geojson" in p for p in problems)


def test_app_refuses_to_start_with_one_clear_message(data_copy):
    path = data_copy / "layers" / "stepanakert.geojson"
    data = json.loads(path.read_text("utf-8"))
    feature_id = data["features"][0]["properties"]["id"]
    data["features"][0]["properties"]["source"] = ""
    path.write_text(json.dumps(data), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(data_copy), "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot start" in result.stderr
    assert "stepanakert.geojson" in result.stderr and feature_id in result.stderr
    assert "properties.source" in result.stderr


def _check_cli(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_command_passes_on_shipped_data():
    result = _check_cli(ROOT / "geodata")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("OK:") and "events" in lines[0]


@pytest.mark.parametrize(
    "fault, expected",
    [
        (lambda d: (d / "places.geojson").unlink(), "places.geojson: file is missing"),
        (lambda d: (d / "documents.json").write_text("[", "utf-8"), "not valid JSON"),
        (
            lambda d: _edit_json(
                d / "events.geojson", lambda x: _first_event(x).update(date_end="1999-01-01")
            ),
            "date_end 1999-01-01 is before date_start",
        ),
        (
            lambda d: _edit_json(
                d / "citations.json", lambda x: x[0].update(parenthetical={"start": 0, "end": 5})
            ),
            "does not cover a parenthesis",
        ),
        (
            lambda d: _edit_json(
                d / "layers" / "aor.geojson",
                lambda x: x["features"][0]["properties"].update(accuracy="guessed"),
            ),
            "properties.accuracy",
        ),
        (
            lambda d: _edit_json(
                d / "layers" / "lachin_corridor.geojson",
                lambda x: x["features"][0].update(
                    geometry={"type": "Point", "coordinates": [500, 95]}
                ),
            ),
            "outside WGS 84 range",
        ),
    ],
)
def test_check_command_names_each_injected_fault(data_copy, fault, expected):
    fault(data_copy)
    result = _check_cli(data_copy)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_each_kind_of_invalid_field_says_what_was_got_and_what_was_expected(data_copy):
    path = data_copy / "layers" / "stepanakert.geojson"
    data = json.loads(path.read_text("utf-8"))
    props = data["features"][0]["properties"]
    del props["source"]
    props |= {"accuracy": "guessed", "valid_from": "2021-02-30", "colour": "red"}
    props |= {"kind": "Not An Id", "name": " "}
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(data_copy)
    found = {p.field: p for p in info.value.problems}
    assert {p.file for p in found.values()} == {"geodata/layers/stepanakert.geojson"}
    assert {p.record for p in found.values()} == {props["id"]}
    missing = found["properties.source"]
    # a missing field has no value to show
    assert (missing.message, missing.expected) == ("Field required", "the field to be present")
    accuracy = found["properties.accuracy"]
    assert accuracy.message.endswith(", got 'guessed'")
    assert accuracy.expected == "'verified', 'approximate', 'schematic', 'settlement-proxy' or "\
        "'unlocated'"  # fmt: skip
    assert found["properties.valid_from"].message.endswith(", got '2021-02-30'")
    assert found["properties.valid_from"].expected == "an ISO date YYYY-MM-DD"
    assert found["properties.colour"].message.endswith(", got 'red'")
    assert found["properties.colour"].expected == "only the fields documented in geodata/README.md"
    assert found["properties.kind"].expected == "text matching ^[a-z0-9][a-z0-9_.-]*$"
    assert found["properties.name"].expected == "non-empty text"
    assert str(missing) == (
        f"geodata/layers/stepanakert.geojson [{props['id']}] properties.source: Field required "
        "(expected the field to be present)"
    )


def test_high_confidence_counts_the_article_s_publisher_as_one_outlet(data_copy):
    # an article event with one cited outlet rests on two: the outlet and the article itself
    dataset = load_dataset(data_copy)
    event = next(
        e
        for e in dataset.events
        if e.props.document_id and len([c for c in e.citations if c.kind.value == "outlet"]) == 1
        and not e.props.sources
    )  # fmt: skip
    uncited = next(e for e in dataset.events if e.props.document_id and not e.citations
                   and not e.props.sources)  # fmt: skip
    publisher = dataset.documents[event.props.document_id].publisher

    def mark_high(ids):
        def edit(data):
            for feature in data["features"]:
                if feature["properties"]["id"] in ids:
                    feature["properties"]["confidence"] = "high"

        _edit_json(data_copy / "events.geojson", edit)

    mark_high({event.id})
    assert load_dataset(data_copy).event(event.id).props.confidence.value == "high"
    mark_high({uncited.id})
    with pytest.raises(DataError) as info:
        load_dataset(data_copy)
    (problem,) = info.value.problems
    assert (problem.record, problem.field) == (uncited.id, "properties.confidence")
    assert f"only 1 independent outlet(s) report it ({publisher};" in problem.message


def test_malformed_geometry_properties_and_paths_each_name_file_field_and_expectation(data_copy):
    layers = data_copy / "layers"

    def first_of_kind(data, point: bool) -> dict:
        return next(f for f in data["features"]
                    if f["geometry"] and (f["geometry"]["type"] == "Point") == point)  # fmt: skip

    def edit(data):
        first_of_kind(data, True)["geometry"]["coordinates"] = [500, 95]
        first_of_kind(data, False)["geometry"]["coordinates"] = [[1]]
        data["features"][-1]["properties"]["area_km2"] = "x" * 200

    _edit_json(layers / "lachin_corridor.geojson", edit)
    _edit_json(layers / "aor.geojson", lambda d: d["features"][1].update(properties="x"))
    _edit_json(data_copy / "documents.json", lambda d: d[0].update(text_path="../outside.txt"))
    with pytest.raises(DataError) as info:
        load_dataset(data_copy)
    problems = info.value.problems
    by = {(p.file, p.field, p.message[:20]): p for p in problems}
    corridor = "geodata/layers/lachin_corridor.geojson"
    out_of_range = by[(corridor, "geometry.coordinates", "outside WGS 84 range")]
    assert out_of_range.message == "outside WGS 84 range (point 500, 95)"
    assert out_of_range.expected == "longitude -180..180 and latitude -90..90"
    unreadable = next(p for p in problems if p.message.startswith("unreadable ("))
    assert (unreadable.file, unreadable.field, unreadable.expected) == (
        corridor, "geometry.coordinates", "GeoJSON coordinates")  # fmt: skip
    long_value = next(p for p in problems if p.field == "properties.area_km2")
    assert long_value.message.endswith("…")  # a long value is cut short, and says so
    assert len(long_value.message) < 200
    properties = next(p for p in problems if p.file == "geodata/layers/aor.geojson")
    assert (properties.field, properties.message, properties.expected) == (
        "properties", "missing or not an object", "an object")  # fmt: skip
    outside = next(p for p in problems if p.file == "geodata/documents.json")
    assert (outside.field, outside.message, outside.expected) == (
        "text_path", "points outside the project", "a path under seeds/")  # fmt: skip
