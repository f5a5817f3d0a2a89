"""Article text -> candidate events: one per passage that states a dated event. Pure.

How an EDM-style article is read (each rule says why):

1. Paragraphs are blocks of text between blank lines. A paragraph that does not end like a
   sentence (a title, "Publication: ..."), starts with "*" (a note or link), or carries a
   photo credit "(Source: ...)" is not prose: captions and asides give no candidates.
2. Sentences end at . ! ? (with closing quotes) followed by a space and a capital, quote or
   digit, never inside brackets and never after an initial or a common abbreviation.
3. Each sentence is one of: DATED (a date phrase outside citation brackets, or "at the same
   time" after a dated sentence of the same paragraph), CITED (no date of its own, but a
   citation of a news outlet: the report's date is evidence of when it was reported),
   REFERENCE (only "see EDM" cross-references: analysis, not a report: gives an upper bound,
   not a date), or BARE.
4. EDM closes a passage with its citation: BARE sentences before a CITED or REFERENCE one
   join it; BARE sentences before the first DATED sentence of a paragraph join that; BARE
   sentences after a dated passage (before another DATED one, or at the paragraph's end)
   continue it. A paragraph of only BARE sentences gives a candidate per sentence that
   narrates the past (a simple past-tense test); present-tense analysis gives none.
5. Dates: a DATED passage gives one candidate per distinct date phrase in its dated sentence
   ("from the November 10, 2020, armistice to date" gives the range and, because the date
   names an occurrence, the armistice's own day). A month or year that names an occurrence
   already dated to the day earlier in the article ("the November 2020 armistice") takes that
   day. A CITED passage is dated by its reports: `date_basis` "reported", the first to the
   last report's day. A passage with neither is "not dated": bounded below by the era start
   (the armistice, `not_before`) or an earlier date in the paragraph if that is earlier, and
   above by the first of its citations' dates, a later dated sentence of the paragraph that
   refers back to it ("those", "these", "such"), and publication; `needs_review` says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dashboard.citations import Citation, Parenthetical, find_citations
from dashboard.ingest.dates import ANAPHOR, DateMention, DateRange, find_dates, occurrence_date
from dashboard.ingest.places import GazetteerEntry, find_places

_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "st",
    "no",
    "vs",
    "etc",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "prof",
    "sen",
    "rep",
    "gov",
}
_SENTENCE_END = re.compile(r"[.!?][”\"’)\]]*(?=\s+[A-Z“\"‘(\d\u0531-\u0587\u0400-\u04FF]|\s*$)")
_BACK_REFERENCE = re.compile(r"\b(?:those|these|such)\b", re.IGNORECASE)
_PAST = re.compile(r"(?<![\w-])(did|was|were|had|\w{2,}ed)(?![\w-])")
_NOT_PAST_BEFORE = {"are", "is", "be", "been", "being", "am", "seems", "seem", "remain", "remains"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass
class _Info:
    sentence: Sentence
    dates: list[DateMention]
    anaphor: bool
    citations: list[Parenthetical]
    own_text: str  # the sentence with its citation brackets blanked

    @property
    def outlet_citations(self) -> list[Citation]:
        return [c for p in self.citations for c in p.citations if c.kind == "outlet"]


@dataclass
class Candidate:
    passage: Sentence
    date: DateRange
    date_basis: str  # occurred | reported
    date_as_written: str
    citations: list[Citation]
    place_ids: list[str]
    needs_review: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- text structure


def paragraphs(text: str) -> list[Sentence]:
    """Spans of the blocks between blank lines, trimmed."""
    spans = []
    for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        spans.append(Sentence(match.start(), match.end()))
    return spans


def is_prose(paragraph: str) -> bool:
    stripped = paragraph.strip()
    if stripped.startswith("*") or re.search(r"\((?:Source|Photo|Image|Credit)s?:", stripped):
        return False
    if len(stripped.split()) < 6:
        return False
    return bool(re.search(r"[.!?][”\"’)\]]*$", stripped))


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentence spans within text[start:end] (one paragraph)."""
    found: list[Sentence] = []
    begin = start
    depth = 0
    pos = start
    chunk = text[start:end]
    ends = {m.end() + start for m in _SENTENCE_END.finditer(chunk)}
    while pos < end:
        ch = text[pos]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if pos + 1 in ends and depth == 0 and not _abbreviation_before(text, begin, pos):
            found.append(Sentence(begin, pos + 1))
            begin = pos + 1
            while begin < end and text[begin].isspace():
                begin += 1
        pos += 1
    if begin < end and text[begin:end].strip():
        found.append(Sentence(begin, end))
    return found


def _abbreviation_before(text: str, begin: int, pos: int) -> bool:
    """Is the full stop at or before `pos` part of an abbreviation or an initial?"""
    head = text[begin : pos + 1].rstrip('”"’)]')
    if not head.endswith("."):
        return False
    word = re.search(r"([\w.]+)\.$", head)
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def narrates_past(sentence: str) -> bool:
    for match in _PAST.finditer(sentence):
        before = sentence[: match.start()].split()
        if not before or before[-1].lower() not in _NOT_PAST_BEFORE:
            return True
    return False


# --------------------------------------------------------------------------- candidates


def _infos(text: str, para: Sentence, cites: list[Parenthetical], published: dt.date):
    infos = []
    for sent in sentences(text, para.start, para.end):
        inside = [p for p in cites if p.start >= sent.start and p.end <= sent.end]
        masked = list(text[sent.start : sent.end])
        for p in inside:  # a citation's date is evidence, not the event's date
            for i in range(p.start - sent.start, p.end - sent.start):
                masked[i] = " "
        own = "".join(masked)
        mentions = [
            DateMention(
                m.start + sent.start, m.end + sent.start, m.as_written, m.range, m.occurrence
            )
            for m in find_dates(own, published)
        ]
        infos.append(_Info(sent, mentions, bool(ANAPHOR.search(own)), inside, own))
    return infos


@dataclass
class _Block:
    infos: list[_Info]
    anchor: _Info | None  # the dated sentence, if any
    anaphor_of: _Info | None = None  # the earlier sentence an "at the same time" points to


def _blocks(infos: list[_Info]) -> list[_Block]:
    blocks: list[_Block] = []
    pending: list[_Info] = []
    last_dated: _Info | None = None
    for info in infos:
        dated = bool(info.dates) or (info.anaphor and last_dated is not None)
        if dated:
            block = _Block([info], info, None if info.dates else last_dated)
            if pending:
                if blocks:
                    blocks[-1].infos.extend(pending)
                else:
                    block.infos[:0] = pending
                pending = []
            blocks.append(block)
            last_dated = info
        elif info.citations:
            blocks.append(_Block([*pending, info], None))
            pending = []
        else:
            pending.append(info)
    if pending:
        if blocks:
            blocks[-1].infos.extend(pending)
        else:
            blocks.extend(_Block([info], None) for info in pending)
    return blocks


def propose(
    text: str,
    published: dt.date,
    gazetteer: list[GazetteerEntry],
    not_before: dt.date,
) -> list[Candidate]:
    """The candidate events of an article, in text order."""
    cites = find_citations(text, published)
    candidates: list[Candidate] = []
    occurrences: dict[str, DateRange] = {}  # "armistice" -> its day, once the text dates it
    for para in paragraphs(text):
        if not is_prose(text[para.start : para.end]):
            continue
        infos = _infos(text, para, cites, published)
        for block in _blocks(infos):
            first, last = block.infos[0].sentence, block.infos[-1].sentence
            passage = Sentence(first.start, last.end)
            passage_text = text[passage.start : passage.end]
            block_cites = [c for i in block.infos for p in i.citations for c in p.citations]
            if not block.anchor and not block_cites and not narrates_past(passage_text):
                continue
            places = find_places(_without(passage_text, passage.start, cites), gazetteer)
            dates = _block_dates(
                block, infos, block_cites, candidates, occurrences, text, published, not_before
            )
            for date, basis, written, review in dates:
                if any(c.passage == passage and c.date == date for c in candidates):
                    continue
                candidates.append(
                    Candidate(passage, date, basis, written, block_cites, places, review)
                )
    return candidates


_Dated = tuple[DateRange, str, str, list[str]]  # range, basis, as written, review notes


def _block_dates(
    block: _Block,
    infos: list[_Info],
    block_cites: list[Citation],
    candidates: list[Candidate],
    occurrences: dict[str, DateRange],
    text: str,
    published: dt.date,
    not_before: dt.date,
) -> list[_Dated]:
    """The date(s) a passage proposes (rule 5 of the module docstring)."""
    found: list[_Dated] = []
    if block.anchor is not None and block.anchor.dates:
        for mention in block.anchor.dates:
            date, review = mention.range, []
            known = occurrences.get(mention.occurrence)
            if (
                known
                and mention.range.precision in ("month", "year")
                and mention.range.start <= known.start <= mention.range.end
            ):
                date = known
                review.append(
                    f"date: '{mention.as_written} {mention.occurrence}' taken as the "
                    f"{mention.occurrence} dated {known.start.isoformat()} earlier in the text"
                )
            found.append((date, "occurred", mention.as_written, review))
            if mention.occurrence and mention.range.precision == "day":
                occurrences.setdefault(mention.occurrence, mention.range)
            named = occurrence_date(mention, text)
            if named is not None:
                occurrences.setdefault(mention.occurrence, named)
                note = f"the date names the {mention.occurrence}: a candidate of its own"
                found.append((named, "occurred", mention.as_written, [note]))
        return found
    if block.anchor is not None and block.anaphor_of is not None:
        earlier = next(
            (c for c in reversed(candidates) if _within(c.passage, block.anaphor_of)), None
        )
        if earlier is None:
            return found
        phrase = ANAPHOR.search(block.anchor.own_text).group(0)
        note = f"date: '{phrase}' read as the date of the sentence before"
        return [(earlier.date, "occurred", f"{phrase} (as {earlier.date_as_written})", [note])]
    outlets = [c for c in block_cites if c.kind == "outlet"]
    if outlets:
        days = sorted(c.date for c in outlets)
        precision = "day" if days[0] == days[-1] else "range"
        written = "; ".join(dict.fromkeys(c.as_written for c in outlets))
        span = DateRange(days[0], days[-1], precision)
        return [(span, "reported", f"{written} (dates of the reports)", [])]
    lower, upper, why = _bounds(block, infos, published, not_before)
    note = f"date: not in the text; bounded {why}"
    return [(DateRange(lower, upper, "range"), "occurred", f"not dated ({why})", [note])]


def _within(span: Sentence, info: _Info) -> bool:
    return span.start <= info.sentence.start and info.sentence.end <= span.end


def _without(passage: str, offset: int, cites: list[Parenthetical]) -> str:
    """The passage with citation brackets blanked (an outlet is not a place)."""
    chars = list(passage)
    for p in cites:
        for i in range(max(p.start - offset, 0), min(p.end - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _bounds(
    block: _Block, infos: list[_Info], published: dt.date, not_before: dt.date
) -> tuple[dt.date, dt.date, str]:
    position = infos.index(block.infos[0])
    earlier = [m.range.start for i in infos[:position] for m in i.dates]
    lower = min([not_before, *earlier[-1:]])
    reasons = [f"not before {lower.isoformat()}"]
    upper = published
    upper_why = "publication"
    cited = [c.date for i in block.infos for p in i.citations for c in p.citations]
    if cited and min(cited) < upper:
        upper, upper_why = min(cited), "the first citation's date"
    end = infos.index(block.infos[-1])
    for later in infos[end + 1 :]:
        if later.dates and _BACK_REFERENCE.search(later.own_text):
            first = min(m.range.end for m in later.dates)
            if first < upper:
                upper, upper_why = first, "a later sentence that refers back to it"
            break
    if lower > upper:
        lower = upper
    reasons.append(f"not after {upper.isoformat()} ({upper_why})")
    return lower, upper, ", ".join(reasons)
