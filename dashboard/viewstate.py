"""What a view is (window, selected event, visible layers, filters, list order, map position)
and how a URL query encodes it.

Shareable links carry `?start=YYYY-MM-DD&end=YYYY-MM-DD&event=<id>&layers=a,b`, the filters
(`type=…&actor=…&vague=hide`, spelled as dashboard/filters.py says), the list's order
(`sort=title`, left out for date order) and where the map looks (`map=zoom/lat/lon`, left
out until the map is moved, so a link fits the map to its events), written by
the browser (assets/contract.js: viewQuery, the one writer) and read back here. Anything
unreadable falls back to the default for that part alone: a mangled link must still open the
map. `link_problems` says what was set aside, for the notice above the map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard import registry
from dashboard.acled import ACLED_LAYER
from dashboard.contract import EVENTS_LAYER
from dashboard.dataset import Dataset
from dashboard.days import day_date, day_number, format_date
from dashboard.filters import NO_FILTERS, Filters, facets_of, parse_filters
from dashboard.selection import Window, clamp_window, timeline_bounds


def toggleable_layers() -> tuple[str, ...]:
    """What the layer control can show or hide, in its display order."""
    return tuple(layer.name for layer in registry.reference_layers()) + (
        EVENTS_LAYER,
        ACLED_LAYER,  # imported ACLED events: a separate source (dashboard/acled.py)
    )


# The event list's orders (dashboard/panels.py: SORT_KEYS); "date" is the default.
LIST_SORT_VALUES = ("date", "latest", "title", "type", "place")


@dataclass(frozen=True)
class MapView:
    """Where the map looks: its zoom and centre, as a link keeps them (`map=zoom/lat/lon`)."""

    zoom: float
    lat: float
    lon: float


@dataclass(frozen=True)
class ViewState:
    window: Window
    selected_event: str | None
    visible_layers: tuple[str, ...]
    sort: str = "date"  # the event list's order
    map_view: MapView | None = None  # None: fitted to the window's events (dashboard/mapview.py)
    filters: Filters = NO_FILTERS


def default_view(dataset: Dataset) -> ViewState:
    return ViewState(timeline_bounds(dataset), None, toggleable_layers())


def _date(text: str | None) -> dt.date | None:
    if not text or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_view_state(args: Mapping[str, str], dataset: Dataset) -> ViewState:
    """Read a view from URL query arguments; each unreadable part falls back to its default."""
    default = default_view(dataset)
    bounds = default.window
    start, end = _date(args.get("start")), _date(args.get("end"))
    window = clamp_window((start or bounds[0], end or bounds[1]), bounds)

    event_id = args.get("event")
    selected = event_id if event_id and dataset.event(event_id) is not None else None

    layers = default.visible_layers
    if "layers" in args:
        requested = {name.strip() for name in str(args["layers"]).split(",")} - {""}
        known = tuple(name for name in toggleable_layers() if name in requested)
        # "layers=" is a real view (everything hidden); a list of only unknown names is not.
        layers = known if known or not requested else default.visible_layers
    sort = args.get("sort")
    return ViewState(
        window,
        selected,
        layers,
        sort=sort if sort in LIST_SORT_VALUES else "date",
        map_view=parse_map_view(args.get("map")),
        filters=parse_filters(args, facets_of(dataset))[0],  # unknown values: left out
    )


def _shown(text: object, limit: int = 40) -> str:
    """A part of the address, quoted and cut short, to name it in a notice (shown as text)."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def link_problems(args: Mapping[str, str], dataset: Dataset) -> list[str]:
    """What a link asked for that the map could not show, in the reader's words: each part
    `parse_view_state` set aside or changed, and what it shows instead. [] for a good link."""
    problems = []
    bounds = timeline_bounds(dataset)
    first, last = (format_date(d) for d in bounds)
    asked = {}
    for name in ("start", "end"):
        text = args.get(name)
        if text is None or text == "":
            continue
        day = _date(text)
        if day is None:
            edge = "first" if name == "start" else "last"
            problems.append(f"{name} {_shown(text)} is not a date (YYYY-MM-DD): the {edge} "
                            f"day of the timeline is used")  # fmt: skip
        else:
            asked[name] = day
    if any(not bounds[0] <= day <= bounds[1] for day in asked.values()):
        problems.append(f"the dates asked for lie outside the timeline ({first} – {last}): "
                        "moved inside it")  # fmt: skip
    if "start" in asked and "end" in asked and asked["start"] > asked["end"]:
        problems.append("start is after end: the two are swapped")
    event_id = args.get("event")
    if event_id and dataset.event(event_id) is None:
        problems.append(f"event {_shown(event_id)} is not in the data: nothing is selected")
    if "layers" in args:
        requested = [name.strip() for name in str(args["layers"]).split(",") if name.strip()]
        unknown = [name for name in requested if name not in toggleable_layers()]
        if unknown:
            shown = ", ".join(_shown(n, 20) for n in unknown[:5])
            instead = "every layer is shown" if len(unknown) == len(requested) else "left out"
            problems.append(f"no layer is called {shown}: {instead}")
    sort = args.get("sort")
    if sort and sort not in LIST_SORT_VALUES:
        problems.append(f"the list has no order {_shown(sort)}: it is in date order")
    if args.get("map") and parse_map_view(args.get("map")) is None:
        problems.append(f"map {_shown(args['map'])} is not zoom/latitude/longitude on the "
                        "globe: the map is fitted to the events")  # fmt: skip
    problems += [f"filter {p}: left out" for p in parse_filters(args, facets_of(dataset))[1]]
    return problems


def parse_map_view(text: str | None) -> MapView | None:
    """`zoom/lat/lon` (as assets/contract.js writes it) -> MapView; None when unreadable or
    off the world (each part finite, zoom 0-24, latitude +-85, longitude +-180)."""
    parts = str(text or "").split("/")
    if len(parts) != 3 or any(len(p) > 20 for p in parts):
        return None
    try:
        zoom, lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    if not (0 <= zoom <= 24 and -85 <= lat <= 85 and -180 <= lon <= 180):  # NaN fails too
        return None
    return MapView(zoom, lat, lon)


# --------------------------------------------------------------------------- the date slider


def window_from_slider(value: Any, dataset: Dataset) -> Window:
    """Slider days -> dates; anything unreadable means the whole timeline."""
    bounds = timeline_bounds(dataset)
    try:
        lo, hi = sorted(int(v) for v in value)
    except (TypeError, ValueError):
        return bounds
    origin = bounds[0]
    return clamp_window((day_date(lo, origin), day_date(hi, origin)), bounds)


def slider_value(window: Window, dataset: Dataset) -> list[int]:
    """Dates -> the slider's [low, high] days: the inverse of `window_from_slider`."""
    origin = timeline_bounds(dataset)[0]
    return [day_number(window[0], origin), day_number(window[1], origin)]
