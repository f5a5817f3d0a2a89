"""The `context_lakes` basemap layer: Natural Earth 1:10m lakes (unnamed in the kit)."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from dashboard.build.geo import area_km2, area_note, collection, feature, to_metric
from dashboard.build.kit import NE_LICENSE, Kit
from dashboard.model import Accuracy


def build(kit: Kit) -> dict[str, Any]:
    lakes = []
    for i, f in enumerate(kit.fc("basemap_lakes_ne10m.geojson"), start=1):
        geom = shape(f["geometry"])
        lakes.append(
            feature(
                geom,
                id=f"lake-{i}",
                name=f"Lake {i}",
                layer="context_lakes",
                kind="lake",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                area_km2=area_km2(to_metric(geom)),
                note="Unnamed in the research notes' Natural Earth extract, so no name is given. "
                + area_note(to_metric(geom)),
            )
        )
    return collection(lakes)
