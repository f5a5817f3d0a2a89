"""The draft file: what `ingest` and `import-acled` write and a person reviews before `publish`.

A draft is JSON (schema: geodata/README.md, "Drafts"). Its candidates carry what the machine
proposed (passage, dates, citations, place ids, notes for the reviewer) and the fields a
person decides (decision, title, summary, actors, event type, place, precision). Nothing is
published until a person sets `"decision": "accept"`.

Pure: building a draft from candidates, checking article text. Reading and writing files is
the CLI's job.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from dashboard.citations import Unread
from dashboard.ingest.passages import Candidate

DRAFT_FORMAT = "karabakh-draft/1"
DECISIONS = ("pending", "accept", "reject", "retract")
MAX_ARTICLE_BYTES = 2_000_000  # an analysis article is ~10-100 kB; 2 MB leaves room


class IngestError(Exception):
    """The input cannot be ingested; the message names the file, where and what is wrong."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def article_text(raw: bytes, name: str, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """The article's text, or IngestError saying why it is not a plain-text article.

    Newlines are normalised as Python's text mode does (the data build reads seeds that way),
    so offsets into this text are offsets into the seed as the app reads it.
    """
    if len(raw) > max_bytes:
        raise IngestError(
            f"{name}: {len(raw):,} bytes is too large for an article "
            f"(expected plain text under {max_bytes:,} bytes)"
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(f"{name}: binary data (NUL byte at byte {nul}); expected plain text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start}); expected UTF-8 plain text"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    if control:
        raise IngestError(
            f"{name}: control character U+{ord(control.group()):04X} at "
            f"{_line_col(text, control.start())}; expected plain text (remove it)"
        )
    tag = re.search(
        r"<\s*/?\s*(html|head|body|p|div|span|script|style|a|br|img)\b[^>]*>", text, re.I
    )
    if tag:
        raise IngestError(
            f"{name}: looks like HTML ({tag.group(0)[:40]!r} at "
            f"{_line_col(text, tag.start())}); expected the article saved as plain text"
        )
    if not text.strip():
        raise IngestError(f"{name}: the file is empty; expected an article's text")
    return text


def candidate_record(candidate_id: str, candidate: Candidate, text: str) -> dict[str, Any]:
    """One candidate as the draft stores it: the proposal, then the fields a person fills."""
    review = list(candidate.needs_review)
    place_id = candidate.place_ids[0] if candidate.place_ids else None
    if not candidate.place_ids:
        review.append("place: no place of the gazetteer is named; choose place_id")
    elif len(candidate.place_ids) > 1:
        review.append(f"place: several places named {candidate.place_ids}; check place_id")
    date = candidate.date
    outlets = {c.outlet for c in candidate.citations if c.kind == "outlet"}
    confidence = "high" if len(outlets) >= 2 else "medium" if outlets else "low"
    review.append(
        f"confidence: proposed '{confidence}' from {len(outlets)} outlet(s) cited; judge it"
    )
    return {
        "id": candidate_id,
        "decision": "pending",
        "reason": "",
        "passage": {"start": candidate.passage.start, "end": candidate.passage.end},
        "passage_text": text[candidate.passage.start : candidate.passage.end],
        "date_start": date.start.isoformat(),
        "date_end": date.end.isoformat(),
        "time_precision": date.precision,
        "date_basis": candidate.date_basis,
        "date_as_written": candidate.date_as_written,
        "citations": [c.to_json() for c in candidate.citations],
        "place_ids": list(candidate.place_ids),
        "needs_review": review,
        "title": "",
        "summary": "",
        "actors": [],
        "event_type": "",
        "place_id": place_id,
        "geo_precision": "",
        "place_note": "",
        "uncited_reason": "",  # required (own words) when no citation supports the event
        "confidence": confidence,  # high | medium | low (dashboard.model.Confidence)
        "sources": [],  # reports / official statements read elsewhere (model.ReportSource)
        "claims": [],
        "disagreements": [],
    }


def article_draft(
    document: dict[str, Any],
    text: str,
    candidates: Sequence[Candidate],
    unread: Sequence[Unread],
) -> dict[str, Any]:
    """The whole draft of one article."""
    return {
        "format": DRAFT_FORMAT,
        "source": "article",
        "document": document,
        "text_sha256": sha256(text),
        "unread_citations": [
            {"start": u.start, "end": u.end, "text": u.text, "reason": u.reason} for u in unread
        ],
        "candidates": [
            candidate_record(f"{document['id']}.c{n:02d}", c, text)
            for n, c in enumerate(candidates, start=1)
        ],
    }
