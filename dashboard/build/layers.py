"""Build the reference and context layers in geodata/layers/ from the kit in geodata/sources/.

    python -m dashboard.build.layers [--sources DIR] [--out DIR]

Reads only `geodata/sources/*` (the research kit: every row there says where it was read).
Metric work (buffers, differences, areas, distances) is done in UTM zone 38N (EPSG:32638);
output is RFC 7946 GeoJSON (WGS 84 lon/lat, polygons counter-clockwise), coordinates rounded
to 6 decimals, one feature per line. Every feature's properties are validated against
`dashboard.model.LayerProperties` before anything is written. The output is deterministic:
running the build twice gives identical bytes.

The build also checks the claims the layers make (Lachin inside the corridor, Shusha outside,
the corridor ending on the Armenian border, Stepanakert inside the AoR core, ...) and raises
`BuildError` rather than write a layer that contradicts its own sources.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyproj
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from dashboard.model import Accuracy, LayerName, LayerProperties

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = ROOT / "geodata" / "sources"
DEFAULT_OUT = ROOT / "geodata" / "layers"

METRIC_CRS = "EPSG:32638"  # WGS 84 / UTM zone 38N
PRECISION = 6  # decimals of a degree in the output (~0.1 m)

STATEMENT_DATE = "2020-11-10"  # trilateral statement; peacekeepers deploy under its para. 3
BYPASS_DATE = "2022-08-30"  # 2022 bypass in use (kit: lachin_corridor_2022_bypass_schematic)
CORRIDOR_HALF_WIDTH_M = 2500.0  # statement para. 6: "5 km wide"
CONTROL_POINT_RADIUS_M = 2000.0  # upper end of the kit's Natural Earth 1:10m caveat (~1-2 km)
VERIFIED_WITHIN_M = 1000.0  # model.Accuracy.VERIFIED: several sources agree within ~1 km

NE_LICENSE = "Public domain (Natural Earth)"
STATEMENT_SOURCE = (
    "Trilateral statement of 10 Nov 2020, para. 6 (5-km-wide Lachin corridor, not affecting "
    "Shusha), read via the pages corpus (kit sources.csv: statement_2020)"
)
BYPASS_CITATION = (
    "the 2022 bypass came into use on 2022-08-30 20:00 (armradio/massispost, per the kit's "
    "lachin_corridor_2022_bypass_schematic.geojson)"
)

_TO_METRIC = pyproj.Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_WGS84 = pyproj.Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


class BuildError(RuntimeError):
    """A source is missing something, or a built layer contradicts a check."""


# --------------------------------------------------------------------------- helpers


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: _TO_METRIC.transform(x, y), interleaved=False)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: _TO_WGS84.transform(x, y), interleaved=False)


def metric_point(lat: float, lon: float) -> Point:
    return Point(_TO_METRIC.transform(lon, lat))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def area_km2(geom_metric: BaseGeometry) -> float:
    return round(geom_metric.area / 1e6, 1)


_GEOD = pyproj.Geod(ellps="WGS84")


def area_note(geom_metric: BaseGeometry) -> str:
    """Where area_km2 comes from, with the geodesic area on the ellipsoid as a cross-check."""
    geodesic = abs(_GEOD.geometry_area_perimeter(to_wgs84(geom_metric))[0]) / 1e6
    return (
        f"area_km2 computed in UTM 38N (EPSG:32638); geodesic area on the WGS 84 ellipsoid "
        f"{geodesic:,.1f} km²."
    )


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BuildError(message)


def _read_fc(sources: Path, name: str) -> list[dict[str, Any]]:
    path = sources / name
    _check(path.is_file(), f"missing source file {path}")
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc["features"]


def _read_csv(sources: Path, name: str) -> list[dict[str, str]]:
    path = sources / name
    _check(path.is_file(), f"missing source file {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _by_name(features: Iterable[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [f for f in features if f["properties"].get("name") == name]
    _check(len(found) == 1, f"expected one source feature named {name!r}, found {len(found)}")
    return found[0]


_AZ_LETTERS = set("əƏıİşŞçÇğĞöÖüÜxX")


def lang_of(name: str) -> str:
    """Fallback language of a spelling with no row in place_alt_name_langs.csv: Armenian
    script, Azerbaijani Latin letters, else an English transliteration."""
    if any("\u0530" <= ch <= "\u058f" for ch in name):
        return "hy"
    if any(ch in _AZ_LETTERS for ch in name):
        return "az"
    return "en"


def alt_names(cell: str, langs: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The `;`-separated alt_names cell of places.csv, each with its language: from
    `langs` (spelling -> BCP 47, read from place_alt_name_langs.csv) when it has the
    spelling, else guessed by `lang_of`."""
    langs = langs or {}
    names = [n.strip() for n in cell.split(";") if n.strip()]
    return [{"name": n, "lang": langs.get(n) or lang_of(n)} for n in names]


def clean_url(cell: str) -> str | None:
    """The kit's source_url cell if it is one complete URL; elided ('...') or free-text cells
    are kept in `source` instead, never turned into a made-up link."""
    first = cell.split(";")[0].split(" (")[0].strip()
    if re.fullmatch(r"https?://\S+", first) and "..." not in first:
        return first
    return None


def coordinate_license(source: str) -> str:
    low = source.lower()
    if "geonames" in low:
        return "CC BY 4.0 (GeoNames)"
    if "osm" in low:
        return "ODbL (OpenStreetMap)"
    if "wiki" in low:
        return "facts (text CC BY-SA)"
    return "see source"


_LATLON = re.compile(r"(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")


class Place:
    """A row of the kit's places.csv, with its cross-checks measured in metres."""

    def __init__(self, row: dict[str, str], langs: dict[str, str] | None = None):
        self.row = row
        self.name = row["name"]
        self.alt_names = alt_names(row["alt_names"], langs)
        self.lat = float(row["lat"])
        self.lon = float(row["lon"])
        self.point = Point(self.lon, self.lat)
        self.metric = metric_point(self.lat, self.lon)
        self.cross_checks: list[tuple[str, float]] = []  # (label, distance in m)
        for part in row["cross_checks"].split(";"):
            match = _LATLON.search(part)
            if match and "do not use" not in part:
                lat, lon = float(match.group(1)), float(match.group(2))
                label = part[: match.start()].strip()
                self.cross_checks.append((label, self.metric.distance(metric_point(lat, lon))))

    @property
    def verified(self) -> bool:
        agreeing = [d for _, d in self.cross_checks if d <= VERIFIED_WITHIN_M]
        return len(agreeing) >= 2

    @property
    def source(self) -> str:
        return f"{self.row['source']}: {self.lat}, {self.lon} (kit places.csv)"

    @property
    def source_url(self) -> str | None:
        return clean_url(self.row["source_url"])

    @property
    def license(self) -> str:
        return coordinate_license(self.row["source"])

    def cross_check_note(self) -> str:
        if not self.cross_checks:
            return "no numeric cross-check in the kit"
        parts = [f"{label} {d:.0f} m away" for label, d in self.cross_checks]
        return "cross-checks: " + "; ".join(parts)


def _load_places(sources: Path) -> dict[str, Place]:
    langs: dict[str, dict[str, str]] = {}
    if (sources / "place_alt_name_langs.csv").is_file():
        for row in _read_csv(sources, "place_alt_name_langs.csv"):
            langs.setdefault(row["place"], {})[row["alt_name"]] = row["lang"]
    rows = _read_csv(sources, "places.csv")
    return {row["name"]: Place(row, langs.get(row["name"])) for row in rows}


# --------------------------------------------------------------------------- features


def _oriented(geom: BaseGeometry) -> BaseGeometry:
    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    return geom


def _round(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        return [_round(v) for v in obj]
    value = round(float(obj), PRECISION)
    return 0.0 if value == 0 else value


def geojson_geometry(geom_wgs84: BaseGeometry | None) -> dict[str, Any] | None:
    """RFC 7946 geometry: polygons counter-clockwise, coordinates rounded, still valid."""
    if geom_wgs84 is None:
        return None
    if geom_wgs84.geom_type in ("Polygon", "MultiPolygon"):
        # snap to the output grid with GEOS's precision reducer, which keeps polygons valid
        geom_wgs84 = shapely.set_precision(geom_wgs84, 10.0**-PRECISION)
    raw = mapping(_oriented(geom_wgs84))
    out = {"type": raw["type"], "coordinates": _round(raw["coordinates"])}
    rounded = shape(out)
    _check(
        rounded.is_valid and not rounded.is_empty,
        f"geometry invalid after rounding: {shapely.is_valid_reason(rounded)}",
    )
    return out


def feature(geom_wgs84: BaseGeometry | None, **props: Any) -> dict[str, Any]:
    validated = LayerProperties(**props)
    _check(
        (geom_wgs84 is None) == (validated.accuracy is Accuracy.UNLOCATED),
        f"{validated.id}: geometry null exactly when accuracy is 'unlocated'",
    )
    return {
        "type": "Feature",
        "properties": validated.model_dump(mode="json"),
        "geometry": geojson_geometry(geom_wgs84),
    }


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def dumps(fc: dict[str, Any]) -> str:
    """One feature per line; byte-stable for identical input."""
    lines = [
        json.dumps(f, ensure_ascii=False, indent=None, separators=(",", ":"))
        for f in fc["features"]
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# --------------------------------------------------------------------------- the kit


class Kit:
    """The kit's geometries, in WGS 84 and in UTM 38N."""

    def __init__(self, sources: Path):
        self.sources = sources
        self.places = _load_places(sources)
        self.countries = _read_fc(sources, "basemap_countries_ne10m.geojson")
        self.armenia = to_metric(shape(_by_name(self.countries, "Armenia")["geometry"]))
        rayons = _read_fc(sources, "az_karabakh_rayons_ne10m.geojson")
        self.rayons = {f["properties"]["name"]: f for f in rayons}
        self.rayon_metric = {n: to_metric(shape(f["geometry"])) for n, f in self.rayons.items()}
        nkao = _read_fc(sources, "nkao_1991_boundary_ne10m.geojson")
        _check(len(nkao) == 1, "nkao_1991_boundary_ne10m.geojson: expected one feature")
        self.nkao_feature = nkao[0]
        self.nkao = to_metric(shape(nkao[0]["geometry"]))
        self.waypoints = _read_fc(sources, "lachin_corridor_2020_waypoints.geojson")
        self.bypass = _read_fc(sources, "lachin_corridor_2022_bypass_schematic.geojson")
        self.aor_bounds = _read_fc(sources, "aor_bounds_approx.geojson")
        self.breakaway = _read_fc(sources, "ne_breakaway_nagorno_karabakh_1994_2020.geojson")
        self.posts = _read_csv(sources, "peacekeeper_posts_proxies.csv")

    def place(self, name: str) -> Place:
        _check(name in self.places, f"places.csv has no row named {name!r}")
        return self.places[name]

    @property
    def shusha_city(self) -> BaseGeometry:
        return self.rayon_metric["Shusha city"]

    def shusha_points(self) -> list[Point]:
        """Shusha's centre and every cross-check coordinate of it in places.csv (metric)."""
        shusha = self.place("Shusha")
        points = [shusha.metric]
        for part in shusha.row["cross_checks"].split(";"):
            match = _LATLON.search(part)
            if match:
                points.append(metric_point(float(match.group(1)), float(match.group(2))))
        return points


# --------------------------------------------------------------------------- stepanakert


def build_stepanakert(kit: Kit) -> dict[str, Any]:
    place = kit.place("Stepanakert")
    _check(place.verified, "Stepanakert centre: expected >= 2 cross-checks within 1 km")
    furthest = max(d for _, d in place.cross_checks)
    unit = kit.rayons["Khankendi city"]
    unit_metric = kit.rayon_metric["Khankendi city"]
    _check(unit_metric.contains(place.metric), "Stepanakert centre outside the Khankendi unit")
    names = place.alt_names
    return collection(
        [
            feature(
                place.point,
                id="stepanakert-centre",
                name="Stepanakert (city centre)",
                alt_names=names,
                layer=LayerName.STEPANAKERT,
                kind="city-centre",
                source=place.source + "; " + place.row["cross_checks"],
                source_url=place.source_url,
                license=place.license,
                accuracy=Accuracy.VERIFIED,
                note=(
                    f"Infobox coordinate {place.row['note']}. {len(place.cross_checks) + 1} "
                    f"independent sources agree within {furthest:.0f} m "
                    f"({place.cross_check_note()}). Seat of the Russian peacekeepers' command "
                    "post (TASS 15 Nov 2020, kit peacekeeper_posts_proxies.csv)."
                ),
            ),
            feature(
                to_wgs84(unit_metric),
                id="stepanakert-area",
                name="Stepanakert (Khankendi city unit)",
                alt_names=names,
                layer=LayerName.STEPANAKERT,
                kind="city-area",
                source=unit["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                area_km2=area_km2(unit_metric),
                compare_with=(
                    "city area 29.12 km² (Wikipedia infobox, quoted in the kit's "
                    "stepanakert.geojson)"
                ),
                note=(
                    "Natural Earth 1:10m administrative unit of the city (Azerbaijani "
                    "admin-1 'Khankendi city'), not the built-up area. "
                    f"{unit['properties']['caveat'].split(';')[0]}. {area_note(unit_metric)}"
                ),
            ),
        ]
    )


# --------------------------------------------------------------------------- corridor


class Corridor:
    def __init__(self, kit: Kit):
        located = [w for w in kit.waypoints if w["geometry"] is not None]
        located.sort(key=lambda w: w["properties"]["seq"])
        self.waypoints = located
        names = [w["properties"]["name"] for w in located]
        _check(names[0] == "Goris" and names[-1] == "Stepanakert", f"waypoints: {names}")
        full = to_metric(LineString([w["geometry"]["coordinates"] for w in located]))
        # The road runs Goris (Armenia) - Kornidzor - ... - Stepanakert; the corridor is the
        # part outside Armenia, so the route starts where it crosses the NE border.
        route = full.difference(kit.armenia)
        _check(isinstance(route, LineString), f"route outside Armenia is {route.geom_type}")
        end = Point(full.coords[-1])  # Stepanakert
        if Point(route.coords[0]).distance(end) < Point(route.coords[-1]).distance(end):
            route = LineString(list(route.coords)[::-1])  # keep border -> Stepanakert order
        _check(Point(route.coords[-1]).distance(end) < 1e-6, "route does not end at Stepanakert")
        self.full_route = full
        self.route = route
        # Buffer the whole road (so the corridor meets the border at full width), then cut
        # away Armenia and the Shusha city unit.
        band = full.buffer(CORRIDOR_HALF_WIDTH_M, quad_segs=16)
        area = band.difference(kit.armenia).difference(kit.shusha_city)
        _check(isinstance(area, Polygon), f"corridor is {area.geom_type}, expected one polygon")
        self.area = area
        self.removed_shusha_km2 = band.difference(kit.armenia).intersection(kit.shusha_city).area
        # the claims the layer makes
        _check(area.contains(kit.place("Lachin").metric), "Lachin town outside the corridor")
        for point in kit.shusha_points():
            _check(not area.contains(point), "a Shusha coordinate lies inside the corridor")
        _check(area.distance(kit.armenia) < 1e-6, "corridor does not reach the Armenian border")
        _check(area.intersection(kit.armenia).area < 1.0, "corridor overlaps Armenia")
        _check(route.difference(area.buffer(1.0)).is_empty, "route leaves the corridor")
        self.narrowest_near_shusha_m = self._narrowest_near(kit.shusha_city)

    def _narrowest_near(self, obstacle: BaseGeometry) -> float:
        """Narrowest cross-section of the corridor within 4 km of `obstacle` (every 100 m)."""
        widths = []
        step = 100.0
        distance = 0.0
        while distance <= self.route.length:
            if self.route.interpolate(distance).distance(obstacle) < 4000:
                widths.append(cross_section(self.route, self.area, distance))
            distance += step
        return min(widths) if widths else float("nan")


def cross_section(route: LineString, area: BaseGeometry, distance: float) -> float:
    """Length (m) of the piece of a 40-km line perpendicular to `route` at `distance` along
    it that lies in `area` and contains the route point (metric CRS)."""
    point = route.interpolate(distance)
    before = route.interpolate(max(distance - 1.0, 0.0))
    after = route.interpolate(min(distance + 1.0, route.length))
    dx, dy = after.x - before.x, after.y - before.y
    norm = (dx * dx + dy * dy) ** 0.5
    nx, ny = -dy / norm, dx / norm
    line = LineString([(point.x - nx * 20000, point.y - ny * 20000),
                       (point.x + nx * 20000, point.y + ny * 20000)])  # fmt: skip
    cut = line.intersection(area)
    pieces = getattr(cut, "geoms", [cut])
    touching = [p for p in pieces if p.distance(point) < 1e-6]
    return touching[0].length if touching else 0.0


def build_lachin_corridor(kit: Kit, corridor: Corridor) -> dict[str, Any]:
    features = []
    waypoint_names = " → ".join(w["properties"]["name"] for w in corridor.waypoints)
    border_start = to_wgs84(Point(corridor.route.coords[0]))
    features.append(
        feature(
            to_wgs84(corridor.route),
            id="lachin-corridor-2020-route",
            name="Lachin corridor road 2020-2022 (schematic)",
            layer=LayerName.LACHIN_CORRIDOR,
            kind="route",
            source=(
                "Straight segments between the kit's waypoints (lachin_corridor_2020_waypoints"
                f".geojson: {waypoint_names}); waypoint coordinates per places.csv"
            ),
            license="derived from facts (Wikipedia infobox coordinates)",
            accuracy=Accuracy.SCHEMATIC,
            valid_from=STATEMENT_DATE,
            valid_to=BYPASS_DATE,
            note=(
                "NOT the road centreline: straight lines between settlement coordinates. The "
                "Goris-Kornidzor approach lies in Armenia and is cut off at the Natural Earth "
                f"1:10m border (here {border_start.y:.5f} N, {border_start.x:.5f} E), so the "
                "line runs from the Armenian border to Stepanakert "
                f"({corridor.route.length / 1000:.1f} km in UTM 38N). The road via Lachin was "
                "used until "
                f"{BYPASS_DATE}: {BYPASS_CITATION}."
            ),
        )
    )
    features.append(
        feature(
            to_wgs84(corridor.area),
            id="lachin-corridor-2020-area",
            name="Lachin corridor 2020-2022 (5 km wide, schematic)",
            layer=LayerName.LACHIN_CORRIDOR,
            kind="corridor-area",
            source=(
                f"{STATEMENT_SOURCE}; drawn as the Goris-Stepanakert schematic road buffered "
                "2.5 km each side in UTM 38N, minus the Natural Earth Shusha city unit "
                "(az_karabakh_rayons_ne10m.geojson) and minus Armenia (Natural Earth admin-0, "
                "basemap_countries_ne10m.geojson)"
            ),
            license="derived from the statement text and Natural Earth (public domain)",
            accuracy=Accuracy.SCHEMATIC,
            valid_from=STATEMENT_DATE,
            valid_to=BYPASS_DATE,
            area_km2=area_km2(corridor.area),
            compare_with=(
                "kit schematic corridor (lachin_corridor_2020_schematic.geojson): 196.8 km²"
            ),
            note=(
                "The statement gives only the width; no public map of the corridor's edges "
                "was found, so this is a rule-based drawing: 5 km wide across the road, ending "
                "on the Armenian border (Natural Earth 1:10m, ~1-2 km error; it puts Kornidzor, "
                "an Armenian border village, just inside the band) and cut around the Shusha "
                f"city unit ({corridor.removed_shusha_km2 / 1e6:.1f} km² removed; narrowest "
                f"remaining width {corridor.narrowest_near_shusha_m / 1000:.2f} km) so that it "
                "does not affect Shusha. It stays one connected polygon from the border to "
                f"Stepanakert. In force until {BYPASS_DATE}: {BYPASS_CITATION}. "
                f"{area_note(corridor.area)}"
            ),
        )
    )
    lines = [f for f in kit.bypass if f["geometry"]["type"] == "LineString"]
    _check(len(lines) == 1, "lachin_corridor_2022_bypass_schematic.geojson: expected one line")
    bypass = lines[0]
    bp = bypass["properties"]
    features.append(
        feature(
            shape(bypass["geometry"]),
            id="lachin-corridor-2022-bypass-route",
            name="Lachin corridor 2022 bypass road (schematic)",
            layer=LayerName.LACHIN_CORRIDOR,
            kind="route",
            source=(
                "Kit lachin_corridor_2022_bypass_schematic.geojson: straight segments "
                "Kornidzor - Mets Shen - Lisagor (coordinates per places.csv); in use from "
                f"{bp['in_use_from']}"
            ),
            license="derived from facts (Wikipedia infobox coordinates)",
            accuracy=Accuracy.SCHEMATIC,
            valid_from=BYPASS_DATE,
            note=(
                f"{bp['name']}. NOT the road centreline; the Hakari bridge on it has no "
                f"coordinates in any source read. {bp['note']}. From Lisagor the traffic kept "
                "to the old road towards Stepanakert. No corridor area is drawn for the bypass "
                "and no end date is set: the kit holds no source for either."
            ),
        )
    )
    for w in corridor.waypoints:
        name = w["properties"]["name"]
        place = kit.place(name)
        _check(
            abs(place.lat - w["properties"]["lat"]) < 1e-9
            and abs(place.lon - w["properties"]["lon"]) < 1e-9,
            f"waypoint {name} differs from places.csv",
        )
        extra = ""
        if kit.armenia.contains(place.metric):
            extra = " In Armenia, outside the corridor: start of the road to it."
        elif "Armenia" in place.row["kind"]:
            d = kit.armenia.boundary.distance(place.metric)
            extra = (
                f" An Armenian border village (places.csv: {place.row['kind']}); the Natural "
                f"Earth 1:10m border puts this point {d:.0f} m on the Azerbaijani side."
            )
        features.append(
            feature(
                place.point,
                id=f"lachin-corridor-waypoint-{slug(name)}",
                name=f"{name} (corridor waypoint {w['properties']['seq']})",
                alt_names=place.alt_names,
                layer=LayerName.LACHIN_CORRIDOR,
                kind="waypoint",
                source=place.source,
                source_url=place.source_url,
                license=place.license,
                accuracy=Accuracy.VERIFIED if place.verified else Accuracy.SETTLEMENT_PROXY,
                valid_from=STATEMENT_DATE,
                valid_to=BYPASS_DATE,
                note=(
                    f"Waypoint of the {w['properties']['route']} road, placed at the "
                    f"settlement's coordinate {place.row['note']}; {place.cross_check_note()}."
                    + extra
                ),
            )
        )
    for w in kit.waypoints:
        if w["geometry"] is None:
            features.append(
                feature(
                    None,
                    id=f"lachin-corridor-waypoint-{slug(w['properties']['name'].split('(')[0])}",
                    name=w["properties"]["name"],
                    layer=LayerName.LACHIN_CORRIDOR,
                    kind="waypoint",
                    source="Kit lachin_corridor_2020_waypoints.geojson (named, not located)",
                    accuracy=Accuracy.UNLOCATED,
                    valid_from=STATEMENT_DATE,
                    valid_to=BYPASS_DATE,
                    note=f"Listed, not placed: {w['properties']['note']}.",
                )
            )
    return collection(features)


# --------------------------------------------------------------------------- AoR


class Aor:
    def __init__(self, kit: Kit, corridor: Corridor):
        r = kit.rayon_metric
        upper = kit.nkao.difference(kit.shusha_city)
        lower = upper.difference(r["Shusha rayon (excl. city)"]).difference(r["Khojavend rayon"])
        self.kit_lower_km2 = lower.union(corridor.area).area / 1e6
        self.kit_upper_km2 = upper.union(corridor.area).area / 1e6
        stepanakert = kit.place("Stepanakert").metric
        parts = list(getattr(lower, "geoms", [lower]))
        main = max(parts, key=lambda p: p.area)
        _check(main.contains(stepanakert), "largest lower-bound piece misses Stepanakert")
        self.dropped = [p for p in parts if p is not main]
        # Places the kit says Azerbaijan took before the armistice: never in the core.
        self.lost = [
            p
            for p in kit.places.values()
            if re.search(r"captured 9 Nov 2020|lost to Azerbaijan", p.row["note"])
        ]
        core = main
        self.carved = []
        for place in self.lost:
            if core.contains(place.metric):
                self.carved.append(place)
                core = core.difference(place.metric.buffer(CONTROL_POINT_RADIUS_M, quad_segs=16))
        if not isinstance(core, Polygon):
            core = max(core.geoms, key=lambda p: p.area)
        self.core = core
        self.margin = upper.difference(core)
        self.upper = upper
        _check(core.contains(stepanakert), "Stepanakert centre outside the AoR core")
        for place in self.lost:
            _check(not core.contains(place.metric), f"{place.name} (lost) inside the core")
        for name in ("Lisagor", "Mets Shen (Shusha)", "Yeghtsahogh", "Martuni"):
            point = kit.place(name).metric
            _check(upper.contains(point), f"{name} (held) outside core and margin")
        breakaway = to_metric(shape(kit.breakaway[0]["geometry"]))
        self.prewar_km2 = breakaway.area / 1e6

    def compare_with(self, kit: Kit) -> str:
        published = _by_name(kit.aor_bounds, "published area estimates")["properties"]["values"]
        return (
            f"{published}. 27.7% of the Natural Earth 1994-2020 breakaway polygon "
            f"({self.prewar_km2:,.0f} km² in UTM 38N) would be {0.277 * self.prewar_km2:,.0f} "
            "km². Kit aor_bounds_approx.geojson (which include its schematic corridor): lower "
            "2,904.5 km², upper 4,339.8 km²."
        )


def build_aor(kit: Kit, corridor: Corridor, aor: Aor) -> dict[str, Any]:
    nkao_src = kit.nkao_feature["properties"]["source"]
    rayon_src = kit.rayons["Shusha city"]["properties"]["source"]
    compare = aor.compare_with(kit)
    core_with_corridor = aor.core.union(corridor.area).area / 1e6
    upper_with_corridor = aor.upper.union(corridor.area).area / 1e6
    carved = ", ".join(p.name for p in aor.carved) or "none"
    dropped_km2 = sum(p.area for p in aor.dropped) / 1e6
    margin_places = [
        p.name for p in kit.places.values() if aor.margin.contains(p.metric)
    ]  # reported in the note so the reader sees what the uncertain band holds
    end_note = (
        "valid_to is left open: the kit holds no source for when the peacekeepers' area of "
        "responsibility ended."
    )
    common = {
        "layer": LayerName.AOR,
        "license": "derived from Natural Earth (public domain) and place facts",
        "valid_from": STATEMENT_DATE,
        "compare_with": compare,
    }
    core = feature(
        to_wgs84(aor.core),
        id="aor-core",
        name="Peacekeepers' area of responsibility: core (lower bound)",
        kind="aor-core",
        source=(
            "Lower bound of the kit's aor_bounds_approx.geojson, rebuilt from its inputs: NKAO "
            f"c.1991 ({nkao_src}) minus the Natural Earth Shusha city unit, Shusha rayon and "
            f"Khojavend rayon ({rayon_src}); control points from places.csv"
        ),
        accuracy=Accuracy.APPROXIMATE,
        area_km2=area_km2(aor.core),
        note=(
            "No public polygon of the area of responsibility exists; this is a lower bound. "
            "The pre-war NKAO boundary minus the districts Azerbaijan (re)took or that are in "
            "doubt (Shusha city and rayon, Khojavend rayon incl. Hadrut). Changes to the kit's "
            f"lower bound: (1) {len(aor.dropped)} detached pieces ({dropped_km2:.1f} km²), gaps "
            "between two independently generalised Natural Earth layers, most of them in the "
            "Hadrut area lost in Oct 2020, moved to the margin; (2) a "
            f"{CONTROL_POINT_RADIUS_M / 1000:.0f}-km disc (the kit's 1:10m error) around each "
            "place the kit says was captured by 9 Nov 2020 that fell in the core moved to the "
            f"margin ({carved}); (3) the Lachin corridor is NOT included: it is its own layer "
            f"with its own dates (core plus 2020 corridor: {core_with_corridor:,.1f} km²). "
            f"{area_note(aor.core)} {end_note}"
        ),
        **common,
    )
    margin = feature(
        to_wgs84(aor.margin),
        id="aor-margin",
        name="Peacekeepers' area of responsibility: uncertain margin",
        kind="aor-margin",
        source=(
            "Upper minus lower bound of the kit's aor_bounds_approx.geojson, rebuilt from its "
            f"inputs: NKAO c.1991 ({nkao_src}) minus the Natural Earth Shusha city unit, minus "
            "the aor-core feature"
        ),
        accuracy=Accuracy.SCHEMATIC,
        area_km2=area_km2(aor.margin),
        note=(
            "Land that may or may not have been in the area of responsibility: the upper bound "
            "(NKAO minus Shusha city) is an over-estimate that still holds Hadrut town and "
            "villages lost in Oct-Nov 2020, while villages known held (Lisagor, Mets Shen, "
            "Yeghtsahogh, Martuni per the kit notes) also lie here. Places of places.csv in "
            f"this margin: {', '.join(margin_places)}. Khtsaberd and Hin Tagher were entered by "
            "peacekeepers on 13 Dec 2020 and their area left the AoR on 14 Dec 2020 "
            "(peacekeeper_posts_proxies.csv); no polygon of that loss exists, so the margin is "
            f"not cut in time. Core plus margin: {aor.upper.area / 1e6:,.1f} km² (with the 2020 "
            f"corridor: {upper_with_corridor:,.1f} km²). {area_note(aor.margin)} {end_note}"
        ),
        **common,
    )
    return collection([core, margin])


# --------------------------------------------------------------------------- posts


# Reading of each row of the kit's peacekeeper_posts_proxies.csv, keyed by its `post` cell:
# (id, kind, valid_from, valid_to, note). Dates default to the statement date when the row
# gives none; every other date is taken from the row's own text.
POSTS: dict[str, tuple[str, str, str, str | None, str]] = {
    "Command post / HQ of Russian peacekeeping force": (
        "post-hq-stepanakert",
        "headquarters",
        STATEMENT_DATE,
        None,
        "Placed at Stepanakert's centre: the sources name the city, not the building, so the "
        "point is a settlement proxy even though the city centre itself is verified.",
    ),
    "Temporary OPs (7 in Lachin corridor, Nov 2020): along Zabukh road": (
        "post-lachin-corridor-zabukh",
        "post",
        STATEMENT_DATE,
        BYPASS_DATE,
        "Seven temporary observation posts along the corridor road, drawn as one point at "
        "Zabukh's centre (their sites are not given). valid_to is an inference, not a report: "
        f"the road via Zabukh stopped being the corridor on {BYPASS_DATE} ({BYPASS_CITATION}).",
    ),
    "Temporary OPs (Lachin corridor): Lysogorsky collective farm": (
        "post-lachin-corridor-lisagor",
        "post",
        STATEMENT_DATE,
        None,
        "The 'Lysogorsky collective farm' post, drawn at Lisagor's centre (the farm is not "
        "located). Lisagor stayed on the route after the 2022 bypass; no end date in the kit.",
    ),
    "Temporary OPs (Lachin corridor): Zarysly": (
        "post-lachin-corridor-zarysly",
        "post",
        STATEMENT_DATE,
        None,
        "Drawn at Zarysly's centre; the post's own site is not given. No end date in the kit.",
    ),
    "Observation post No. 13": (
        "post-op-13-martuni",
        "post",
        STATEMENT_DATE,
        None,
        "Observation post No. 13, drawn at Martuni's centre (the article names the town). "
        "Neither the day it was set up nor an end date is in the kit; valid_from is the "
        "statement date.",
    ),
    "Observation post No. 1 (Lachin corridor, Hakari bridge area)": (
        "post-op-1-hakari-bridge",
        "post",
        STATEMENT_DATE,
        None,
        "No coordinates in any source read (the Hakari bridge is not located either). First "
        "attested in the MoD bulletin quoted on 2023-04-25; valid_from is the statement date, "
        "not a reported start.",
    ),
    "Peacekeepers posted at Yeghtsahogh (permanent guard, 2021)": (
        "post-yeghtsahogh",
        "post",
        "2021-01-01",
        None,
        "Permanent guard at Yeghtsahogh, drawn at the village centre. The source gives only the "
        "year 2021: valid_from 2021-01-01 is the first day of that year, not a reported date.",
    ),
    "Peacekeepers entered Khtsaberd (13 Dec 2020; area removed from AoR 14 Dec)": (
        "post-khtsaberd",
        "post",
        "2020-12-13",
        "2020-12-14",
        "Peacekeepers entered Khtsaberd on 13 Dec 2020; the area was removed from the AoR on "
        "14 Dec 2020, so the post is shown for those two days only. Drawn at the village "
        "centre; it lies in the AoR margin, an area lost in Dec 2020.",
    ),
    "Peacekeepers entered Hin Tagher (13 Dec 2020; removed 14 Dec)": (
        "post-hin-tagher",
        "post",
        "2020-12-13",
        "2020-12-14",
        "Peacekeepers entered Hin Tagher on 13 Dec 2020; the area was removed from the AoR on "
        "14 Dec 2020, so the post is shown for those two days only. Drawn at the village's OSM "
        "node; it lies in the AoR margin, an area lost in Dec 2020.",
    ),
    "Peacekeepers deployed at Dadivank (Kalbajar)": (
        "post-dadivank",
        "post",
        STATEMENT_DATE,
        None,
        "Dadivank monastery (Kalbajar district, outside the AoR and the corridor); no "
        "coordinates in any source read. Reported 15 Nov 2020; valid_from is the statement "
        "date, not a reported start.",
    ),
}


def build_posts(kit: Kit) -> dict[str, Any]:
    features = []
    rows = kit.posts
    _check(
        [r["post"] for r in rows] == list(POSTS),
        "peacekeeper_posts_proxies.csv rows differ from the readings in dashboard.build.layers",
    )
    for row in rows:
        post_id, kind, valid_from, valid_to, note = POSTS[row["post"]]
        located = bool(row["lat"].strip())
        if located:
            place = kit.place(row["proxy_place"])
            _check(
                abs(place.lat - float(row["lat"])) < 1e-9
                and abs(place.lon - float(row["lon"])) < 1e-9,
                f"post {post_id}: coordinates differ from places.csv",
            )
            geom = place.point
            source = f"{row['source']} (post); location: {place.source}"
            source_url = place.source_url
            license_ = place.license
            accuracy = Accuracy.SETTLEMENT_PROXY
        else:
            geom = None
            source = f"{row['source']} (post; location not given)"
            source_url = None
            license_ = None
            accuracy = Accuracy.UNLOCATED
        features.append(
            feature(
                geom,
                id=post_id,
                name=row["post"],
                layer=LayerName.PEACEKEEPER_POSTS,
                kind=kind,
                source=source,
                source_url=source_url,
                license=license_,
                accuracy=accuracy,
                valid_from=valid_from,
                valid_to=valid_to,
                note=f"{note} Location precision in the kit: {row['location_precision']}.",
            )
        )
    return collection(features)


# --------------------------------------------------------------------------- context


def build_context(kit: Kit) -> dict[str, dict[str, Any]]:
    sources = kit.sources
    countries = []
    for f in kit.countries:
        name = f["properties"]["name"]
        countries.append(
            feature(
                shape(f["geometry"]),
                id=f"country-{slug(name)}",
                name=name,
                layer=LayerName.CONTEXT_COUNTRIES,
                kind="country",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note="De jure borders at 1:10m (~1-2 km); packaged by world-atlas 2.0.2 (ISC).",
            )
        )
    boundaries = []
    for i, f in enumerate(_read_fc(sources, "basemap_boundary_lines_ne10m.geojson"), start=1):
        boundaries.append(
            feature(
                shape(f["geometry"]),
                id=f"boundary-{i}",
                name=f"International land boundary {i}",
                layer=LayerName.CONTEXT_BOUNDARIES,
                kind="boundary",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note="De jure international boundary line at 1:10m; not a line of contact.",
            )
        )
    rivers = []
    seen: dict[str, int] = {}
    for f in _read_fc(sources, "basemap_rivers_ne10m.geojson"):
        p = f["properties"]
        seen[p["name"]] = seen.get(p["name"], 0) + 1
        rivers.append(
            feature(
                shape(f["geometry"]),
                id=f"river-{slug(p['name'])}-{seen[p['name']]}",
                name=p["name"],
                layer=LayerName.CONTEXT_RIVERS,
                kind=slug(p["featurecla"]),
                source=p["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note=f"Natural Earth feature class '{p['featurecla']}'.",
            )
        )
    lakes = []
    for i, f in enumerate(_read_fc(sources, "basemap_lakes_ne10m.geojson"), start=1):
        geom = shape(f["geometry"])
        lakes.append(
            feature(
                geom,
                id=f"lake-{i}",
                name=f"Lake {i}",
                layer=LayerName.CONTEXT_LAKES,
                kind="lake",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                area_km2=area_km2(to_metric(geom)),
                note="Unnamed in the kit's Natural Earth extract, so no name is given. "
                + area_note(to_metric(geom)),
            )
        )
    return {
        LayerName.CONTEXT_COUNTRIES.value: collection(countries),
        LayerName.CONTEXT_BOUNDARIES.value: collection(boundaries),
        LayerName.CONTEXT_RIVERS.value: collection(rivers),
        LayerName.CONTEXT_LAKES.value: collection(lakes),
    }


# --------------------------------------------------------------------------- entry points


def build_layers(sources_dir: Path, out_dir: Path) -> dict[str, dict]:
    """Build every layer from `sources_dir`, write `<layer>.geojson` files into `out_dir`,
    and return layer name -> FeatureCollection dict."""
    kit = Kit(Path(sources_dir))
    corridor = Corridor(kit)
    aor = Aor(kit, corridor)
    layers: dict[str, dict] = {
        LayerName.STEPANAKERT.value: build_stepanakert(kit),
        LayerName.LACHIN_CORRIDOR.value: build_lachin_corridor(kit, corridor),
        LayerName.PEACEKEEPER_POSTS.value: build_posts(kit),
        LayerName.AOR.value: build_aor(kit, corridor, aor),
        **build_context(kit),
    }
    _check(set(layers) == {n.value for n in LayerName}, "a layer is missing")
    ids = [f["properties"]["id"] for fc in layers.values() for f in fc["features"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    _check(not dupes, f"duplicate feature ids: {dupes}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, fc in layers.items():
        (out / f"{name}.geojson").write_text(dumps(fc), encoding="utf-8", newline="\n")
    return layers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    layers = build_layers(args.sources, args.out)
    for name, fc in layers.items():
        areas = [
            f"{f['properties']['id']}={f['properties']['area_km2']} km²"
            for f in fc["features"]
            if f["properties"]["area_km2"] is not None and not name.startswith("context")
        ]
        print(
            f"{name}: {len(fc['features'])} features" + (f" ({', '.join(areas)})" if areas else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
