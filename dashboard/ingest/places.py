"""Which places of the gazetteer a passage names: every name and alternative name, in any
script, matched case- and diacritic-insensitively on word boundaries. Pure functions.

"Laçın", "Lacin" and "LACHIN"? -> only the spellings the gazetteer holds count, but each is
matched without case or accents: "Laçın" matches "Lacin" and "LAÇIN". Letters that Unicode
does not decompose are folded by hand (Azerbaijani ə -> e, ı -> i; ß -> ss, ...). Armenian,
Cyrillic and Georgian names match in their own script (case-folded where the script has case).
A qualifier in brackets ("Mets Shen (Shusha)") is optional.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# letters NFKD leaves whole; folded so that "Əsgəran" matches "Esgeran" and "Bakı" "Baki"
_FOLD = str.maketrans({"ə": "e", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l"})


def fold(text: str) -> str:
    """Lower case, no accents, same length rules as the pattern built from it."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_FOLD)
    return re.sub(r"[’'`]", "'", text)


@dataclass(frozen=True)
class GazetteerEntry:
    place_id: str
    names: tuple[str, ...]  # the name and every alternative name, as stored


def _variants(name: str) -> set[str]:
    variants = {name}
    bare = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()  # "Mets Shen (Shusha)" -> "Mets Shen"
    if bare:
        variants.add(bare)
    return {v for v in variants if v.strip()}


def gazetteer_from_places(places: Iterable[Mapping]) -> list[GazetteerEntry]:
    """Entries from places.geojson features' properties (id, name, alt_names[].name)."""
    entries = []
    for props in places:
        names = [props["name"], *(alt["name"] for alt in props.get("alt_names", []))]
        entries.append(GazetteerEntry(props["id"], tuple(names)))
    return entries


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    folded = sorted({fold(v) for name in names for v in _variants(name)}, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in folded)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def find_places(text: str, gazetteer: Iterable[GazetteerEntry]) -> list[str]:
    """Place ids named in `text`, in order of first mention, each once."""
    folded = fold(text)
    hits: list[tuple[int, str]] = []
    for entry in gazetteer:
        match = _pattern(entry.names).search(folded)
        if match:
            hits.append((match.start(), entry.place_id))
    return [place_id for _, place_id in sorted(hits)]
