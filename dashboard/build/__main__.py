"""`python -m dashboard.build`: rebuild every data file in geodata/ from geodata/sources/."""

from __future__ import annotations

from pathlib import Path

from dashboard.build.events import build_events
from dashboard.build.layers import build_layers

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    build_layers(ROOT / "geodata" / "sources", ROOT / "geodata" / "layers")
    build_events(ROOT)
    print(
        "rebuilt geodata/layers/*.geojson, documents.json, places.geojson, citations.json, "
        "events.geojson"
    )


if __name__ == "__main__":
    main()
