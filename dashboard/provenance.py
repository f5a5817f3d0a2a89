"""Who reports an event: independent outlets, and statements relayed by several of them.

Pure functions over an event's sources, used by the panel, the exports and validation.
Independence is counted by outlet as a reader would cite it: a repost or mirror is the outlet it
reposts (`ReportSource.outlet`), so reading one TASS story on three sites counts once. Outlets
that all relay one body's statement are still counted, but `relayed_statement` names the body,
because several outlets repeating a ministry confirm what it said, not that it is true.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dashboard.dataset import Event
from dashboard.model import Citation, CitationKind, Document, ReportSource, SourceKind


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def independent_outlets(
    sources: Sequence[ReportSource],
    citations: Iterable[Citation] = (),
    document: Document | None = None,
) -> list[str]:
    """Distinct outlets reporting an event, in first-seen order.

    The article (its publisher) and each outlet the article cites count once each; reports and
    official statements count by `outlet` (reposts and mirrors are not separate outlets).
    """
    names: list[str] = []
    if document is not None:
        names.append(document.publisher)
    names += [c.outlet for c in citations if c.kind is CitationKind.OUTLET]
    names += [s.outlet for s in sources]
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(_key(name), name)
    return list(seen.values())


def source_count(event: Event) -> int:
    """How many sources an event rests on: the article (when the event comes from one of its
    passages), each outlet or article the article cites for it, and each report or statement.

    An article event with no citation still rests on one source, the article itself.
    """
    props = event.props
    from_article = props.document_id is not None  # the model gives its passage with it
    return int(from_article) + len(event.citations) + len(props.sources)


def relayed_statement(sources: Sequence[ReportSource]) -> str | None:
    """The one body whose statement every source (two or more) carries, else None.

    An official source carries its own issuer's statement; a report carries those it cites.
    """
    if len(sources) < 2:
        return None
    common: dict[str, str] | None = None
    for source in sources:
        carried = [source.outlet] if source.kind is SourceKind.OFFICIAL else source.citing
        keyed = {_key(name): name for name in carried}
        common = keyed if common is None else {k: v for k, v in common.items() if k in keyed}
        if not common:
            return None
    return next(iter(common.values())) if common else None
