"""Search over places (every name and script the data has), reference features, and events
(titles, actors, the outlets that cite them): a pure index over the loaded data.

Matching ignores case and diacritics, so Şuşa = Susa = SUSA and Xankəndi = Xankendi; a query
matches a name when every word of the query begins a word of the name (or, for queries of
three or more characters, appears inside one). Results are ranked: exact names first, then
names that start with the query, then word starts, then anywhere; places before features
before events at the same rank.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from dashboard.dataset import Dataset

Kind = Literal["place", "feature", "event"]
KIND_ORDER = {"place": 0, "feature": 1, "event": 2}
MAX_RESULTS = 12

# Letters that Unicode does not decompose into a base letter plus a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ə": "e",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ё": "е",  # Cyrillic yo
        "’": "'",
        "ʼ": "'",
    }
)
_WORD = re.compile(r"[\w']+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Şuşa' -> 'susa', 'Xankəndi' -> 'xankendi'."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Entry:
    """One searchable thing and every name it answers to."""

    kind: Kind
    id: str  # place id, layer feature id, or event id
    label: str  # what the result shows
    names: tuple[str, ...]  # what it can be found by (label included)
    detail: str = ""  # a second line: the kind of thing, its date


@dataclass(frozen=True)
class Result:
    kind: Kind
    id: str
    label: str
    matched: str  # the name that matched (shown when it is not the label: "Khankendi")
    detail: str
    rank: int

    @property
    def key(self) -> str:
        """A stable id for the result's control: kind and id."""
        return f"{self.kind}:{self.id}"


def build_index(dataset: Dataset) -> tuple[Entry, ...]:
    entries: list[Entry] = []
    for place in dataset.places.values():
        p = place.props
        entries.append(
            Entry("place", p.id, p.name, (p.name, *(a.name for a in p.alt_names)), p.kind)
        )
    for features in dataset.layers.values():
        for feature in features:
            p = feature.props
            if str(p.layer).startswith("context_"):
                continue  # the basemap's rivers and boundaries are not things to find
            entries.append(
                Entry(
                    "feature",
                    p.id,
                    p.name,
                    (p.name, *(a.name for a in p.alt_names)),
                    str(p.layer).replace("_", " "),
                )
            )
    for event in dataset.events:
        p = event.props
        outlets = tuple(
            dict.fromkeys([c.outlet for c in event.citations] + [s.outlet for s in p.sources or ()])
        )
        entries.append(
            Entry(
                "event",
                p.id,
                p.title,
                (p.title, *p.actors, *outlets),
                f"{p.event_type.value}, {p.date_start.isoformat()}",
            )
        )
    return tuple(entries)


def _rank(query: str, query_words: list[str], name: str) -> int | None:
    """0 exact, 1 starts the name, 2 every query word starts a word, 3 inside; None: no."""
    folded = fold(name).strip()
    if folded == query:
        return 0
    if folded.startswith(query):
        return 1
    name_words = words(name)
    if all(any(w.startswith(q) for w in name_words) for q in query_words):
        return 2
    if len(query) >= 3 and query in folded:
        return 3
    return None


def search(index: Iterable[Entry], query: str, limit: int = MAX_RESULTS) -> list[Result]:
    """The entries that match the query, best first; nothing for a blank query."""
    folded = fold(query).strip()
    query_words = words(query)
    if not folded or not query_words:
        return []
    results = []
    for entry in index:
        best: tuple[int, str] | None = None
        for name in entry.names:
            rank = _rank(folded, query_words, name)
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, name)
        if best is not None:
            results.append(
                Result(entry.kind, entry.id, entry.label, best[1], entry.detail, best[0])
            )
    results.sort(key=lambda r: (r.rank, KIND_ORDER[r.kind], fold(r.label), r.id))
    return results[:limit]
