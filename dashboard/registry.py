"""The layers the map knows, each declared once: name, title, role, colour, builder, docs.

Everything that handles layers reads this registry instead of naming layers itself: the
data model (which `layer` values a feature may carry), loading (which files to read), the
figure (areas, lines and points of the reference layers; the basemap), the legend, the
layer control, the HTTP API and the build (`python -m dashboard.build.layers`). Adding a
layer is one `Layer(...)` here plus its builder in dashboard/build/ (README: "How to add a
layer").

This module imports nothing from the project: it sits at the bottom of the import graph,
beside the data model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from typing import Any, Literal

Role = Literal["reference", "context"]


@dataclass(frozen=True)
class Layer:
    """One layer: the file geodata/layers/<name>.geojson, /api/layers/<name>.geojson, and
    (reference layers) an entry of the layer control and the legend."""

    name: str  # identifier: file stem, API name, value in the URL's `layers=` and the control
    title: str  # what the legend, the layer control and the API call it
    role: Role  # reference: dated, toggleable, clickable; context: the offline basemap
    builder: str  # "module:function" building its FeatureCollection from a build Kit
    docs: str  # one sentence: what the layer holds and where it comes from
    color: str = "#555555"  # reference layers: areas, outlines, routes and points
    # context layers: how the basemap draws it, as MapLibre layers [(type, style), ...]
    basemap: tuple[tuple[str, dict[str, Any]], ...] = field(default=())

    def build_function(self) -> Callable[..., dict[str, Any]]:
        """The builder, imported only when the build runs (the app never needs it)."""
        module, _, function = self.builder.partition(":")
        return getattr(import_module(module), function)


_BUILT_IN: tuple[Layer, ...] = (
    # Reference layers, in the order of the layer control and the legend; areas are drawn
    # in this order too (later on top).
    Layer(
        name="aor",
        title="Peacekeeping area of responsibility",
        role="reference",
        builder="dashboard.build.aor:build",
        docs="The peacekeepers' area of responsibility: a schematic core from sourced control "
        "points, an uncertain margin and the Hadrut pocket of Dec 2020; it ends in practice on "
        "20 Sep 2023 and formally on 12 Jun 2024 (drawn faint in between).",
        color="#3182bd",
    ),
    Layer(
        name="lachin_corridor",
        title="Lachin corridor",
        role="reference",
        builder="dashboard.build.lachin_corridor:build",
        docs="The 5-km Lachin corridor of the 10 Nov 2020 statement (schematic), its 2020 "
        "road and waypoints until 30 Aug 2022, the 2022 road from then, the blockade on it "
        "(12 Dec 2022 - 23 Sep 2023) and the Hakari bridge checkpoint (listed, not placed).",
        # olive: no event type's colour is near it (orange waypoints read as "political"
        # events, issue 12 bug 9)
        color="#7a8b00",
    ),
    Layer(
        name="stepanakert",
        title="Stepanakert",
        role="reference",
        builder="dashboard.build.stepanakert:build",
        docs="Stepanakert's verified centre and the Natural Earth Khankendi city unit.",
        color="#6a51a3",
    ),
    Layer(
        name="peacekeeper_posts",
        title="Peacekeeper checkpoints and posts",
        role="reference",
        builder="dashboard.build.peacekeeper_posts:build",
        docs="Russian peacekeepers' headquarters and posts named in MoD bulletins and press "
        "reports, at their proxy settlements or listed unplaced, each dated with its source; "
        "all gone by 15 May 2024.",
        color="#a50f15",
    ),
    # The offline basemap, in drawing order (later on top).
    Layer(
        name="context_countries",
        title="Countries",
        role="context",
        builder="dashboard.build.context_countries:build",
        docs="Natural Earth 1:10m countries (de jure), via world-atlas 2.0.2.",
        basemap=(
            ("fill", {"color": "#f4f1ea", "opacity": 1}),
            ("line", {"color": "#b8b2a6", "line": {"width": 0.6}}),
        ),
    ),
    Layer(
        name="context_lakes",
        title="Lakes",
        role="context",
        builder="dashboard.build.context_lakes:build",
        docs="Natural Earth 1:10m lakes.",
        basemap=(("fill", {"color": "#c6dbef", "opacity": 1}),),
    ),
    Layer(
        name="context_rivers",
        title="Rivers",
        role="context",
        builder="dashboard.build.context_rivers:build",
        docs="Natural Earth 1:10m rivers and lake centrelines.",
        basemap=(("line", {"color": "#8fb8de", "line": {"width": 1.2}}),),
    ),
    Layer(
        name="context_boundaries",
        title="International boundaries",
        role="context",
        builder="dashboard.build.context_boundaries:build",
        docs="Natural Earth 1:10m international land boundary lines.",
        basemap=(("line", {"color": "#7a7a7a", "line": {"width": 1.4, "dash": [3, 1]}}),),
    ),
)

_registry: dict[str, Layer] = {layer.name: layer for layer in _BUILT_IN}

# The built-in layers' names as constants (LayerName.AOR == "aor"), for code and tests that
# name one of them. Derived from the registry, never listed a second time.
LayerName = StrEnum("LayerName", {layer.name.upper(): layer.name for layer in _BUILT_IN})


def layers() -> tuple[Layer, ...]:
    """Every registered layer: reference layers first, in display order, then the basemap."""
    return tuple(_registry.values())


def reference_layers() -> tuple[Layer, ...]:
    return tuple(layer for layer in _registry.values() if layer.role == "reference")


def context_layers() -> tuple[Layer, ...]:
    return tuple(layer for layer in _registry.values() if layer.role == "context")


def layer_names() -> tuple[str, ...]:
    return tuple(_registry)


def get(name: str) -> Layer:
    """The registered layer called `name` (KeyError if there is none)."""
    return _registry[name]


def register(layer: Layer) -> None:
    """Add a layer (reference layers before the basemap, keeping display order)."""
    if layer.name in _registry:
        raise ValueError(f"layer {layer.name!r} is already registered")
    if layer.role not in ("reference", "context"):
        raise ValueError(f"layer {layer.name!r}: role must be 'reference' or 'context'")
    ordered = [*reference_layers(), *([layer] if layer.role == "reference" else [])]
    ordered += [*context_layers(), *([layer] if layer.role == "context" else [])]
    _registry.clear()
    _registry.update({each.name: each for each in ordered})


def unregister(name: str) -> None:
    """Remove a layer added with `register` (the built-in layers stay)."""
    if name in {layer.name for layer in _BUILT_IN}:
        raise ValueError(f"{name!r} is a built-in layer")
    _registry.pop(name, None)
