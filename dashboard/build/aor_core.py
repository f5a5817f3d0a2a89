"""The schematic core of the peacekeepers' area of responsibility, from sourced control points.

No public polygon of the area exists. The core is drawn from places whose side of the line is
reported: `geodata/sources/aor_control_points.csv` says, with a source, whether each place was
inside the area (held by the Karabakh side at the ceasefire, or a peacekeeper post) or outside
it (taken by Azerbaijan before or after the ceasefire). Coordinates come from the research notes'
places.csv or, for places it lacks (Madagiz), from `layer_places.csv`, where every row names
where it was read; a place with several sourced coordinates gives several control points.

The rule (all metric work in UTM 38N):
1. split the upper bound (NKAO c.1991 minus the Shusha city unit) into the Voronoi cells of
   all control points: each piece of land goes to its nearest control point;
2. keep the cells of `inside` points;
3. cut a disc of `radius` (the kit's Natural Earth 1:10m error) around every `outside` point,
   so no such place lies on the edge of the core;
4. keep the piece that holds Stepanakert.

It is a rule, not a survey: where two control points of different sides are far apart the
edge runs half-way between them. Hence accuracy `schematic`. The build checks the result:
every inside point in the core, no outside point in it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from dashboard.build import BuildError

CONTROL_POINTS_FILE = "aor_control_points.csv"
EXTRA_PLACES_FILE = "layer_places.csv"
STATUSES = ("inside", "outside")
# Areas held for a short time apart from the core (a `pocket` cell names one): the feature
# id -> what the build calls it. A place in a pocket lies outside the core.
POCKETS = {"aor-hadrut-pocket": "Hadrut pocket"}


class ControlPointError(BuildError):
    """aor_control_points.csv or layer_places.csv is malformed or inconsistent."""


@dataclass(frozen=True)
class ControlPoint:
    place: str
    status: str  # inside | outside
    points: tuple[Point, ...]  # metric (UTM 38N); one per sourced coordinate
    as_of: str
    basis: str
    outlet: str
    url: str
    pocket: str = ""  # the id of the pocket (POCKETS) the place was in, or ""


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ControlPointError(f"missing source file {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_extra_places(sources_dir: Path) -> dict[str, dict[str, str]]:
    """layer_places.csv: places the layers need that the research notes' places.csv lacks."""
    rows = _read(Path(sources_dir) / EXTRA_PLACES_FILE)
    for line, row in enumerate(rows, start=2):
        for column in ("name", "lat", "lon", "source"):
            if not (row.get(column) or "").strip():
                raise ControlPointError(f"{EXTRA_PLACES_FILE} line {line}: empty {column}")
    return {row["name"]: row for row in rows}


_LATLON = re.compile(r"(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")


def _cross_check_points(cell: str) -> list[tuple[float, float]]:
    """`lat,lon` pairs in a cross_checks cell (other sources' coordinates of the place)."""
    return [(float(m.group(1)), float(m.group(2))) for m in _LATLON.finditer(cell)]


def read_control_points(
    sources_dir: Path,
    kit_points: dict[str, Point],
    metric_point,
) -> list[ControlPoint]:
    """The control points, each with every sourced coordinate of its place (metric).

    `kit_points` maps a places.csv name to its metric point; `metric_point(lat, lon)` projects.
    """
    extra = read_extra_places(sources_dir)
    points = []
    for line, row in enumerate(_read(Path(sources_dir) / CONTROL_POINTS_FILE), start=2):
        name, status = row["place"].strip(), row["status"].strip()
        if status not in STATUSES:
            raise ControlPointError(
                f"{CONTROL_POINTS_FILE} line {line} ({name}): status {status!r}, "
                f"expected one of {STATUSES}"
            )
        if not row["basis"].strip() or not row["outlet"].strip():
            raise ControlPointError(f"{CONTROL_POINTS_FILE} line {line} ({name}): no source")
        pocket = (row.get("pocket") or "").strip()
        if pocket and pocket not in POCKETS:
            raise ControlPointError(
                f"{CONTROL_POINTS_FILE} line {line} ({name}): pocket {pocket!r}, expected "
                f"one of {tuple(POCKETS)} or nothing"
            )
        if pocket and status != "outside":
            raise ControlPointError(
                f"{CONTROL_POINTS_FILE} line {line} ({name}): in {pocket} but {status!r}: a "
                "pocket lies outside the core, so its places are 'outside'"
            )
        if name in kit_points:
            located = (kit_points[name],)
        elif name in extra:
            e = extra[name]
            pairs = [(float(e["lat"]), float(e["lon"])), *_cross_check_points(e["cross_checks"])]
            located = tuple(metric_point(lat, lon) for lat, lon in pairs)
        else:
            raise ControlPointError(
                f"{CONTROL_POINTS_FILE} line {line}: {name!r} is in neither places.csv nor "
                f"{EXTRA_PLACES_FILE}: no coordinate, no control point"
            )
        points.append(
            ControlPoint(
                name,
                status,
                located,
                row["as_of"],
                row["basis"],
                row["outlet"],
                row["url"],
                pocket,
            )
        )
    return points


def pocket_places(controls: list[ControlPoint], pocket_id: str) -> list[str]:
    """The places the control points put in one pocket, in the file's order (at least one)."""
    names = [c.place for c in controls if c.pocket == pocket_id]
    if not names:
        raise ControlPointError(f"{CONTROL_POINTS_FILE}: no place is in the pocket {pocket_id}")
    return names


@dataclass(frozen=True)
class Core:
    polygon: Polygon
    inside: tuple[ControlPoint, ...]
    outside: tuple[ControlPoint, ...]
    dropped_km2: float  # detached pieces left in the margin


def schematic_core(
    upper: BaseGeometry, controls: list[ControlPoint], anchor: Point, radius_m: float
) -> Core:
    """The core by the rule in the module docstring; raises if it breaks its own claims."""
    located = [(c, p) for c in controls for p in c.points]
    frame = upper.envelope.buffer(50_000)
    cells = shapely.voronoi_polygons(MultiPoint([p for _, p in located]), extend_to=frame)
    inside_cells = []
    for cell in cells.geoms:
        owners = [c for c, p in located if cell.contains(p)]
        if len(owners) != 1:
            raise ControlPointError(f"a Voronoi cell holds {len(owners)} control points")
        if owners[0].status == "inside":
            inside_cells.append(cell)
    core = shapely.union_all(inside_cells).intersection(upper)
    discs = [p.buffer(radius_m, quad_segs=16) for c, p in located if c.status == "outside"]
    core = core.difference(shapely.union_all(discs))
    parts = list(getattr(core, "geoms", [core]))
    holding = [p for p in parts if isinstance(p, Polygon) and p.contains(anchor)]
    if len(holding) != 1:
        raise ControlPointError("the schematic core does not hold Stepanakert")
    main = holding[0]
    inside = tuple(c for c in controls if c.status == "inside")
    outside = tuple(c for c in controls if c.status == "outside")
    for c in inside:
        if not all(main.contains(p) for p in c.points):
            raise ControlPointError(f"{c.place} is reported inside but falls outside the core")
    for c in outside:
        if any(main.intersects(p) for p in c.points):
            raise ControlPointError(f"{c.place} is reported outside but lies in the core")
    dropped = sum(p.area for p in parts if p is not main) / 1e6
    return Core(main, inside, outside, dropped)


def pocket(points: list[Point], upper: BaseGeometry, radius_m: float) -> BaseGeometry:
    """A schematic area around a few places: their convex hull widened by `radius_m`."""
    return MultiPoint(points).convex_hull.buffer(radius_m, quad_segs=16).intersection(upper)
