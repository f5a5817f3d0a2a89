"""The `context_boundaries` basemap layer: Natural Earth 1:10m international land boundaries."""

from __future__ import annotations

from typing import Any

from shapely.geometry import shape

from dashboard.build.geo import collection, feature
from dashboard.build.kit import NE_LICENSE, Kit
from dashboard.model import Accuracy


def build(kit: Kit) -> dict[str, Any]:
    boundaries = []
    for i, f in enumerate(kit.fc("basemap_boundary_lines_ne10m.geojson"), start=1):
        boundaries.append(
            feature(
                shape(f["geometry"]),
                id=f"boundary-{i}",
                name=f"International land boundary {i}",
                layer="context_boundaries",
                kind="boundary",
                source=f["properties"]["source"],
                license=NE_LICENSE,
                accuracy=Accuracy.APPROXIMATE,
                note="De jure international boundary line at 1:10m; not a line of contact.",
            )
        )
    return collection(boundaries)
