"""The shared reader of the research kit in geodata/sources/: every builder reads through it.

One rule each for what several builders need: `slug` (ids from names), `read_csv` (cells
stripped), `read_rows` (CSV rows validated against a pydantic model, errors naming file, row
and field), the alternative-name rule (`alt_names`: every spelling needs its language in
place_alt_name_langs.csv), and the `Kit` with the gazetteer and the geometries the layers
are made from, read once per build.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from dashboard.build import BuildError, check
from dashboard.build.aor_core import read_control_points, read_extra_places
from dashboard.build.geo import metric_point, to_metric
from dashboard.build.layer_dates import FeatureDates, read_layer_dates

VERIFIED_WITHIN_M = 1000.0  # model.Accuracy.VERIFIED: several sources agree within ~1 km
NE_LICENSE = "Public domain (Natural Earth)"

Row = TypeVar("Row", bound=BaseModel)


# --------------------------------------------------------------------------- reading


def slug(name: str) -> str:
    """'Mets Shen (Shusha)' -> 'mets-shen-shusha'; ASCII, lower case, hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header, every cell stripped ('' for a missing cell)."""
    check(path.is_file(), f"missing source file {path}")
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def read_rows(path: Path, model: type[Row], key: str) -> list[Row]:
    """A CSV file's rows validated against `model`; empty cells are None. A bad row stops
    the build naming the file, the row (line and `key` cell), the field and the problem."""
    rows = []
    for line, row in enumerate(read_csv(path), start=2):
        cells = {k: (v if v != "" else None) for k, v in row.items()}
        try:
            rows.append(model.model_validate(cells))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}"
                for err in exc.errors(include_url=False)
            )
            raise BuildError(f"{path.name} line {line} [{row.get(key)}]: {problems}") from None
    return rows


def read_json(path: Path) -> Any:
    check(path.is_file(), f"missing source file {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def read_fc(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection file."""
    return read_json(path)["features"]


def by_name(features: Iterable[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [f for f in features if f["properties"].get("name") == name]
    check(len(found) == 1, f"expected one source feature named {name!r}, found {len(found)}")
    return found[0]


# --------------------------------------------------------------------------- names, links


def alt_name_langs(sources: Path) -> dict[tuple[str, str], str]:
    """(place, spelling) -> BCP 47 language, from place_alt_name_langs.csv."""
    rows = read_csv(sources / "place_alt_name_langs.csv")
    return {(r["place"], r["alt_name"]): r["lang"] for r in rows}


def alt_names(place: str, cell: str, langs: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    """The `;`-separated alt_names cell of a places CSV, each spelling with its language.

    A spelling without a row in place_alt_name_langs.csv stops the build: a language is
    read from a source, never guessed from the letters."""
    names = []
    for alt in (a.strip() for a in cell.split(";")):
        if not alt:
            continue
        lang = langs.get((place, alt))
        if lang is None:
            raise BuildError(f"place_alt_name_langs.csv: no language for {alt!r} of {place!r}")
        names.append({"name": alt, "lang": lang})
    return names


def clean_url(cell: str) -> str | None:
    """The kit's source_url cell if it is one complete URL; elided ('...') or free-text cells
    are kept in `source` instead, never turned into a made-up link."""
    first = cell.split(";")[0].split(" (")[0].strip()
    if re.fullmatch(r"https?://\S+", first) and "..." not in first:
        return first
    return None


def coordinate_license(source: str) -> str:
    low = source.lower()
    if "geonames" in low:
        return "CC BY 4.0 (GeoNames)"
    if "osm" in low:
        return "ODbL (OpenStreetMap)"
    if "wiki" in low:
        return "facts (text CC BY-SA)"
    return "see source"


# --------------------------------------------------------------------------- places


_LATLON = re.compile(r"(-?\d{1,2}\.\d+),\s*(-?\d{1,3}\.\d+)")


class Place:
    """A row of the research notes' places.csv, with its cross-checks measured in metres."""

    def __init__(self, row: dict[str, str], langs: dict[tuple[str, str], str]):
        self.row = row
        self.name = row["name"]
        self.alt_names = alt_names(self.name, row["alt_names"], langs)
        self.lat = float(row["lat"])
        self.lon = float(row["lon"])
        self.point = Point(self.lon, self.lat)
        self.metric = metric_point(self.lat, self.lon)
        self.cross_checks: list[tuple[str, float]] = []  # (label, distance in m)
        for part in row["cross_checks"].split(";"):
            match = _LATLON.search(part)
            if match and "do not use" not in part:
                lat, lon = float(match.group(1)), float(match.group(2))
                label = part[: match.start()].strip()
                self.cross_checks.append((label, self.metric.distance(metric_point(lat, lon))))

    @property
    def verified(self) -> bool:
        agreeing = [d for _, d in self.cross_checks if d <= VERIFIED_WITHIN_M]
        return len(agreeing) >= 2

    @property
    def source(self) -> str:
        return f"{self.row['source']}: {self.lat}, {self.lon}"

    @property
    def source_url(self) -> str | None:
        return clean_url(self.row["source_url"])

    @property
    def license(self) -> str:
        return coordinate_license(self.row["source"])

    def cross_check_note(self) -> str:
        if not self.cross_checks:
            return "no numeric cross-check in the research notes"
        parts = [f"{label} {d:.0f} m away" for label, d in self.cross_checks]
        return "cross-checks: " + "; ".join(parts)

    def cross_check_points(self) -> list[Point]:
        """Every coordinate of the row's cross_checks cell (metric), even those marked
        'do not use': for checks that a place stays outside something."""
        points = []
        for part in self.row["cross_checks"].split(";"):
            match = _LATLON.search(part)
            if match:
                points.append(metric_point(float(match.group(1)), float(match.group(2))))
        return points


# --------------------------------------------------------------------------- the kit


class Reading(BaseModel):
    """A row of layer_readings.csv: one sourced fact a layer is drawn from."""

    key: str
    value: str
    unit: str
    source: str


class Kit:
    """The research notes' gazetteer and geometries, in WGS 84 and in UTM 38N, read once per build.

    Builders that share a derived geometry (the corridor, the AoR) keep it in `derived`.
    """

    def __init__(self, sources: Path):
        self.sources = Path(sources)
        langs = alt_name_langs(self.sources)
        rows = read_csv(self.sources / "places.csv")
        self.places = {row["name"]: Place(row, langs) for row in rows}
        self.readings = {
            r.key: r for r in read_rows(self.sources / "layer_readings.csv", Reading, "key")
        }
        self.countries = self.fc("basemap_countries_ne10m.geojson")
        self.armenia = to_metric(shape(by_name(self.countries, "Armenia")["geometry"]))
        rayons = self.fc("az_karabakh_rayons_ne10m.geojson")
        self.rayons = {f["properties"]["name"]: f for f in rayons}
        self.rayon_metric = {n: to_metric(shape(f["geometry"])) for n, f in self.rayons.items()}
        nkao = self.fc("nkao_1991_boundary_ne10m.geojson")
        check(len(nkao) == 1, "nkao_1991_boundary_ne10m.geojson: expected one feature")
        self.nkao_feature = nkao[0]
        self.nkao = to_metric(shape(nkao[0]["geometry"]))
        self.derived: dict[str, Any] = {}
        # Every date a reference feature states, with its source (layer_dates.csv); the
        # places the layers need beyond places.csv; the AoR's sourced control points.
        self.dates = read_layer_dates(self.sources)
        self.extra_places = read_extra_places(self.sources)
        self.control_points = read_control_points(
            self.sources, {name: p.metric for name, p in self.places.items()}, metric_point
        )

    def dated(self, feature_id: str) -> dict[str, Any]:
        """valid_from, valid_to, faint_from and date_sources of a feature from
        layer_dates.csv; all empty when the file has no row for it."""
        dates = self.dates.get(feature_id) or FeatureDates(None, None, None, ())
        return dates.properties()

    def fc(self, name: str) -> list[dict[str, Any]]:
        """The features of the kit file `name`."""
        return read_fc(self.sources / name)

    def place(self, name: str) -> Place:
        check(name in self.places, f"places.csv has no row named {name!r}")
        return self.places[name]

    def reading(self, key: str) -> Reading:
        check(key in self.readings, f"layer_readings.csv has no row {key!r}")
        return self.readings[key]

    @property
    def shusha_city(self) -> BaseGeometry:
        return self.rayon_metric["Shusha city"]

    def shusha_points(self) -> list[Point]:
        """Shusha's centre and every cross-check coordinate of it in places.csv (metric)."""
        shusha = self.place("Shusha")
        return [shusha.metric, *shusha.cross_check_points()]
