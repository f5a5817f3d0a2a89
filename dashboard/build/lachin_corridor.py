"""The `lachin_corridor` layer: the 5-km corridor of the 10 Nov 2020 statement (schematic),
its 2020 road and waypoints, the 2022 road that replaced it on 30 Aug 2022, the blockade
drawn on that road in its dated phases, and Azerbaijan's Hakari bridge checkpoint (listed,
not placed). Every date comes from layer_dates.csv with its source.

The corridor is the Goris-Stepanakert road buffered to the statement's width in UTM 38N,
cut at the Armenian border and around the Shusha city unit; the build checks the claims
it makes (Lachin inside, Shusha outside, reaching the border, one connected polygon).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from dashboard.build import check
from dashboard.build.geo import area_km2, area_note, collection, feature, to_metric, to_wgs84
from dashboard.build.kit import Kit, slug
from dashboard.build.layer_dates import date_note
from dashboard.model import Accuracy, DateBound

LAYER = "lachin_corridor"
WAYPOINTS = "lachin_corridor_2020_waypoints.geojson"
BYPASS = "lachin_corridor_2022_bypass_schematic.geojson"


class Corridor:
    def __init__(self, kit: Kit):
        located = [w for w in kit.fc(WAYPOINTS) if w["geometry"] is not None]
        located.sort(key=lambda w: w["properties"]["seq"])
        self.waypoints = located
        names = [w["properties"]["name"] for w in located]
        check(names[0] == "Goris" and names[-1] == "Stepanakert", f"waypoints: {names}")
        full = to_metric(LineString([w["geometry"]["coordinates"] for w in located]))
        # The road runs Goris (Armenia) - Kornidzor - ... - Stepanakert; the corridor is the
        # part outside Armenia, so the route starts where it crosses the NE border.
        route = full.difference(kit.armenia)
        check(isinstance(route, LineString), f"route outside Armenia is {route.geom_type}")
        end = Point(full.coords[-1])  # Stepanakert
        if Point(route.coords[0]).distance(end) < Point(route.coords[-1]).distance(end):
            route = LineString(list(route.coords)[::-1])  # keep border -> Stepanakert order
        check(Point(route.coords[-1]).distance(end) < 1e-6, "route does not end at Stepanakert")
        self.full_route = full
        self.route = route
        # Buffer the whole road (so the corridor meets the border at full width), then cut
        # away Armenia and the Shusha city unit.
        half_width_m = float(kit.reading("corridor_width").value) / 2  # "5 km wide"
        band = full.buffer(half_width_m, quad_segs=16)
        area = band.difference(kit.armenia).difference(kit.shusha_city)
        check(isinstance(area, Polygon), f"corridor is {area.geom_type}, expected one polygon")
        self.area = area
        self.removed_shusha_km2 = band.difference(kit.armenia).intersection(kit.shusha_city).area
        # the claims the layer makes
        check(area.contains(kit.place("Lachin").metric), "Lachin town outside the corridor")
        for point in kit.shusha_points():
            check(not area.contains(point), "a Shusha coordinate lies inside the corridor")
        check(area.distance(kit.armenia) < 1e-6, "corridor does not reach the Armenian border")
        check(area.intersection(kit.armenia).area < 1.0, "corridor overlaps Armenia")
        check(route.difference(area.buffer(1.0)).is_empty, "route leaves the corridor")
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


def corridor_of(kit: Kit) -> Corridor:
    """The corridor drawn from this kit (computed once per build: the AoR needs it too)."""
    if "corridor" not in kit.derived:
        kit.derived["corridor"] = Corridor(kit)
    return kit.derived["corridor"]


def _waypoint_line(kit: Kit, names: list[str]) -> list[tuple[float, float]]:
    return [(kit.place(n).lon, kit.place(n).lat) for n in names]


BLOCKADE_PHASES = (  # id suffix, name, what the phase was (own words)
    (
        "sit-in",
        "Blockade 1: sit-in near Shusha stops civilian traffic",
        "Azerbaijani self-described environmental activists sit in on the road near Shusha; "
        "only peacekeeper and ICRC vehicles pass.",
    ),
    (
        "checkpoint",
        "Blockade 2: Azerbaijani checkpoint at the Hakari bridge controls the road",
        "Azerbaijan's border guards control passage at the Hakari bridge; the sit-in ends on "
        "28 Apr (the two phases overlap from 23 to 28 Apr).",
    ),
    (
        "closed",
        "Blockade 3: all humanitarian passage halted",
        "After the incident at the Hakari bridge on 15 Jun all humanitarian transport is "
        "stopped, save rare ICRC movements; the road reopens one way on 24 Sep 2023 for the "
        "exodus.",
    ),
)


def build(kit: Kit) -> dict[str, Any]:
    corridor = corridor_of(kit)
    statement_source = kit.reading("corridor_width").source
    features = []
    waypoint_names = " → ".join(w["properties"]["name"] for w in corridor.waypoints)
    border_start = to_wgs84(Point(corridor.route.coords[0]))
    old_dates = kit.dated("lachin-corridor-2020-route")
    features.append(
        feature(
            to_wgs84(corridor.route),
            id="lachin-corridor-2020-route",
            name="Lachin corridor road 2020-2022 (schematic)",
            layer=LAYER,
            kind="route",
            source=(
                "Straight segments between the research notes' waypoints "
                "(lachin_corridor_2020_waypoints"
                f".geojson: {waypoint_names}); waypoint coordinates per places.csv"
            ),
            license="derived from facts (Wikipedia infobox coordinates)",
            accuracy=Accuracy.SCHEMATIC,
            note=(
                "NOT the road centreline: straight lines between settlement coordinates. The "
                "Goris-Kornidzor approach lies in Armenia and is cut off at the Natural Earth "
                f"1:10m border (here {border_start.y:.5f} N, {border_start.x:.5f} E), so the "
                "line runs from the Armenian border to Stepanakert "
                f"({corridor.route.length / 1000:.1f} km in UTM 38N). The road via Lachin "
                "carried the traffic until 20:00 on 2022-08-30, when it moved to the 2022 "
                "route: on that day both roads are drawn. Lachin, Aghavno (Zabukh) and Sus "
                "were handed over on 25 Aug (Karabakh side) or 26 Aug 2022 (Azerbaijani side). "
                + date_note(old_dates)
            ),
            **old_dates,
        )
    )
    area_dates = kit.dated("lachin-corridor-2020-area")
    features.append(
        feature(
            to_wgs84(corridor.area),
            id="lachin-corridor-2020-area",
            name="Lachin corridor 2020-2022 (5 km wide, schematic)",
            layer=LAYER,
            kind="corridor-area",
            source=(
                f"{statement_source}; drawn as the Goris-Stepanakert schematic road buffered "
                "2.5 km each side in UTM 38N, minus the Natural Earth Shusha city unit "
                "(az_karabakh_rayons_ne10m.geojson) and minus Armenia (Natural Earth admin-0, "
                "basemap_countries_ne10m.geojson)"
            ),
            license="derived from the statement text and Natural Earth (public domain)",
            accuracy=Accuracy.SCHEMATIC,
            area_km2=area_km2(corridor.area),
            compare_with=("the research notes' schematic corridor: 196.8 km²"),
            note=(
                "The statement gives only the width; no public map of the corridor's edges "
                "was found, so this is a rule-based drawing: 5 km wide across the road, ending "
                "on the Armenian border (Natural Earth 1:10m, ~1-2 km error; it puts Kornidzor, "
                "an Armenian border village, just inside the band) and cut around the Shusha "
                f"city unit ({corridor.removed_shusha_km2 / 1e6:.1f} km² removed; narrowest "
                f"remaining width {corridor.narrowest_near_shusha_m / 1000:.2f} km) so that it "
                "does not affect Shusha. It stays one connected polygon from the border to "
                "Stepanakert. The settlements in it passed to Azerbaijan on 25 or 26 Aug 2022; "
                "the road through it carried the traffic until the evening of 30 Aug 2022. "
                f"{date_note(area_dates)} {area_note(corridor.area)}"
            ),
            **area_dates,
        )
    )
    lines = [f for f in kit.fc(BYPASS) if f["geometry"]["type"] == "LineString"]
    check(len(lines) == 1, "lachin_corridor_2022_bypass_schematic.geojson: expected one line")
    bypass = lines[0]
    bp = bypass["properties"]
    bypass_coords = [tuple(c) for c in bypass["geometry"]["coordinates"]]
    lisagor = kit.place("Lisagor")
    check(
        Point(bypass_coords[-1]).distance(lisagor.point) < 1e-9,
        "the research notes' 2022 bypass no longer ends at Lisagor",
    )
    # From Lisagor the traffic kept to the old road (kit note): the same waypoints onwards.
    onwards = [w["properties"]["name"] for w in corridor.waypoints]
    onwards = onwards[onwards.index("Lisagor") + 1 :]
    new_route = LineString(bypass_coords + _waypoint_line(kit, onwards))
    new_dates = kit.dated("lachin-corridor-2022-bypass-route")
    features.append(
        feature(
            new_route,
            id="lachin-corridor-2022-bypass-route",
            name="Lachin corridor road 2022-2023, past Mets Shen and Hin Shen (schematic)",
            layer=LAYER,
            kind="route",
            source=(
                "Research notes' schematic bypass: straight segments "
                "Kornidzor - Mets Shen - Lisagor, then the old road's waypoints "
                f"{' - '.join(onwards)} (coordinates per places.csv); in use from "
                f"{bp['in_use_from']}"
            ),
            license="derived from facts (Wikipedia infobox coordinates)",
            accuracy=Accuracy.SCHEMATIC,
            note=(
                f"{bp['name']}. NOT the road centreline. The road passes Mets Shen and Hin Shen "
                "to the Hakari (Kornidzor) bridge; neither Hin Shen nor the bridge has a "
                ""
                "coordinate in any source read (searched news and reference pages for both), so "
                "the "
                "line runs straight from Kornidzor to Mets Shen. From Lisagor the traffic kept "
                "to the old road to Stepanakert. Until 30 Mar / 1 Apr 2023 (NEWS.am gives "
                "both days) the western end used a short temporary link to the old road near "
                "Aghavno; then it moved to the Tegh-Kornidzor road and the Hakari bridge. The "
                "end date is soft: the exodus ended on 2 or 3 Oct 2023 and no source read gives "
                "a formal end of the peacekeepers' control of the road. No corridor area is "
                f"drawn for it. {date_note(new_dates)}"
            ),
            **new_dates,
        )
    )
    for suffix, name, what in BLOCKADE_PHASES:
        fid = f"lachin-corridor-blockade-{suffix}"
        dates = kit.dated(fid)
        check(bool(dates["date_sources"]), f"{fid}: no dates in layer_dates.csv")
        features.append(
            feature(
                new_route,
                id=fid,
                name=name,
                layer=LAYER,
                kind="blockade",
                source=(
                    "Drawn on the whole 2022 route (lachin-corridor-2022-bypass-route): the "
                    "sources date the blockade, they do not locate each closure on the road"
                ),
                license="derived from facts (Wikipedia infobox coordinates)",
                accuracy=Accuracy.SCHEMATIC,
                note=f"{what} {date_note(dates)}",
                **dates,
            )
        )
    checkpoint = kit.dated("lachin-corridor-hakari-checkpoint")
    features.append(
        feature(
            None,
            id="lachin-corridor-hakari-checkpoint",
            name="Azerbaijani checkpoint at the Hakari bridge",
            layer=LAYER,
            kind="checkpoint",
            source=(
                "AzerNews, 23 Apr 2023 (Azerbaijan's State Border Service); location not given"
            ),
            accuracy=Accuracy.UNLOCATED,
            note=(
                "Listed, not placed: no coordinate of the Hakari bridge or the checkpoint in "
                "any source read (searched news and reference pages; the research notes leave it "
                "empty). Set up "
                "at 12:00 local time on 23 Apr 2023 at the start of the Lachin-Khankendi road, "
                "inside the peacekeepers' corridor; it controlled the road through the rest of "
                "the blockade and processed the exodus. No end found: it remains Azerbaijan's "
                "border crossing (searched news and reference pages for its closure or removal, "
                f"2023-2024). {date_note(checkpoint)}"
            ),
            **checkpoint,
        )
    )
    for w in corridor.waypoints:
        name = w["properties"]["name"]
        place = kit.place(name)
        check(
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
                layer=LAYER,
                kind="waypoint",
                source=place.source,
                source_url=place.source_url,
                license=place.license,
                accuracy=Accuracy.VERIFIED if place.verified else Accuracy.SETTLEMENT_PROXY,
                note=(
                    f"Waypoint of the {w['properties']['route']} road, placed at the "
                    f"settlement's coordinate {place.row['note']}; {place.cross_check_note()}."
                    + extra
                    + " Dated like the 2020 road."
                ),
                **_route_dates(kit),
            )
        )
    for w in kit.fc(WAYPOINTS):
        if w["geometry"] is None:
            features.append(
                feature(
                    None,
                    id=f"lachin-corridor-waypoint-{slug(w['properties']['name'].split('(')[0])}",
                    name=w["properties"]["name"],
                    layer=LAYER,
                    kind="waypoint",
                    source="Research notes' corridor waypoints (named, not located)",
                    accuracy=Accuracy.UNLOCATED,
                    note=(
                        f"Listed, not placed: {w['properties']['note']}. Dated like the 2020 road."
                    ),
                    **_route_dates(kit),
                )
            )
    return collection(features)


def _route_dates(kit: Kit) -> dict[str, Any]:
    """The 2020 road's first and last day with their sources (waypoints hold as long)."""
    dates = kit.dated("lachin-corridor-2020-route")
    dates["date_sources"] = [
        s for s in dates["date_sources"] if s.bound in (DateBound.FROM, DateBound.TO)
    ]
    return dates
