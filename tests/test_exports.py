"""The exports (events as GeoJSON and CSV) on records built to hold what the shipped data lacks:
cells a spreadsheet would run as formulas, off-map events, several citations."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from dashboard.exports import CSV_COLUMNS, event_feature, events_csv, events_geojson, events_kml
from tests import records as r

HOSTILE = {
    "title": "=cmd|' /C calc'!A0",
    "summary": "+SUM(1,2)",
    "date_as_written": "-2+3",
    "actors": ["@SUM(A1)", "plain actor"],
}
REPORT = {
    "id": "s1",
    "kind": "report",
    "outlet": "@Outlet",
    "published": "2021-02-27",
    "url": "https://example.org/report",
    "excerpt": "a few words",
    "language": "en",
}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def hostile():
    cited = r.citation("c1", ["e1"], outlet="=HYPERLINK(1)", date_as_written="February 26")
    cited2 = r.citation(
        "c2", ["e1"], outlet="Arminfo", date_as_written="March 1", date="2021-03-01"
    )
    return r.dataset(
        [
            r.event(
                "e1",
                "2021-02-26",
                "2021-03-01",
                citations=(cited, cited2),
                sources=[REPORT],
                confidence="high",
                **HOSTILE,
            ),
            r.event("e2", "2021-04-02", place_id="off", lonlat=None, geo_precision="off-map"),
        ],
        places=[r.place("here", name="-Minus town"), r.place("off", None)],
    )


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_a_cell_starting_with_a_formula_character_is_kept_as_text(lead):
    data = r.dataset([r.event("e1", "2021-02-26", title=f"{lead}cmd|' /C calc'!A0")])
    (row,) = rows(events_csv(data))
    assert row["title"] == f"'{lead}cmd|' /C calc'!A0"


def test_every_hostile_cell_is_defused_and_keeps_its_text(hostile):
    row = rows(events_csv(hostile))[0]
    assert row["title"] == "'" + HOSTILE["title"]
    assert row["summary"] == "'" + HOSTILE["summary"]
    assert row["date_as_written"] == "'" + HOSTILE["date_as_written"]
    assert row["actors"] == "'@SUM(A1); plain actor"
    assert row["place_name"] == "'-Minus town"
    assert row["citations"].startswith("'=HYPERLINK(1), February 26 (2021-02-26); Arminfo")
    assert row["sources"] == "'@Outlet, 2021-02-27, https://example.org/report"


@pytest.mark.parametrize("text", ["a=b", "x=", "1-2", "'=already", "x@y.org", "(=)"])
def test_a_formula_character_after_the_first_is_left_alone(text):
    (row,) = rows(events_csv(r.dataset([r.event("e1", "2021-02-26", title=text)])))
    assert row["title"] == text


def test_csv_row_holds_every_column_in_order(hostile):
    text = events_csv(hostile)
    header, first, second = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == CSV_COLUMNS
    assert dict(zip(header, first, strict=True)) == {
        "id": "e1",
        "title": "'" + HOSTILE["title"],
        "event_type": "political",
        "date_start": "2021-02-26",
        "date_end": "2021-03-01",
        "time_precision": "day",
        "date_basis": "occurred",
        "date_as_written": "'-2+3",
        "place_id": "here",
        "place_name": "'-Minus town",
        "lon": str(r.HERE[0]),
        "lat": str(r.HERE[1]),
        "geo_precision": "settlement",
        "actors": "'@SUM(A1); plain actor",
        "citations": "'=HYPERLINK(1), February 26 (2021-02-26); Arminfo, March 1 (2021-03-01)",
        "sources": "'@Outlet, 2021-02-27, https://example.org/report",
        "confidence": "high",
        "uncited_reason": "",
        "document_id": r.DOC_ID,
        "passage_start": "0",
        "passage_end": "16",
        "summary": "'+SUM(1,2)",
        "dataset": "articles",  # every row says its source: never an ACLED row
    }
    off_map = dict(zip(header, second, strict=True))
    assert (off_map["lon"], off_map["lat"], off_map["citations"]) == ("", "", "")
    assert (off_map["sources"], off_map["confidence"]) == ("", "medium")
    assert off_map["uncited_reason"] == "not cited"
    assert text.endswith("\n") and "\r" not in text


def test_csv_window_keeps_only_overlapping_events(hostile):
    window = (r.day("2021-03-01"), r.day("2021-03-31"))
    assert [row["id"] for row in rows(events_csv(hostile, window))] == ["e1"]
    assert [row["id"] for row in rows(events_csv(hostile))] == ["e1", "e2"]
    empty = events_csv(hostile, (r.day("2022-01-01"), r.day("2022-01-02")))
    assert empty == ",".join(CSV_COLUMNS) + "\n"


def test_geojson_feature_embeds_place_citations_and_document(hostile):
    e1 = hostile.event("e1")
    feature = event_feature(hostile, e1)
    assert feature["type"] == "Feature" and feature["id"] == "e1"
    assert feature["geometry"] == {"type": "Point", "coordinates": list(r.HERE)}
    props = feature["properties"]
    assert props["place_name"] == "-Minus town"  # JSON is not a spreadsheet: no prefix
    assert props["title"] == HOSTILE["title"]
    assert props["date_start"] == "2021-02-26"
    assert [c["outlet"] for c in props["citations"]] == ["=HYPERLINK(1)", "Arminfo"]
    assert all("supports" not in c and "document_id" not in c for c in props["citations"])
    assert props["citations"][1]["date"] == "2021-03-01"
    assert props["document"]["url"] == f"https://example.org/{r.DOC_ID}"
    assert props["document"]["published"] == "2021-03-25"


def test_geojson_off_map_event_has_null_geometry(hostile):
    assert event_feature(hostile, hostile.event("e2"))["geometry"] is None


def test_geojson_collection_with_and_without_window(hostile):
    everything = events_geojson(hostile)
    assert everything["type"] == "FeatureCollection"
    assert [f["id"] for f in everything["features"]] == ["e1", "e2"]
    assert "window" not in everything
    window = (r.day("2021-04-01"), r.day("2021-04-30"))
    windowed = events_geojson(hostile, window)
    assert [f["id"] for f in windowed["features"]] == ["e2"]
    assert windowed["window"] == {"start": "2021-04-01", "end": "2021-04-30"}


# --------------------------------------------------------------------------- filters, KML


def test_exports_keep_only_the_events_passing_the_filters(dataset):
    from dashboard.filters import facets_of, filtered_events, parse_filters

    filters, _ = parse_filters({"type": "protest", "vague": "hide"}, facets_of(dataset))
    window = (r.day("2020-01-01"), r.day("2024-12-31"))
    expected = [e.id for e in filtered_events(dataset, filters, window)]
    assert 0 < len(expected) < len(dataset.events)
    assert [f["id"] for f in events_geojson(dataset, window, filters)["features"]] == expected
    assert [row["id"] for row in rows(events_csv(dataset, window, filters))] == expected
    assert [p.get("id") for p in placemarks(events_kml(dataset, window, filters))] == expected


KML = "{http://www.opengis.net/kml/2.2}"


def placemarks(body: bytes) -> list:
    root = ET.fromstring(body)
    assert root.tag == KML + "kml"
    return root.findall(f"{KML}Document/{KML}Placemark")


def test_kml_parses_back_with_every_event_its_point_and_its_time_span(hostile):
    body = events_kml(hostile, title="Map <&> title")
    assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(body)
    assert root.find(f"{KML}Document/{KML}name").text == "Map <&> title"
    marks = placemarks(body)
    assert [m.get("id") for m in marks] == ["e1", "e2"]
    first, off_map = marks
    assert first.find(f"{KML}name").text == HOSTILE["title"]  # plain text, as written
    lon, lat = hostile.event("e1").lonlat
    assert first.find(f"{KML}Point/{KML}coordinates").text == f"{lon!r},{lat!r}"
    assert first.find(f"{KML}TimeSpan/{KML}begin").text == "2021-02-26"
    assert first.find(f"{KML}TimeSpan/{KML}end").text == "2021-03-01"
    data = {
        d.get("name"): d.find(f"{KML}value").text
        for d in first.findall(f"{KML}ExtendedData/{KML}Data")
    }
    assert data["event_type"] == hostile.event("e1").props.event_type.value
    assert data["date_start"] == "2021-02-26" and data["confidence"] == "high"
    assert off_map.find(f"{KML}Point") is None  # off the map: a placemark without a point


def test_kml_description_shows_markup_in_the_data_as_text(records_with_markup):
    body = events_kml(records_with_markup)
    description = placemarks(body)[0].find(f"{KML}description").text
    # Google Earth renders a description as HTML: the data's markup arrives escaped, so it
    # shows as the characters it is, and only our line breaks are markup.
    assert "<script>" not in description and "<b>" not in description
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in description
    assert "Actors: &lt;i&gt;x&lt;/i&gt; &amp; co" in description
    assert description.count("<br/>") >= 3
    assert placemarks(body)[0].find(f"{KML}name").text == "<b>bold</b> & more"


@pytest.fixture
def records_with_markup():
    return r.dataset(
        [
            r.event(
                "e1",
                "2021-02-26",
                title="<b>bold</b> & more",
                summary="<script>alert(1)</script>",
                actors=["<i>x</i> & co"],
            )
        ],
        places=[r.place("here")],
    )


# --------------------------------------------------------------------------- mutmut survivors


@pytest.fixture
def sourced():
    """e1 with two actors, a dated and an undated report, and the article; e2 with neither
    document nor passage, in April."""
    undated = REPORT | {"id": "s2", "outlet": "Civilnet", "url": "https://example.org/b"}
    undated.pop("published")
    return r.dataset(
        [
            r.event("e1", "2021-03-01", actors=["One", "Two"], sources=[REPORT, undated]),
            r.event(
                "e2",
                "2021-04-02",
                document_id=None,
                passage=None,
                uncited_reason=None,
                sources=[REPORT],
            ),
        ],  # fmt: skip
        places=[r.place("here", name="Stepanakert")],
    )


def test_kml_description_holds_the_record_line_by_line(sourced):
    description = placemarks(events_kml(sourced))[0].find(f"{KML}description").text
    assert description.split("<br/>") == [
        "2021-03-01 – 2021-03-01 (day; as written: 2021-03-01)",
        "political; Stepanakert (located to settlement)",
        "Actors: One; Two",
        "What happened in e1.",
        "Source: @Outlet, 2021-02-27, https://example.org/report",
        "Source: Civilnet, undated, https://example.org/b",
        f"Article: A. Author, Article {r.DOC_ID}, https://example.org/{r.DOC_ID}",
    ]
    no_article = placemarks(events_kml(sourced))[1].find(f"{KML}description").text
    assert not any(line.startswith("Article:") for line in no_article.split("<br/>"))


def test_kml_keeps_only_the_window_s_events_and_names_itself(sourced):
    april = (r.day("2021-04-01"), r.day("2021-04-30"))
    body = events_kml(sourced, april)
    assert [p.get("id") for p in placemarks(body)] == ["e2"]
    name = ET.fromstring(body).find(f"{KML}Document/{KML}name").text
    assert name == "Karabakh protectorate map: events"  # Google Earth's title for the file


def test_kml_uses_the_default_namespace_as_kml_readers_expect(sourced):
    """KML 2.2 files are written with the KML namespace as the default one (no prefix):
    readers that match tag names literally find <kml>, <Placemark>, ..."""
    body = events_kml(sourced)
    assert b'<kml xmlns="http://www.opengis.net/kml/2.2">' in body
    assert b"<Placemark " in body and b":Placemark" not in body


def test_kml_extended_data_holds_values_as_written_in_the_data(sourced):
    first = placemarks(events_kml(sourced))[0]
    data = {
        d.get("name"): d.find(f"{KML}value").text
        for d in first.findall(f"{KML}ExtendedData/{KML}Data")
    }
    assert data == {
        "event_type": "political",
        "date_start": "2021-03-01",
        "date_end": "2021-03-01",
        "time_precision": "day",
        "place_id": "here",
        "geo_precision": "settlement",
        "confidence": "medium",
    }


def test_csv_sources_are_joined_and_an_undated_one_says_so(sourced):
    first, _ = rows(events_csv(sourced))
    assert first["sources"] == (
        "'@Outlet, 2021-02-27, https://example.org/report; Civilnet, undated, https://example.org/b"
    )


def test_geojson_counts_the_article_s_publisher_among_the_independent_outlets(sourced):
    with_article = event_feature(sourced, sourced.event("e1"))["properties"]
    assert with_article["independent_outlets"] == ["A Publisher", "@Outlet", "Civilnet"]
    without = event_feature(sourced, sourced.event("e2"))["properties"]
    assert without["independent_outlets"] == ["@Outlet"] and without["document"] is None


def test_the_kml_document_says_what_it_holds(sourced):
    from dashboard.exports import EXPORT_SOURCE

    document = ET.fromstring(events_kml(sourced)).find(f"{KML}Document")
    assert document.find(f"{KML}description").text == EXPORT_SOURCE
