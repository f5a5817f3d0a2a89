"""ACLED events: a separate source, never mixed with the events curated from articles.

ACLED (Armed Conflict Location & Event Data) exports are CSV files with a fixed set of
columns (`ACLED_COLUMNS`). No ACLED data ships with this project (it needs an ACLED account);
`python -m dashboard import-acled FILE.csv --out DRAFT.json` turns an export into a draft, a
person decides, and `publish` writes the accepted rows to geodata/sources/acled.json, from
which the data build writes geodata/acled_events.geojson (model `AcledEventProperties`).

How ACLED's codes map onto ours (ACLED codebook; kept as `acled_time_precision` and
`acled_geo_precision` so nothing is lost):

- time_precision 1 (the day is known) -> `day`, the day itself; 2 (only the week or weekend
  is known; ACLED codes a day within it) -> `week`, event_date - 3 .. + 3 days; 3 (only the
  month is known) -> `month`, the whole month of event_date.
- geo_precision 1 (the named location itself) -> `settlement`; 2 (near it, or a part of a
  region, coded to a nearby town) -> `near`; 3 (only a larger region is known, coded to
  its centre or capital) -> `region`.
- `source` ("Azertag; News.am") -> one citation per outlet (split on ";"), with
  `source_scale`; `notes` -> `summary` (ACLED's words, not ours: shown as ACLED's);
  `timestamp` (when ACLED last changed the row) kept: a newer export with a later timestamp
  is an update; a row that disappears from an export is a deletion.
- inter1/inter2/interaction may be codes ("1") or labels ("State forces"): kept as text.

Pure functions and the schema; reading files is the CLI's job.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from dashboard.model import GeoPrecision, Identifier, NonEmpty, Strict, TimePrecision

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_LAYER = "acled"
GEO_PRECISION = {1: GeoPrecision.SETTLEMENT, 2: GeoPrecision.NEAR, 3: GeoPrecision.REGION}
MAX_ROWS = 200_000


class AcledCitation(Strict):
    outlet: NonEmpty  # as ACLED names it
    source_scale: str = ""  # ACLED's source_scale of the row (e.g. "National")


class AcledEventProperties(Strict):
    """One ACLED event as published (geodata/acled_events.geojson; geometry = its point)."""

    id: Identifier  # "acled-" + event_id_cnty, lower case
    event_id_cnty: NonEmpty
    event_date: dt.date
    date_start: dt.date
    date_end: dt.date
    time_precision: TimePrecision
    acled_time_precision: int = Field(ge=1, le=3)
    disorder_type: str = ""
    event_type: NonEmpty
    sub_event_type: str = ""
    actors: list[str] = Field(default_factory=list)  # actor1, assoc 1, actor2, assoc 2
    inter1: str = ""
    inter2: str = ""
    interaction: str = ""
    civilian_targeting: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: NonEmpty
    geo_precision: GeoPrecision
    acled_geo_precision: int = Field(ge=1, le=3)
    citations: list[AcledCitation] = Field(default_factory=list)
    summary: str = ""  # ACLED's notes, as ACLED wrote them
    fatalities: int = Field(ge=0)
    tags: str = ""
    timestamp: int = Field(ge=0)  # when ACLED last changed the row (Unix seconds)


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 = the header line; data rows from 2, as a spreadsheet numbers them
    column: str
    message: str
    expected: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f" column {self.column}" if self.column else "")
        return f"{where}: {self.message} (expected {self.expected})"


_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


def parse_event_date(text: str) -> dt.date:
    """ACLED writes dates as '25 March 2021' (exports), '2021-03-25' (API) or '25-03-2021'."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if m := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text):
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text):
        return dt.date(int(m.group(3)), _MONTH_NAMES[m.group(2).lower()], int(m.group(1)))
    raise ValueError(text)


def date_range(day: dt.date, code: int) -> tuple[dt.date, dt.date, TimePrecision]:
    if code == 1:
        return day, day, TimePrecision.DAY
    if code == 2:
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3), TimePrecision.WEEK
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last), TimePrecision.MONTH


def _int(value: str) -> int:
    value = value.strip()
    if not re.fullmatch(r"\d+", value):
        raise ValueError(value)
    return int(value)


def _float(value: str) -> float:
    number = float(value.strip())
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def row_to_event(
    row: Mapping[str, str], line: int
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """One CSV row -> (event properties + lon/lat, problems)."""
    problems: list[RowProblem] = []

    def bad(column: str, message: str, expected: str) -> None:
        problems.append(RowProblem(line, column, message, expected))

    def get(column: str) -> str:
        return (row.get(column) or "").strip()

    event_id = get("event_id_cnty")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,70}", event_id):
        bad("event_id_cnty", f"{event_id!r} is not an ACLED event id", "e.g. ARM1234")
    day = None
    try:
        day = parse_event_date(get("event_date"))
    except (ValueError, KeyError):
        bad(
            "event_date",
            f"{get('event_date')!r} is not a date",
            "'25 March 2021', '2021-03-25' or '25-03-2021'",
        )
    if day and get("year") and get("year") != str(day.year):
        bad("year", f"{get('year')!r} differs from event_date's year {day.year}", str(day.year))
    codes = {}
    for column in ("time_precision", "geo_precision"):
        try:
            codes[column] = _int(get(column))
            if codes[column] not in (1, 2, 3):
                raise ValueError
        except ValueError:
            bad(column, f"{get(column)!r} is not an ACLED precision code", "1, 2 or 3")
    coordinates = {}
    for column, limit in (("latitude", 90), ("longitude", 180)):
        try:
            coordinates[column] = _float(get(column))
            if abs(coordinates[column]) > limit:
                raise ValueError
        except ValueError:
            bad(column, f"{get(column)!r} is not a {column}", f"a number from -{limit} to {limit}")
    numbers = {}
    for column in ("fatalities", "timestamp"):
        try:
            numbers[column] = _int(get(column))
        except ValueError:
            bad(column, f"{get(column)!r} is not a whole number", "an integer >= 0")
    for column in ("event_type", "location"):
        if not get(column):
            bad(column, "empty", "text")
    if problems or day is None:
        return None, problems
    start, end, precision = date_range(day, codes["time_precision"])
    outlets = [s.strip() for s in get("source").split(";") if s.strip()]
    actors = [get(c) for c in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")]
    props = {
        "id": "acled-" + event_id.lower(),
        "event_id_cnty": event_id,
        "event_date": day.isoformat(),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "time_precision": precision.value,
        "acled_time_precision": codes["time_precision"],
        "disorder_type": get("disorder_type"),
        "event_type": get("event_type"),
        "sub_event_type": get("sub_event_type"),
        "actors": [a.strip() for part in actors for a in part.split(";") if a.strip()],
        "inter1": get("inter1"),
        "inter2": get("inter2"),
        "interaction": get("interaction"),
        "civilian_targeting": get("civilian_targeting"),
        "country": get("country"),
        "admin1": get("admin1"),
        "admin2": get("admin2"),
        "admin3": get("admin3"),
        "location": get("location"),
        "geo_precision": GEO_PRECISION[codes["geo_precision"]].value,
        "acled_geo_precision": codes["geo_precision"],
        "citations": [{"outlet": o, "source_scale": get("source_scale")} for o in outlets],
        "summary": get("notes"),
        "fatalities": numbers["fatalities"],
        "tags": get("tags"),
        "timestamp": numbers["timestamp"],
    }
    AcledEventProperties.model_validate(props)  # the schema agrees with what we built
    return {**props, "lon": coordinates["longitude"], "lat": coordinates["latitude"]}, []


def parse_export(text: str) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """An ACLED CSV export -> (events, problems). Every problem names row and column."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ACLED_COLUMNS if c not in header]
    if missing:
        expected = "ACLED's standard columns: " + ", ".join(ACLED_COLUMNS)
        return [], [RowProblem(1, ", ".join(missing), "missing column(s)", expected)]
    reader.fieldnames = header
    events: list[dict[str, Any]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(reader):
        line = index + 2
        if index >= MAX_ROWS:
            problems.append(
                RowProblem(line, "", f"more than {MAX_ROWS:,} rows", "a smaller export")
            )
            break
        if None in row:
            problems.append(RowProblem(line, "", "more cells than columns", "one cell per column"))
            continue
        event, row_problems = row_to_event(row, line)
        problems += row_problems
        if event is None:
            continue
        if event["event_id_cnty"] in seen:
            problems.append(
                RowProblem(
                    line,
                    "event_id_cnty",
                    f"duplicate id (also row {seen[event['event_id_cnty']]})",
                    "each event once",
                )
            )
            continue
        seen[event["event_id_cnty"]] = line
        events.append(event)
    return events, problems


def compare(events: list[dict[str, Any]], published: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Which rows are new, updated (same id, other content), unchanged, or deleted since."""
    old = {e["id"]: e for e in published}
    new_ids = {e["id"] for e in events}
    report: dict[str, list[str]] = {"new": [], "updated": [], "unchanged": [], "deleted": []}
    for event in events:
        before = old.get(event["id"])
        if before is None:
            report["new"].append(event["id"])
        elif {k: v for k, v in before.items() if k != "draft"} != event:
            report["updated"].append(event["id"])
        else:
            report["unchanged"].append(event["id"])
    report["deleted"] = sorted(i for i in old if i not in new_ids)
    return report
