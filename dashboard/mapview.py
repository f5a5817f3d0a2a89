"""Where the map looks: the extent that fits what a view shows, and the basemap's extent.

Pure functions over the data. The browser does the fitting (assets/mapview.js: MapLibre's
fitBounds knows the map's size in pixels); these say *what* must be in view.
Bounds are [west, south, east, north] in degrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from shapely.geometry import shape

from dashboard.dataset import Dataset, Event, LayerFeature
from dashboard.selection import Window

Bounds = list[float]

# The bundled basemap layer whose extent is the map's: the user cannot pan or zoom out past
# it, so no zoom shows the edge of the data as a rectangle on white.
BASEMAP_LAYER = "context_countries"


def bounds_of(points: Iterable[tuple[float, float]]) -> Bounds | None:
    """The smallest box holding the points, or None when there are none."""
    pts = list(points)
    if not pts:
        return None
    lons = [p[0] for p in pts]
    lats = [p[1] for p in pts]
    return [min(lons), min(lats), max(lons), max(lats)]


def events_bounds(events: Sequence[Event]) -> Bounds | None:
    return bounds_of(e.lonlat for e in events if e.lonlat is not None)


def window_bounds(dataset: Dataset, window: Window) -> Bounds | None:
    """What the first view must show: every placed event in the window (from the table's
    point columns: no event is made)."""
    in_window = dataset.events.window(window)
    lon, lat = in_window.column("lon"), in_window.column("lat")
    placed = ~np.isnan(lon)
    if not placed.any():
        return None
    lon, lat = lon[placed], lat[placed]
    return [float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())]


def feature_bounds(feature: LayerFeature) -> Bounds | None:
    if not feature.geometry:
        return None
    return list(shape(feature.geometry).bounds)


def basemap_bounds(dataset: Dataset) -> dict[str, float] | None:
    """The basemap's extent as plotly's layout.map.bounds (west, east, south, north)."""
    raw = dataset.raw_layers.get(BASEMAP_LAYER)
    if not raw or not raw.get("features"):
        return None
    boxes = [shape(f["geometry"]).bounds for f in raw["features"] if f.get("geometry")]
    if not boxes:
        return None
    return {
        "west": min(b[0] for b in boxes),
        "east": max(b[2] for b in boxes),
        "south": min(b[1] for b in boxes),
        "north": max(b[3] for b in boxes),
    }


def country_labels(dataset: Dataset) -> list[list]:
    """[lon, lat, name, "country"] for each basemap country, at a point inside its shape."""
    raw = dataset.raw_layers.get(BASEMAP_LAYER) or {}
    labels = []
    for feature in raw.get("features", ()):
        name = (feature.get("properties") or {}).get("name")
        if not name or not feature.get("geometry"):
            continue
        point = shape(feature["geometry"]).representative_point()
        labels.append([round(point.x, 5), round(point.y, 5), str(name), "country"])
    return labels


def map_target(bounds: Bounds | None, always: bool = True) -> dict | None:
    """What assets/mapview.js is asked to bring into view: a box (a point when w=e, s=n).

    `always`: fit the box even if it is already on screen (the first view); otherwise only
    move when some of it is off screen (a selection).
    """
    if bounds is None:
        return None
    return {"bbox": [round(v, 6) for v in bounds], "always": always}
