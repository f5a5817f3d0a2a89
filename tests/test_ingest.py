"""Ingest: date phrases, place names in every script, the seed measured against the curated
events, and hostile input to the `ingest` command."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.citations import parse_citations
from dashboard.ingest.dates import find_dates, resolve_phrase
from dashboard.ingest.measure import measure
from dashboard.ingest.passages import is_prose, propose
from dashboard.ingest.places import GazetteerEntry, find_places, gazetteer_from_places

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_65b3e366a728d215.txt"
PUBLISHED = dt.date(2021, 3, 31)
ERA = dt.date(2020, 11, 10)
D = dt.date


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("phrase", "start", "end", "precision"),
    [
        ("last December", D(2020, 12, 1), D(2020, 12, 31), "month"),
        ("March 1", D(2021, 3, 1), D(2021, 3, 1), "day"),
        ("December 29", D(2020, 12, 29), D(2020, 12, 29), "day"),  # after publication: year before
        ("from 1994 to 2020", D(1994, 1, 1), D(2020, 12, 31), "range"),
        ("September 27–November 9, 2020", D(2020, 9, 27), D(2020, 11, 9), "range"),
        ("since 2014", D(2014, 1, 1), PUBLISHED, "range"),
        ("November 10, 2020", D(2020, 11, 10), D(2020, 11, 10), "day"),
        ("10 November 2020", D(2020, 11, 10), D(2020, 11, 10), "day"),
        ("April 2020", D(2020, 4, 1), D(2020, 4, 30), "month"),
        ("2018", D(2018, 1, 1), D(2018, 12, 31), "year"),
        ("February and March", D(2021, 2, 1), D(2021, 3, 31), "range"),
        ("February 26–27", D(2021, 2, 26), D(2021, 2, 27), "range"),
        ("between May and June 2020", D(2020, 5, 1), D(2020, 6, 30), "range"),
        ("late 2020", D(2020, 9, 1), D(2020, 12, 31), "range"),
        ("mid-2021", D(2021, 5, 1), D(2021, 8, 31), "range"),
        ("early March 2021", D(2021, 3, 1), D(2021, 3, 10), "range"),
        ("last week", D(2021, 3, 22), D(2021, 3, 28), "week"),
        ("last month", D(2021, 2, 1), D(2021, 2, 28), "month"),
        ("last year", D(2020, 1, 1), D(2020, 12, 31), "year"),
        ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), "range"),
        ("November–February 2021", D(2020, 11, 1), D(2021, 2, 28), "range"),
    ],
)
def test_date_phrases_resolve_against_publication(phrase, start, end, precision):
    resolved = resolve_phrase(phrase, PUBLISHED)
    assert (resolved.start, resolved.end, resolved.precision) == (start, end, precision)


def test_from_a_dated_occurrence_to_date_is_a_range_to_publication_naming_the_occurrence():
    (mention,) = find_dates("From the November 10, 2020, armistice to date, he met", PUBLISHED)
    assert (mention.range.start, mention.range.end) == (D(2020, 11, 10), PUBLISHED)
    assert mention.occurrence == "armistice"


@pytest.mark.parametrize(
    "text", ["February 30", "124 officers", "for at least 25 years", "they may march", "(OSCE)"]
)
def test_not_dates(text):
    assert find_dates(text, PUBLISHED) == []


def test_a_citations_date_is_not_the_events_date():
    text = "Officers signed a letter of support for the general (News.am, March 7)."
    (candidate,) = propose(text, PUBLISHED, [], ERA)
    assert candidate.date_basis == "reported"
    assert (candidate.date.start, candidate.date.end) == (D(2021, 3, 7), D(2021, 3, 7))
    dated = "On February 9, the ministry announced the change (Sputnik, February 10)."
    (candidate,) = propose(dated, PUBLISHED, [], ERA)
    assert (candidate.date.start, candidate.date_basis) == (D(2021, 2, 9), "occurred")
    assert [c.date for c in candidate.citations] == [D(2021, 2, 10)]


# --------------------------------------------------------------------------- places


@pytest.fixture(scope="module")
def gazetteer():
    places = json.loads((ROOT / "geodata" / "places.geojson").read_text("utf-8"))
    return gazetteer_from_places(f["properties"] for f in places["features"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops passed through Lachin.", ["lachin"]),  # English
        ("the road to Berdzor", ["lachin"]),  # Armenian name, romanised
        ("LAÇIN and laçın", ["lachin"]),  # Azerbaijani Latin, any case
        ("through Lacin", ["lachin"]),  # without diacritics
        ("in Xankəndi", ["stepanakert"]),  # schwa
        ("in Xankendi", ["stepanakert"]),  # schwa folded to e
        ("Əsgəran district", ["askeran"]),
        ("from Bakı", ["baku"]),  # dotless i
        ("in Երևան", ["yerevan"]),  # Armenian script
        ("near Գորիս", ["goris"]),
        ("Yerevan’s stance", ["yerevan"]),  # possessive
        ("in Mets Shen", ["mets-shen-shusha"]),  # qualifier in brackets optional
        ("Stepanakertsi, Lachinsky", []),  # whole words only
    ],
)
def test_place_names_in_every_script(gazetteer, text, expected):
    assert find_places(text, gazetteer) == expected


def test_cyrillic_and_georgian_names_match_case_insensitively():
    entries = [
        GazetteerEntry("shusha", ("Shusha", "Шуша")),
        GazetteerEntry("tbilisi", ("Tbilisi", "თბილისი")),
    ]
    assert find_places("В ШУШЕ нет, в Шуша да; თბილისი", entries) == ["shusha", "tbilisi"]


def test_outlets_in_citations_are_not_places(gazetteer):
    text = "On March 3, the mayor of Stepanakert spoke (Yerevan Today, March 3)."
    (candidate,) = propose(text, PUBLISHED, gazetteer, ERA)
    assert candidate.place_ids == ["stepanakert"]


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "draft.json"
    subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", str(SEED), "--published", "2021-03-31",
         "--id", "edm-18-47", "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return json.loads(out.read_text("utf-8"))


def test_seed_ingest_proposes_at_least_90_percent_of_curated_events_with_right_dates(
    seed_draft, dataset
):
    curated = [
        e.props.model_dump(mode="json")
        for e in dataset.events
        # events from this article whose dates the article gives (not the war, dated by reports)
        if e.props.document_id == "edm-18-47" and not (e.props.sources and not e.citations)
    ]
    result = measure(curated, seed_draft["candidates"])
    assert result.rate >= 0.9, (result.wrong_dates, result.missed)
    assert result.missed == []


def test_seed_ingest_carries_every_citation_of_the_article(seed_draft):
    text = SEED.read_text("utf-8")
    expected = [c.to_json() for c in parse_citations(text, PUBLISHED)]
    proposed = [c for cand in seed_draft["candidates"] for c in cand["citations"]]
    assert len(expected) == 19
    assert [c for c in expected if c not in proposed] == []
    assert seed_draft["unread_citations"] == []


def test_candidate_offsets_point_at_their_passage(seed_draft):
    text = SEED.read_text("utf-8")
    for c in seed_draft["candidates"]:
        assert text[c["passage"]["start"] : c["passage"]["end"]] == c["passage_text"]
        assert c["decision"] == "pending"


def test_captions_and_asides_are_not_candidates(seed_draft):
    text = SEED.read_text("utf-8")
    caption = text.index("Head of Karabakh's security council")
    read_more = text.index("*To read part one")
    for c in seed_draft["candidates"]:
        assert not c["passage"]["start"] <= caption < c["passage"]["end"]
        assert not c["passage"]["start"] <= read_more < c["passage"]["end"]
    assert not is_prose("Head of the council in late 2020 (Source: Eurasianet)")
    assert not is_prose("*To read part one, please click here.")
    relations = text.index("Relations between the authorities")
    assert all(c["passage"]["start"] != relations for c in seed_draft["candidates"])


# --------------------------------------------------------------------------- the command


def _tree_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def _ingest(path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", str(path), "--published", "2021-03-31",
         "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


def test_ingest_leaves_geodata_unchanged(tmp_path):
    before = _tree_hash(ROOT / "geodata")
    result = _ingest(SEED, tmp_path / "d.json")
    assert result.returncode == 0, result.stderr
    assert _tree_hash(ROOT / "geodata") == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data (NUL byte at byte 8)"),
        ("Caf\xe9 au lait".encode("latin-1"), "not UTF-8 text"),
        (b"<html><body><p>On March 1, X.</p></body></html>", "looks like HTML"),
        (b"On March 1,\x07 the minister wrote.", "control character U+0007 at line 1, column 12"),
        (b"   \n\n  ", "the file is empty"),
    ],
)
def test_hostile_articles_are_refused_with_a_clear_message(tmp_path, content, message):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    out = tmp_path / "d.json"
    before = _tree_hash(ROOT / "geodata")
    result = _ingest(article, out)
    assert result.returncode == 1
    assert str(article) in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert _tree_hash(ROOT / "geodata") == before


def test_a_huge_file_is_refused_before_it_is_read_as_text(tmp_path):
    article = tmp_path / "huge.txt"
    article.write_bytes(b"On March 1, the minister wrote. " * 100_000)  # 3.2 MB
    result = _ingest(article, tmp_path / "d.json")
    assert result.returncode == 1
    assert "3,200,000 bytes is too large" in result.stderr


def test_a_missing_file_and_a_bad_date_are_refused(tmp_path):
    result = _ingest(tmp_path / "nope.txt", tmp_path / "d.json")
    assert result.returncode == 1 and "nope.txt: no such file" in result.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", str(SEED), "--published", "2021-02-30",
         "--out", str(tmp_path / "d.json")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and "'2021-02-30' is not a date" in bad.stderr


def test_text_with_html_like_characters_but_no_tags_is_plain_text(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("On March 1, the ratio was 3 < 4 & 5 > 2 in Yerevan, officials said.\n")
    result = _ingest(article, tmp_path / "d.json")
    assert result.returncode == 0, result.stderr
    (candidate,) = json.loads((tmp_path / "d.json").read_text("utf-8"))["candidates"]
    assert candidate["place_ids"] == ["yerevan"]
    assert candidate["passage_text"].startswith("On March 1, the ratio was 3 < 4 & 5 > 2")
