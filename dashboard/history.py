"""The history of published changes and the data version (geodata/history.json).

Every `python -m dashboard publish` that changes anything appends one numbered version: the
events it added, re-dated, relocated, edited or retracted, each with the person's reason.
The data version is that number (0 = curated data only); share links carry it ("as of").
Curated events (geodata/sources/events_curated.json) have no history entries: they are the
starting point.

This module is next to the data model: the schema and a loader that reports problems the
way `dashboard.loading` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from dashboard.model import Identifier, NonEmpty, Strict

HISTORY_FILE = "history.json"


class ChangeKind(StrEnum):
    ADDED = "added"
    REDATED = "redated"  # date_start, date_end, time_precision or date_basis changed
    RELOCATED = "relocated"  # place_id or geo_precision changed
    EDITED = "edited"  # any other field (title, summary, actors, citations, passage, ...)
    RETRACTED = "retracted"  # taken down; the event is no longer in events.geojson


class Change(Strict):
    version: int = Field(ge=1)  # the data version this change made
    published_at: dt.datetime  # when publish ran (UTC)
    draft: NonEmpty  # the draft's source id (its document id, or acled-<country>)
    event_id: Identifier
    change: ChangeKind
    fields: dict[str, list[Any]] = Field(default_factory=dict)  # field -> [old, new]
    reason: str = ""  # the person's reason (required for every change but "added")


class History(Strict):
    data_version: int = Field(ge=0)
    changes: list[Change] = Field(default_factory=list)

    def for_event(self, event_id: str) -> list[Change]:
        return [c for c in self.changes if c.event_id == event_id]

    def since(self, version: int) -> list[Change]:
        return [c for c in self.changes if c.version > version]


EMPTY_HISTORY = History(data_version=0)


def history_problems(raw: Any) -> tuple[History | None, list[tuple[str, str, str, str]]]:
    """Validate a parsed history file: (history, [(record, field, message, expected)])."""
    if not isinstance(raw, Mapping):
        return None, [("", "", "not a JSON object", '{"data_version": N, "changes": [...]}')]
    try:
        history = History.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = [str(p) for p in err["loc"]]
            record = f"change #{loc[1]}" if len(loc) > 1 and loc[0] == "changes" else ""
            field = ".".join(loc[2:] if record else loc)
            problems.append((record, field, err["msg"], ""))
        return None, problems
    versions = sorted({c.version for c in history.changes})
    if versions and (
        versions != list(range(1, versions[-1] + 1)) or versions[-1] != history.data_version
    ):
        return None, [
            (
                "",
                "data_version",
                f"versions {versions} with data_version {history.data_version}",
                "versions 1..N and data_version N",
            )
        ]
    return history, []


def read_history(path: Path) -> Any:
    """The parsed file, or None when it does not exist (curated data only)."""
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
