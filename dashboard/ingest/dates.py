"""Date phrases in running text -> date ranges with a precision, resolved against the
publication date. Pure functions.

Forms read (case of month names matters: "may"/"march" are verbs, "May"/"March" months):

- a day .................. "November 10, 2020", "10 November 2020", "March 1" (no year: the
  year rule of `dashboard.citations.resolve_year`: the publication year unless that day is
  after publication, then the year before)
- a month ................ "April 2020", "in April" / "during May" (no year: the latest such
  month not after publication)
- a year ................. "2018", "in 2018"; a decade "the 1990s" (range)
- ranges ................. "September 27–November 9, 2020", "February 26–27", "from 1994 to
  2020", "between May and June 2021", "during February and March", "from the November 10,
  2020, armistice to date" ("to date"/"now"/"the present" = publication date)
- open ranges ............ "since 2014" (to the publication date)
- relative ............... "last December", "last month", "last year", "last week" (Monday to
  Sunday of the week before publication: precision `week`)
- parts .................. "early 2021", "mid-2021", "late 2020", "late March 2021",
  "the end of 2020": thirds of the year (Jan-Apr, May-Aug, Sep-Dec) or of the month (1-10,
  11-20, 21-end); precision `range`
- "at the same time", "the same day", "that day" ... an anaphor: the date of the previous
  dated sentence (resolved by the caller, `passages`)

Precision: `day`, `week`, `month`, `year`, or `range` for any span that is not one of those.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dashboard.citations import MONTHS, resolve_year

_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
M = rf"(?:{_MONTH_NAMES})(?![\w])"
D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
Y = r"(?:1[89]|20)\d{2}(?!\d)"
# one calendar date with as much as it says: day, month, year in the usual English orders
ATOM = rf"(?:{M}\s+{D}(?:,?\s+{Y})?|{D}\s+{M}(?:,?\s+{Y})?|{M},?\s+{Y}|{Y})"
DASH = r"\s*(?:–|—|-|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*"
OPEN_END = r"(?:date|the present|present|now|today)"

_FROM_TO = re.compile(
    rf"\b[Ff]rom\s+(?:the\s+)?(?P<a>{ATOM}|{M})(?P<noun>,?\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?,?)?"
    rf"\s+(?:to|until|till|through)\s+(?P<b>{ATOM}|{M}|{D}|{OPEN_END})(?![\w])"
)
_DASH_RANGE = re.compile(
    rf"(?<![\w-])(?P<a>{ATOM}|{M})\s*(?:–|—|-)\s*(?P<b>{ATOM}|{M}|{D})(?![\w-])"
)
_BETWEEN = re.compile(rf"\b[Bb]etween\s+(?P<a>{ATOM}|{M})\s+and\s+(?P<b>{ATOM}|{M})(?![\w])")
_MONTH_AND_MONTH = re.compile(rf"(?<![\w])(?P<a>{M})\s+and\s+(?P<b>{M})(?:,?\s+(?P<y>{Y}))?")
_SINCE = re.compile(rf"\b[Ss]ince\s+(?:the\s+)?(?P<a>{ATOM}|{M})(?![\w])")
_LAST = re.compile(rf"\b[Ll]ast\s+(?P<u>week|month|year|{M})(?![\w])")
_PART = re.compile(
    rf"\b(?P<part>[Ee]arly|[Mm]id|[Ll]ate|the end of|the beginning of|the start of)"
    rf"[\s-]+(?P<a>{M},?\s+{Y}|{Y}|{M})(?![\w])"
)
_DECADE = re.compile(r"\b(?:the\s+)?(?P<y>(?:1[89]|20)\d0)s\b")
_SINGLE = re.compile(rf"(?<![\w-])(?P<a>{ATOM})(?![\w-])")
_LONE_MONTH = re.compile(rf"\b(?:[Ii]n|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hrough|[Oo]n)\s+(?P<a>{M})")
ANAPHOR = re.compile(
    r"\b(?:[Aa]t the same time|[Oo]n the same day|[Tt]he same day|[Tt]hat same day|"
    r"[Oo]n that day|[Ss]imultaneously)\b"
)
# a date used as an adjective for a dated occurrence: "the November 10, 2020, armistice"
OCCURRENCE_NOUNS = (
    "armistice",
    "ceasefire",
    "cease-fire",
    "agreement",
    "statement",
    "declaration",
    "treaty",
    "election",
    "elections",
    "referendum",
    "summit",
    "revolution",
    "war",
    "offensive",
    "coup",
)
_NEXT_WORDS = re.compile(r"^,?\s*[“\"]?([a-z-]+)[”\"]?(?:\s+[“\"]?([a-z-]+)[”\"]?)?")


def _occurrence(following: str) -> str:
    """The occurrence noun among the (at most two) words right after a date, or ''."""
    match = _NEXT_WORDS.match(following)
    if not match:
        return ""
    return next((w for w in match.groups() if w in OCCURRENCE_NOUNS), "")


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date  # inclusive
    precision: str  # day | week | month | year | range


@dataclass(frozen=True)
class DateMention:
    """A date phrase found in a text: text[start:end] is `as_written`."""

    start: int
    end: int
    as_written: str
    range: DateRange
    occurrence: str = ""  # the noun the date names ("armistice"), if it is used as an adjective


@dataclass(frozen=True)
class _Atom:
    year: int | None
    month: int | None
    day: int | None


def _month(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _atom(text: str) -> _Atom:
    """'November 10, 2020' -> (2020, 11, 10); 'April' -> (None, 4, None); '27' -> day 27."""
    words = re.findall(r"[A-Za-z]+\.?|\d+", text)
    year = month = day = None
    for word in words:
        if word[0].isdigit():
            number = int(word)
            if len(word) == 4:
                year = number
            else:
                day = number
        elif word.rstrip(".").lower() in MONTHS:
            month = _month(word)
        # ordinal suffixes ("st", "th") are skipped
    return _Atom(year, month, day)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_year(month: int, published: dt.date) -> int:
    """The year of a month named without one: the latest such month not after publication."""
    return published.year if month <= published.month else published.year - 1


def _span(atom: _Atom, published: dt.date) -> DateRange:
    """The range one atom stands for, missing year resolved against publication."""
    if atom.day is not None and atom.month is not None:
        if atom.year is None:
            day = resolve_year(atom.month, atom.day, published)
        else:
            day = dt.date(atom.year, atom.month, atom.day)
        return DateRange(day, day, "day")
    if atom.month is not None:
        year = atom.year if atom.year is not None else _month_year(atom.month, published)
        return DateRange(
            dt.date(year, atom.month, 1),
            dt.date(year, atom.month, _last_day(year, atom.month)),
            "month",
        )
    if atom.year is not None:
        return DateRange(dt.date(atom.year, 1, 1), dt.date(atom.year, 12, 31), "year")
    raise ValueError("a date needs at least a month or a year")


def _pair(a: _Atom, b: _Atom, published: dt.date) -> DateRange:
    """A range from two atoms, each lending the other what it leaves out."""
    if b.month is None and b.year is None:  # "February 26–27": b is a bare day
        b = _Atom(a.year, a.month, b.day)
    if b.year is None and a.year is not None:
        b = _Atom(a.year, b.month, b.day)
    end = _span(b, published)
    if a.year is None:
        year = end.end.year
        if a.month is not None and b.month is not None and a.month > b.month:
            year -= 1  # "November–February 2021": November 2020
        a = _Atom(year, a.month, a.day)
    start = _span(a, published)
    if end.end < start.start:
        raise ValueError("the range ends before it starts")
    return DateRange(start.start, end.end, "range")


def _part(part: str, atom: _Atom, published: dt.date) -> DateRange:
    """early/mid/late, the beginning/end of: thirds of a year or of a month."""
    whole = _span(atom, published)
    part = part.lower()
    first = part in ("early", "the beginning of", "the start of")
    last = part in ("late", "the end of")
    if whole.precision == "year":
        year = whole.start.year
        thirds = [(1, 4), (5, 8), (9, 12)]
        lo, hi = thirds[0] if first else thirds[2] if last else thirds[1]
        return DateRange(dt.date(year, lo, 1), dt.date(year, hi, _last_day(year, hi)), "range")
    start, end = whole.start, whole.end
    if first:
        return DateRange(start, start.replace(day=10), "range")
    if last:
        return DateRange(start.replace(day=21), end, "range")
    return DateRange(start.replace(day=11), start.replace(day=20), "range")


def _last(unit: str, published: dt.date) -> DateRange:
    if unit == "week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return DateRange(monday, monday + dt.timedelta(days=6), "week")
    if unit == "month":
        end = published.replace(day=1) - dt.timedelta(days=1)
        return DateRange(end.replace(day=1), end, "month")
    if unit == "year":
        year = published.year - 1
        return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    month = _month(unit)
    year = published.year if month < published.month else published.year - 1
    return DateRange(dt.date(year, month, 1), dt.date(year, month, _last_day(year, month)), "month")


def resolve_phrase(phrase: str, published: dt.date) -> DateRange:
    """One date phrase (the whole phrase) -> its range; ValueError if it is not one."""
    mentions = find_dates(phrase, published)
    if len(mentions) != 1 or mentions[0].as_written.strip() != phrase.strip():
        raise ValueError(f"not a date phrase: {phrase!r}")
    return mentions[0].range


def _interpret(kind: str, match: re.Match[str], published: dt.date) -> DateRange:
    if kind in ("from_to", "dash", "between"):
        b_text = match.group("b")
        a = _atom(match.group("a"))
        if kind == "from_to" and re.fullmatch(OPEN_END, b_text):
            start = _span(a, published)
            return DateRange(start.start, published, "range")
        return _pair(a, _atom(b_text), published)
    if kind == "and_months":
        year = int(match.group("y")) if match.group("y") else None
        a, b = _atom(match.group("a")), _atom(match.group("b"))
        return _pair(_Atom(None, a.month, None), _Atom(year, b.month, None), published)
    if kind == "since":
        return DateRange(_span(_atom(match.group("a")), published).start, published, "range")
    if kind == "last":
        return _last(match.group("u"), published)
    if kind == "part":
        return _part(match.group("part"), _atom(match.group("a")), published)
    if kind == "decade":
        year = int(match.group("y"))
        return DateRange(dt.date(year, 1, 1), dt.date(year + 9, 12, 31), "range")
    return _span(_atom(match.group("a")), published)  # single, lone_month


# Most specific first: a phrase found by an earlier pattern hides the text it covers.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("from_to", _FROM_TO),
    ("between", _BETWEEN),
    ("dash", _DASH_RANGE),
    ("and_months", _MONTH_AND_MONTH),
    ("since", _SINCE),
    ("last", _LAST),
    ("part", _PART),
    ("decade", _DECADE),
    ("single", _SINGLE),
    ("lone_month", _LONE_MONTH),
)


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date phrase in `text`, in order, none overlapping another.

    A phrase that looks like a date but is not a real one (February 30, a range that ends
    before it starts) is skipped: the caller sees no date rather than a wrong one.
    """
    taken = [False] * len(text)
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if kind == "lone_month":
                start = match.start("a")
            if any(taken[start:end]):
                continue
            try:
                span = _interpret(kind, match, published)
            except (ValueError, KeyError):
                continue
            if kind == "from_to" and match.group("noun"):
                occurrence = _occurrence(match.group("noun"))
            else:
                occurrence = _occurrence(text[end : end + 40])
            for i in range(start, end):
                taken[i] = True
            found.append(DateMention(start, end, text[start:end], span, occurrence))
    found.sort(key=lambda m: m.start)
    return found


def occurrence_date(mention: DateMention, text: str) -> DateRange | None:
    """For 'from the November 10, 2020, armistice to date': the armistice's own day."""
    match = _FROM_TO.match(mention.as_written) or _FROM_TO.search(mention.as_written)
    if not match or not mention.occurrence:
        return None
    atom = _atom(match.group("a"))
    if atom.year is None:
        return None
    return _span(atom, dt.date(atom.year, 12, 31))
