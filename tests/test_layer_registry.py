"""A layer is declared once (dashboard.registry) and everything reads the declaration.

The test layer below is made up for this test: one registry entry and one builder. Its
geometry is drawn around real kit coordinates (Lachin, Martuni) so that it is valid, but the
layer itself means nothing and never leaves the test's temporary copy of the data.
"""

from __future__ import annotations

import json

import plotly
import pytest

from dashboard import registry
from dashboard.app import create_app
from dashboard.build.geo import collection, feature, to_wgs84
from dashboard.build.kit import Kit
from dashboard.build.layers import build_layers
from dashboard.figures import map_figure, scrub_model
from dashboard.layout import layer_toggle
from dashboard.loading import load_dataset
from dashboard.model import Accuracy
from dashboard.panels import legend
from dashboard.viewstate import default_view, parse_view_state
from tests.conftest import ROOT, copy_of_real_data

FIXTURE = registry.Layer(
    name="test_fixture_sites",
    title="Fixture sites (made up for a test)",
    role="reference",
    builder="tests.test_layer_registry:build_fixture_sites",
    docs="A made-up layer that exists only in tests/test_layer_registry.py.",
    color="#11aa44",
)


def build_fixture_sites(kit: Kit) -> dict:
    """The made-up layer's builder: an area around Lachin and a point at Martuni."""
    common = {
        "layer": FIXTURE.name,
        "source": "tests/test_layer_registry.py (a test fixture, not data)",
        "valid_from": "2021-01-01",
        # every reference feature ends, or says that no end was found and where it looked
        "note": "Made up for a test. No end found: there is nothing to look in.",
    }
    area = kit.place("Lachin").metric.buffer(3000)
    return collection(
        [
            feature(
                to_wgs84(area),
                id="fixture-area",
                name="Fixture area",
                kind="fixture-area",
                accuracy=Accuracy.SCHEMATIC,
                **common,
            ),
            feature(
                kit.place("Martuni").point,
                id="fixture-point",
                name="Fixture point",
                kind="fixture-point",
                accuracy=Accuracy.SETTLEMENT_PROXY,
                **common,
            ),
        ]
    )


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory):
    """A copy of the real data into which the build wrote the made-up layer too."""
    data = copy_of_real_data(tmp_path_factory.mktemp("registry"))
    registry.register(FIXTURE)
    try:
        build_layers(ROOT / "geodata" / "sources", data / "layers")
    finally:
        registry.unregister(FIXTURE.name)
    return data


@pytest.fixture
def registered():
    registry.register(FIXTURE)
    yield FIXTURE
    registry.unregister(FIXTURE.name)


@pytest.fixture
def fixture_dataset(fixture_data, registered):
    return load_dataset(fixture_data)


def _text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_the_build_writes_the_registered_layer(fixture_data, fixture_dataset):
    stored = json.loads((fixture_data / "layers" / f"{FIXTURE.name}.geojson").read_text("utf-8"))
    assert [f["properties"]["id"] for f in stored["features"]] == ["fixture-area", "fixture-point"]
    assert [f.props.id for f in fixture_dataset.layers[FIXTURE.name]] == [
        "fixture-area",
        "fixture-point",
    ]


def test_the_figure_draws_it_in_its_colour(fixture_dataset):
    figure = map_figure(fixture_dataset, default_view(fixture_dataset))
    mine = [t for t in figure["data"] if (t.get("meta") or {}).get("layer") == FIXTURE.name]
    assert {t["meta"]["role"] for t in mine} == {"area", "points"}
    assert all(t["visible"] for t in mine)
    points = next(t for t in mine if t["meta"]["role"] == "points")
    assert points["customdata"] == ["fixture-point"]
    assert points["marker"]["color"] == FIXTURE.color
    outlines = [
        layer for layer in figure["layout"]["map"]["layers"] if layer.get("color") == FIXTURE.color
    ]
    assert len(outlines) == 1  # the area's outline
    # and the browser's scrub model can show and hide it with the rest
    model = scrub_model(fixture_dataset)
    assert FIXTURE.name in {t["layer"] for t in model["traces"]}
    assert FIXTURE.name in {line["layer"] for line in model["line_layers"]}


def test_hiding_it_hides_its_traces(fixture_dataset):
    view = parse_view_state({"layers": "aor,events"}, fixture_dataset)
    figure = map_figure(fixture_dataset, view)
    mine = [t for t in figure["data"] if (t.get("meta") or {}).get("layer") == FIXTURE.name]
    assert mine and not any(t["visible"] for t in mine)


def test_the_legend_and_the_layer_control_name_it(fixture_dataset):
    assert FIXTURE.title in _text(legend(fixture_dataset))
    assert FIXTURE.color in _text(legend(fixture_dataset))
    options = layer_toggle(fixture_dataset, default_view(fixture_dataset)).options
    assert {"label": FIXTURE.title, "value": FIXTURE.name} in options
    assert FIXTURE.name in default_view(fixture_dataset).visible_layers
    assert parse_view_state({"layers": FIXTURE.name}, fixture_dataset).visible_layers == (
        FIXTURE.name,
    )


def test_the_api_serves_and_lists_it(fixture_data, registered):
    client = create_app(fixture_data).server.test_client()
    response = client.get(f"/api/layers/{FIXTURE.name}.geojson")
    assert response.status_code == 200
    assert [f["id"] for f in [f["properties"] for f in response.get_json()["features"]]] == [
        "fixture-area",
        "fixture-point",
    ]
    index = client.get("/api/layers").get_json()["layers"]
    entry = next(e for e in index if e["name"] == FIXTURE.name)
    assert entry["title"] == FIXTURE.title
    assert entry["url"] == f"/api/layers/{FIXTURE.name}.geojson"


def test_without_its_entry_the_layer_is_not_known(fixture_data):
    # unregistered: its features would name an unknown layer, and nothing reads its file
    assert FIXTURE.name not in registry.layer_names()
    dataset = load_dataset(fixture_data)
    assert FIXTURE.name not in dataset.layers
    assert FIXTURE.title not in _text(legend(dataset))
