"""How well ingest proposes the events a person curated from the same article. Pure.

A curated event is *found* when a candidate's passage covers at least half of the event's
passage and the candidate's `date_start` and `date_end` equal the event's. Extras are
candidates that match no curated event's passage at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Recall:
    found: list[str]  # curated event ids with a matching candidate
    wrong_dates: dict[str, list[tuple[str, str]]]  # event id -> dates the candidates proposed
    missed: list[str]  # no candidate covers the passage at all
    extras: list[dict[str, Any]]  # candidates that cover no curated passage

    @property
    def rate(self) -> float:
        total = len(self.found) + len(self.wrong_dates) + len(self.missed)
        return len(self.found) / total if total else 1.0


def _covers(candidate: Mapping[str, Any], passage: Mapping[str, int]) -> bool:
    start = max(candidate["passage"]["start"], passage["start"])
    end = min(candidate["passage"]["end"], passage["end"])
    return end - start >= (passage["end"] - passage["start"]) / 2


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def measure(events: Iterable[Mapping[str, Any]], candidates: Sequence[Mapping[str, Any]]) -> Recall:
    """`events`: curated event properties; `candidates`: draft candidate records."""
    found: list[str] = []
    wrong: dict[str, list[tuple[str, str]]] = {}
    missed: list[str] = []
    used: set[int] = set()
    for event in events:
        covering = [i for i, c in enumerate(candidates) if _covers(c, event["passage"])]
        used.update(covering)
        dates = (_day(event["date_start"]), _day(event["date_end"]))
        if any((candidates[i]["date_start"], candidates[i]["date_end"]) == dates for i in covering):
            found.append(event["id"])
        elif covering:
            wrong[event["id"]] = [
                (candidates[i]["date_start"], candidates[i]["date_end"]) for i in covering
            ]
        else:
            missed.append(event["id"])
    extras = [c for i, c in enumerate(candidates) if i not in used]
    return Recall(found, wrong, missed, extras)
