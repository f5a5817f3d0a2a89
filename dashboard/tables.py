"""The events as columns: `EventTable`, the one form `Dataset.events` takes.

A table is a sequence of `Event`s (len, index, slice, iterate), and it also keeps the fields
the app scans over every event as numpy columns: days, point, place, type, precision and
article passage. Window lookups, counts, bounds, the histogram and the browser's events file
work on those arrays instead of on a million Python objects.

An `Event` (with its validated pydantic properties) exists only when asked for. Either the
table was made from events already in memory (the curated data, or data just validated),
or it holds each event's properties as the JSON text that was validated
(`dashboard.store`, data kept on disk once per data version) and validates that text again
when an event is asked for: a page shows tens of events, never all of them.

`EventView` is a selection of a table's rows in a given order (a window, a sorted list), as
lazy as the table: slicing it or taking its length makes no events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from dashboard.model import Citation, EventProperties, EventType, GeoPrecision, TimePrecision

LonLat = tuple[float, float]


@dataclass(frozen=True)
class Event:
    """An event (geodata/events.geojson) with the citations that support it."""

    props: EventProperties
    lonlat: LonLat | None
    citations: tuple[Citation, ...]

    @property
    def id(self) -> str:
        return self.props.id


TYPES = tuple(t.value for t in EventType)
PRECISIONS = tuple(p.value for p in GeoPrecision)
TIME_PRECISIONS = tuple(t.value for t in TimePrecision)


@dataclass(frozen=True)
class Strings:
    """Many strings as one UTF-8 byte array: string i is data[offsets[i]:offsets[i + 1]]."""

    offsets: np.ndarray  # int64, n + 1
    data: np.ndarray  # uint8

    @classmethod
    def of(cls, values: Sequence[str]) -> Strings:
        encoded = [v.encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.data[self.offsets[i] : self.offsets[i + 1]].tobytes().decode("utf-8")

    def tolist(self) -> list[str]:
        raw = self.data.tobytes()
        bounds = self.offsets.tolist()
        return [raw[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:], strict=False)]


def _window_mask(start: np.ndarray, end: np.ndarray, window: tuple[dt.date, dt.date]):
    return (start <= window[1].toordinal()) & (end >= window[0].toordinal())


class EventTable(Sequence[Event]):
    """Every event of a dataset, in the dataset's order (start day, end day, id)."""

    def __init__(
        self,
        n: int,
        columns: Mapping[str, np.ndarray] | None = None,
        ids: Strings | None = None,
        titles: Strings | None = None,
        place_ids: Sequence[str] = (),
        document_ids: Sequence[str] = (),
        loaded: Sequence[Event] | None = None,
        props_json: Strings | None = None,
        citations: Mapping[str, tuple[Citation, ...]] | None = None,
    ) -> None:
        self._n = n
        self._columns: dict[str, np.ndarray] = dict(columns or {})
        self._ids = ids
        self._titles = titles
        self._place_ids = tuple(place_ids)
        self._document_ids = tuple(document_ids)
        self._loaded = tuple(loaded) if loaded is not None else None
        self._props_json = props_json
        self._citations = citations or {}
        self._made: dict[int, Event] = {}
        self._by_id: dict[str, int] | None = None
        self._place_rows: dict[str, int] | None = None

    @property
    def props_json(self) -> Strings | None:
        """Each event's properties as JSON text (a stored or column-built table), or None."""
        return self._props_json

    @classmethod
    def from_events(cls, events: Sequence[Event]) -> EventTable:
        """A table over events already in memory; its columns are made when first used."""
        return cls(len(events), loaded=events)

    # ------------------------------------------------------------------ the sequence

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> EventView: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return EventView(self, np.arange(self._n)[i])
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self.event_at(i)

    def __iter__(self) -> Iterator[Event]:
        if self._loaded is not None:
            return iter(self._loaded)
        return (self.event_at(i) for i in range(self._n))

    def __eq__(self, other: object) -> bool:
        return _same_events(self, other)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"EventTable({self._n} events)"

    def event_at(self, i: int) -> Event:
        if self._loaded is not None:
            return self._loaded[i]
        event = self._made.get(i)
        if event is None:
            event = self._make(i)
            if len(self._made) > 100_000:  # a bound, not a cache policy: pages ask for tens
                self._made.clear()
            self._made[i] = event
        return event

    def _make(self, i: int) -> Event:
        assert self._props_json is not None
        props = EventProperties.model_validate_json(self._props_json[i])
        lon, lat = self.column("lon")[i], self.column("lat")[i]
        lonlat = None if np.isnan(lon) else (float(lon), float(lat))
        return Event(props, lonlat, self._citations.get(props.id, ()))

    def passing_through(self) -> Iterator[Event]:
        """Every event in order, made one at a time and not kept (for answers that hold every
        event, such as the streamed GeoJSON: iterating the table keeps up to 100,000 made
        events, 320 MB at 100k)."""
        if self._loaded is not None:
            return iter(self._loaded)
        return (self._made.get(i) or self._make(i) for i in range(self._n))

    # ------------------------------------------------------------------ lookups

    def position(self, event_id: str) -> int | None:
        """The row of an event id (an index made on first use), or None."""
        if self._by_id is None:
            ids = [e.id for e in self._loaded] if self._loaded is not None else self.ids.tolist()
            self._by_id = {event_id: i for i, event_id in enumerate(ids)}
        return self._by_id.get(event_id)

    @property
    def place_ids(self) -> tuple[str, ...]:
        """The place ids the `place` column's values index."""
        self.column("place")  # set with the column
        return self._place_ids

    @property
    def document_ids(self) -> tuple[str, ...]:
        """The document ids the `document` column's values index."""
        self.column("document")  # set with the column
        return self._document_ids

    def place_row(self, place_id: str) -> int:
        """The row of a place id in `place_ids` (the `place` column's values), -1 if none."""
        if self._place_rows is None:
            self._place_rows = {p: i for i, p in enumerate(self.place_ids)}
        return self._place_rows.get(place_id, -1)

    def document_row(self, document_id: str) -> int:
        """The row of a document id in `document_ids` (the `document` column), -1 if none."""
        ids = self.document_ids
        return ids.index(document_id) if document_id in ids else -1

    def window(self, window: tuple[dt.date, dt.date]) -> EventView:
        """The events whose span overlaps the window, in the table's order."""
        mask = _window_mask(self.column("start"), self.column("end"), window)
        return EventView(self, np.flatnonzero(mask))

    def at_place(self, place_id: str) -> EventView:
        """The events at a place, in the table's order (from the place column)."""
        return EventView(self, np.flatnonzero(self.column("place") == self.place_row(place_id)))

    def count_in_window(self, window: tuple[dt.date, dt.date]) -> int:
        return int(np.count_nonzero(_window_mask(self.column("start"), self.column("end"), window)))

    # ------------------------------------------------------------------ columns

    @property
    def ids(self) -> Strings:
        if self._ids is None:
            self._ids = Strings.of([e.id for e in self._events()])
        return self._ids

    @property
    def titles(self) -> Strings:
        if self._titles is None:
            self._titles = Strings.of([e.props.title for e in self._events()])
        return self._titles

    def column(self, name: str) -> np.ndarray:
        """One column: start, end (day ordinals), lon, lat (NaN off the map), place (row in
        place_ids), type, precision, time (rows in TYPES, PRECISIONS, TIME_PRECISIONS:
        the date's precision), document (row in
        document_ids, -1 none), passage_start, passage_end (-1 none)."""
        array = self._columns.get(name)
        if array is None:
            builder = _COLUMN_GROUPS.get(name)
            if builder is None:
                raise KeyError(name)
            self._columns.update(builder(self))
            array = self._columns[name]
        return array

    def columns(self) -> dict[str, np.ndarray]:
        """Every column (made if need be): what dashboard.store writes."""
        return {name: self.column(name) for name in COLUMNS}

    def _events(self) -> Sequence[Event]:
        if self._loaded is None:
            raise RuntimeError("a stored table has every column already")
        return self._loaded


COLUMNS = (
    "start",
    "end",
    "lon",
    "lat",
    "place",
    "type",
    "precision",
    "time",
    "document",
    "passage_start",
    "passage_end",
)


def _days(table: EventTable) -> dict[str, np.ndarray]:
    events = table._events()
    return {
        "start": np.fromiter((e.props.date_start.toordinal() for e in events), np.int32),
        "end": np.fromiter((e.props.date_end.toordinal() for e in events), np.int32),
    }


def _points(table: EventTable) -> dict[str, np.ndarray]:
    events = table._events()
    points = [e.lonlat or (np.nan, np.nan) for e in events]
    array = np.array(points, dtype=np.float64).reshape(len(events), 2)
    return {"lon": array[:, 0].copy(), "lat": array[:, 1].copy()}


def _codes(table: EventTable) -> dict[str, np.ndarray]:
    events = table._events()
    places = {p: i for i, p in enumerate(dict.fromkeys(e.props.place_id for e in events))}
    table._place_ids = tuple(places)
    type_code = {name: i for i, name in enumerate(TYPES)}
    precision_code = {name: i for i, name in enumerate(PRECISIONS)}
    return {
        "place": np.fromiter((places[e.props.place_id] for e in events), np.int32),
        "type": np.fromiter((type_code[e.props.event_type.value] for e in events), np.uint8),
        "precision": np.fromiter(
            (precision_code[e.props.geo_precision.value] for e in events), np.uint8
        ),
        "time": np.fromiter(
            (TIME_PRECISIONS.index(e.props.time_precision.value) for e in events), np.uint8
        ),
    }


def _passages(table: EventTable) -> dict[str, np.ndarray]:
    events = table._events()
    documents: dict[str, int] = {}
    for e in events:
        if e.props.document_id:
            documents.setdefault(e.props.document_id, len(documents))
    table._document_ids = tuple(documents)
    rows = [
        (
            documents.get(e.props.document_id, -1),
            e.props.passage.start if e.props.passage else -1,
            e.props.passage.end if e.props.passage else -1,
        )
        for e in events
    ]
    array = np.array(rows, dtype=np.int32).reshape(len(events), 3)
    return {
        "document": array[:, 0].copy(),
        "passage_start": array[:, 1].copy(),
        "passage_end": array[:, 2].copy(),
    }


_COLUMN_GROUPS: dict[str, Callable[[EventTable], dict[str, np.ndarray]]] = {
    "start": _days,
    "end": _days,
    "lon": _points,
    "lat": _points,
    "place": _codes,
    "type": _codes,
    "precision": _codes,
    "time": _codes,
    "document": _passages,
    "passage_start": _passages,
    "passage_end": _passages,
}


class EventView(Sequence[Event]):
    """Some rows of a table in a given order; events are made only when asked for."""

    def __init__(self, table: EventTable, rows: np.ndarray) -> None:
        self.table = table
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> EventView: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return EventView(self.table, self.rows[i])
        return self.table.event_at(int(self.rows[i]))

    def __iter__(self) -> Iterator[Event]:
        return (self.table.event_at(i) for i in self.rows.tolist())

    def __eq__(self, other: object) -> bool:
        return _same_events(self, other)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"EventView({len(self.rows)} of {len(self.table)} events)"

    def position(self, event_id: str) -> int | None:
        """Where an event id stands in this view, or None (no event is made)."""
        row = self.table.position(event_id)
        if row is None:
            return None
        found = np.flatnonzero(self.rows == row)
        return int(found[0]) if len(found) else None

    def take(self, positions: np.ndarray) -> EventView:
        """The rows at these positions of this view."""
        return EventView(self.table, self.rows[positions])

    def reversed(self) -> EventView:
        return EventView(self.table, self.rows[::-1])

    def column(self, name: str) -> np.ndarray:
        return self.table.column(name)[self.rows]

    def lonlats(self) -> list[LonLat]:
        lon, lat = self.column("lon"), self.column("lat")
        placed = ~np.isnan(lon)
        return list(zip(lon[placed].tolist(), lat[placed].tolist(), strict=True))


def _same_events(a: Sequence[Event], b: Any) -> bool:
    """Sequences of events compare like lists: same events, same order."""
    if not isinstance(b, Sequence) or isinstance(b, str) or len(a) != len(b):
        return False
    return all(x is y or x == y for x, y in zip(a, b, strict=True))
