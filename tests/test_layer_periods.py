"""Reference layers over the protectorate's whole life: what holds when, and from which source.

The built layers are read as committed (tests/test_geometry.py checks they equal a fresh
build); the control points and dates are read from geodata/sources/ independently of the
build code, so a build that ignored them would fail here.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pyproj
import pytest
import shapely
from shapely.geometry import Point, shape

from dashboard import registry
from dashboard.build.layer_dates import LayerDatesError, read_layer_dates
from dashboard.build.layers import build_layers
from dashboard.loading import load_dataset
from dashboard.model import Accuracy, LayerName
from dashboard.selection import features_in_window

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ROOT / "geodata" / "layers"
SOURCES = ROOT / "geodata" / "sources"
_TO_METRIC = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)
PEACEKEEPER_LAYERS = (LayerName.AOR, LayerName.LACHIN_CORRIDOR, LayerName.PEACEKEEPER_POSTS)
SWITCH = dt.date(2022, 8, 30)  # the 2022 route in use from 20:00 (Massis Post)


def metric(geom):
    return shapely.transform(geom, lambda x, y: _TO_METRIC.transform(x, y), interleaved=False)


@cache
def features() -> dict[str, dict]:
    out = {}
    for name in LayerName:
        doc = json.loads((LAYERS / f"{name.value}.geojson").read_text(encoding="utf-8"))
        out.update({f["properties"]["id"]: f for f in doc["features"]})
    return out


def props(feature_id: str) -> dict:
    return features()[feature_id]["properties"]


def geom(feature_id: str):
    return metric(shape(features()[feature_id]["geometry"]))


def _rows(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def control_points(status: str) -> dict[str, list[Point]]:
    """Every sourced coordinate of every place the sources put `status` (inside/outside)."""
    kit = {r["name"]: r for r in _rows("places.csv")}
    extra = {r["name"]: r for r in _rows("layer_places.csv")}
    out: dict[str, list[Point]] = {}
    for row in _rows("aor_control_points.csv"):
        if row["status"] != status:
            continue
        place = kit.get(row["place"]) or extra[row["place"]]
        pairs = [(float(place["lat"]), float(place["lon"]))]
        if row["place"] in extra:
            pairs += [
                (float(a), float(b))
                for a, b in re.findall(r"(\d{2}\.\d+),\s*(\d{2}\.\d+)", place["cross_checks"])
            ]
        out[row["place"]] = [metric(Point(lon, lat)) for lat, lon in pairs]
    return out


def shown_on(day: dt.date) -> set[str]:
    """Ids of the reference features the selection rule shows for the one-day window."""
    dataset = load_dataset(ROOT / "geodata")
    return {
        f.props.id
        for layer in registry.reference_layers()
        for f in features_in_window(dataset.layers.get(layer.name, ()), (day, day))
    }


# --------------------------------------------------------------------------- the AoR core


def test_core_contains_neither_madagiz_nor_any_place_sources_put_outside():
    core = geom("aor-core")
    outside = control_points("outside")
    assert {"Madagiz", "Shusha", "Hadrut", "Khtsaberd", "Hin Tagher"} <= set(outside)
    for place, points in outside.items():
        for point in points:
            assert not core.intersects(point), place
    # the audit's description of Madagiz: about 40.33 N, 46.73-46.75 E
    for lon in (46.73, 46.74, 46.75):
        assert not core.contains(metric(Point(lon, 40.33))), lon
    assert len(outside["Madagiz"]) == 2  # en.wikipedia and ru.wikipedia, ~2 km apart


def test_core_contains_every_place_sources_put_inside_martuni_included():
    core = geom("aor-core")
    inside = control_points("inside")
    assert "Martuni" in inside
    for place, points in inside.items():
        for point in points:
            assert core.contains(point), place


def test_core_is_labelled_as_the_rule_it_is():
    p = props("aor-core")
    assert p["accuracy"] == Accuracy.SCHEMATIC.value
    assert "schematic" in p["name"].lower()
    assert "Voronoi" in p["note"] and "Madagiz" in p["note"]
    assert p["accuracy"] != "approximate"


def test_core_and_margin_cover_the_upper_bound_without_overlap():
    core, margin = geom("aor-core"), geom("aor-margin")
    assert core.intersection(margin).area < 1e4
    assert 2000 < core.area / 1e6 < 2904.5  # below the kit's lower bound with its corridor
    assert 4000 < core.union(margin).area / 1e6 < 4339.8


def test_hadrut_pocket_spans_the_competing_dates_and_names_each_source():
    p = props("aor-hadrut-pocket")
    assert (p["valid_from"], p["valid_to"]) == ("2020-12-12", "2020-12-14")
    by_date = {s["date"]: s["outlet"] for s in p["date_sources"]}
    assert "RBC" in by_date["2020-12-12"]
    assert "2020-12-13" in by_date and "2020-12-14" in by_date
    assert "Wikipedia" in by_date["2020-12-14"]
    pocket = geom("aor-hadrut-pocket")
    held = [
        r["place"] for r in _rows("aor_control_points.csv") if r["pocket"] == "aor-hadrut-pocket"
    ]
    assert held == ["Khtsaberd", "Hin Tagher"]  # as the sources in the file say
    for place in held:
        assert all(pocket.contains(pt) for pt in control_points("outside")[place])
    assert pocket.intersection(geom("aor-core")).area < 1.0
    assert p["name"].startswith("Hadrut pocket (Khtsaberd, Hin Tagher)")


# --------------------------------------------------------------------------- ends and moves


def test_2022_route_only_from_30_august_2022_and_the_old_route_only_until_then():
    old, new = props("lachin-corridor-2020-route"), props("lachin-corridor-2022-bypass-route")
    assert old["valid_to"] == SWITCH.isoformat() == new["valid_from"]
    for offset in range(-40, 41):
        day = SWITCH + dt.timedelta(days=offset)
        shown = shown_on(day)
        assert ("lachin-corridor-2020-route" in shown) == (day <= SWITCH), day
        assert ("lachin-corridor-2022-bypass-route" in shown) == (day >= SWITCH), day
    # the changeover day shows both: the old road until 20:00, the new one from 20:00
    assert "20:00" in " ".join(s["excerpt"] + s["note"] for s in new["date_sources"])


def test_2022_route_runs_past_mets_shen_to_stepanakert():
    route = geom("lachin-corridor-2022-bypass-route")
    kit = {r["name"]: r for r in _rows("places.csv")}
    for name in ("Mets Shen (Shusha)", "Lisagor", "Stepanakert"):
        point = metric(Point(float(kit[name]["lon"]), float(kit[name]["lat"])))
        assert route.distance(point) < 1.0, name
    assert "Hin Shen" in props("lachin-corridor-2022-bypass-route")["note"]


def test_blockade_lies_on_the_route_for_as_long_as_it_lasts():
    route = geom("lachin-corridor-2022-bypass-route")
    phases = [f for f in features() if f.startswith("lachin-corridor-blockade-")]
    assert len(phases) == 3
    spans = []
    for fid in phases:
        assert geom(fid).difference(route.buffer(1.0)).is_empty, fid
        p = props(fid)
        assert p["date_sources"], fid
        spans.append((dt.date.fromisoformat(p["valid_from"]), dt.date.fromisoformat(p["valid_to"])))
    spans.sort()
    assert spans[0][0] == dt.date(2022, 12, 12)
    assert spans[-1][1] == dt.date(2023, 9, 23)  # the road reopened on 24 Sep for the exodus
    day = spans[0][0]
    while day <= spans[-1][1]:  # no day without a blockade phase
        assert any(a <= day <= b for a, b in spans), day
        day += dt.timedelta(days=1)
    assert "lachin-corridor-blockade-sit-in" not in shown_on(dt.date(2022, 12, 11))


def test_hakari_checkpoint_is_listed_unplaced_from_23_april_2023():
    p = props("lachin-corridor-hakari-checkpoint")
    assert features()["lachin-corridor-hakari-checkpoint"]["geometry"] is None
    assert p["accuracy"] == Accuracy.UNLOCATED.value
    assert p["valid_from"] == "2023-04-23"
    assert p["valid_to"] is None and "No end found" in p["note"]


def test_area_ends_in_practice_on_20_sept_2023_and_formally_on_12_june_2024():
    for fid in ("aor-core", "aor-margin"):
        p = props(fid)
        assert p["faint_from"] == "2023-09-21"
        assert p["valid_to"] == "2024-06-12"
        dates = {s["date"] for s in p["date_sources"]}
        assert {"2023-09-21", "2024-06-12"} <= dates
    assert {"aor-core", "aor-margin"} <= shown_on(dt.date(2024, 6, 12))


def test_on_1_july_2024_no_peacekeeper_layer_is_drawn():
    dataset = load_dataset(ROOT / "geodata")
    day = dt.date(2024, 7, 1)
    for layer in PEACEKEEPER_LAYERS:
        drawn = [
            f.props.id
            for f in features_in_window(dataset.layers.get(layer, ()), (day, day))
            if f.geometry is not None
        ]
        assert drawn == [], (layer.value, drawn)


def test_posts_close_from_19_september_2023_and_are_all_gone_by_15_may_2024():
    posts = [f for f in features().values() if f["properties"]["layer"] == "peacekeeper_posts"]
    for f in posts:
        p = f["properties"]
        assert p["valid_to"] is not None and p["valid_to"] <= "2024-06-12", p["id"]
    placed = {f["properties"]["id"] for f in posts if f["geometry"]}
    assert placed & shown_on(dt.date(2023, 9, 18))
    assert not placed & shown_on(dt.date(2024, 6, 13))


def test_khtsaberd_and_hin_tagher_posts_start_on_12_december():
    for fid in ("post-khtsaberd", "post-hin-tagher"):
        p = props(fid)
        assert p["valid_from"] == "2020-12-12"
        assert any(
            s["date"] == "2020-12-12" and "armradio" in (s["url"] or "") for s in p["date_sources"]
        )


def test_dadivank_agrees_with_the_mod_map_of_13_december_2020():
    p = props("post-dadivank")
    assert "outside the area" not in p["note"] and "outside the AoR" not in p["note"]
    assert any(s["date"] == "2020-12-13" and "Vank" in s["excerpt"] for s in p["date_sources"])


# --------------------------------------------------------------------------- every date sourced


def test_every_reference_date_has_a_source_and_every_default_says_so():
    for fid, f in features().items():
        p = f["properties"]
        if p["layer"] not in {layer.name for layer in registry.reference_layers()}:
            continue
        bounds = {s["bound"] for s in p["date_sources"]}
        for bound, value in (("from", p["valid_from"]), ("to", p["valid_to"])):
            if value is not None:
                assert bound in bounds, (fid, bound)
        for s in p["date_sources"]:
            if s["basis"] == "default":
                assert "efault" in s["note"], fid
            if s["url"]:
                assert re.fullmatch(r"https?://\S+", s["url"]) and "..." not in s["url"]
            assert len(s["excerpt"].split()) <= 30


def test_every_reference_feature_has_an_end_or_says_where_none_was_found():
    reference = {layer.name for layer in registry.reference_layers()}
    for fid, f in features().items():
        p = f["properties"]
        if p["layer"] in reference and p["valid_to"] is None:
            assert "No end found" in p["note"] or "no end" in p["note"].lower(), fid
            assert "searched" in p["note"] or "looked" in p["note"], fid


def test_no_default_start_hides_as_a_report():
    """OP No. 1 and the HQ were drawn from the statement date with nothing saying so."""
    for fid in ("post-op-1-hakari-bridge", "post-hq-stepanakert"):
        p = props(fid)
        starts = [s for s in p["date_sources"] if s["bound"] == "from"]
        assert starts and all(s["basis"] != "default" for s in starts)
        assert p["valid_from"] != "2020-11-10"
    martuni = [s for s in props("post-op-13-martuni")["date_sources"] if s["bound"] == "from"]
    assert [s["basis"] for s in martuni] == ["default"]


# --------------------------------------------------------------------------- bad inputs


def _copy_sources(tmp_path: Path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


def test_a_bad_date_row_names_the_file_the_line_and_the_field(tmp_path):
    copy = _copy_sources(tmp_path)
    path = copy / "layer_dates.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",2022-03-24,", ",2022-02-30,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LayerDatesError) as err:
        read_layer_dates(copy)
    assert "layer_dates.csv line 4" in str(err.value) and "date" in str(err.value)


def test_a_date_for_a_feature_the_build_does_not_make_stops_the_build(tmp_path):
    copy = _copy_sources(tmp_path)
    path = copy / "layer_dates.csv"
    text = path.read_text(encoding="utf-8").replace("post-dadivank,", "post-dadivanq,", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(Exception, match="post-dadivanq"):
        build_layers(copy, out)
    assert not out.exists() or not any(out.iterdir())


def test_a_control_point_with_an_unknown_status_names_the_file_and_line(tmp_path):
    copy = _copy_sources(tmp_path)
    path = copy / "aor_control_points.csv"
    text = path.read_text(encoding="utf-8").replace("Askeran,inside,", "Askeran,held,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=r"aor_control_points.csv line 3 \(Askeran\)"):
        build_layers(copy, tmp_path / "out")


def _edited_control_points(tmp_path, old: str, new: str) -> Path:
    copy = _copy_sources(tmp_path)
    path = copy / "aor_control_points.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_the_pocket_holds_the_places_the_file_puts_in_it(tmp_path):
    # Hin Tagher taken out of the pocket: the pocket is drawn round Khtsaberd alone
    copy = _copy_sources(tmp_path)
    path = copy / "aor_control_points.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [
        line.replace(",aor-hadrut-pocket", ",") if line.startswith("Hin Tagher,") else line
        for line in lines
    ]
    path.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    build_layers(copy, out)
    built = {
        f["properties"]["id"]: f
        for f in json.loads((out / "aor.geojson").read_text(encoding="utf-8"))["features"]
    }
    pocket = built["aor-hadrut-pocket"]
    assert pocket["properties"]["name"].startswith("Hadrut pocket (Khtsaberd):")
    drawn = metric(shape(pocket["geometry"]))
    assert all(drawn.contains(pt) for pt in control_points("outside")["Khtsaberd"])
    assert not any(drawn.contains(pt) for pt in control_points("outside")["Hin Tagher"])


def test_a_pocket_the_build_does_not_know_names_the_file_and_line(tmp_path):
    copy = _edited_control_points(tmp_path, ",aor-hadrut-pocket\n", ",aor-martuni-pocket\n")
    with pytest.raises(Exception, match=r"aor_control_points.csv line 16 \(Khtsaberd\): pocket"):
        build_layers(copy, tmp_path / "out")


def test_a_place_inside_the_core_cannot_be_in_a_pocket(tmp_path):
    copy = _edited_control_points(
        tmp_path, "news/619172.html,\n", "news/619172.html,aor-hadrut-pocket\n"
    )
    with pytest.raises(
        Exception, match=r"line 10 \(Yeghtsahogh\): in aor-hadrut-pocket but 'inside'"
    ):
        build_layers(copy, tmp_path / "out")


def test_a_pocket_with_no_place_stops_the_build(tmp_path):
    copy = _copy_sources(tmp_path)
    path = copy / "aor_control_points.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",aor-hadrut-pocket", ","), encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(Exception, match="no place is in the pocket aor-hadrut-pocket"):
        build_layers(copy, out)
    assert not out.exists() or not any(out.iterdir())


# --------------------------------------------------------------------------- what is drawn


def _visible_area_opacities(day: dt.date) -> dict[str, list[float]]:
    from dashboard.figures import map_figure
    from dashboard.viewstate import default_view

    dataset = load_dataset(ROOT / "geodata")
    view = default_view(dataset)
    figure = map_figure(dataset, type(view)((day, day), None, view.visible_layers))
    out: dict[str, list[float]] = {}
    for trace in figure["data"]:
        meta = trace.get("meta") or {}
        if meta.get("role") == "area" and trace["visible"]:
            out.setdefault(meta["layer"], []).append(trace["marker"]["opacity"])
    return out


def test_the_area_is_drawn_faint_only_between_its_two_ends():
    in_force = _visible_area_opacities(dt.date(2023, 9, 20))["aor"]
    formal = _visible_area_opacities(dt.date(2023, 9, 21))["aor"]
    assert min(in_force) > max(formal)
    assert len(formal) == 2  # core and margin, both faint
    assert "aor" not in _visible_area_opacities(dt.date(2024, 6, 13))


def test_the_margin_is_drawn_weaker_than_the_core():
    from dashboard.figures import map_figure
    from dashboard.viewstate import default_view

    dataset = load_dataset(ROOT / "geodata")
    view = default_view(dataset)
    day = dt.date(2021, 6, 1)
    figure = map_figure(dataset, type(view)((day, day), None, view.visible_layers))
    by_id = {}
    for trace in figure["data"]:
        if (trace.get("meta") or {}).get("layer") == "aor" and trace["visible"]:
            for fid in trace["locations"]:
                by_id[fid] = trace["marker"]["opacity"]
    assert by_id["aor-margin"] < by_id["aor-core"]


def test_check_names_the_file_and_feature_of_a_bad_date_source(data_copy):
    from dashboard.loading import DataError

    path = data_copy / "layers" / "aor.geojson"
    text = path.read_text(encoding="utf-8")
    # a date source whose date no longer matches the feature's first day
    path.write_text(text.replace('"date":"2020-11-10"', '"date":"2020-11-11"', 1), "utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(data_copy)
    report = err.value.report()
    assert "layers/aor.geojson" in report and "aor-core" in report
    assert "differs from its sources" in report


def test_the_panel_lists_each_date_with_its_source_and_links_only_complete_urls():
    from dash import html

    from dashboard.panels import feature_panel

    dataset = load_dataset(ROOT / "geodata")
    by_id = {f.props.id: f for layer in dataset.layers.values() for f in layer}

    def walk(node):
        yield node
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                yield from walk(child)

    pocket = [n for n in feature_panel(by_id["aor-hadrut-pocket"]) if n is not None]
    nodes = [n for top in pocket for n in walk(top)]
    links = [n.href for n in nodes if isinstance(n, html.A)]
    assert "https://news.rambler.ru/45443853" in links
    assert any(isinstance(n, html.H3) and n.children == "Dates and their sources" for n in nodes)
    # OP No. 13's start has no URL: its source is named, never linked
    martuni = [n for n in feature_panel(by_id["post-op-13-martuni"]) if n is not None]
    rows = [
        n
        for top in martuni
        for n in walk(top)
        if isinstance(n, html.Li) and str(n.children[0]).startswith("From ")
    ]
    assert len(rows) == 1
    inside = list(walk(rows[0]))
    assert not [n for n in inside if isinstance(n, html.A)]
    assert any(isinstance(n, html.Span) and "ru.wikipedia" in str(n.children) for n in inside)


def test_the_note_names_each_drawn_date_s_sources_in_a_sentence_of_its_own():
    from dashboard.build.layer_dates import date_note

    dates = read_layer_dates(ROOT / "geodata" / "sources")["aor-core"].properties()
    note = date_note(dates)
    assert note.startswith("Drawn from 2020-11-10: Office of the Prime Minister of Armenia")
    assert ". Drawn until 2024-06-12: " in note and note.endswith(".")
    # the built layers carry it (a newcomer read "(2020-11-10). to 2024-05-15: Turan")
    for path in (ROOT / "geodata" / "layers").glob("*.geojson"):
        for feature in json.loads(path.read_text("utf-8"))["features"]:
            text = feature["properties"].get("note") or ""
            assert "). to " not in text and "Dates from" not in text, (path.name, text[-200:])
