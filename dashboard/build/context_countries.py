"""The `context_countries` basemap layer: Natural Earth 1:10m countries (world-atlas 2.0.2)."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from dashboard.build.geo import collection, feature
from dashboard.build.kit import NE_LICENSE, Kit, slug
from dashboard.model import Accuracy


def build(kit: Kit) -> dict[str, Any]:
    countries = []
    for f in kit.countries:
        name = f["properties"]["name"]
        countries.append(
            feature(
                shape(f["geometry"]),
                id=f"country-{slug(name)}",
                name=name,
                layer="context_countries",
                kind="country",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note="De jure borders at 1:10m (~1-2 km).",
            )
        )
    return collection(countries)
