"""Geometry checks of the built layers in geodata/layers/ (metric work in UTM 38N).

The layers are read as committed; only `test_build_is_reproducible` re-runs the build.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import pyproj
import pytest
import shapely
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from dashboard.build.layers import build_layers
from dashboard.model import Accuracy, LayerName, LayerProperties

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "geodata" / "layers"
SOURCES = ROOT / "geodata" / "sources"
METRIC_CRS = "EPSG:32638"
WIDTH_M = 5000.0  # 10 Nov 2020 statement, para. 6
_TO_METRIC = pyproj.Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def metric(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: _TO_METRIC.transform(x, y), interleaved=False)


@cache
def layer(name: str) -> dict:
    return json.loads((LAYERS / f"{name}.geojson").read_text(encoding="utf-8"))


def all_features() -> list[tuple[str, dict]]:
    return [(n.value, f) for n in LayerName for f in layer(n.value)["features"]]


def by_id(layer_name: str, feature_id: str) -> dict:
    found = [f for f in layer(layer_name)["features"] if f["properties"]["id"] == feature_id]
    assert len(found) == 1, feature_id
    return found[0]


def geom(layer_name: str, feature_id: str) -> BaseGeometry:
    return metric(shape(by_id(layer_name, feature_id)["geometry"]))


@cache
def places() -> dict[str, Point]:
    with (SOURCES / "places.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["name"]: metric(Point(float(r["lon"]), float(r["lat"]))) for r in csv.DictReader(fh)
        }


@cache
def source_polygon(file: str, name: str) -> BaseGeometry:
    doc = json.loads((SOURCES / file).read_text(encoding="utf-8"))
    (feature,) = [f for f in doc["features"] if f["properties"].get("name") == name]
    return metric(shape(feature["geometry"]))


def armenia() -> BaseGeometry:
    return source_polygon("basemap_countries_ne10m.geojson", "Armenia")


def shusha_city() -> BaseGeometry:
    return source_polygon("az_karabakh_rayons_ne10m.geojson", "Shusha city")


def corridor() -> BaseGeometry:
    return geom("lachin_corridor", "lachin-corridor-2020-area")


def aor() -> BaseGeometry:
    return geom("aor", "aor-core").union(geom("aor", "aor-margin"))


# --------------------------------------------------------------------------- every feature


def test_every_layer_file_exists_and_is_a_feature_collection():
    for name in LayerName:
        doc = layer(name.value)
        assert doc["type"] == "FeatureCollection"
        assert doc["features"], f"{name.value} is empty"


@pytest.mark.parametrize(("layer_name", "feature"), all_features(), ids=lambda v: str(v)[:40])
def test_feature_properties_and_geometry(layer_name, feature):
    props = LayerProperties.model_validate(feature["properties"])
    assert props.layer == layer_name
    assert props.source.strip()
    assert props.accuracy
    g = feature["geometry"]
    if g is None:
        assert props.accuracy is Accuracy.UNLOCATED, "null geometry must be 'unlocated'"
        return
    assert props.accuracy is not Accuracy.UNLOCATED
    s = shape(g)
    assert not s.is_empty
    assert s.is_valid, shapely.is_valid_reason(s)
    minx, miny, maxx, maxy = s.bounds
    assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
    # RFC 7946: exterior rings counter-clockwise, holes clockwise
    for poly in getattr(s, "geoms", [s]) if g["type"].endswith("Polygon") else []:
        assert poly.exterior.is_ccw
        assert all(not ring.is_ccw for ring in poly.interiors)
    if props.area_km2 is not None:
        assert props.area_km2 == pytest.approx(metric(s).area / 1e6, rel=0.005)


def test_ids_unique_across_layers():
    ids = [f["properties"]["id"] for _, f in all_features()]
    assert len(ids) == len(set(ids))


def test_coordinates_have_at_most_six_decimals():
    for name in LayerName:
        text = (LAYERS / f"{name.value}.geojson").read_text(encoding="utf-8")
        coordinates = re.findall(r'"coordinates":(\[[^"]*\])', text)
        assert coordinates
        assert not any(re.search(r"\.\d{7,}", c) for c in coordinates), name.value


# --------------------------------------------------------------------------- corridor


def cross_sections(route: LineString, area: BaseGeometry, step: float = 250.0):
    """(distance along route, width) of perpendicular cross-sections away from the ends, the
    bends (within 2.6 km of an interior vertex the buffers of two segments overlap) and the
    places where Shusha or Armenia is cut out."""
    vertices = [Point(c) for c in route.coords[1:-1]]
    cut_out = shusha_city().union(armenia())
    out = []
    distance = step
    while distance < route.length:
        p = route.interpolate(distance)
        if (
            3000 < distance < route.length - 3000
            and min(p.distance(v) for v in vertices) > 2600
            and p.distance(cut_out) > 3000
        ):
            a = route.interpolate(distance - 1.0)
            b = route.interpolate(distance + 1.0)
            dx, dy = b.x - a.x, b.y - a.y
            n = (dx * dx + dy * dy) ** 0.5
            nx, ny = -dy / n, dx / n
            line = LineString(
                [(p.x - nx * 20000, p.y - ny * 20000), (p.x + nx * 20000, p.y + ny * 20000)]
            )
            cut = line.intersection(area)
            (piece,) = [g for g in getattr(cut, "geoms", [cut]) if g.distance(p) < 1e-6]
            out.append((distance, piece.length))
        distance += step
    return out


def test_corridor_is_5_km_wide():
    route = geom("lachin_corridor", "lachin-corridor-2020-route")
    sections = cross_sections(route, corridor())
    assert len(sections) >= 4, sections
    for distance, width in sections:
        assert width == pytest.approx(WIDTH_M, rel=0.05), f"{width:.0f} m at {distance:.0f} m"


def test_corridor_is_one_polygon_containing_its_route():
    area = corridor()
    assert area.geom_type == "Polygon"
    route = geom("lachin_corridor", "lachin-corridor-2020-route")
    assert route.difference(area.buffer(1.0)).is_empty


def test_lachin_inside_shusha_outside_corridor():
    area = corridor()
    assert area.contains(places()["Lachin"])
    assert not area.contains(places()["Shusha"])
    assert area.intersection(shusha_city()).area < 1.0


def test_corridor_ends_on_armenian_border():
    area = corridor()
    assert area.distance(armenia()) < 1.0  # touches (rounding to 1e-6 degree moves ~0.1 m)
    assert area.intersection(armenia()).area < 100.0  # but does not enter Armenia
    start = Point(geom("lachin_corridor", "lachin-corridor-2020-route").coords[0])
    assert start.distance(armenia().boundary) < 1.0
    # the same holds against the context layer's Armenia
    context = geom("context_countries", "country-armenia")
    assert area.distance(context) < 1.0


def test_corridor_overlaps_aor_and_reaches_stepanakert():
    assert corridor().intersects(geom("aor", "aor-core"))
    assert corridor().intersection(aor()).area > 1e6
    assert corridor().contains(places()["Stepanakert"])


def test_corridor_dates():
    for fid in ("lachin-corridor-2020-area", "lachin-corridor-2020-route"):
        p = by_id("lachin_corridor", fid)["properties"]
        assert (p["valid_from"], p["valid_to"]) == ("2020-11-10", "2022-08-30")
        assert "2022-08-30" in p["note"]
    assert by_id("lachin_corridor", "lachin-corridor-2022-bypass-route")["properties"][
        "valid_from"
    ] == ("2022-08-30")


# --------------------------------------------------------------------------- AoR, Stepanakert


def test_stepanakert_inside_aor_core_and_city_unit():
    centre = geom("stepanakert", "stepanakert-centre")
    assert geom("aor", "aor-core").contains(centre)
    assert geom("stepanakert", "stepanakert-area").contains(centre)
    assert centre.distance(places()["Stepanakert"]) < 1.0


def test_aor_core_and_margin_do_not_overlap():
    core, margin = geom("aor", "aor-core"), geom("aor", "aor-margin")
    assert core.intersection(margin).area < 1e4  # < 0.01 km², rounding only
    total = core.union(margin).area / 1e6
    # no larger than the kit's bounds (aor_bounds_approx.geojson, which include its corridor);
    # the schematic core (control points, not whole rayons) is about 2,450 km²
    assert 2000 < core.area / 1e6 < 2904.5
    assert 4000 < total < 4339.8


def test_aor_control_points():
    core, both = geom("aor", "aor-core"), aor()
    for held in ("Lisagor", "Mets Shen (Shusha)", "Yeghtsahogh", "Martuni", "Askeran"):
        assert both.contains(places()[held]), held
    for lost in ("Shusha", "Karin Tak", "Sghnakh", "Hadrut", "Khtsaberd", "Hin Tagher"):
        assert not core.contains(places()[lost]), lost
    assert not both.contains(places()["Shusha"])


def test_aor_properties_state_method_and_estimates():
    for fid in ("aor-core", "aor-margin"):
        p = by_id("aor", fid)["properties"]
        assert p["area_km2"] > 0
        assert "EPSG:32638" in p["note"]
        for estimate in ("2,800", "2,900", "27.7%"):
            assert estimate in p["compare_with"]
        assert p["valid_from"] == "2020-11-10"


# --------------------------------------------------------------------------- posts


def test_every_kit_post_is_a_feature():
    with (SOURCES / "peacekeeper_posts_proxies.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (SOURCES / "layer_places.csv").open(encoding="utf-8", newline="") as fh:
        sites = [r["name"] for r in csv.DictReader(fh)]
    posts = [
        f
        for f in layer("peacekeeper_posts")["features"]
        if f["properties"]["kind"] != "post-network"
    ]
    assert [f["properties"]["name"] for f in posts] == [r["post"] for r in rows]
    for row, f in zip(rows, posts, strict=True):
        assert row["source"] in f["properties"]["source"]
        located = bool(row["lat"].strip()) or any(site in row["post"] for site in sites)
        assert (f["geometry"] is not None) == located


def test_posts_inside_aor_or_corridor_unless_explained():
    zone = aor().union(corridor())
    for f in layer("peacekeeper_posts")["features"]:
        if f["geometry"] is None:
            continue
        p = f["properties"]
        if not zone.contains(metric(shape(f["geometry"]))):
            assert re.search(r"beyond the drawn area|Hadrut pocket", p["note"]), p["id"]


def test_post_dates():
    dates = {
        f["properties"]["id"]: (f["properties"]["valid_from"], f["properties"]["valid_to"])
        for f in layer("peacekeeper_posts")["features"]
    }
    assert dates["post-khtsaberd"] == ("2020-12-12", "2020-12-16")
    assert dates["post-hin-tagher"] == ("2020-12-12", "2020-12-16")
    assert dates["post-yeghtsahogh"][0] == "2021-01-01"
    assert "only the year" in by_id("peacekeeper_posts", "post-yeghtsahogh")["properties"]["note"]
    assert all(start >= "2020-11-10" for start, _ in dates.values())
    assert all(end is not None and end <= "2024-06-12" for _, end in dates.values())


# --------------------------------------------------------------------------- build


def test_build_is_reproducible(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    returned = build_layers(SOURCES, first)
    build_layers(SOURCES, second)
    assert set(returned) == {n.value for n in LayerName}
    for name in LayerName:
        fresh = (first / f"{name.value}.geojson").read_bytes()
        assert fresh == (second / f"{name.value}.geojson").read_bytes(), name.value
        committed = (LAYERS / f"{name.value}.geojson").read_bytes()
        assert fresh == committed, f"{name.value}: rebuild with python -m dashboard.build.layers"
        assert json.loads(fresh) == returned[name.value]
