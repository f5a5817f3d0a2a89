"""The `aor` layer: the peacekeepers' area of responsibility, a lower-bound core and an
uncertain margin (no public polygon of it exists).

Rebuilt from the NKAO c.1991 boundary minus the Natural Earth Shusha city unit (upper
bound), and minus the Shusha and Khojavend rayons (lower bound); the build checks that
Stepanakert is in the core and places lost before the armistice are not.
"""

from __future__ import annotations

import re
from typing import Any

from shapely.geometry import Polygon, shape

from dashboard.build import check
from dashboard.build.geo import area_km2, area_note, collection, feature, to_metric, to_wgs84
from dashboard.build.kit import Kit, by_name
from dashboard.build.lachin_corridor import Corridor, corridor_of
from dashboard.model import Accuracy

LAYER = "aor"
BREAKAWAY = "ne_breakaway_nagorno_karabakh_1994_2020.geojson"
AOR_BOUNDS = "aor_bounds_approx.geojson"
CONTROL_POINT_RADIUS_M = 2000.0  # upper end of the kit's Natural Earth 1:10m caveat (~1-2 km)


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
        check(main.contains(stepanakert), "largest lower-bound piece misses Stepanakert")
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
        check(core.contains(stepanakert), "Stepanakert centre outside the AoR core")
        for place in self.lost:
            check(not core.contains(place.metric), f"{place.name} (lost) inside the core")
        for name in ("Lisagor", "Mets Shen (Shusha)", "Yeghtsahogh", "Martuni"):
            point = kit.place(name).metric
            check(upper.contains(point), f"{name} (held) outside core and margin")
        breakaway = to_metric(shape(kit.fc(BREAKAWAY)[0]["geometry"]))
        self.prewar_km2 = breakaway.area / 1e6

    def compare_with(self, kit: Kit) -> str:
        bounds = kit.fc(AOR_BOUNDS)
        published = by_name(bounds, "published area estimates")["properties"]["values"]
        return (
            f"{published}. 27.7% of the Natural Earth 1994-2020 breakaway polygon "
            f"({self.prewar_km2:,.0f} km² in UTM 38N) would be {0.277 * self.prewar_km2:,.0f} "
            "km². Kit aor_bounds_approx.geojson (which include its schematic corridor): lower "
            "2,904.5 km², upper 4,339.8 km²."
        )


def build(kit: Kit) -> dict[str, Any]:
    corridor = corridor_of(kit)
    aor = Aor(kit, corridor)
    statement_date = kit.date("statement_date")
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
        "layer": LAYER,
        "license": "derived from Natural Earth (public domain) and place facts",
        "valid_from": statement_date,
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
