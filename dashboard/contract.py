"""The browser contract: what the page's scripts receive, and the style tables they share.

The server sends the browser one *scrub model* (the `scrub-model` store, built by
`dashboard.figures.scrub_model`). With it, assets/scrub.js redoes the window rule for any
slider position and patches the figure, and assets/events_layer.js draws the events. Its
shape is `ScrubModel` below; `CONTRACT_VERSION` changes whenever that shape or its meaning
changes, and assets/contract.js refuses a model of another version with a visible message
instead of drawing a wrong or blank map (a browser still running the previous scripts
after a deploy, say).

Day numbers (`s`, `e`) count days from `origin`, the slider's first day (dashboard.days);
null is an open end. The window rule is `overlaps` in dashboard.selection and in
assets/contract.js; the browser tests check that both agree.

The style tables are here, not in the figure code, because three readers must agree on
them: the figure (dashboard.figures), the legend (dashboard.panels.legend) and the browser
(events_layer.js reads `style` from the model).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter
from typing_extensions import TypedDict  # pydantic validates only this TypedDict on 3.11

from dashboard.model import Accuracy, GeoPrecision

CONTRACT_VERSION = 2  # assets/contract.js: CONTRACT_VERSION must be the same number

# The name of the events in the layer control and the URL's `layers=`; the reference layers'
# names come from dashboard.registry.
EVENTS_LAYER = "events"

# --------------------------------------------------------------------------- style tables

# Reference layers: less certain geometry is drawn lighter and with a looser dash.
AREA_OPACITY = {
    Accuracy.VERIFIED: 0.35,
    Accuracy.APPROXIMATE: 0.22,
    Accuracy.SCHEMATIC: 0.12,
    Accuracy.SETTLEMENT_PROXY: 0.12,
}
OUTLINE_DASH = {
    Accuracy.VERIFIED: None,
    Accuracy.APPROXIMATE: [4, 2],
    Accuracy.SCHEMATIC: [2, 3],
    Accuracy.SETTLEMENT_PROXY: [1, 3],
}
POINT_STYLE = {  # accuracy -> (size px, opacity): a proxy is a wide, pale disc, not a pin
    Accuracy.VERIFIED: (10, 1.0),
    Accuracy.APPROXIMATE: (12, 0.8),
    Accuracy.SCHEMATIC: (12, 0.7),
    Accuracy.SETTLEMENT_PROXY: (15, 0.6),
}

# Events: colour by type (one type at a place) and size/opacity by the vaguest precision.
EVENT_COLORS = {
    "agreement": "#0072B2",
    "political": "#D55E00",
    "diplomatic": "#009E73",
    "military": "#CC79A7",
    "protest": "#E69F00",
    "statement": "#56B4E9",
}
SEVERAL_TYPES_COLOR = "#444444"
EVENT_MARKER = {  # geo precision -> (size px, opacity): vaguer places draw as wider, paler discs
    GeoPrecision.EXACT: (12, 0.95),
    GeoPrecision.SETTLEMENT: (14, 0.9),
    GeoPrecision.NEAR: (22, 0.55),  # a nearby settlement stands in: a wider disc says "about here"
    GeoPrecision.REGION: (34, 0.35),
    GeoPrecision.COUNTRY: (48, 0.25),
}
# Order of vagueness: a group of events is drawn as vague as its vaguest member.
PRECISION_RANK = {
    GeoPrecision.EXACT: 0,
    GeoPrecision.SETTLEMENT: 1,
    GeoPrecision.NEAR: 2,
    GeoPrecision.REGION: 3,
    GeoPrecision.COUNTRY: 4,
    GeoPrecision.OFF_MAP: 5,
}
HALO_COLOR = "#111111"
# A reference feature drawn faint from its `faint_from` day to its last day: it held only
# formally (the area of responsibility after 20 Sep 2023) or may already have ended (a post
# whose closing day is unknown). The figure draws such a feature as two pieces.
FAINT_FACTOR = 0.35  # opacity multiplier
FAINT_DASH = [1, 3]
# Areas whose kind marks the uncertain part of a layer are drawn weaker still.
AREA_KIND_FACTOR = {"aor-margin": 0.5}
# The blockade of the Lachin corridor, drawn over the 2022 road, thick and dark red.
BLOCKADE_KIND = "blockade"
BLOCKADE_STYLE = {"color": "#67001f", "line": {"width": 5, "dash": [2, 1]}}


# --------------------------------------------------------------------------- the schema


class ItemSpan(TypedDict):
    s: int | None  # first day the item is shown (day number), null = from the start
    e: int | None  # last day (inclusive), null = to the end


class TraceModel(TypedDict):
    """A figure trace whose items follow the window (a reference layer's areas or points)."""

    index: int  # position in figure.data
    layer: str  # registry name: the trace is hidden when the layer is
    items: list[ItemSpan]  # one per feature, in the trace's order
    columns: dict[str, list[Any]]  # trace arrays ("marker.size" = nested path), one per item


class LineLayerModel(TypedDict):
    """A map layer (figure.layout.map.layers) drawing one reference feature's outline/route."""

    index: int  # position in layout.map.layers
    layer: str
    s: int | None
    e: int | None


class EventsFileModel(TypedDict):
    """Where the events are: not in the model but in their own file, fetched once per data
    version and cacheable (layout: dashboard/scrub_data.py, which writes this same
    CONTRACT_VERSION into the file's header; assets/events_layer.js checks it)."""

    url: str  # /api/scrub-data/<version>.bin
    count: int  # events in the file


class StyleModel(TypedDict):
    event_colors: dict[str, str]
    several_types_color: str
    event_marker: dict[str, list[float]]  # precision -> [size px, opacity]
    precision_rank: dict[str, int]


class ScrubModel(TypedDict):
    version: int  # CONTRACT_VERSION
    origin: str  # ISO date of day 0
    events_layer: str  # EVENTS_LAYER: the layer-control value that shows the events
    data_version: int  # dashboard/history.py: share links carry it as v=N ("as of")
    traces: list[TraceModel]
    line_layers: list[LineLayerModel]
    halo_index: int  # position in figure.data of the selected event's halo
    events: EventsFileModel
    style: StyleModel


def style_model() -> StyleModel:
    """The style tables as the browser receives them."""
    return {
        "event_colors": dict(EVENT_COLORS),
        "several_types_color": SEVERAL_TYPES_COLOR,
        "event_marker": {p.value: list(v) for p, v in EVENT_MARKER.items()},
        "precision_rank": {p.value: r for p, r in PRECISION_RANK.items()},
    }


def check_scrub_model(model: Any) -> ScrubModel:
    """The model if it has the contract's shape (pydantic ValidationError otherwise)."""
    return _scrub_model_adapter().validate_python(model, strict=True)


@cache
def _scrub_model_adapter() -> TypeAdapter[ScrubModel]:
    return TypeAdapter(ScrubModel)  # built on first use (the app's start, dashboard/layout.py)
