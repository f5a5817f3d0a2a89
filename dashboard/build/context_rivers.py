"""The `context_rivers` basemap layer: Natural Earth 1:10m rivers and lake centrelines."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from dashboard.build.geo import collection, feature
from dashboard.build.kit import NE_LICENSE, Kit, slug
from dashboard.model import Accuracy


def build(kit: Kit) -> dict[str, Any]:
    rivers = []
    seen: dict[str, int] = {}
    for f in kit.fc("basemap_rivers_ne10m.geojson"):
        p = f["properties"]
        seen[p["name"]] = seen.get(p["name"], 0) + 1
        rivers.append(
            feature(
                shape(f["geometry"]),
                id=f"river-{slug(p['name'])}-{seen[p['name']]}",
                name=p["name"],
                layer="context_rivers",
                kind=slug(p["featurecla"]),
                source=p["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note=f"Natural Earth feature class '{p['featurecla']}'.",
            )
        )
    return collection(rivers)
