"""The EDM citation parser: one test per pattern, the year rule, spans and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.citations import find_citations, find_unread, parse_citations, resolve_year

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_65b3e366a728d215.txt"
PUBLISHED = dt.date(2021, 3, 31)
D = dt.date


def cites(text: str, published: dt.date = PUBLISHED) -> list[tuple[str, str, dt.date, str]]:
    return [(c.kind, c.outlet, c.date, c.as_written) for c in parse_citations(text, published)]


def test_one_outlet_and_date():
    assert cites("a letter (News.am, March 7).") == [
        ("outlet", "News.am", D(2021, 3, 7), "March 7")
    ]


def test_several_outlets_share_a_date():
    assert cites("(Sputnik, News.am, February 9)") == [
        ("outlet", "Sputnik", D(2021, 2, 9), "February 9"),
        ("outlet", "News.am", D(2021, 2, 9), "February 9"),
    ]


def test_groups_split_by_semicolons():
    assert cites("(Arminfo, February 26; News.am, February 27)") == [
        ("outlet", "Arminfo", D(2021, 2, 26), "February 26"),
        ("outlet", "News.am", D(2021, 2, 27), "February 27"),
    ]


def test_four_groups():
    found = cites(
        "(Azertag, March 1; 1News.az, March 12; Eurasia Review, March 20; Haqqin.az, March 20)"
    )
    assert [(o, d) for _, o, d, _ in found] == [
        ("Azertag", D(2021, 3, 1)),
        ("1News.az", D(2021, 3, 12)),
        ("Eurasia Review", D(2021, 3, 20)),
        ("Haqqin.az", D(2021, 3, 20)),
    ]


def test_several_days_of_one_month_give_one_citation_per_day():
    assert cites("(Armenpress, February 11, 15)") == [
        ("outlet", "Armenpress", D(2021, 2, 11), "February 11, 15"),
        ("outlet", "Armenpress", D(2021, 2, 15), "February 11, 15"),
    ]


def test_explicit_year_applies_to_the_days_before_it():
    assert cites("(Armenpress, December 25, 29, 2020)") == [
        ("outlet", "Armenpress", D(2020, 12, 25), "December 25, 29, 2020"),
        ("outlet", "Armenpress", D(2020, 12, 29), "December 25, 29, 2020"),
    ]


def test_explicit_year_overrides_the_year_rule():
    # 2020 written: not 2021 even though March 5, 2021 is before publication
    assert [c[2] for c in cites("(TASS, March 5, 2020)")] == [D(2020, 3, 5)]


def test_eg_prefix():
    assert cites("(e.g., RBC, January 22)") == [("outlet", "RBC", D(2021, 1, 22), "January 22")]


def test_empty_outlet_is_dropped():
    assert cites("(, Arminfo, February 3, 4)") == [
        ("outlet", "Arminfo", D(2021, 2, 3), "February 3, 4"),
        ("outlet", "Arminfo", D(2021, 2, 4), "February 3, 4"),
    ]


def test_group_naming_no_outlet_keeps_an_empty_outlet():
    assert cites("(, December 18, 2020)") == [("outlet", "", D(2020, 12, 18), "December 18, 2020")]


def test_edm_cross_reference_with_two_days_and_a_year():
    assert cites("(see EDM, November 12, 13, 2020)") == [
        ("edm", "EDM", D(2020, 11, 12), "November 12, 13, 2020"),
        ("edm", "EDM", D(2020, 11, 13), "November 12, 13, 2020"),
    ]


def test_edm_cross_reference_without_a_year():
    assert cites("(see EDM, March 17)") == [("edm", "EDM", D(2021, 3, 17), "March 17")]


def test_edm_cross_reference_to_a_part():
    [citation] = parse_citations("(see Part One in EDM, March 18)", PUBLISHED)
    assert (citation.kind, citation.outlet, citation.date) == ("edm", "EDM", D(2021, 3, 18))
    assert citation.outlet_as_written == "see Part One in EDM"


def test_edm_dates_joined_by_and():
    found = cites("(see EDM, December 8, 10, 2020 and January 21, 22, 2021)")
    assert [c[2] for c in found] == [
        D(2020, 12, 8),
        D(2020, 12, 10),
        D(2021, 1, 21),
        D(2021, 1, 22),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "(Source: Eurasianet)",
        "(OSCE)",
        "(see above)",
        "(“miatsun”)",
        "(“Nagorno”)",
        "(Artsakh is the Armenian name for the Karabakh “republic”)",
        "(September 27–November 9, 2020)",
        "(March 7)",
        "(see the map, March 7)",
        "()",
        "a) compact units, and b) conscripts",
    ],
)
def test_not_citations(text):
    assert find_citations(text, PUBLISHED) == []


def test_year_rule_takes_the_year_before_for_dates_after_publication():
    assert resolve_year(12, 29, PUBLISHED) == D(2020, 12, 29)
    assert resolve_year(3, 31, PUBLISHED) == D(2021, 3, 31)
    assert resolve_year(4, 1, PUBLISHED) == D(2020, 4, 1)
    assert cites("(Reuters, December 29)") == [
        ("outlet", "Reuters", D(2020, 12, 29), "December 29")
    ]


def test_year_rule_on_february_29():
    assert resolve_year(2, 29, D(2021, 3, 31)) == D(2020, 2, 29)
    assert find_citations("(TASS, February 30)", PUBLISHED) == []


def test_spans_cover_the_whole_parenthetical():
    text = (
        "Before (OSCE) the letter (News.am, March 7). "
        "Then (Arminfo, February 26; News.am, February 27)."
    )
    found = find_citations(text, PUBLISHED)
    assert [text[p.start : p.end] for p in found] == [
        "(News.am, March 7)",
        "(Arminfo, February 26; News.am, February 27)",
    ]
    assert all(p.text == text[p.start : p.end] for p in found)


def test_seed_parentheticals():
    text = SEED.read_text(encoding="utf-8")
    found = find_citations(text, PUBLISHED)
    assert len(found) == 11
    assert sum(len(p.citations) for p in found) == 19
    for p in found:
        assert text[p.start] == "(" and text[p.end - 1] == ")"
    assert found[0].text == "(see EDM, November 25, 2020)"


def test_cli_prints_json(tmp_path):
    text = (
        "x (Arminfo, February 26; News.am, February 27) y (see EDM, December 25, 29, 2020) (OSCE)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.citations", "--published", "2021-03-31"],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=True,
    )
    assert json.loads(result.stdout) == [
        {"kind": "outlet", "outlet": "Arminfo", "date": "2021-02-26", "as_written": "February 26"},
        {"kind": "outlet", "outlet": "News.am", "date": "2021-02-27", "as_written": "February 27"},
        {
            "kind": "edm",
            "outlet": "EDM",
            "date": "2020-12-25",
            "as_written": "December 25, 29, 2020",
        },
        {
            "kind": "edm",
            "outlet": "EDM",
            "date": "2020-12-29",
            "as_written": "December 25, 29, 2020",
        },
    ]


def test_cli_rejects_a_bad_date():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.citations", "--published", "March 2021"],
        input="",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode != 0


# --------------------------------------------------------------------------- forms added for ingest


def test_semicolon_list_where_each_item_carries_its_own_year():
    assert cites("(see EDM, November 25, 2020; January 14, 2021)") == [
        ("edm", "EDM", D(2020, 11, 25), "November 25, 2020"),
        ("edm", "EDM", D(2021, 1, 14), "January 14, 2021"),
    ]
    assert cites("(News.am, February 9, 2020; March 3, 2021)") == [
        ("outlet", "News.am", D(2020, 2, 9), "February 9, 2020"),
        ("outlet", "News.am", D(2021, 3, 3), "March 3, 2021"),
    ]


def test_several_outlets_share_a_date_without_a_comma_before_it():
    assert cites("(Sputnik, News.am February 9)") == [
        ("outlet", "Sputnik", D(2021, 2, 9), "February 9"),
        ("outlet", "News.am", D(2021, 2, 9), "February 9"),
    ]


@pytest.mark.parametrize("outlet", ["Civil.ge", "News.am", "1News.az", "Report.az"])
def test_outlet_names_that_are_domains(outlet):
    assert cites(f"({outlet}, March 3)") == [("outlet", outlet, D(2021, 3, 3), "March 3")]
    assert cites(f"(JAMnews, {outlet} March 3)") == [
        ("outlet", "JAMnews", D(2021, 3, 3), "March 3"),
        ("outlet", outlet, D(2021, 3, 3), "March 3"),
    ]


def test_an_aside_with_a_date_is_not_an_outlet_but_is_reported():
    text = "the war (the war of September 27) and (News.am, February 30)"
    assert cites(text) == []
    unread = find_unread(text, PUBLISHED)
    assert [u.text for u in unread] == ["(the war of September 27)", "(News.am, February 30)"]
    assert all("not read as a citation" in u.reason for u in unread)
    assert text[unread[0].start : unread[0].end] == "(the war of September 27)"


def test_the_cli_warns_about_what_it_cannot_read():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.citations", "--published", "2021-03-31"],
        input="A (Azertag, March 1) and (Azertag, Marchh 1).",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0
    assert len(json.loads(result.stdout)) == 1
    assert "(Azertag, Marchh 1)" not in result.stderr  # no month name: not date-like at all
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.citations", "--published", "2021-03-31"],
        input="A (Azertag, March 1) and (Azertag, March 32).",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "warning: characters 25-44 '(Azertag, March 32)'" in result.stderr
