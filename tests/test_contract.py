"""The browser contract (dashboard/contract.py): the scrub model has the written shape and
version, the browser scripts speak the same version, and they name no layer themselves."""

from __future__ import annotations

import copy
import json
import re

import plotly
import pytest
from pydantic import ValidationError

from dashboard import registry
from dashboard.contract import (
    BLOCKADE_KIND,
    BLOCKADE_STYLE,
    CONTRACT_VERSION,
    EVENT_COLORS,
    EVENT_MARKER,
    EVENTS_LAYER,
    PRECISION_RANK,
    SEVERAL_TYPES_COLOR,
    check_scrub_model,
)
from dashboard.figures import figure_pieces, map_figure, map_layer_pieces, scrub_model
from dashboard.panels import legend
from dashboard.viewstate import default_view
from tests.conftest import ROOT

ASSETS = ROOT / "assets"


@pytest.fixture(scope="module")
def model(dataset):
    return scrub_model(dataset)


def test_the_scrub_model_has_the_contract_s_shape_and_version(model):
    checked = check_scrub_model(model)
    assert checked["version"] == CONTRACT_VERSION
    assert checked["events_layer"] == EVENTS_LAYER
    # and survives the trip to the browser as JSON unchanged
    assert check_scrub_model(json.loads(json.dumps(model))) == checked


@pytest.mark.parametrize(
    "break_it",
    [
        lambda m: m.pop("version"),
        lambda m: m.__setitem__("version", "1"),
        lambda m: m["events"].pop("url"),
        lambda m: m["events"].__setitem__("count", "25"),
        lambda m: m["traces"][0].pop("index"),
        lambda m: m["style"].pop("precision_rank"),
    ],
    ids=["no version", "version as text", "no events url", "count as text", "no index", "no rank"],
)
def test_a_model_off_the_contract_is_refused(model, break_it):
    broken = copy.deepcopy(model)
    break_it(broken)
    with pytest.raises(ValidationError):
        check_scrub_model(broken)


def test_the_app_checks_its_scrub_model_when_it_starts(model, monkeypatch):
    import dashboard.layout as layout
    from dashboard.app import create_app

    broken = copy.deepcopy(model)
    broken["events"]["count"] = "25"
    monkeypatch.setattr(layout, "scrub_model", lambda dataset: broken)
    with pytest.raises(ValidationError, match=r"events\.count"):
        create_app(ROOT / "geodata")  # at start-up, not at a browser's first request


def test_the_scripts_speak_the_python_contract_version():
    js = (ASSETS / "contract.js").read_text("utf-8")
    found = re.findall(r"const CONTRACT_VERSION = (\d+);", js)
    assert found == [str(CONTRACT_VERSION)]


def test_the_style_the_browser_gets_is_the_figure_s_and_the_legend_s(dataset, model):
    style = model["style"]
    assert style["event_colors"] == EVENT_COLORS
    assert style["several_types_color"] == SEVERAL_TYPES_COLOR
    assert style["event_marker"] == {p.value: list(v) for p, v in EVENT_MARKER.items()}
    assert style["precision_rank"] == {p.value: r for p, r in PRECISION_RANK.items()}
    shown = json.dumps(legend(dataset), cls=plotly.utils.PlotlyJSONEncoder)
    for color in [*EVENT_COLORS.values(), SEVERAL_TYPES_COLOR]:
        assert color in shown


def test_trace_positions_come_from_the_one_list_of_pieces(dataset, model):
    figure = map_figure(dataset, default_view(dataset))
    pieces = figure_pieces(dataset)
    assert len(figure["data"]) == len(pieces)
    for index, piece in enumerate(pieces):
        assert figure["data"][index]["meta"]["role"] == piece.role
    drawn = map_layer_pieces(dataset)
    assert len(figure["layout"]["map"]["layers"]) == len(drawn)
    assert [spec["index"] for spec in model["line_layers"]] == [
        i for i, (feature, _) in enumerate(drawn) if feature is not None
    ]
    for spec, (feature, _) in zip(
        model["line_layers"], [d for d in drawn if d[0] is not None], strict=True
    ):
        layer = figure["layout"]["map"]["layers"][spec["index"]]
        # the layer's colour; the blockade has its own style in the contract
        own = BLOCKADE_STYLE["color"] if feature.props.kind == BLOCKADE_KIND else None
        assert layer["color"] == (own or registry.get(spec["layer"]).color)


def test_one_window_rule_and_one_url_writer_in_the_browser():
    scripts = {path.name: path.read_text("utf-8") for path in ASSETS.glob("*.js")}
    defines_overlaps = [name for name, js in scripts.items() if "function overlaps" in js]
    writes_url = [name for name, js in scripts.items() if "history.replaceState" in js]
    assert defines_overlaps == ["contract.js"]
    assert writes_url == ["contract.js"]


def test_the_scripts_name_no_layer():
    names = [*registry.layer_names(), EVENTS_LAYER]
    for path in ASSETS.glob("*.js"):
        js = path.read_text("utf-8")
        for name in names:
            assert not re.search(rf"""["'`]{re.escape(name)}["'`]""", js), (path.name, name)
