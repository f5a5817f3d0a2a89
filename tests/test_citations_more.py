"""The citation parser's reporting and command line, in-process: what it could not read (in
text order, naming the group), dates-only groups inheriting outlets, the CLI's JSON."""

from __future__ import annotations

import datetime as dt
import io
import json

from dashboard import citations
from dashboard.citations import Citation, find_unread, parse_citations

PUBLISHED = dt.date(2021, 3, 31)


def test_find_unread_skips_citations_and_asides_and_reports_the_rest_in_order():
    text = (
        "A (News.am, March 7) then (see above) and (the war of September 27) and "
        "(Arminfo, February 26; the talks of March 2)."
    )
    unread = find_unread(text, PUBLISHED)
    assert [u.text for u in unread] == [
        "(the war of September 27)",
        "(Arminfo, February 26; the talks of March 2)",
    ]
    first = text.index("(the war")
    assert (unread[0].start, unread[0].end) == (first, first + len("(the war of September 27)"))
    assert unread[1].reason == (
        "not read as a citation: 'the talks of March 2' is not outlet(s) followed by "
        "'Month Day' date(s) (or the day does not exist)"
    )
    assert unread[0].reason.startswith("not read as a citation: 'the war of September 27'")


def test_a_group_of_dates_only_takes_the_outlets_of_the_group_before():
    found = parse_citations("(see Part One in EDM, March 17; March 18)", PUBLISHED)
    assert found == [
        Citation("edm", "EDM", dt.date(2021, 3, 17), "March 17", "see Part One in EDM"),
        Citation("edm", "EDM", dt.date(2021, 3, 18), "March 18", "see Part One in EDM"),
    ]
    shared = parse_citations("(Sputnik, News.am, February 9; February 10, 11)", PUBLISHED)
    assert [(c.outlet, c.date.day, c.as_written) for c in shared] == [
        ("Sputnik", 9, "February 9"),
        ("News.am", 9, "February 9"),
        ("Sputnik", 10, "February 10, 11"),
        ("Sputnik", 11, "February 10, 11"),
        ("News.am", 10, "February 10, 11"),
        ("News.am", 11, "February 10, 11"),
    ]
    assert [c.outlet_as_written for c in shared] == [c.outlet for c in shared]


def test_a_dates_only_group_first_or_with_no_real_date_is_not_a_citation():
    assert parse_citations("(February 10; News.am, February 9)", PUBLISHED) == []
    assert parse_citations("(News.am, February 9; February 30)", PUBLISHED) == []


def test_the_cli_prints_json_and_warns_in_process(monkeypatch, capsys):
    text = "A (Azertag, March 1) and (Azertag, March 32) and (News.am, December 29)."
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert citations.main(["--published", "2021-03-31"]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("]\n")
    assert json.loads(out) == [
        {"kind": "outlet", "outlet": "Azertag", "date": "2021-03-01", "as_written": "March 1"},
        {"kind": "outlet", "outlet": "News.am", "date": "2020-12-29", "as_written": "December 29"},
    ]
    assert '\n  {\n    "kind"' in out  # indented for a person, non-ASCII kept
    start = text.index("(Azertag, March 32)")
    assert err.startswith(f"warning: characters {start}-{start + 19} '(Azertag, March 32)': ")
    assert err.count("warning:") == 1


def test_the_cli_keeps_non_ascii_outlets(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("(Ազատություն, March 3)"))
    citations.main(["--published", "2021-03-31"])
    assert "Ազատություն" in capsys.readouterr().out


# --------------------------------------------------------------------------- mutmut survivors


def cites(text: str) -> list[tuple[str, dt.date, str]]:
    return [(c.outlet, c.date, c.as_written) for c in parse_citations(text, PUBLISHED)]


def test_a_word_that_is_not_a_month_makes_the_group_no_citation():
    assert cites("(Arminfo, Foo 3)") == []
    assert cites("(Arminfo, February 3, Foo 12)") == []
    assert cites("(Arminfo, Sept. 3)") == [("Arminfo", dt.date(2020, 9, 3), "Sept. 3")]


def test_the_date_text_starts_at_the_group_s_first_date_even_when_repeated():
    # the same "Month Day" twice (two years): as written from the first one
    assert cites("(Armenpress, December 25, 2019 and December 25, 2020)") == [
        ("Armenpress", dt.date(2019, 12, 25), "December 25, 2019 and December 25, 2020"),
        ("Armenpress", dt.date(2020, 12, 25), "December 25, 2019 and December 25, 2020"),
    ]


def test_after_a_lost_link_a_name_glued_to_a_date_is_not_split_but_reported():
    """ "(, Arminfo February 3)": the empty first outlet is a lost hyperlink, and what follows
    it is not taken apart as "outlet date" (it is left for a person, as unread)."""
    text = "(, Arminfo February 3)"
    assert cites(text) == []
    (unread,) = find_unread(text, PUBLISHED)
    assert "', Arminfo February 3'" in unread.reason
    assert cites("(Sputnik, , Arminfo February 3)") == []  # a lost link after an outlet too
    assert cites("(Sputnik, Arminfo February 3)") == [
        ("Sputnik", dt.date(2021, 2, 3), "February 3"),
        ("Arminfo", dt.date(2021, 2, 3), "February 3"),
    ]


def test_a_day_that_exists_in_neither_year_is_refused_naming_it():
    import pytest

    with pytest.raises(ValueError, match=r"^no such day: month 2, day 30$"):
        citations.resolve_year(2, 30, PUBLISHED)


def test_the_cli_requires_the_publication_date_and_says_how_to_write_it(monkeypatch, capsys):
    import pytest

    monkeypatch.setattr("sys.stdin", io.StringIO("(News.am, March 7)"))
    with pytest.raises(SystemExit) as stopped:
        citations.main([])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m dashboard.citations ")
    assert "the following arguments are required: --published" in err
    with pytest.raises(SystemExit) as stopped:
        citations.main(["--help"])
    assert stopped.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    description = " Read an EDM article on stdin; print its citations as a JSON array. "
    assert description in f" {help_text} "
    assert (
        "--published PUBLISHED publication date YYYY-MM-DD "
        "(resolves dates written without a year)" in help_text
    )
