"""A draft as a spreadsheet and back: for reviewers who prefer a spreadsheet to JSON.

    python -m dashboard draft-csv DRAFT.json --out review.csv      # one row per candidate
    python -m dashboard draft-csv DRAFT.json --apply review.csv    # decisions back into the draft

Only the columns a person decides are read back (`EDITABLE`); the others (passage, dates as
proposed, citations, places named, notes) are there to read. List cells (`actors`) are
joined with "; ". Cells that a spreadsheet would run as a formula (starting with = + - @)
are written with a leading apostrophe, which is removed when read back. Pure functions.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Mapping
from typing import Any

EDITABLE = (
    "decision", "reason", "title", "summary", "actors", "event_type", "place_id",
    "geo_precision", "confidence", "uncited_reason", "date_start", "date_end",
    "time_precision", "date_basis", "date_as_written",
)  # fmt: skip
READ_ONLY = ("passage_text", "citations", "place_ids", "needs_review")
COLUMNS = ("id", *EDITABLE, *READ_ONLY)
_FORMULA = ("=", "+", "-", "@")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        parts = [
            f"{v.get('outlet')}, {v.get('as_written')}" if isinstance(v, Mapping) else str(v)
            for v in value
        ]
        text = "; ".join(parts)
    else:
        text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in _FORMULA else text


def draft_to_csv(draft: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for candidate in draft.get("candidates", []):
        writer.writerow([_cell(candidate.get(column)) for column in COLUMNS])
    return out.getvalue()


def apply_csv(draft: Mapping[str, Any], text: str, name: str) -> tuple[dict[str, Any], list[str]]:
    """The draft with the spreadsheet's decisions applied, and problems (row, column, what)."""
    result = copy.deepcopy(dict(draft))
    by_id = {c.get("id"): c for c in result.get("candidates", [])}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("id", *EDITABLE) if c not in (reader.fieldnames or [])]
    if missing:
        return result, [f"{name} row 1: missing column(s) {missing} (expected {list(COLUMNS)})"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, row in enumerate(reader):
        line = index + 2
        cid = _uncell(row.get("id") or "")
        candidate = by_id.get(cid)
        if candidate is None:
            problems.append(
                f"{name} row {line} column id: {cid!r} is not a candidate of the "
                "draft (expected the ids the draft holds; rows cannot add candidates)"
            )
            continue
        if cid in seen:
            problems.append(f"{name} row {line} column id: {cid!r} appears twice")
            continue
        seen.add(cid)
        for column in EDITABLE:
            value = _uncell(row.get(column) or "")
            if column == "actors":
                candidate[column] = [a.strip() for a in value.split(";") if a.strip()]
            elif column == "place_id":
                candidate[column] = value or None
            else:
                candidate[column] = value
    return result, problems
