"""How a parsed citation becomes a Citation record: one id rule and one constructor, shared by
the curated build (events.py) and published drafts (published.py)."""

from __future__ import annotations

from typing import Any

from dashboard.build.kit import slug
from dashboard.model import Citation, Span


def citation_id(document_id: str, index: int, outlet: str, date: str) -> str:
    return f"{document_id}.p{index:02d}.{slug(outlet) or 'unnamed'}.{date}"


def citation_record(
    document_id: str, index: int, paren: Any, cited: Any, supports: list[str], note: str = ""
) -> Citation:
    """The Citation for one outlet `cited` of the `index`-th parenthetical `paren` of a document
    (both as dashboard.citations parses them)."""
    return Citation(
        id=citation_id(document_id, index, cited.outlet, cited.date.isoformat()),
        document_id=document_id,
        kind=cited.kind,
        outlet=cited.outlet,
        date_as_written=cited.as_written,
        date=cited.date,
        parenthetical=Span(start=paren.start, end=paren.end),
        supports=supports,
        note=note,
    )
