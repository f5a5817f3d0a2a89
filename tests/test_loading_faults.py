"""The loader's messages for faults in places, layers, citations and events, and for whole
files of the wrong shape, word for word (tests/test_loading_messages.py covers how a problem
prints, unreadable files and an article's passage).

A person fixing the data reads these lines (file, record, field, what is wrong, what was
expected), so each is pinned whole: a message that drops its file, record, field or
expectation, or says the wrong thing, fails here. Faults that do not disturb one another share
one copy of the data, so the whole table costs four loads.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import astuple
from pathlib import Path

import pytest

from dashboard.loading import PUBLISH_STAGING, DataError, load_dataset
from dashboard.testing import SEED, copy_of_real_data, edit_json


def problem_lines(data_dir: Path | str) -> list[str]:
    with pytest.raises(DataError) as info:
        load_dataset(data_dir, store_min_events=None)
    problems = info.value.problems
    # Every part is text, as Problem declares: a whole file's problem has record "", not None.
    assert all(isinstance(part, str) for problem in problems for part in astuple(problem))
    return [str(problem) for problem in problems]


def article_events(data: dict) -> list[dict]:
    return [f for f in data["features"] if f["properties"].get("passage")]


def by_id(data: dict) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in data["features"]}


def test_places_and_layers_each_fault_worded(tmp_path):
    data = copy_of_real_data(tmp_path)
    edit_json(data / "documents.json", lambda docs: docs.append(dict(docs[0])))

    def places(d):
        features = d["features"]
        features.append(json.loads(json.dumps(features[0])))  # stepanakert twice
        features[1]["geometry"] = {"type": "LineString", "coordinates": [[46, 39], [47, 40]]}
        features[2]["geometry"] = {"type": "Point", "coordinates": ["a", "b"]}
        features[3]["geometry"] = {"type": "Point", "coordinates": [46.5, 95.0]}
        features[4]["geometry"] = "x"
        features.append("not a feature")
        features.append({"type": "Feature", "properties": [1], "geometry": None})

    def aor(d):
        bowtie = [[46, 39], [47, 40], [47, 39], [46, 40], [46, 39]]
        d["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [bowtie]}
        d["features"][1]["properties"]["layer"] = "stepanakert"

    aor_third_id = json.loads((data / "layers" / "aor.geojson").read_text())["features"][2]

    def posts(d):
        d["features"][0]["properties"]["id"] = aor_third_id["properties"]["id"]
        ring = [[1e400, 0], [1, 1], [0, 1], [1e400, 0]]  # 1e400 reads as infinity
        d["features"][1]["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    def corridor(d):
        line = next(f for f in d["features"] if f["geometry"]["type"] != "Point")
        line["geometry"]["coordinates"] = [[1]]

    edit_json(data / "places.geojson", places)
    edit_json(data / "layers" / "aor.geojson", aor)
    edit_json(data / "layers" / "peacekeeper_posts.geojson", posts)
    edit_json(data / "layers" / "lachin_corridor.geojson", corridor)
    edit_json(
        data / "layers" / "stepanakert.geojson",
        lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": []}),
    )
    lines = problem_lines(data)
    expected = [
        "geodata/documents.json [edm-18-47] id: duplicate id (expected ids unique within the file)",
        'geodata/places.geojson [#38] type: not a GeoJSON Feature (expected "type": "Feature")',
        "geodata/places.geojson [#39] properties: missing or not an object (expected an object)",
        "geodata/places.geojson [stepanakert] id: duplicate id"
        " (expected ids unique within the file)",
        "geodata/places.geojson [shusha] geometry.type: is 'LineString' (expected Point)",
        "geodata/places.geojson [lachin] geometry.coordinates: unreadable (['a', 'b'])"
        " (expected [lon, lat] numbers)",
        "geodata/places.geojson [goris] geometry.coordinates: outside WGS 84 range"
        " (point 46.5, 95.0) (expected longitude -180..180 and latitude -90..90)",
        "geodata/places.geojson [kornidzor] geometry: not a GeoJSON geometry"
        " (expected a geometry object or null)",
        "geodata/layers/aor.geojson [aor-core] geometry: invalid: Self-intersection[46.5 39.5]"
        " (expected a valid (OGC) geometry)",
        "geodata/layers/aor.geojson [aor-margin] properties.layer: is 'stepanakert'"
        " (expected 'aor', the file's layer)",
        "geodata/layers/stepanakert.geojson [stepanakert-centre] geometry: is empty"
        " (expected coordinates, or null geometry)",
        f"geodata/layers/peacekeeper_posts.geojson [{aor_third_id['properties']['id']}]"
        " properties.id: duplicate id (also in geodata/layers/aor.geojson)"
        " (expected ids unique across layers)",
        "geodata/layers/peacekeeper_posts.geojson [post-lachin-corridor-zabukh]"
        " geometry.coordinates: outside WGS 84 range (bounds 0.0, 0.0, inf, 1.0)"
        " (expected longitude -180..180 and latitude -90..90)",
    ]
    missing = [line for line in expected if line not in lines]
    assert not missing, "\n".join(missing)
    unreadable = [line for line in lines if "lachin_corridor" in line]
    assert len(unreadable) == 1
    assert " geometry.coordinates: unreadable (" in unreadable[0]
    assert unreadable[0].endswith(" (expected GeoJSON coordinates)")
    # The events on the places that failed are refused too, each naming its place.
    unknown = Counter(
        line.split("unknown place ")[1].split(" ")[0]
        for line in lines
        if line.startswith("geodata/events.geojson [")
        and " properties.place_id: unknown place " in line
    )
    assert set(unknown) == {"'lachin'", "'shusha'", "'kornidzor'", "'goris'"}
    assert len(lines) == len(expected) + 1 + sum(unknown.values())


def test_citations_and_events_each_fault_worded(tmp_path):
    data = copy_of_real_data(tmp_path)
    text = (tmp_path / "seeds" / SEED).read_text("utf-8")
    blank = text.index("\n\n")

    def citations(d):
        d[0]["document_id"] = "nowhere"
        d[1]["parenthetical"] = {"start": 10, "end": 10**7}
        d[2]["parenthetical"] = {"start": 10, "end": 20}
        d[3]["supports"] = [*d[3]["supports"], "no-such-event"]
        d.append(dict(d[4]))

    def events(d):
        article = article_events(d)
        article[0]["properties"]["document_id"] = "nowhere"
        article[1]["properties"]["passage"] = {"start": 5, "end": 10**7}
        article[2]["properties"]["place_id"] = "atlantis"
        article[3]["properties"]["passage"] = {"start": blank, "end": blank + 2}
        events = by_id(d)
        armistice = events["armistice-2020-11-10"]["properties"]
        armistice.update(confidence="high", sources=[])
        events["nk-002"]["geometry"]["coordinates"] = [40.0, 40.0]
        events["nk-002"]["properties"]["geo_precision"] = "settlement"

    def places(d):  # a place without coordinates under an event that claims a settlement
        by_id(d)["lachin"]["geometry"] = None

    edit_json(data / "citations.json", citations)
    edit_json(data / "events.geojson", events)
    edit_json(data / "places.geojson", places)
    (data / "acled_events.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"id": "acled-x"}, "geometry": None}
                ],
            }
        ),  # fmt: skip
        "utf-8",
    )
    lines = problem_lines(data)
    article = article_events(json.loads((tmp_path / "geodata" / "events.geojson").read_text()))
    whitespace_event = article[3]["properties"]["id"]
    expected = [
        "geodata/citations.json [edm-18-47.p04.news-am.2021-03-07] id: duplicate id"
        " (expected ids unique within the file)",
        "geodata/citations.json [edm-18-47.p01.edm.2020-11-25] document_id: unknown document"
        " 'nowhere' (expected an id in documents.json)",
        "geodata/citations.json [edm-18-47.p02.edm.2021-01-14] parenthetical: span 10-10000000"
        " is outside the text (6605 characters) (expected offsets inside the seed text)",
        "geodata/citations.json [edm-18-47.p03.arminfo.2021-02-26] parenthetical: span 10-20"
        " does not cover a parenthesis (expected offsets of a whole '( ... )' in the seed text)",
        "geodata/citations.json [edm-18-47.p03.news-am.2021-02-27] supports: unknown event"
        " 'no-such-event' (expected an id in events.geojson)",
        "geodata/events.geojson [velvet-revolution-2018] properties.document_id: unknown document"
        " 'nowhere' (expected an id in documents.json)",
        "geodata/events.geojson [pashinian-unification-line] properties.passage: span 5-10000000"
        " is outside the text of edm-18-47 (6605 characters)"
        " (expected offsets inside the seed text)",
        "geodata/events.geojson [pashinian-unification-line] properties.uncited_reason: no"
        " citation supports the event and no reason is given"
        " (expected a citation in citations.json or a non-empty uncited_reason)",
        "geodata/events.geojson [harutiunian-elected-2020-04] properties.place_id: unknown place"
        " 'atlantis' (expected an id in places.geojson)",
        f"geodata/events.geojson [{whitespace_event}] properties.passage: span covers only"
        " whitespace (expected offsets of the passage's sentence(s))",
        "geodata/events.geojson [armistice-2020-11-10] properties.confidence: is 'high' but only"
        " 1 independent outlet(s) report it (The Jamestown Foundation; reposts count as the"
        " outlet they repost) (expected 'medium' or 'low', or a second independent source)",
        "geodata/events.geojson [nk-002] properties.geo_precision: place 'lachin' has no"
        " coordinates but precision is 'settlement' (expected 'off-map')",
        "geodata/events.geojson [nk-002] geometry: (40.0, 40.0) differs from place 'lachin' at"
        " None (expected the place's point (rebuild with python -m dashboard.build))",
        "geodata/acled_events.geojson [acled-x] properties.event_id_cnty: Field required"
        " (expected the field to be present)",
    ]
    missing = [line for line in expected if line not in lines]
    assert not missing, "\n".join(missing)


def test_whole_files_unreadable_or_of_the_wrong_shape(tmp_path):
    data = copy_of_real_data(tmp_path)
    (data / "places.geojson").write_bytes(b"\xff\xfe{")
    (data / "events.geojson").write_text('{"type": "FeatureCollection"}')
    (data / "documents.json").write_text("{}")
    (data / "citations.json").write_text('{"a": 1}')
    (data / "layers" / "aor.geojson").unlink()
    (data / "layers" / "stepanakert.geojson").write_text('{"type": "FeatureCollection", "x": [1,')
    (data / "layers" / "context_lakes.geojson").write_text("[]")
    assert problem_lines(data) == [
        "geodata/documents.json: not a JSON array of documents (expected [{...}, ...])",
        "geodata/places.geojson: not UTF-8 text (invalid start byte at byte 0)",
        "geodata/citations.json: not a JSON array of citations (expected [{...}, ...])",
        "geodata/events.geojson features: missing or not a list (expected a list of features)",
        "geodata/layers/aor.geojson: file is missing",
        "geodata/layers/stepanakert.geojson: not valid JSON: Expecting value at line 1 column 39",
        "geodata/layers/context_lakes.geojson type: not a GeoJSON FeatureCollection"
        ' (expected "type": "FeatureCollection")',
    ]


def test_a_missing_seed_an_interrupted_publish_and_no_data_directory(tmp_path):
    data = copy_of_real_data(tmp_path)
    edit_json(data / "documents.json", lambda d: d[0].update(text_path="seeds/gone.txt"))
    lines = problem_lines(data)
    assert lines[0] == (
        "geodata/documents.json [edm-18-47] text_path: seeds/gone.txt does not exist"
        " (expected a seed file)"
    )
    (tmp_path / PUBLISH_STAGING).mkdir()
    (tmp_path / PUBLISH_STAGING / "COMMIT").write_text("{}")
    assert problem_lines(data) == [
        ".publish-staging: a publish was interrupted while swapping files in: geodata/ is half"
        " old, half new (expected python -m dashboard publish --recover (completes it))"
    ]
    gone = tmp_path / "nothing-here"
    assert problem_lines(gone) == [f"{gone}: data directory is missing"]
