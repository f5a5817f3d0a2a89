"""The `stepanakert` layer: the verified city centre and the Natural Earth city unit."""

from __future__ import annotations

from typing import Any

from dashboard.build import check
from dashboard.build.geo import area_km2, area_note, collection, feature, to_wgs84
from dashboard.build.kit import NE_LICENSE, Kit
from dashboard.model import Accuracy

LAYER = "stepanakert"
CITY_NO_END = (
    "No end date: a city, not a peacekeeper feature, so it stays on the map for the whole "
    "span (no end was looked for)."
)


def build(kit: Kit) -> dict[str, Any]:
    place = kit.place("Stepanakert")
    check(place.verified, "Stepanakert centre: expected >= 2 cross-checks within 1 km")
    furthest = max(d for _, d in place.cross_checks)
    unit = kit.rayons["Khankendi city"]
    unit_metric = kit.rayon_metric["Khankendi city"]
    check(unit_metric.contains(place.metric), "Stepanakert centre outside the Khankendi unit")
    names = place.alt_names
    return collection(
        [
            feature(
                place.point,
                id="stepanakert-centre",
                name="Stepanakert (city centre)",
                alt_names=names,
                layer=LAYER,
                kind="city-centre",
                source=place.source + "; " + place.row["cross_checks"],
                source_url=place.source_url,
                license=place.license,
                accuracy=Accuracy.VERIFIED,
                note=(
                    f"Infobox coordinate {place.row['note']}. {len(place.cross_checks) + 1} "
                    f"independent sources agree within {furthest:.0f} m "
                    f"({place.cross_check_note()}). Seat of the Russian peacekeepers' command "
                    "post (TASS 15 Nov 2020, research notes). "
                    f"{CITY_NO_END}"
                ),
            ),
            feature(
                to_wgs84(unit_metric),
                id="stepanakert-area",
                name="Stepanakert (Khankendi city unit)",
                alt_names=names,
                layer=LAYER,
                kind="city-area",
                source=unit["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                area_km2=area_km2(unit_metric),
                compare_with=(
                    "city area 29.12 km² (Wikipedia infobox, quoted in the research notes' "
                    "stepanakert.geojson)"
                ),
                note=(
                    "Natural Earth 1:10m administrative unit of the city (Azerbaijani "
                    "admin-1 'Khankendi city'), not the built-up area. "
                    f"{unit['properties']['caveat'].split(';')[0]}. {area_note(unit_metric)} "
                    f"{CITY_NO_END}"
                ),
            ),
        ]
    )
