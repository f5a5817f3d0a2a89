"""Build every registered layer into geodata/layers/ from the kit in geodata/sources/.

    python -m dashboard.build.layers [--sources DIR] [--out DIR]

Each layer of `dashboard.registry` names its builder (`module:function`, one small module
per layer in dashboard/build/), which turns a `Kit` (dashboard/build/kit.py: the kit read
once) into a FeatureCollection. Builders check the claims their layers make (Lachin inside
the corridor, Shusha outside, the corridor ending on the Armenian border, Stepanakert inside
the AoR core, ...) and raise `BuildError` rather than write a layer that contradicts its
own sources. Every layer is built and checked before any file is written; the output is
deterministic: running the build twice gives identical bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dashboard import registry
from dashboard.build import BuildError, check
from dashboard.build.geo import dumps
from dashboard.build.kit import Kit
from dashboard.build.layer_dates import check_all_used

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = ROOT / "geodata" / "sources"
DEFAULT_OUT = ROOT / "geodata" / "layers"

__all__ = ["BuildError", "build_layer", "build_layers", "main"]


def build_layer(layer: registry.Layer, kit: Kit) -> dict[str, Any]:
    """One layer's FeatureCollection, from its registered builder; every feature must say it
    belongs to this layer."""
    fc = layer.build_function()(kit)
    wrong = sorted(
        {f["properties"]["layer"] for f in fc["features"]} - {layer.name}
    )  # a builder writing into another layer's file would make loading refuse the data
    check(not wrong, f"layer {layer.name}: its builder made features of layers {wrong}")
    return fc


def build_layers(sources_dir: Path, out_dir: Path) -> dict[str, dict]:
    """Build every registered layer from `sources_dir`, write `<layer>.geojson` files into
    `out_dir`, and return layer name -> FeatureCollection dict."""
    kit = Kit(Path(sources_dir))
    layers = {layer.name: build_layer(layer, kit) for layer in registry.layers()}
    ids = [f["properties"]["id"] for fc in layers.values() for f in fc["features"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    check(not dupes, f"duplicate feature ids: {dupes}")
    check_all_used(kit.dates, ids)  # a date for a feature no builder makes is a typo
    for layer in registry.reference_layers():
        for f in layers[layer.name]["features"]:
            p = f["properties"]
            check(
                p["valid_to"] is not None or "No end" in p["note"],
                f"{p['id']}: no valid_to and no note saying that no end was found and where",
            )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, fc in layers.items():
        (out / f"{name}.geojson").write_text(dumps(fc), encoding="utf-8", newline="\n")
    return layers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        layers = build_layers(args.sources, args.out)
    except BuildError as exc:
        parser.exit(1, f"build failed: {exc}\n")
    for name, fc in layers.items():
        areas = [
            f"{f['properties']['id']}={f['properties']['area_km2']} km²"
            for f in fc["features"]
            if f["properties"]["area_km2"] is not None and not name.startswith("context")
        ]
        print(
            f"{name}: {len(fc['features'])} features" + (f" ({', '.join(areas)})" if areas else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
