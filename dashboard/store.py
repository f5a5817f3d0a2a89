"""The events and places of a large data set, validated once per data version and kept on disk.

Loading a million events means parsing 600 MB of GeoJSON and validating every record (tens of
seconds). The result cannot change while the files do not, so `dashboard.loading` keeps it in
an embedded columnar store: a directory of numpy arrays (`.npy`, read back memory-mapped) and
a manifest, under `<project>/.columns/<key>/`. The key is a hash of every file the events'
validation reads (events, places, citations, documents and their texts) and of the code that
validates them, so any change to either means a new key, a full validation and a new store.
Nothing to install or run: numpy is already a dependency.

Written atomically: into a temporary directory beside it, then renamed, so a reader finds
the whole store or none. A store that cannot be written (read-only disk) is skipped: the
app then runs from memory as small data sets always do.

Layout of a store (n events, m places; strings as UTF-8 bytes and int64 offsets, see
`dashboard.tables.Strings`):

- `manifest.json`: {"format", "key", "events": n, "places": m, "place_ids": [the `place`
  column's ids], "document_ids": [the `document` column's ids]}
- `events.<column>.npy` for each of `dashboard.tables.COLUMNS`
- `events.ids.*`, `events.titles.*`, `events.props.*` (the properties' JSON as validated)
- `places.ids.*`, `places.names.*`, `places.props.*`, `places.lon.npy`, `places.lat.npy`
  (NaN: off the map), `places.label.npy` (bool: named on the basemap)
- `scrub-<version>.bin` and `.bin.gz`: the browser's events file (`dashboard.scrub_data`),
  written the first time it is built
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dashboard.dataset import Place
from dashboard.model import Citation, PlaceProperties
from dashboard.tables import COLUMNS, EventTable, Strings

STORE_FORMAT = 1
STORE_DIR = ".columns"  # in the directory that holds the data directory (the project root)
STORE_MIN_EVENTS = 20_000  # below this, validating from the files takes well under a second
STORES_KEPT = 2  # older stores are removed when a new one is written

_CODE = ("model.py", "loading.py", "tables.py", "store.py", "provenance.py", "history.py")


def store_root(data_dir: Path) -> Path:
    return data_dir.parent / STORE_DIR


def store_key(files: Iterable[Path], texts: Mapping[str, str]) -> str:
    """A hash of the inputs' bytes and of the validating code: the store's name."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"format {STORE_FORMAT}\n".encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    for path in files:
        digest.update(f"\n{path.name} ".encode())
        if path.is_file():
            with path.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha1").digest())
    for doc_id in sorted(texts):
        digest.update(f"\ntext {doc_id} ".encode() + texts[doc_id].encode("utf-8"))
    return digest.hexdigest()[:24]


# --------------------------------------------------------------------------- places


class PlaceTable(Mapping[str, Place]):
    """The gazetteer from a store: id -> Place, each validated again from its stored JSON
    when first asked for (a page asks for a few; the store holds them all)."""

    def __init__(
        self,
        ids: Strings,
        props: Strings,
        lon: np.ndarray,
        lat: np.ndarray,
        label: np.ndarray,
        names: Strings,
    ) -> None:
        self._names = names
        self._ids = ids
        self._props = props
        self._lon = lon
        self._lat = lat
        self._label = label
        self._rows = {place_id: i for i, place_id in enumerate(ids.tolist())}
        self._made: dict[int, Place] = {}

    def __getitem__(self, place_id: str) -> Place:
        row = self._rows[place_id]
        place = self._made.get(row)
        if place is None:
            props = PlaceProperties.model_validate_json(self._props[row])
            lon, lat = float(self._lon[row]), float(self._lat[row])
            place = Place(props, None if np.isnan(lon) else (lon, lat))
            self._made[row] = place
        return place

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def name(self, place_id: str) -> str:
        """A place's name, from its column (no Place made)."""
        return self._names[self._rows[place_id]]

    def labelled(self) -> list[Place]:
        """The places drawn with a name on the basemap (`label` true, on the map)."""
        rows = np.flatnonzero(self._label & ~np.isnan(self._lon))
        return [self[self._ids[i]] for i in rows.tolist()]


# --------------------------------------------------------------------------- writing


def _save_strings(directory: Path, name: str, strings: Strings) -> None:
    np.save(directory / f"{name}.offsets.npy", strings.offsets)
    np.save(directory / f"{name}.data.npy", strings.data)


def _load_strings(directory: Path, name: str) -> Strings:
    return Strings(
        np.load(directory / f"{name}.offsets.npy", mmap_mode="r"),
        np.load(directory / f"{name}.data.npy", mmap_mode="r"),
    )


def write_store(
    root: Path,
    key: str,
    table: EventTable,
    places: Mapping[str, Place],
    place_props: Sequence[Mapping[str, Any]],
) -> Path | None:
    """Write a store for validated events (a table holding its properties' JSON) and places
    (with their properties as read); the store's directory, or None when it could not be
    written (the reason goes to stderr)."""
    target = root / key
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
        try:
            columns = table.columns()  # sets place_ids and document_ids
            for name, array in columns.items():
                np.save(temporary / f"events.{name}.npy", array)
            _save_strings(temporary, "events.ids", table.ids)
            _save_strings(temporary, "events.titles", table.titles)
            assert table.props_json is not None, "a stored table keeps its properties' JSON"
            _save_strings(temporary, "events.props", table.props_json)
            place_ids = list(places)
            points = [places[p].lonlat or (np.nan, np.nan) for p in place_ids]
            lonlat = np.array(points, dtype=np.float64).reshape(len(place_ids), 2)
            _save_strings(temporary, "places.ids", Strings.of(place_ids))
            names = [places[p].props.name for p in place_ids]
            _save_strings(temporary, "places.names", Strings.of(names))
            _save_strings(temporary, "places.props", Strings.of([_json(p) for p in place_props]))
            np.save(temporary / "places.lon.npy", lonlat[:, 0].copy())
            np.save(temporary / "places.lat.npy", lonlat[:, 1].copy())
            label = np.array([places[p].props.label for p in place_ids], dtype=bool)
            np.save(temporary / "places.label.npy", label)
            manifest = {
                "format": STORE_FORMAT,
                "key": key,
                "events": len(table),
                "places": len(place_ids),
                "place_ids": list(table.place_ids),
                "document_ids": list(table.document_ids),
            }
            (temporary / "manifest.json").write_text(json.dumps(manifest), "utf-8")
            temporary.chmod(0o755)  # mkdtemp's 0700 would hide it from other users' workers
            try:
                temporary.rename(target)  # atomic: readers see all of it or nothing
            except OSError:
                if not (target / "manifest.json").is_file():  # not another worker's store
                    raise
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        _prune(root, keep=target)
        return target
    except OSError as exc:
        print(f"note: events kept in memory only; no store at {target}: {exc}", file=sys.stderr)
        return None


def _json(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _prune(root: Path, keep: Path) -> None:
    stores = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    stores.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in stores if p != keep][STORES_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- reading


def read_store(
    root: Path, key: str, citations: Sequence[Citation]
) -> tuple[EventTable, PlaceTable, Path] | None:
    """(events, places, directory) from the store with this key, or None if there is none."""
    directory = root / key
    try:
        manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("format") != STORE_FORMAT or manifest.get("key") != key:
        return None
    columns = {name: np.load(directory / f"events.{name}.npy", mmap_mode="r") for name in COLUMNS}
    supporting: dict[str, list[Citation]] = {}
    for citation in citations:
        for event_id in citation.supports:
            supporting.setdefault(event_id, []).append(citation)
    events = EventTable(
        manifest["events"],
        columns=columns,
        ids=_load_strings(directory, "events.ids"),
        titles=_load_strings(directory, "events.titles"),
        place_ids=manifest["place_ids"],
        document_ids=manifest["document_ids"],
        props_json=_load_strings(directory, "events.props"),
        citations={event_id: tuple(cited) for event_id, cited in supporting.items()},
    )
    places = PlaceTable(
        _load_strings(directory, "places.ids"),
        _load_strings(directory, "places.props"),
        np.load(directory / "places.lon.npy", mmap_mode="r"),
        np.load(directory / "places.lat.npy", mmap_mode="r"),
        np.load(directory / "places.label.npy"),
        _load_strings(directory, "places.names"),
    )
    os.utime(directory)  # recently used: kept when older stores are pruned
    return events, places, directory
