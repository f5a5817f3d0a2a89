"""The events as the browser needs them to scrub: compact columns in one binary file.

The page does not carry the events: it carries the URL of this file (`EventColumns.url`),
which names the data's version, so the file is built, compressed and hashed once per data
version and any HTTP cache may keep it forever (`dashboard.api` serves it with an ETag and
`Cache-Control: immutable`). assets/events_layer.js reads it with typed-array views: no
parsing, no per-event objects.

Part of the browser contract (dashboard/contract.py: `EventsFileModel`); the header carries
the contract's `CONTRACT_VERSION`, which assets/events_layer.js checks. File layout:

    bytes 0..3    b"KPMC"
    bytes 4..7    uint32 little-endian: length H of the header
    bytes 8..8+H  the header, UTF-8 JSON (below), padded with spaces to a multiple of 8
    then          the columns, each starting at a multiple of 8 bytes from the file start

Header: {"contract": 1, "origin": "YYYY-MM-DD", "events": n, "markers": m,
"types": [event type names], "precisions": [geo precision names],
"columns": {name: {"dtype": "uint8|uint16|int32|uint32|float64", "offset": bytes from the
file start, "length": items}}}.

Columns (events are in the dataset's order: by start day, then end day, then id):

- `events.s`, `events.e` (uint16, or int32 when days fall outside 0..65535; n items): first
  and last day (inclusive), days after `origin`.
- `events.marker` (int32, n): the event's marker, -1 when it has no place on the map.
- `events.type`, `events.precision` (uint8, n): indices into `types`, `precisions`.
- `events.id.offsets` (uint32, n + 1) and `events.id.utf8` (bytes): event ids, id i is
  utf8[offsets[i]:offsets[i + 1]]; likewise `events.title.*` (plain text, never HTML).
- `markers.lon`, `markers.lat` (float64, m): the marker's point, WGS 84 degrees.
- `markers.name.offsets`, `markers.name.utf8`: the marker's place name, as for ids.
- `markers.members.start` (int32, m + 1), `markers.members.event` (int32, mapped events):
  marker k's events are event[start[k]:start[k + 1]], ascending.

One marker per mapped place that has events, in drawing order: places whose events are
vaguest first, so pinpoint markers draw on top (`event_markers`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import struct
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dashboard.contract import CONTRACT_VERSION, PRECISION_RANK
from dashboard.dataset import Dataset
from dashboard.model import GeoPrecision
from dashboard.selection import timeline_bounds
from dashboard.store import PlaceTable
from dashboard.tables import PRECISIONS, TYPES, EventTable

MAGIC = b"KPMC"
URL_PREFIX = "/api/scrub-data/"
MEDIA_TYPE = "application/vnd.karabakh.scrub-columns"


def event_markers(dataset: Dataset) -> dict[str, list[Any]]:
    """The events layer's markers: one per mapped place that has events, in drawing order.

    The browser lights a marker while the window holds any of its place's events and styles
    it from those events (assets/events_layer.js). Markers are drawn in this order, so
    places whose events are vaguest come first and pinpoint markers stay on top, clickable.
    (`selection.group_by_place` over every event, sorted by its vaguest precision; computed
    here from the table's columns.)
    """
    rows, places = _marker_rows(dataset.events)
    table = dataset.events
    return {
        "place": [table.place_ids[p] for p in places.tolist()],
        "lon": table.column("lon")[rows].tolist(),
        "lat": table.column("lat")[rows].tolist(),
        "name": [place_name(dataset, table.place_ids[p]) for p in places.tolist()],
    }


def place_name(dataset: Dataset, place_id: str) -> str:
    """A place's name; from the store's name column for large data (no Place made)."""
    if isinstance(dataset.places, PlaceTable):
        return dataset.places.name(place_id)
    return dataset.places[place_id].props.name


def _marker_rows(table: EventTable) -> tuple[np.ndarray, np.ndarray]:
    """(first event's row, place row) of each marker, in drawing order."""
    mapped = np.flatnonzero(~np.isnan(table.column("lon")))
    place = table.column("place")[mapped]
    if not len(mapped):
        return mapped, place
    places, first = np.unique(place, return_index=True)
    appearance = np.argsort(first, kind="stable")  # places in order of their first event
    places, first_rows = places[appearance], mapped[first[appearance]]
    ranks = _PRECISION_RANKS[table.column("precision")[mapped]]
    vaguest = np.full(len(table.place_ids), np.iinfo(np.int32).min, dtype=np.int32)
    np.maximum.at(vaguest, place, ranks)
    order = np.argsort(-vaguest[places], kind="stable")
    return first_rows[order], places[order]


_PRECISION_RANKS = np.array([PRECISION_RANK[GeoPrecision(p)] for p in PRECISIONS], np.int32)


def _strings(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype="<u4")
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8)


def columns(dataset: Dataset) -> tuple[dt.date, dict[str, np.ndarray]]:
    """(origin, name -> array) for every column of the file, from the table's columns."""
    origin = timeline_bounds(dataset)[0]
    table = dataset.events
    rows, places = _marker_rows(table)
    marker_of_place = np.full(len(table.place_ids), -1, dtype="<i4")
    marker_of_place[places] = np.arange(len(places), dtype="<i4")
    o = origin.toordinal()
    starts = table.column("start").astype(np.int64) - o
    ends = table.column("end").astype(np.int64) - o
    small = not len(table) or (starts.min() >= 0 and ends.max() < 65536)
    day_type = "<u2" if small else "<i4"
    mapped = ~np.isnan(table.column("lon"))
    marker = np.where(mapped, marker_of_place[table.column("place")], -1).astype("<i4")
    # Events of each marker, grouped (a stable sort keeps them ascending within a marker).
    on_map = np.flatnonzero(marker >= 0)
    by_marker = on_map[np.argsort(marker[on_map], kind="stable")].astype("<i4")
    member_start = np.zeros(len(places) + 1, dtype="<i4")
    np.cumsum(np.bincount(marker[on_map], minlength=len(places)), out=member_start[1:])
    names = [place_name(dataset, table.place_ids[p]) for p in places.tolist()]
    name_offsets, name_utf8 = _strings(names)
    return origin, {
        "events.s": starts.astype(day_type),
        "events.e": ends.astype(day_type),
        "events.marker": marker,
        "events.type": table.column("type").astype(np.uint8),
        "events.precision": table.column("precision").astype(np.uint8),
        "events.id.offsets": table.ids.offsets.astype("<u4"),
        "events.id.utf8": table.ids.data,
        "events.title.offsets": table.titles.offsets.astype("<u4"),
        "events.title.utf8": table.titles.data,
        "markers.lon": table.column("lon")[rows].astype("<f8"),
        "markers.lat": table.column("lat")[rows].astype("<f8"),
        "markers.name.offsets": name_offsets,
        "markers.name.utf8": name_utf8,
        "markers.members.start": member_start,
        "markers.members.event": by_marker,
    }


_DTYPES = {"|u1": "uint8", "<u2": "uint16", "<i4": "int32", "<u4": "uint32", "<f8": "float64"}


def _pad8(n: int) -> int:
    return (n + 7) // 8 * 8


def encode(origin: dt.date, cols: dict[str, np.ndarray], n_events: int, n_markers: int) -> bytes:
    """The file's bytes (layout in the module docstring)."""
    layout: dict[str, dict[str, Any]] = {}
    header: dict[str, Any] = {
        "contract": CONTRACT_VERSION,
        "origin": origin.isoformat(),
        "events": n_events,
        "markers": n_markers,
        "types": list(TYPES),
        "precisions": list(PRECISIONS),
        "columns": layout,
    }
    # Offsets depend on the header's length, which depends on the offsets' digits: lay the
    # columns out after a header padded generously, then write the header into that space.
    sizes = {name: a.nbytes for name, a in cols.items()}
    for name, a in cols.items():
        layout[name] = {"dtype": _DTYPES[a.dtype.str], "offset": 0, "length": len(a)}
    room = _pad8(len(json.dumps(header)) + 32 * len(cols) + 64)
    position = 8 + room
    for name in cols:
        layout[name]["offset"] = position
        position = _pad8(position + sizes[name])
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    assert len(text) <= room, "header outgrew its room"
    out = bytearray(position)
    out[0:4] = MAGIC
    out[4:8] = struct.pack("<I", room)
    out[8 : 8 + room] = text.ljust(room, b" ")
    for name, a in cols.items():
        start = layout[name]["offset"]
        out[start : start + sizes[name]] = a.tobytes()
    return bytes(out)


def decode(body: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(header, columns) of a file: the reader assets/events_layer.js implements, in Python
    (for tests and tools)."""
    if body[:4] != MAGIC:
        raise ValueError("not a scrub-columns file")
    (room,) = struct.unpack("<I", body[4:8])
    header = json.loads(body[8 : 8 + room])
    dtypes = {v: k for k, v in _DTYPES.items()}
    cols = {
        name: np.frombuffer(body, dtype=dtypes[c["dtype"]], count=c["length"], offset=c["offset"])
        for name, c in header["columns"].items()
    }
    return header, cols


@dataclass
class EventColumns:
    """The file for one data version: its bytes, its gzip (made once, on first use), its URL.

    With a store (`dashboard.store`), both are kept there: `saved` names the file's path."""

    body: bytes
    version: str
    saved: Path | None = None
    _gzipped: bytes | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        return f"{URL_PREFIX}{self.version}.bin"

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gzipped is None:
                kept = self.saved.with_suffix(".bin.gz") if self.saved else None
                if kept is not None and kept.is_file():
                    self._gzipped = kept.read_bytes()
                else:
                    self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
                    if kept is not None:
                        _write_atomically(kept, self._gzipped)
            return self._gzipped


def _write_atomically(path: Path, body: bytes) -> bool:
    """Write beside, then rename: a reader sees the old file, the whole new one, or none."""
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as out:
            out.write(body)
        os.chmod(out.name, 0o644)  # as any file written for others to read
        os.replace(out.name, path)
        return True
    except OSError:
        return False


def build(dataset: Dataset) -> EventColumns:
    origin, cols = columns(dataset)
    body = encode(origin, cols, len(dataset.events), len(cols["markers.lon"]))
    version = hashlib.sha256(body).hexdigest()[:20]
    return EventColumns(body, version)


_BUILD_LOCK = threading.Lock()


def event_columns(dataset: Dataset) -> EventColumns:
    """The dataset's file, built on first use and kept with the dataset (and in its store,
    when it has one: built once per data version, not once per start)."""
    cached = dataset.__dict__.get("_event_columns")
    if cached is None:
        with _BUILD_LOCK:
            cached = dataset.__dict__.get("_event_columns")
            if cached is None:
                cached = _from_store(dataset.store) if dataset.store else None
                if cached is None:
                    cached = build(dataset)
                    if dataset.store:
                        saved = dataset.store / f"scrub-{cached.version}.bin"
                        if _write_atomically(saved, cached.body):
                            cached.saved = saved
                object.__setattr__(dataset, "_event_columns", cached)
    return cached


def _from_store(store: Path) -> EventColumns | None:
    for saved in store.glob("scrub-*.bin"):
        version = saved.stem.removeprefix("scrub-")
        return EventColumns(saved.read_bytes(), version, saved)
    return None
