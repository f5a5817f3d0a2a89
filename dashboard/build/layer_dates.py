"""The dates of the reference features, each with its source: geodata/sources/layer_dates.csv.

One row is one source for one date of one or more features (`features`, `;`-separated ids):

- `from`: the feature's first day. With several `from` rows (competing versions, or a report
  and its relay) the feature starts on the earliest, so the map shows the whole range.
- `to`: its last day (inclusive); with several rows, the latest.
- `faint_from`: from this day to `to` the feature is drawn faint: it held only formally (the
  area of responsibility after 20 Sep 2023) or may already have ended (a post whose closing
  day is unknown between its last report and an upper bound).
- `change`: a dated change the map does not draw (listed with the feature).

Every row keeps where it was read (outlet, page date, complete URL or none, a verbatim
excerpt of at most 30 words, its language, the research notes' confidence and how it was checked).
Rows are validated by `dashboard.model.LayerDateSource`; a bad row stops the build with the
file, the row number and what is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dashboard.build import BuildError
from dashboard.model import DateBound, LayerDateSource

FILE = "layer_dates.csv"
COLUMNS = [
    "features",
    "bound",
    "date",
    "basis",
    "outlet",
    "published",
    "url",
    "excerpt",
    "language",
    "confidence",
    "checked",
    "note",
]


class LayerDatesError(BuildError):
    """layer_dates.csv is malformed or names a feature the build does not make."""


@dataclass(frozen=True)
class FeatureDates:
    """The dates of one feature and the sources they come from, in file order."""

    valid_from: dt.date | None
    valid_to: dt.date | None
    faint_from: dt.date | None
    sources: tuple[LayerDateSource, ...]

    def properties(self) -> dict[str, Any]:
        return {
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "faint_from": self.faint_from,
            "date_sources": list(self.sources),
        }


def read_layer_dates(sources_dir: Path) -> dict[str, FeatureDates]:
    """Feature id -> its dates, read and checked from `sources_dir/layer_dates.csv`."""
    path = Path(sources_dir) / FILE
    if not path.is_file():
        raise LayerDatesError(f"missing source file {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            raise LayerDatesError(f"{path}: columns {reader.fieldnames}, expected {COLUMNS}")
        rows = list(reader)
    per_feature: dict[str, list[LayerDateSource]] = {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        ids = [i.strip() for i in row["features"].split(";") if i.strip()]
        if not ids:
            raise LayerDatesError(f"{path} line {line}: no feature id")
        cells = {k: (v.strip() or None) for k, v in row.items() if k != "features"}
        cells["excerpt"] = cells["excerpt"] or ""
        cells["note"] = cells["note"] or ""
        try:
            source = LayerDateSource(**cells)
        except ValidationError as err:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg']}" for e in err.errors()
            )
            raise LayerDatesError(f"{path} line {line} ({row['features']}): {problems}") from None
        for feature_id in ids:
            per_feature.setdefault(feature_id, []).append(source)
    return {fid: _dates(fid, sources, path) for fid, sources in per_feature.items()}


def _dates(feature_id: str, sources: list[LayerDateSource], path: Path) -> FeatureDates:
    def dates(bound: DateBound) -> list[dt.date]:
        return [s.date for s in sources if s.bound is bound]

    faint = dates(DateBound.FAINT_FROM)
    if len(set(faint)) > 1:
        raise LayerDatesError(f"{path}: {feature_id} has several faint_from dates {faint}")
    out = FeatureDates(
        valid_from=min(dates(DateBound.FROM), default=None),
        valid_to=max(dates(DateBound.TO), default=None),
        faint_from=faint[0] if faint else None,
        sources=tuple(sources),
    )
    start, end = out.valid_from, out.valid_to
    if start and end and end < start:
        raise LayerDatesError(
            f"{path}: {feature_id} ends on {end}, which is before its start {start}"
        )
    if out.faint_from and (
        end is None or out.faint_from > end or (start and out.faint_from < start)
    ):
        raise LayerDatesError(
            f"{path}: {feature_id}: faint_from {out.faint_from} is outside {start} - {end}"
        )
    return out


def check_all_used(dates: dict[str, FeatureDates], built_ids: Iterable[str]) -> None:
    """Every feature the CSV names must exist: a typo must not drop a date silently."""
    unknown = sorted(set(dates) - set(built_ids))
    if unknown:
        raise LayerDatesError(f"{FILE} names features the build does not make: {unknown}")


def date_note(dates: dict[str, Any]) -> str:
    """One sentence naming the source of each drawn date (the panel lists them all)."""
    parts = []
    for bound, label in ((DateBound.FROM, "Drawn from"), (DateBound.TO, "Drawn until")):
        rows = [s for s in dates["date_sources"] if s.bound is bound]
        if rows:
            versions = sorted({(s.date.isoformat(), s.outlet) for s in rows})
            days = sorted({d for d, _ in versions})
            span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]} (sources differ)"
            parts.append(f"{label} {span}: " + "; ".join(f"{o} ({d})" for d, o in versions))
    # one sentence per bound ("Dates from …. to …." read as a broken sentence)
    return " ".join(part + "." for part in parts)
