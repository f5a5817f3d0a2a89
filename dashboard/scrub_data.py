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
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dashboard.contract import CONTRACT_VERSION, PRECISION_RANK
from dashboard.dataset import Dataset
from dashboard.model import EventType, GeoPrecision
from dashboard.selection import group_by_place, timeline_bounds

MAGIC = b"KPMC"
URL_PREFIX = "/api/scrub-data/"
MEDIA_TYPE = "application/vnd.karabakh.scrub-columns"
TYPES = [t.value for t in EventType]
PRECISIONS = [p.value for p in GeoPrecision]


def event_markers(dataset: Dataset) -> dict[str, list[Any]]:
    """The events layer's markers: one per mapped place that has events, in drawing order.

    The browser lights a marker while the window holds any of its place's events and styles
    it from those events (assets/events_layer.js). Markers are drawn in this order, so
    places whose events are vaguest come first and pinpoint markers stay on top, clickable.
    """
    groups = sorted(group_by_place(dataset.events), key=lambda g: -PRECISION_RANK[g.precision])
    return {
        "place": [g.place_id for g in groups],
        "lon": [g.lonlat[0] for g in groups],
        "lat": [g.lonlat[1] for g in groups],
        "name": [dataset.places[g.place_id].props.name for g in groups],
    }


def _strings(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype="<u4")
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8)


def columns(dataset: Dataset) -> tuple[dt.date, dict[str, np.ndarray]]:
    """(origin, name -> array) for every column of the file."""
    origin = timeline_bounds(dataset)[0]
    events = dataset.events
    markers = event_markers(dataset)
    marker_of_place = {place_id: k for k, place_id in enumerate(markers["place"])}
    o = origin.toordinal()
    starts = [e.props.date_start.toordinal() - o for e in events]
    ends = [e.props.date_end.toordinal() - o for e in events]
    small = not events or (min(starts) >= 0 and max(ends) < 65536)
    day_type = "<u2" if small else "<i4"
    marker = np.array(
        [marker_of_place.get(e.props.place_id, -1) if e.lonlat else -1 for e in events],
        dtype="<i4",
    )
    type_code = {name: i for i, name in enumerate(TYPES)}
    precision_code = {name: i for i, name in enumerate(PRECISIONS)}
    # Events of each marker, grouped (a stable sort keeps them ascending within a marker).
    mapped = np.flatnonzero(marker >= 0)
    by_marker = mapped[np.argsort(marker[mapped], kind="stable")].astype("<i4")
    member_start = np.zeros(len(markers["place"]) + 1, dtype="<i4")
    np.cumsum(np.bincount(marker[mapped], minlength=len(markers["place"])), out=member_start[1:])
    id_offsets, id_utf8 = _strings([e.id for e in events])
    title_offsets, title_utf8 = _strings([e.props.title for e in events])
    name_offsets, name_utf8 = _strings(markers["name"])
    return origin, {
        "events.s": np.array(starts, dtype=day_type),
        "events.e": np.array(ends, dtype=day_type),
        "events.marker": marker,
        "events.type": np.array(
            [type_code[e.props.event_type.value] for e in events], dtype=np.uint8
        ),
        "events.precision": np.array(
            [precision_code[e.props.geo_precision.value] for e in events], dtype=np.uint8
        ),
        "events.id.offsets": id_offsets,
        "events.id.utf8": id_utf8,
        "events.title.offsets": title_offsets,
        "events.title.utf8": title_utf8,
        "markers.lon": np.array(markers["lon"], dtype="<f8"),
        "markers.lat": np.array(markers["lat"], dtype="<f8"),
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
        "types": TYPES,
        "precisions": PRECISIONS,
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
    """The file for one data version: its bytes, its gzip (made once, on first use), its URL."""

    body: bytes
    version: str
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
                self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
            return self._gzipped


def build(dataset: Dataset) -> EventColumns:
    origin, cols = columns(dataset)
    body = encode(origin, cols, len(dataset.events), len(cols["markers.lon"]))
    version = hashlib.sha256(body).hexdigest()[:20]
    return EventColumns(body, version)


_BUILD_LOCK = threading.Lock()


def event_columns(dataset: Dataset) -> EventColumns:
    """The dataset's file, built on first use and kept with the dataset."""
    cached = dataset.__dict__.get("_event_columns")
    if cached is None:
        with _BUILD_LOCK:
            cached = dataset.__dict__.get("_event_columns")
            if cached is None:
                cached = build(dataset)
                object.__setattr__(dataset, "_event_columns", cached)
    return cached
