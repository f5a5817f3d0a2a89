"""The `aor` layer: the peacekeepers' area of responsibility (no public polygon of it exists).

A schematic core built from sourced control points (dashboard/build/aor_core.py: NKAO c.1991
minus the Shusha city unit, split among places whose side sources report), the uncertain
margin (the rest of that upper bound), and the Hadrut pocket held for at most three days in
December 2020. Dates and their sources come from layer_dates.csv: the area ends in practice
on 20 Sep 2023 and formally on 12 Jun 2024, drawn faint in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shapely.geometry import Polygon, shape

from dashboard.build import check
from dashboard.build.aor_core import pocket, pocket_places, schematic_core
from dashboard.build.geo import area_km2, area_note, collection, feature, to_metric, to_wgs84
from dashboard.build.kit import Kit, by_name
from dashboard.build.lachin_corridor import Corridor, corridor_of
from dashboard.build.layer_dates import date_note
from dashboard.model import Accuracy

LAYER = "aor"
POCKET = "aor-hadrut-pocket"
BREAKAWAY = "ne_breakaway_nagorno_karabakh_1994_2020.geojson"
AOR_BOUNDS = "aor_bounds_approx.geojson"
CONTROL_POINT_RADIUS_M = (
    2000.0  # upper end of the research notes' Natural Earth 1:10m caveat (~1-2 km)
)


class Aor:
    def __init__(self, kit: Kit, corridor: Corridor):
        r = kit.rayon_metric
        upper = kit.nkao.difference(kit.shusha_city)
        self.upper = upper
        # The kit's lower bound (whole rayons removed), kept only to report what changed: it
        # held Madagiz and left out Martuni.
        kit_lower = upper.difference(r["Shusha rayon (excl. city)"]).difference(
            r["Khojavend rayon"]
        )
        parts = list(getattr(kit_lower, "geoms", [kit_lower]))
        self.kit_lower_km2 = max(p.area for p in parts) / 1e6
        stepanakert = kit.place("Stepanakert").metric
        core = schematic_core(upper, kit.control_points, stepanakert, CONTROL_POINT_RADIUS_M)
        self.core = core.polygon
        self.inside = core.inside
        self.outside = core.outside
        self.dropped_km2 = core.dropped_km2
        self.margin = upper.difference(self.core)
        # The villages sources put in the Hadrut pocket: aor_control_points.csv's `pocket`.
        self.pocket_places = pocket_places(kit.control_points, POCKET)
        self.pocket = pocket(
            [kit.place(name).metric for name in self.pocket_places],
            upper,
            CONTROL_POINT_RADIUS_M,
        )
        check(isinstance(self.pocket, Polygon), "the Hadrut pocket is not one polygon")
        check(self.pocket.intersection(self.core).area < 1.0, "the Hadrut pocket is in the core")
        breakaway = to_metric(shape(kit.fc(BREAKAWAY)[0]["geometry"]))
        self.prewar_km2 = breakaway.area / 1e6

    def compare_with(self, kit: Kit) -> str:
        bounds = kit.fc(AOR_BOUNDS)
        published = by_name(bounds, "published area estimates")["properties"]["values"]
        return (
            f"{published}. 27.7% of the Natural Earth 1994-2020 breakaway polygon "
            f"({self.prewar_km2:,.0f} km² in UTM 38N) would be {0.277 * self.prewar_km2:,.0f} "
            "km². The research notes' approximate bounds (which include its schematic corridor): "
            "lower "
            "2,904.5 km², upper 4,339.8 km²."
        )


def _places_list(points: Iterable[Any]) -> str:
    return ", ".join(f"{c.place} ({c.outlet}, as of {c.as_of})" for c in points)


def build(kit: Kit) -> dict[str, Any]:
    corridor = corridor_of(kit)
    aor = Aor(kit, corridor)
    nkao_src = kit.nkao_feature["properties"]["source"]
    rayon_src = kit.rayons["Shusha city"]["properties"]["source"]
    compare = aor.compare_with(kit)
    core_with_corridor = aor.core.union(corridor.area).area / 1e6
    upper_with_corridor = aor.upper.union(corridor.area).area / 1e6
    margin_places = [
        p.name for p in kit.places.values() if aor.margin.contains(p.metric)
    ]  # reported in the note so the reader sees what the uncertain band holds
    common = {
        "layer": LAYER,
        "license": "derived from Natural Earth (public domain) and place facts",
        "compare_with": compare,
    }
    core_dates = kit.dated("aor-core")
    ended = (
        "The area ends in practice on 20 Sep 2023 (the Karabakh side disbands its forces) and "
        "formally on 12 Jun 2024 (the withdrawal is complete): in between it is drawn faint. "
    )
    core = feature(
        to_wgs84(aor.core),
        id="aor-core",
        name="Peacekeepers' area of responsibility: likely core (schematic)",
        kind="aor-core",
        source=(
            f"Rule-based: the NKAO c.1991 boundary ({nkao_src}) minus the Natural Earth Shusha "
            f"city unit ({rayon_src}), split among sourced control points "
            "(aor_control_points.csv; coordinates from places.csv and layer_places.csv)"
        ),
        accuracy=Accuracy.SCHEMATIC,
        area_km2=area_km2(aor.core),
        note=(
            "No public polygon of the area of responsibility exists. This core is a rule, not "
            "a survey: the NKAO minus Shusha city is split into Voronoi cells of places whose "
            "side sources report (each piece of land goes to the nearest such place); the "
            "cells of places inside the area are kept, a "
            f"{CONTROL_POINT_RADIUS_M / 1000:.0f}-km disc (the 1:10m error) is cut around "
            "every place outside it, and the piece holding Stepanakert is kept "
            f"({aor.dropped_km2:.1f} km² of detached slivers go to the margin). Its edge runs "
            "half-way between places of different sides, so it is schematic. Inside: "
            f"{_places_list(aor.inside)}. Outside (none of them in the core): "
            f"{_places_list(aor.outside)}; Madagiz with both its en.wikipedia and its "
            "ru.wikipedia coordinates. It replaces the research notes' lower bound (NKAO minus the "
            f"Shusha and Khojavend rayons, {aor.kit_lower_km2:,.1f} km²), which held Madagiz "
            "(taken by Azerbaijan on 3 Oct 2020) and left out Martuni. The Lachin corridor "
            "is NOT included: it has its own layer and dates (core plus 2020 corridor: "
            f"{core_with_corridor:,.1f} km²). The Hadrut pocket "
            f"({', '.join(aor.pocket_places)}) is its own feature. "
            f"{ended}{date_note(core_dates)} {area_note(aor.core)}"
        ),
        **core_dates,
        **common,
    )
    margin_dates = kit.dated("aor-margin")
    margin = feature(
        to_wgs84(aor.margin),
        id="aor-margin",
        name="Peacekeepers' area of responsibility: uncertain margin",
        kind="aor-margin",
        source=(
            f"NKAO c.1991 ({nkao_src}) minus the Natural Earth Shusha city unit, minus the "
            "aor-core feature"
        ),
        accuracy=Accuracy.SCHEMATIC,
        area_km2=area_km2(aor.margin),
        note=(
            "Land that may or may not have been in the area of responsibility: the upper bound "
            "(NKAO minus Shusha city) is an over-estimate that still holds Hadrut town, "
            "Madagiz and other places lost in Oct-Dec 2020. Places of places.csv in this "
            f"margin: {', '.join(margin_places)}. Core plus margin: "
            f"{aor.upper.area / 1e6:,.1f} km² (with the 2020 corridor: "
            f"{upper_with_corridor:,.1f} km²). {ended}{date_note(margin_dates)} "
            f"{area_note(aor.margin)}"
        ),
        **margin_dates,
        **common,
    )
    pocket_dates = kit.dated(POCKET)
    hadrut_pocket = feature(
        to_wgs84(aor.pocket),
        id=POCKET,
        name=f"Hadrut pocket ({', '.join(aor.pocket_places)}): in the area for at most three days",
        kind="aor-change",
        source=(
            f"Schematic: the {'-'.join(aor.pocket_places)} line (places.csv coordinates) widened "
            f"by {CONTROL_POINT_RADIUS_M / 1000:.0f} km, within NKAO minus Shusha city"
        ),
        accuracy=Accuracy.SCHEMATIC,
        area_km2=area_km2(aor.pocket),
        note=(
            "The last Armenian-held pocket of Hadrut district. Sources disagree on when the "
            "peacekeepers' map took it in and out, so it is drawn for the whole range: the "
            "MoD added it on the evening of 12 Dec 2020 (RBC, relayed by Rambler) or its map "
            "of 13 Dec shows it (VPK.name, Armenpress, USC Institute of Armenian Studies); it "
            "was removed on 14 Dec (Wikipedia, low confidence). Before 12 Dec the operation "
            "map reportedly put it on the Azerbaijani side (RBC); Azerbaijan took both "
            "villages on 12 Dec. The area is not a surveyed outline. "
            f"{date_note(pocket_dates)} {area_note(aor.pocket)}"
        ),
        **pocket_dates,
        **{**common, "compare_with": None},
    )
    return collection([core, margin, hadrut_pocket])
