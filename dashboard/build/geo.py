"""Geometry for the layer build: metric CRS, areas, and RFC 7946 output that is byte-stable.

Metric work (buffers, differences, areas, distances) is done in UTM zone 38N (EPSG:32638);
output is RFC 7946 GeoJSON (WGS 84 lon/lat, polygons counter-clockwise), coordinates rounded
to 6 decimals, one feature per line. Every feature's properties are validated against
`dashboard.model.LayerProperties` before anything is written.
"""

from __future__ import annotations

import json
from typing import Any

import pyproj
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from dashboard.build import check
from dashboard.model import Accuracy, LayerProperties

METRIC_CRS = "EPSG:32638"  # WGS 84 / UTM zone 38N
PRECISION = 6  # decimals of a degree in the output (~0.1 m)

_TO_METRIC = pyproj.Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_WGS84 = pyproj.Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
_GEOD = pyproj.Geod(ellps="WGS84")


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: _TO_METRIC.transform(x, y), interleaved=False)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda x, y: _TO_WGS84.transform(x, y), interleaved=False)


def metric_point(lat: float, lon: float) -> Point:
    return Point(_TO_METRIC.transform(lon, lat))


def area_km2(geom_metric: BaseGeometry) -> float:
    return round(geom_metric.area / 1e6, 1)


def area_note(geom_metric: BaseGeometry) -> str:
    """Where area_km2 comes from, with the geodesic area on the ellipsoid as a cross-check."""
    geodesic = abs(_GEOD.geometry_area_perimeter(to_wgs84(geom_metric))[0]) / 1e6
    return (
        f"area_km2 computed in UTM 38N (EPSG:32638); geodesic area on the WGS 84 ellipsoid "
        f"{geodesic:,.1f} km²."
    )


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
    check(
        rounded.is_valid and not rounded.is_empty,
        f"geometry invalid after rounding: {shapely.is_valid_reason(rounded)}",
    )
    return out


def feature(geom_wgs84: BaseGeometry | None, **props: Any) -> dict[str, Any]:
    """A layer feature; its properties validated against `LayerProperties`."""
    validated = LayerProperties(**props)
    check(
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
