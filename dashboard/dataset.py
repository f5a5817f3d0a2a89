"""What the app holds once the data is loaded: the dataset and its records, as plain values.

`dashboard.loading` builds a `Dataset` from the files in geodata/ (validating every record
against `dashboard.model`); everything above it (selection, figures, panels, the API) reads
these types and nothing else. Frozen: no request can change what another one sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.acled import AcledEventProperties
from dashboard.history import EMPTY_HISTORY, History
from dashboard.model import Citation, Document, LayerProperties, PlaceProperties
from dashboard.tables import Event, EventTable, LonLat

__all__ = [
    "AcledEvent",
    "Dataset",
    "Event",
    "EventTable",
    "LayerFeature",
    "LonLat",
    "Place",
    "same_point",
]


@dataclass(frozen=True)
class Place:
    """A gazetteer entry (geodata/places.geojson)."""

    props: PlaceProperties
    lonlat: LonLat | None  # None: off the map (no coordinates, or beyond the map's reach)


@dataclass(frozen=True)
class AcledEvent:
    """An ACLED event (geodata/acled_events.geojson): a separate source, never an `Event`."""

    props: AcledEventProperties
    lonlat: LonLat

    @property
    def id(self) -> str:
        return self.props.id


@dataclass(frozen=True)
class LayerFeature:
    """One feature of a layer in geodata/layers/."""

    props: LayerProperties
    geometry: dict[str, Any] | None  # GeoJSON geometry as stored; None = listed, not placed


@dataclass(frozen=True)
class Dataset:
    """Every loaded file, validated and cross-checked (`dashboard.loading.load_dataset`)."""

    documents: Mapping[str, Document]
    texts: Mapping[str, str]  # document id -> full seed text
    places: Mapping[str, Place]
    events: EventTable  # sorted by date_start, date_end, id (a tuple of events is wrapped)
    citations: tuple[Citation, ...]
    layers: Mapping[str, tuple[LayerFeature, ...]]  # layer name -> features, registry order
    raw_layers: Mapping[str, dict[str, Any]] = field(repr=False)  # as stored, for the API
    history: History = EMPTY_HISTORY  # published changes and the data version (history.json)
    acled: tuple[AcledEvent, ...] = ()  # imported ACLED events, sorted by date_start, then id
    store: Path | None = None  # the columnar store the events come from (dashboard.store)

    def __post_init__(self) -> None:
        if not isinstance(self.events, EventTable):
            object.__setattr__(self, "events", EventTable.from_events(tuple(self.events)))

    def event(self, event_id: str) -> Event | None:
        row = self.events.position(event_id)
        return None if row is None else self.events[row]


def same_point(a: LonLat | None, b: LonLat | None, tolerance: float = 1e-6) -> bool:
    """Two coordinates equal to within rounding (1e-6 degrees, about 0.1 m)."""
    if a is None or b is None:
        return False
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance
