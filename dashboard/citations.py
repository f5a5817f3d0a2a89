"""Parse the source parentheticals of a Eurasia Daily Monitor (EDM) article.

EDM articles cite their sources inline, in parentheses, as outlet names followed by dates
without a year, e.g. "(Arminfo, February 26; News.am, February 27)". This module finds every
such parenthetical in a text, with its character span, and turns it into one `Citation` per
outlet and day. Pure functions: nothing here reads or writes files (except the CLI).

Patterns understood (all inside one pair of round brackets):

- one outlet and a date ............. "(News.am, March 7)"
- several outlets sharing a date .... "(Sputnik, News.am, February 9)"
- groups split by semicolons ........ "(Arminfo, February 26; News.am, February 27)"
- several days of one month ......... "(Armenpress, February 11, 15)" -> one citation per day
- an explicit year .................. "(Armenpress, December 25, 29, 2020)": the year applies
  to every day written before it (back to the previous year, or the start of the group)
- months joined by "and" ............ "(see EDM, December 8, 10, 2020 and January 21, 2021)"
- an "e.g.," prefix ................. "(e.g., RBC, January 22)"
- an empty outlet ................... "(, Arminfo, February 3, 4)": the empty name is a lost
  hyperlink text and is dropped; if a group names no outlet at all, its citations carry
  outlet "" (the caller decides what to do; the data build refuses them)
- EDM cross-references .............. "(see EDM, March 17)", "(see Part One in EDM, March 18)"
  -> kind "edm", outlet "EDM"
- a list whose items carry their own year, separated by semicolons, the outlet written once:
  "(see EDM, November 25, 2020; January 14, 2021)": a group that starts with a date takes the
  outlets (and kind) of the group before it
- no comma between the last outlet and the date: "(Sputnik, News.am February 9)"
- outlets that are domain names: "(Civil.ge, March 3)", "(Report.az, Civil.ge March 3)"

A parenthetical that looks like a citation (it holds a "Month Day" date or names EDM) but
cannot be read is returned by `find_unread` with the reason, so callers report it instead of
dropping it silently.

Not citations (no outlet-and-date): "(Source: Eurasianet)", "(OSCE)", "(see above)",
"(“miatsun”)", explanatory asides. A parenthetical counts as a citation parenthetical only if
*every* semicolon group in it parses as outlets followed by at least one "Month Day" date.

The year rule: a date written without a year takes the publication year, unless that date
would fall after the publication date, in which case it takes the year before
("December 29" in an article of March 2021 is 29 December 2020).

`as_written`: each citation carries the date text of its group exactly as in the source
("February 11, 15" for both the 11th and the 15th; "November 12, 13, 2020"), so a reader can
find it in the article; `date` is the one resolved day.

CLI: ``python -m dashboard.citations --published YYYY-MM-DD < article.txt`` prints a JSON
array of ``{"kind", "outlet", "date", "as_written"}`` objects in text order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_PAREN = re.compile(r"\(([^()]*)\)")
_MONTH_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})$")
_DAY = re.compile(r"^\d{1,2}$")
_YEAR = re.compile(r"^(1[89]|20)\d{2}$")
_EG = re.compile(r"^e\.\s?g\.,?\s*", re.IGNORECASE)
_SEE = re.compile(r"^see(?:\s+also)?\s+", re.IGNORECASE)
_EDM = re.compile(r"^(?:.*\bin\s+)?EDM$")  # "EDM", "Part One in EDM"
# "News.am February 9": an outlet and a date with no comma between them
_OUTLET_THEN_DATE = re.compile(r"^(?P<outlet>\S.*?)\s+(?P<date>(?P<month>[A-Za-z]+)\.?\s+\d{1,2})$")
# an outlet glued to its date must look like a name: every word capitalised or a domain
# ("Civil.ge", "Artsakh Public TV"), so an aside like "(the war of September 27)" stays one
_NAME = re.compile(r"^[A-Z0-9][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*)*$")
_DATE_LIKE = re.compile(
    r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+\d{1,2}\b|\bEDM\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Citation:
    """One outlet and one day, as cited."""

    kind: str  # "outlet" | "edm"
    outlet: str  # as written ("News.am"); "EDM" for cross-references; "" if none is named
    date: dt.date
    as_written: str  # the group's date text as in the source, e.g. "February 11, 15"
    outlet_as_written: str = ""  # the outlet text as in the source, e.g. "see Part One in EDM"

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "outlet": self.outlet,
            "date": self.date.isoformat(),
            "as_written": self.as_written,
        }


@dataclass(frozen=True)
class Parenthetical:
    """A citation parenthetical: text[start:end] is the whole "( ... )"."""

    start: int
    end: int
    text: str
    citations: tuple[Citation, ...]


def resolve_year(month: int, day: int, published: dt.date) -> dt.date:
    """The year rule: the publication year, or the year before if that date is after it."""
    candidate = _date_or_none(published.year, month, day)
    if candidate is None or candidate > published:
        earlier = _date_or_none(published.year - 1, month, day)
        if earlier is None:
            raise ValueError(f"no such day: month {month}, day {day}")
        return earlier
    return candidate


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _separate_glued_date(tokens: list[str]) -> list[str]:
    """["Sputnik", "News.am February 9"] -> ["Sputnik", "News.am", "February 9"]."""
    out: list[str] = []
    for tok in tokens:
        match = _OUTLET_THEN_DATE.match(tok)
        if (
            match
            and out[-1:] != [""]
            and match.group("month").lower() in MONTHS
            and _NAME.match(match.group("outlet").strip())
            and not _MONTH_DAY.match(tok)
            and not any(_MONTH_DAY.match(t) for t in out)
        ):
            out += [match.group("outlet").strip(), match.group("date")]
        else:
            out.append(tok)
    return out


def _split_outlets_and_dates(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """Split comma tokens into leading outlet tokens and trailing date tokens."""
    first_date = next((i for i, tok in enumerate(tokens) if _MONTH_DAY.match(tok)), None)
    if first_date is None or first_date == 0:
        return None
    head, tail = tokens[:first_date], tokens[first_date:]
    for tok in tail:  # tail[0] is a "Month Day": its month name is checked here too
        if not (_MONTH_DAY.match(tok) or _DAY.match(tok) or _YEAR.match(tok)):
            return None
        m = _MONTH_DAY.match(tok)
        if m and m.group(1).lower() not in MONTHS:
            return None
    return head, tail


def _dates(tokens: list[str], published: dt.date) -> list[dt.date] | None:
    """Resolve date tokens ("February 11", "15", "2020", ...) to days, in written order."""
    pending: list[tuple[int, int]] = []  # (month, day) awaiting a year
    resolved: list[dt.date] = []
    month: int | None = None
    for tok in tokens:
        if m := _MONTH_DAY.match(tok):
            month = MONTHS[m.group(1).lower()]
            pending.append((month, int(m.group(2))))
        elif _DAY.match(tok):
            if month is None:
                return None
            pending.append((month, int(tok)))
        else:  # an explicit year: applies to the days written before it
            if not pending:
                return None
            for mo, day in pending:
                d = _date_or_none(int(tok), mo, day)
                if d is None:
                    return None
                resolved.append(d)
            pending = []
    for mo, day in pending:
        try:
            resolved.append(resolve_year(mo, day, published))
        except ValueError:
            return None
    return resolved


def parse_group(
    group: str, published: dt.date, previous: list[Citation] | None = None
) -> list[Citation] | None:
    """One semicolon group, e.g. "Sputnik, News.am, February 9"; None if not a citation.

    `previous`: the citations of the group before, whose outlets a group that starts with a
    date ("...; January 14, 2021") takes.
    """
    text = _EG.sub("", group.strip()).strip()
    kind = "outlet"
    see = _SEE.match(text)
    if see:
        text = text[see.end() :]
    # "December 8, 10, 2020 and January 21, 22, 2021": "and" joins date runs like a comma
    tokens = _separate_glued_date([t.strip() for t in re.split(r",|\s+and\s+", text)])
    if previous and tokens and _MONTH_DAY.match(tokens[0]) and not see:
        return _inherit_outlets(tokens, text, previous, published)
    split = _split_outlets_and_dates(tokens)
    if split is None:
        return None
    head, tail = split
    outlets = [t for t in head if t]
    if see or any(_EDM.match(o) for o in outlets):
        if not (len(outlets) == 1 and _EDM.match(outlets[0])):
            return None  # "see" followed by something other than an EDM reference
        kind = "edm"
    days = _dates(tail, published)
    if not days:
        return None
    # the date text as written: from the first date token to the end of the group
    first = tail[0]
    as_written = text[text.index(first) :].strip()
    prefix = "see " if see else ""
    citations: list[Citation] = []
    for outlet in outlets or [""]:
        name = "EDM" if kind == "edm" else outlet
        for day in days:
            citations.append(Citation(kind, name, day, as_written, prefix + outlet))
    return citations


def _inherit_outlets(
    tokens: list[str], text: str, previous: list[Citation], published: dt.date
) -> list[Citation] | None:
    """A group of dates only: the outlets of the group before, each with these days."""
    if _split_outlets_and_dates(["x", *tokens]) is None:
        return None
    days = _dates(tokens, published)
    if not days:
        return None
    as_written = text.strip()
    outlets = list(dict.fromkeys((c.kind, c.outlet, c.outlet_as_written) for c in previous))
    return [
        Citation(kind, outlet, day, as_written, written)
        for kind, outlet, written in outlets
        for day in days
    ]


def parse_parenthetical(inner: str, published: dt.date) -> list[Citation] | None:
    """The text inside one "( ... )"; None unless every semicolon group is a citation."""
    if not inner.strip():
        return None
    citations: list[Citation] = []
    previous: list[Citation] | None = None
    for group in inner.split(";"):
        parsed = parse_group(group, published, previous)
        if parsed is None:
            return None
        citations.extend(parsed)
        previous = parsed
    return citations


def find_citations(text: str, published: dt.date) -> list[Parenthetical]:
    """Every citation parenthetical in `text`, in order, with spans of the whole "( ... )"."""
    found: list[Parenthetical] = []
    for match in _PAREN.finditer(text):
        citations = parse_parenthetical(match.group(1), published)
        if citations:
            found.append(
                Parenthetical(match.start(), match.end(), match.group(0), tuple(citations))
            )
    return found


@dataclass(frozen=True)
class Unread:
    """A parenthetical that looks like a citation but was not read as one."""

    start: int
    end: int
    text: str
    reason: str


def find_unread(text: str, published: dt.date) -> list[Unread]:
    """Parentheticals holding a "Month Day" date or naming EDM that are not citations.

    Date ranges in brackets ("(September 27–November 9, 2020)") are listed too: they are not
    citations, and a person should see that the parser left them alone.
    """
    unread: list[Unread] = []
    for match in _PAREN.finditer(text):
        inner = match.group(1)
        if not _DATE_LIKE.search(inner) or parse_parenthetical(inner, published):
            continue
        bad = next(
            (g.strip() for g in inner.split(";") if parse_group(g, published) is None),
            inner.strip(),
        )
        unread.append(
            Unread(
                match.start(),
                match.end(),
                match.group(0),
                f"not read as a citation: {bad!r} is not outlet(s) followed by 'Month Day' "
                "date(s) (or the day does not exist)",
            )
        )
    return unread


def parse_citations(text: str, published: dt.date) -> list[Citation]:
    """All citations in `text`, flattened in text order."""
    return [c for p in find_citations(text, published) for c in p.citations]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.citations",
        description="Read an EDM article on stdin; print its citations as a JSON array.",
    )
    parser.add_argument(
        "--published",
        required=True,
        type=dt.date.fromisoformat,
        help="publication date YYYY-MM-DD (resolves dates written without a year)",
    )
    args = parser.parse_args(argv)
    text = sys.stdin.read()
    out = [c.to_json() for c in parse_citations(text, args.published)]
    for unread in find_unread(text, args.published):
        print(
            f"warning: characters {unread.start}-{unread.end} {unread.text!r}: {unread.reason}",
            file=sys.stderr,
        )
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
