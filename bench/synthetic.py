"""Generate a synthetic data directory with N extra events, for benchmarks only.

The real data is copied unchanged; N synthetic events at synthetic places are added, each
marked as synthetic in its text so it can never pass for real data. Nothing generated here is
shipped: it goes to a temporary directory.

    python bench/synthetic.py 10000 /tmp/synthetic-10k
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = ["agreement", "political", "diplomatic", "military", "protest", "statement"]
PRECISIONS = ["exact", "settlement", "settlement", "settlement", "region"]


def make_synthetic(n_events: int, target: Path, seed: int = 47, places_per_100: int = 40) -> Path:
    """Copy geodata/ and seeds/ to `target` and add n_events synthetic events.

    Returns the new geodata directory. Events spread over 2020-11-10 .. 2021-03-31 and over
    about 0.4 places per event, inside the map's frame, so a window holds many markers.
    """
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "geodata", target / "geodata", ignore=shutil.ignore_patterns("sources"))
    shutil.copytree(ROOT / "seeds", target / "seeds")
    data_dir = target / "geodata"

    places = json.loads((data_dir / "places.geojson").read_text("utf-8"))
    n_places = max(1, n_events * places_per_100 // 100)
    synthetic_places = []
    for i in range(n_places):
        lon = round(rng.uniform(46.3, 47.3), 5)
        lat = round(rng.uniform(39.4, 40.3), 5)
        synthetic_places.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": f"synthetic-place-{i}",
                    "name": f"Synthetic place {i}",
                    "kind": "synthetic",
                    "source": "synthetic benchmark data (bench/synthetic.py), not a real place",
                    "label": False,
                },
            }
        )
    places["features"].extend(synthetic_places)
    (data_dir / "places.geojson").write_text(json.dumps(places), "utf-8")

    events = json.loads((data_dir / "events.geojson").read_text("utf-8"))
    document_id = next(
        f["properties"]["document_id"]
        for f in events["features"]
        if f["properties"].get("document_id")
    )
    start = dt.date(2020, 11, 10)
    span_days = (dt.date(2021, 3, 31) - start).days
    for i in range(n_events):
        place = synthetic_places[rng.randrange(n_places)]
        day = start + dt.timedelta(days=rng.randrange(span_days))
        length = rng.choice([0, 0, 0, 1, 3, 10])
        events["features"].append(
            {
                "type": "Feature",
                "geometry": place["geometry"],
                "properties": {
                    "id": f"synthetic-{i}",
                    "title": f"Synthetic event {i}",
                    "summary": "Synthetic benchmark event; not real.",
                    "actors": ["synthetic"],
                    "event_type": rng.choice(TYPES),
                    "date_start": day.isoformat(),
                    "date_end": (day + dt.timedelta(days=length)).isoformat(),
                    "time_precision": "day" if length == 0 else "range",
                    "date_basis": "occurred",
                    "date_as_written": "synthetic",
                    "place_id": place["properties"]["id"],
                    "geo_precision": rng.choice(PRECISIONS),
                    "document_id": document_id,
                    "passage": {"start": 0, "end": 10},
                    "uncited_reason": "synthetic benchmark event",
                    "confidence": "low",
                },
            }
        )
    (data_dir / "events.geojson").write_text(json.dumps(events), "utf-8")
    return data_dir


if __name__ == "__main__":
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    print(make_synthetic(count, out))
