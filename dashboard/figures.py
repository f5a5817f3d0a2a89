"""Build the map figure and the browser's scrub model as plain dicts.

Plain dicts, not `go.Figure`: plotly's validation costs about a second for 100k points here,
and a dict is what dcc.Graph receives anyway. The figure uses only MapLibre traces on the
`white-bg` style with GeoJSON layers, so it draws with no network.

The slider's month marks are here too (the chart above the slider: dashboard/timeline_chart.py).

Two products come out of one description of the layers:
- `map_figure(dataset, view)`: the reference layers for one view (the first paint,
  server-side);
- `scrub_model(dataset)`: every item with its day span, so assets/scrub.js can redo the
  selection in the browser for any window and patch only the arrays that change, plus the
  address of the events' columns (dashboard/scrub_data.py) that assets/events_layer.js draws.

Trace order is fixed: reference areas, reference points, place dots, the selection halo.
The events are not a plotly trace: plotly re-syncs every MapLibre source it owns whenever
any array changes (about 250 ms for 2k markers here), so the events are a MapLibre layer of
their own, drawn above the figure, whose markers a window step only re-lights
(assets/events_layer.js; bench/scrub.py measures it).
"""

from __future__ import annotations

import copy
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard import registry
from dashboard.acled import ACLED_LAYER
from dashboard.acled_view import acled_columns, acled_items, acled_trace
from dashboard.contract import (
    AREA_KIND_FACTOR,
    AREA_OPACITY,
    BLOCKADE_KIND,
    BLOCKADE_STYLE,
    CONTRACT_VERSION,
    EVENTS_LAYER,
    FAINT_DASH,
    FAINT_FACTOR,
    HALO_COLOR,
    OUTLINE_DASH,
    POINT_STYLE,
    ItemSpan,
    LineLayerModel,
    ScrubModel,
    TraceModel,
    style_model,
)
from dashboard.dataset import Dataset, LayerFeature
from dashboard.days import day_number
from dashboard.filters import acled_shown
from dashboard.mapview import basemap_bounds, country_labels
from dashboard.model import Accuracy
from dashboard.registry import Layer
from dashboard.scrub_data import event_columns
from dashboard.selection import features_in_window, timeline_bounds
from dashboard.store import PlaceTable
from dashboard.traces import marker_trace
from dashboard.viewstate import ViewState

# Framed on Karabakh; zooming out reaches Yerevan and Baku.
MAP_CENTER = {"lat": 39.78, "lon": 46.75}
MAP_ZOOM = 8.3


def escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover text: make data text literal."""
    return html.escape(text, quote=False)


# --------------------------------------------------------------------------- layer traces


def is_faint(feature: LayerFeature) -> bool:
    """A stretch from `drawn_stretches` that is the faint part of its feature."""
    return feature.props.faint_from is not None


def drawn_stretches(features: Iterable[LayerFeature]) -> list[LayerFeature]:
    """What is drawn for the features: a feature with `faint_from` becomes two stretches, the
    one before it (normal) and the one from it to valid_to (faint). Each stretch is the
    feature with its span narrowed, so the window rule selects stretches like features."""
    pieces = []
    for f in features:
        start = f.props.faint_from
        if start is None:
            pieces.append(f)
            continue
        if f.props.valid_from is None or f.props.valid_from < start:
            normal = f.props.model_copy(
                update={"valid_to": start - dt.timedelta(days=1), "faint_from": None}
            )
            pieces.append(LayerFeature(normal, f.geometry))
        faint = f.props.model_copy(update={"valid_from": start})
        pieces.append(LayerFeature(faint, f.geometry))
    return pieces


@dataclass(frozen=True)
class _AreaTrace:
    layer: Layer
    accuracy: Accuracy
    features: tuple[LayerFeature, ...]  # drawn stretches
    faint: bool = False
    kind_factor: float = 1.0

    @property
    def opacity(self) -> float:
        base = AREA_OPACITY.get(self.accuracy, 0.15) * self.kind_factor
        return round(base * FAINT_FACTOR if self.faint else base, 3)


def _area_traces(dataset: Dataset) -> list[_AreaTrace]:
    traces = []
    for layer in registry.reference_layers():
        groups: dict[tuple[Accuracy, bool, float], list[LayerFeature]] = {}
        for stretch in drawn_stretches(dataset.layers.get(layer.name, ())):
            if stretch.geometry and stretch.geometry["type"] in ("Polygon", "MultiPolygon"):
                factor = AREA_KIND_FACTOR.get(stretch.props.kind, 1.0)
                key = (stretch.props.accuracy, is_faint(stretch), factor)
                groups.setdefault(key, []).append(stretch)
        # Least certain first, so more certain areas draw on top of their margins.
        for key in sorted(groups, key=lambda k: (not k[1], k[2], -AREA_OPACITY.get(k[0], 0.1))):
            accuracy, faint, factor = key
            traces.append(_AreaTrace(layer, accuracy, tuple(groups[key]), faint, factor))
    return traces


def _point_features(dataset: Dataset, layer: Layer) -> list[LayerFeature]:
    return [
        f
        for f in drawn_stretches(dataset.layers.get(layer.name, ()))
        if f.geometry and f.geometry["type"] == "Point"
    ]


def _line_features(dataset: Dataset) -> list[LayerFeature]:
    return [
        f
        for layer in registry.reference_layers()
        for f in drawn_stretches(dataset.layers.get(layer.name, ()))
        if f.geometry and f.geometry["type"] in ("LineString", "MultiLineString")
    ]


def _outlined_features(dataset: Dataset) -> list[LayerFeature]:
    return [f for t in _area_traces(dataset) for f in t.features]


def _hover(feature: LayerFeature) -> str:
    faint = "<br>faint: held only formally, or may have ended" if is_faint(feature) else ""
    return f"<b>{escape(feature.props.name)}</b><br>{feature.props.accuracy.value}{faint}"


def _area_columns(features: Sequence[LayerFeature]) -> dict[str, list[Any]]:
    return {
        "locations": [f.props.id for f in features],
        "z": [0] * len(features),
        "customdata": [f.props.id for f in features],
        "text": [_hover(f) for f in features],
    }


def _point_columns(features: Sequence[LayerFeature]) -> dict[str, list[Any]]:
    style = [
        (size, round(opacity * FAINT_FACTOR, 3) if is_faint(f) else opacity)
        for f in features
        for size, opacity in [POINT_STYLE.get(f.props.accuracy, (10, 0.8))]
    ]
    return {
        "lon": [f.geometry["coordinates"][0] for f in features],  # type: ignore[index]
        "lat": [f.geometry["coordinates"][1] for f in features],  # type: ignore[index]
        "customdata": [f.props.id for f in features],
        "text": [_hover(f) for f in features],
        "marker.size": [s for s, _ in style],
        "marker.opacity": [o for _, o in style],
    }


def _area_trace(trace: _AreaTrace, features: Sequence[LayerFeature], visible: bool) -> dict:
    color = trace.layer.color
    return {
        "type": "choroplethmap",
        "name": f"{trace.layer.title} ({trace.accuracy.value})",
        "meta": {"layer": trace.layer.name, "role": "area"},
        "geojson": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "id": f.props.id, "properties": {}, "geometry": f.geometry}
                for f in trace.features
            ],
        },
        **_area_columns(features),
        "colorscale": [[0, color], [1, color]],
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "marker": {"opacity": trace.opacity, "line": {"width": 0}},
        "hovertemplate": "%{text}<extra></extra>",
        "visible": visible,
        "showlegend": False,
    }


def _point_trace(layer: Layer, features: Sequence[LayerFeature], visible: bool) -> dict:
    return marker_trace(
        name=layer.title,
        layer=layer.name,
        role="points",
        columns=_point_columns(features),
        color=layer.color,
        visible=visible,
    )


# --------------------------------------------------------------------------- basemap layers


def _geojson_layer(geojson: dict, kind: str, **style: Any) -> dict:
    layer = {"sourcetype": "geojson", "source": geojson, "type": kind, "below": "traces"}
    layer.update(style)
    return layer


def _context_layers(dataset: Dataset) -> list[dict]:
    """The offline basemap (countries, water, boundaries), styled as the registry says. Always
    shown."""
    layers = []
    for layer in registry.context_layers():
        raw = dataset.raw_layers.get(layer.name)
        if raw is None:
            continue
        for kind, style in layer.basemap:
            layers.append(_geojson_layer(raw, kind, **copy.deepcopy(style)))
    return layers


def _feature_geojson(feature: LayerFeature) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": feature.geometry}


def _reference_line_layers(dataset: Dataset) -> list[tuple[LayerFeature, dict]]:
    """Dashed outlines of areas and the (schematic) routes, one map layer per feature."""
    layers = []
    for feature in _outlined_features(dataset) + _line_features(dataset):
        color = registry.get(feature.props.layer).color
        dash = OUTLINE_DASH.get(feature.props.accuracy)
        is_route = feature.geometry["type"] in ("LineString", "MultiLineString")  # type: ignore[index]
        line: dict[str, Any] = {"width": 2.5 if is_route else 1.6}
        if dash:
            line["dash"] = dash
        style: dict[str, Any] = {"color": color, "line": line}
        if feature.props.kind == BLOCKADE_KIND:
            style = {"color": BLOCKADE_STYLE["color"], "line": dict(BLOCKADE_STYLE["line"])}
        if is_faint(feature):
            style["opacity"] = FAINT_FACTOR
            style["line"] = {"width": style["line"]["width"], "dash": FAINT_DASH}
        # `name` lets a test find the map layer that draws a given feature
        name = feature.props.id + (" (faint)" if is_faint(feature) else "")
        layers.append(
            (feature, _geojson_layer(_feature_geojson(feature), "line", name=name, **style))
        )
    return layers


# --------------------------------------------------------------------------- selection


def _halo_trace(dataset: Dataset, selected: str | None) -> dict:
    event = dataset.event(selected) if selected else None
    lonlat = event.lonlat if event else None
    return {
        "type": "scattermap",
        "mode": "markers",
        "name": "Selected",
        "meta": {"role": "halo"},
        "lon": [lonlat[0]] if lonlat else [],
        "lat": [lonlat[1]] if lonlat else [],
        "marker": {"size": 30, "color": HALO_COLOR, "opacity": 0.55},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _labelled_places(dataset: Dataset) -> list:
    if isinstance(dataset.places, PlaceTable):  # from its columns: no scan of every place
        return dataset.places.labelled()
    return [p for p in dataset.places.values() if p.lonlat is not None and p.props.label]


def _place_points(dataset: Dataset) -> dict:
    """Small dots for the gazetteer's places; their names are drawn by assets/labels.js."""
    places = _labelled_places(dataset)
    return {
        "type": "scattermap",
        "mode": "markers",
        "name": "Places",
        "meta": {"role": "context"},
        "lon": [p.lonlat[0] for p in places],
        "lat": [p.lonlat[1] for p in places],
        "text": [escape(p.props.name) for p in places],
        "marker": {"size": 5, "color": "#333333"},
        # Not hoverable: a place dot must never catch the click meant for a marker on it.
        "hoverinfo": "skip",
        "showlegend": False,
    }


def place_labels(dataset: Dataset) -> list[list]:
    """[lon, lat, name] for HTML labels: MapLibre text needs an online glyph server."""
    return [[p.lonlat[0], p.lonlat[1], p.props.name] for p in _labelled_places(dataset)]


# --------------------------------------------------------------------------- figure pieces


@dataclass(frozen=True)
class Piece:
    """One trace of the figure. `figure_pieces` lists them in figure.data order, so a
    piece's position there is its index in the figure (and in the scrub model)."""

    role: str  # "area" | "points" (a reference layer's), "acled", "context" (place dots), "halo"
    layer: Layer | None = None
    accuracy: Accuracy | None = None
    features: tuple[LayerFeature, ...] = ()
    faint: bool = False  # areas: the faint stretches of their features
    kind_factor: float = 1.0  # areas: AREA_KIND_FACTOR of their kind


def figure_pieces(dataset: Dataset) -> list[Piece]:
    """The figure's traces in drawing order: reference areas, reference points, place dots,
    the selection halo."""
    pieces = [
        Piece("area", a.layer, a.accuracy, a.features, a.faint, a.kind_factor)
        for a in _area_traces(dataset)
    ]
    for layer in registry.reference_layers():
        points = _point_features(dataset, layer)
        if points:
            pieces.append(Piece("points", layer, None, tuple(points)))
    if dataset.acled:  # imported ACLED events: a separate source with its own layer toggle
        pieces.append(Piece("acled"))
    return [*pieces, Piece("context"), Piece("halo")]


def map_layer_pieces(dataset: Dataset) -> list[tuple[LayerFeature | None, dict]]:
    """layout.map.layers in order, each with the reference feature it draws (None for the
    basemap, which is always shown)."""
    return [(None, layer) for layer in _context_layers(dataset)] + [
        (feature, layer) for feature, layer in _reference_line_layers(dataset)
    ]


# --------------------------------------------------------------------------- the figure


def _trace(piece: Piece, dataset: Dataset, view: ViewState) -> dict:
    window, visible = view.window, set(view.visible_layers)
    if piece.role in ("area", "points"):
        assert piece.layer is not None
        shown = features_in_window(piece.features, window)
        on = piece.layer.name in visible and bool(shown)
        if piece.role == "area":
            area = _AreaTrace(
                piece.layer,
                piece.accuracy,  # type: ignore[arg-type]
                piece.features,
                piece.faint,
                piece.kind_factor,
            )
            return _area_trace(area, shown, on)
        return _point_trace(piece.layer, shown, on)
    if piece.role == "acled":
        # the filters narrow ACLED rows too (dashboard/filters.py)
        shown_acled = acled_shown(dataset, view.filters, window)
        return acled_trace(shown_acled, ACLED_LAYER in visible and bool(shown_acled))
    if piece.role == "context":
        return _place_points(dataset)
    halo = _halo_trace(dataset, view.selected_event)
    # An emptied trace stays drawn in plotly's MapLibre maps: hide empty traces instead.
    halo["visible"] = bool(halo["lon"])
    return halo


def map_figure(dataset: Dataset, view: ViewState) -> dict:
    """The map for one view, as a plain plotly figure dict."""
    window, visible = view.window, set(view.visible_layers)
    traces = [_trace(piece, dataset, view) for piece in figure_pieces(dataset)]
    map_layers = []
    for feature, layer in map_layer_pieces(dataset):
        if feature is not None:
            layer["visible"] = feature.props.layer in visible and bool(
                features_in_window([feature], window)
            )
        map_layers.append(layer)

    return {
        "data": traces,
        "layout": {
            "map": {
                "style": "white-bg",
                # a link's map position, else a frame that the first view's fit replaces
                **(
                    {"center": {"lat": mv.lat, "lon": mv.lon}, "zoom": mv.zoom}
                    if (mv := view.map_view)
                    else {"center": MAP_CENTER, "zoom": MAP_ZOOM}
                ),
                "layers": map_layers,
                # no panning or zooming out past the bundled basemap (dashboard/mapview.py)
                **({"bounds": extent} if (extent := basemap_bounds(dataset)) else {}),
            },
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "showlegend": False,
            "uirevision": "keep-user-zoom",  # scrubbing must not reset the user's pan and zoom
            "hoverlabel": {"align": "left"},
            "paper_bgcolor": "#dfe8ef",
            "meta": {"labels": place_labels(dataset) + country_labels(dataset)},
        },
    }


# --------------------------------------------------------------------------- scrub model


def _items(features: Iterable[LayerFeature], origin: dt.date) -> list[ItemSpan]:
    return [
        {"s": day_number(f.props.valid_from, origin), "e": day_number(f.props.valid_to, origin)}
        for f in features
    ]


def scrub_model(dataset: Dataset) -> ScrubModel:
    """What the browser receives (dashboard/contract.py states its shape and version):
    everything assets/scrub.js needs to redo `map_figure`'s selection for any window, and
    the events assets/events_layer.js draws.

    Days are counted from `origin`, the slider's first day, so the slider's integer values
    compare directly with item spans (null = open end). Trace and map-layer indices are the
    positions in `figure_pieces` and `map_layer_pieces`, the lists `map_figure` draws.
    """
    origin = timeline_bounds(dataset)[0]
    pieces = figure_pieces(dataset)
    figure_traces: list[TraceModel] = []
    for index, piece in enumerate(pieces):
        if piece.role in ("area", "points"):
            assert piece.layer is not None
            columns = _area_columns if piece.role == "area" else _point_columns
            figure_traces.append(
                {
                    "index": index,
                    "layer": piece.layer.name,
                    "items": _items(piece.features, origin),
                    "columns": columns(piece.features),
                }
            )
        elif piece.role == "acled":
            figure_traces.append(
                {
                    "index": index,
                    "layer": ACLED_LAYER,
                    "items": acled_items(dataset.acled, origin),
                    "columns": acled_columns(dataset.acled),
                }
            )
    halo_index = next(i for i, piece in enumerate(pieces) if piece.role == "halo")

    line_layers: list[LineLayerModel] = [
        {
            "index": index,
            "layer": feature.props.layer,
            "s": day_number(feature.props.valid_from, origin),
            "e": day_number(feature.props.valid_to, origin),
        }
        for index, (feature, _) in enumerate(map_layer_pieces(dataset))
        if feature is not None
    ]

    events_file = event_columns(dataset)
    return {
        "version": CONTRACT_VERSION,
        "origin": origin.isoformat(),
        "events_layer": EVENTS_LAYER,
        "data_version": dataset.history.data_version,  # share links carry it (as of)
        "traces": figure_traces,
        "line_layers": line_layers,
        "halo_index": halo_index,
        # The events travel in their own file (dashboard/scrub_data.py), fetched once per
        # data version and cacheable: the page carries only its address.
        "events": {"url": events_file.url, "count": len(dataset.events)},
        "style": style_model(),
    }


# --------------------------------------------------------------------------- time panel


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    current = dt.date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def slider_marks(bounds: tuple[dt.date, dt.date]) -> dict[int, str]:
    """A mark at every month start in the span; labels on quarters so they stay readable."""
    months = [m for m in _month_starts(*bounds) if m >= bounds[0]]
    label_every = 3 if len(months) <= 18 else 6 if len(months) <= 48 else 12
    return {
        day_number(m, bounds[0]): (f"{m:%b %Y}" if (m.month - 1) % label_every == 0 else "")
        for m in months
    }
