"""Every bad record is reported, not only the first (documents, citations, features, ACLED
rows); the WGS 84 range is inclusive; an event's geometry, citations and id are named as a
person fixing the file needs; a relative data directory loads; the garbage collector is left
as found. Issue 9's last mutation pass over dashboard.loading: each test here fails on one or
more of its former survivors (bench/README.md).
"""

from __future__ import annotations

import gc
import json
import shutil

import pytest

from dashboard.ingest.cli import main as cli
from dashboard.loading import load_dataset
from dashboard.testing import PROJECT_ROOT, SEED, copy_of_real_data, edit_json
from tests.test_loading_faults import problem_lines

DOCS = "geodata/documents.json"
CITATIONS = "geodata/citations.json"
EVENTS = "geodata/events.geojson"
RANGE = "(expected longitude -180..180 and latitude -90..90)"
WHOLE = "(expected offsets of a whole '( ... )' in the seed text)"
BOWTIE = [[46, 39], [47, 40], [47, 39], [46, 40], [46, 39]]
# Half a degree beyond each edge: west, east, south, north.
POINTS_BEYOND = [[-180.5, 40], [180.5, 40], [46, -90.5], [46, 90.5]]
LINES_BEYOND = [
    ([-180.5, 40], [46, 40]),
    ([46, 40], [180.5, 40]),
    ([46, -90.5], [46, 40]),
    ([46, 40], [46, 90.5]),
]


def missing_from(lines: list[str], expected: list[str]) -> str:
    return "\n".join(line for line in expected if line not in lines)


def copied(data: dict) -> dict:
    return json.loads(json.dumps(data))


def test_every_bad_document_citation_and_feature_is_reported_not_only_the_first(tmp_path):
    data = copy_of_real_data(tmp_path)
    text = (tmp_path / "seeds" / SEED).read_text("utf-8")
    (tmp_path / "seeds" / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (tmp_path / "outside.txt").write_text("outside the project's seeds", "utf-8")

    def documents(d):
        article = d[0]
        d.append(dict(article))  # the same id again
        d.append(dict(article, id="no-title", title=""))
        d.append({k: v for k, v in article.items() if k != "id"})  # named by its position
        d.append("not a document")
        d.append(dict(article, id="outside", text_path="../outside.txt"))
        d.append(dict(article, id="latin1", text_path="seeds/latin1.txt"))
        d.append(dict(article, id="gone", text_path="seeds/gone.txt"))

    def citations(d):
        first = d[0]
        no_id = {k: v for k, v in first.items() if k != "id"}  # two: not duplicates
        d += [no_id, dict(no_id), "not a citation"]
        d.append(dict(first, id="elsewhere", document_id="nowhere"))
        start, end = first["parenthetical"]["start"], first["parenthetical"]["end"]
        for cut, (a, b) in {"open": (start, end - 1), "close": (start + 1, end)}.items():
            d.append(dict(first, id=f"only-{cut}", parenthetical={"start": a, "end": b}))
        # Ending on the text's last character is inside the text: judged by what it covers.
        d.append(dict(first, id="to-the-end", parenthetical={"start": start, "end": len(text)}))

    def aor(d):
        d["features"][0]["properties"] = "not an object"
        d["features"][1]["properties"] = None

    def events(d):
        d["features"].append(copied(d["features"][0]))

    edit_json(data / "documents.json", documents)
    edit_json(data / "citations.json", citations)
    edit_json(data / "layers" / "aor.geojson", aor)
    edit_json(data / "events.geojson", events)
    lines = problem_lines(data)
    expected = [
        f"{DOCS} [edm-18-47] id: duplicate id (expected ids unique within the file)",
        f"{DOCS} [no-title] title: String should have at least 1 character, got ''"
        " (expected non-empty text)",
        f"{DOCS} [#3] id: Field required (expected the field to be present)",
        f"{DOCS} [#4]: Input should be a valid dictionary or instance of Document,"
        " got 'not a document'",
        f"{DOCS} [outside] text_path: points outside the project (expected a path under seeds/)",
        f"{DOCS} [latin1] text_path: seeds/latin1.txt unreadable: 'utf-8' codec can't decode"
        " byte 0xe9 in position 3: unexpected end of data (expected UTF-8 text)",
        f"{DOCS} [gone] text_path: seeds/gone.txt does not exist (expected a seed file)",
        f"{CITATIONS} [#19] id: Field required (expected the field to be present)",
        f"{CITATIONS} [#20] id: Field required (expected the field to be present)",
        f"{CITATIONS} [#21]: Input should be a valid dictionary or instance of Citation,"
        " got 'not a citation'",
        f"{CITATIONS} [elsewhere] document_id: unknown document 'nowhere'"
        " (expected an id in documents.json)",
        f"{CITATIONS} [only-open] parenthetical: span 1036-1063 does not cover a parenthesis"
        f" {WHOLE}",
        f"{CITATIONS} [only-close] parenthetical: span 1037-1064 does not cover a parenthesis"
        f" {WHOLE}",
        f"{CITATIONS} [to-the-end] parenthetical: span 1036-6605 does not cover a parenthesis"
        f" {WHOLE}",
        f"{EVENTS} [velvet-revolution-2018] id: duplicate id (expected ids unique within the file)",
        "geodata/layers/aor.geojson [#0] properties: missing or not an object (expected an object)",
        "geodata/layers/aor.geojson [#1] properties: missing or not an object (expected an object)",
    ]
    assert lines == expected  # nothing else: the article's events still find their document


def test_an_event_s_geometry_citations_id_and_a_place_s_fields_are_named(tmp_path):
    data = copy_of_real_data(tmp_path)

    def events(d):
        features = d["features"]
        features[1]["geometry"] = {
            "type": "LineString",
            "coordinates": [[46.5, 39.5], [46.6, 39.6]],
        }
        for length in (60, 61):  # an id is shown whole up to 60 characters
            event = copied(features[6])
            event["properties"].update(id="e" * length, confidence="sure")
            features.append(event)

    edit_json(data / "events.geojson", events)
    edit_json(data / "citations.json", lambda d: d[0]["supports"].append("nk-002"))
    edit_json(data / "places.geojson", lambda d: d["features"][0]["properties"].update(kind=""))
    lines = problem_lines(data)
    confidence = (
        "properties.confidence: Input should be 'high', 'medium' or 'low', got 'sure'"
        " (expected 'high', 'medium' or 'low')"
    )
    expected = [
        "geodata/places.geojson [stepanakert] properties.kind: String should have at least"
        " 1 character, got '' (expected non-empty text)",
        f"{EVENTS} [pashinian-unification-line] geometry.type: is 'LineString' (expected Point)",
        f"{EVENTS} [{'e' * 60}] {confidence}",
        f"{EVENTS} [{'e' * 59}…] {confidence}",
        "geodata/citations.json [edm-18-47.p01.edm.2020-11-25] supports: supports event"
        " 'nk-002', which does not come from 'edm-18-47'"
        " (expected only events whose document_id is the citation's document)",
    ]
    assert not missing_from(lines, expected), missing_from(lines, expected)


def test_the_wgs84_range_includes_its_edges_and_nothing_beyond(tmp_path):
    data = copy_of_real_data(tmp_path)
    places = json.loads((data / "places.geojson").read_text("utf-8"))
    stepanakert = next(f for f in places["features"] if f["properties"]["id"] == "stepanakert")
    lon, lat = stepanakert["geometry"]["coordinates"]

    def with_altitude(d):
        for feature in d["features"]:
            if feature["properties"]["id"] == "stepanakert":
                feature["geometry"]["coordinates"] = [lon, lat, 1200.0]

    def nudged(d):  # within 1e-6 degrees (0.1 m) of its place: the same point
        (event,) = [f for f in d["features"] if f["properties"]["id"] == "nk-004"]
        assert event["properties"]["place_id"] == "stepanakert"
        event["geometry"]["coordinates"] = [lon + 5e-7, lat - 5e-7]

    def posts(d):
        d["features"][0]["geometry"] = {"type": "Point", "coordinates": [-180, -90]}
        d["features"][1]["geometry"] = {"type": "Point", "coordinates": [180.0, 90.0]}

    def rivers(d):
        edge_to_edge = {"type": "LineString", "coordinates": [[-180, -90], [180, 90]]}
        d["features"][0]["geometry"] = edge_to_edge

    edit_json(data / "places.geojson", with_altitude)
    edit_json(data / "events.geojson", nudged)
    edit_json(data / "layers" / "peacekeeper_posts.geojson", posts)
    edit_json(data / "layers" / "context_rivers.geojson", rivers)
    dataset = load_dataset(data, store_min_events=None)
    assert dataset.places["stepanakert"].lonlat == (lon, lat)
    assert dataset.event("nk-004").lonlat == (lon + 5e-7, lat - 5e-7)
    edge_posts = [f.geometry["coordinates"] for f in dataset.layers["peacekeeper_posts"][:2]]
    assert edge_posts == [[-180, -90], [180.0, 90.0]]
    assert dataset.layers["context_rivers"][0].geometry["coordinates"] == [[-180, -90], [180, 90]]

    def lines_beyond(d):
        for feature, (start, end) in zip(d["features"], LINES_BEYOND, strict=False):
            feature["geometry"] = {"type": "LineString", "coordinates": [start, end]}

    def posts_beyond(d):
        for feature, point in zip(d["features"], POINTS_BEYOND, strict=False):
            feature["geometry"] = {"type": "Point", "coordinates": point}

    edit_json(data / "layers" / "context_rivers.geojson", lines_beyond)
    edit_json(data / "layers" / "peacekeeper_posts.geojson", posts_beyond)
    posts = [f.props.id for f in dataset.layers["peacekeeper_posts"][:4]]
    rivers = [f.props.id for f in dataset.layers["context_rivers"][:4]]
    points = ["-180.5, 40", "180.5, 40", "46, -90.5", "46, 90.5"]
    bounds = ["-180.5, 40.0, 46.0, 40.0", "46.0, 40.0, 180.5, 40.0"]
    bounds += ["46.0, -90.5, 46.0, 40.0", "46.0, 40.0, 46.0, 90.5"]
    layers = "geodata/layers"
    assert problem_lines(data) == [
        f"{layers}/peacekeeper_posts.geojson [{post}] geometry.coordinates: outside WGS 84 range"
        f" (point {point}) {RANGE}"
        for post, point in zip(posts, points, strict=True)
    ] + [
        f"{layers}/context_rivers.geojson [{river}] geometry.coordinates: outside WGS 84 range"
        f" (bounds {box}) {RANGE}"
        for river, box in zip(rivers, bounds, strict=True)
    ]


def test_a_relative_data_directory_finds_the_seeds_beside_it(tmp_path, monkeypatch):
    """`python -m dashboard check --data-dir .` inside geodata/: the project root is the
    directory above, and files are named from there."""
    data = copy_of_real_data(tmp_path)
    monkeypatch.chdir(data / "layers")
    assert len(load_dataset("..", store_min_events=None).events) == len(
        load_dataset(data, store_min_events=None).events
    )
    monkeypatch.chdir(data)
    (data / "places.geojson").unlink()
    assert problem_lines(".")[0] == "geodata/places.geojson: file is missing"


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        ({"type": "Polygon", "coordinates": []}, "geometry: is empty"),
        ({"type": "LineString", "coordinates": [[1]]}, "geometry.coordinates: unreadable"),
        ({"type": "LineString", "coordinates": [[0, 0], [0, 91]]}, "geometry.coordinates: outside"),
        ({"type": "Polygon", "coordinates": [BOWTIE]}, "geometry: invalid"),
    ],
)
def test_a_feature_refused_for_its_geometry_is_checked_no_further(tmp_path, geometry, problem):
    """As one refused for its properties: it claims no id, so a later feature with the same
    id is not a duplicate (what the person fixes first is the geometry)."""
    data = copy_of_real_data(tmp_path)
    edit_json(data / "layers" / "aor.geojson", lambda d: d["features"][0].update(geometry=geometry))
    edit_json(
        data / "layers" / "peacekeeper_posts.geojson",
        lambda d: d["features"][0]["properties"].update(id="aor-core"),
    )
    (line,) = problem_lines(data)
    assert line.startswith(f"geodata/layers/aor.geojson [aor-core] {problem}")


def test_every_bad_acled_row_is_named(tmp_path):
    """The published ACLED file is checked like ours: each fault named, none stopping the rest
    (the rows are the test fixture's, published through the ingest commands)."""
    shutil.copytree(PROJECT_ROOT / "geodata", tmp_path / "geodata")
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    data, draft = tmp_path / "geodata", tmp_path / "acled.json"
    fixture = str(PROJECT_ROOT / "tests" / "fixtures" / "acled_test_export.csv")
    imported = ["import-acled", fixture, "--out", str(draft), "--decision", "accept"]
    assert cli([*imported, "--data-dir", str(data)]) == 0
    assert cli(["publish", str(draft), "--data-dir", str(data)]) == 0

    def faults(d):
        features = d["features"]
        features.append(copied(features[0]))
        features[1]["geometry"] = {"type": "LineString", "coordinates": [[46, 40], [47, 40]]}
        features[2]["geometry"] = {"type": "Point", "coordinates": [46, 95]}
        features.append("not a feature")
        for number, update in (("8", {}), ("9", {"fatalities": "many"})):  # and no point
            row = copied(features[0])
            row["properties"].update(id=f"acled-test000{number}", **update)
            features.append(row | {"geometry": None})

    edit_json(data / "acled_events.geojson", faults)
    acled = "geodata/acled_events.geojson"
    assert problem_lines(data) == [
        f'{acled} [#4] type: not a GeoJSON Feature (expected "type": "Feature")',
        f"{acled} [acled-test0002] id: duplicate id (expected ids unique within the file)",
        f"{acled} [acled-test0003] geometry.type: is 'LineString' (expected Point)",
        f"{acled} [acled-test0001] geometry.coordinates: outside WGS 84 range (point 46, 95)"
        f" {RANGE}",
        f"{acled} [acled-test0008] geometry: is null (expected the ACLED row's point)",
        f"{acled} [acled-test0009] properties.fatalities: Input should be a valid integer,"
        " unable to parse string as an integer, got 'many'",  # its missing point goes unsaid
    ]


def test_loading_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """It is switched off while the many long-lived objects are made (load_dataset)."""
    data = copy_of_real_data(tmp_path)
    assert gc.isenabled()
    load_dataset(data)
    assert gc.isenabled()
    (data / "places.geojson").unlink()
    problem_lines(data)
    assert gc.isenabled()
    gc.disable()
    try:
        problem_lines(data)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_history_file_of_the_wrong_shape_says_what_was_expected(tmp_path):
    data = copy_of_real_data(tmp_path)
    (data / "history.json").write_text("[]", "utf-8")
    assert problem_lines(data) == [
        'geodata/history.json: not a JSON object (expected {"data_version": N, "changes": [...]})'
    ]
