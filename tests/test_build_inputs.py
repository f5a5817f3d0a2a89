"""Sourced readings the layer build uses live in geodata/sources/ CSV files and are validated:
a bad row stops the build with the file, the row and the field, and nothing is written."""

from __future__ import annotations

import csv
import shutil

import pytest

from dashboard.build import BuildError
from dashboard.build.layers import build_layers
from tests.conftest import ROOT

SOURCES = ROOT / "geodata" / "sources"


@pytest.fixture
def sources(tmp_path):
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


def _edit_rows(path, edit):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _build_fails(sources, out):
    with pytest.raises(BuildError) as caught:
        build_layers(sources, out)
    assert not out.exists() or not any(out.iterdir()), "a failed build wrote files"
    return str(caught.value)


def test_a_post_ending_before_it_starts_is_refused(sources, tmp_path):
    def edit(rows):
        rows[1]["valid_to"] = "2020-01-01"

    _edit_rows(sources / "peacekeeper_posts_readings.csv", edit)
    message = _build_fails(sources, tmp_path / "out")
    assert "peacekeeper_posts_readings.csv line 3" in message
    assert "Zabukh road" in message and "valid_to 2020-01-01 is before" in message


def test_a_post_date_that_is_not_a_date_is_refused(sources, tmp_path):
    def edit(rows):
        rows[0]["valid_from"] = "November 2020"

    _edit_rows(sources / "peacekeeper_posts_readings.csv", edit)
    message = _build_fails(sources, tmp_path / "out")
    assert "line 2 [Command post / HQ of Russian peacekeeping force]" in message
    assert "valid_from" in message


def test_readings_out_of_step_with_the_kit_s_posts_are_refused(sources, tmp_path):
    _edit_rows(sources / "peacekeeper_posts_readings.csv", lambda rows: rows.reverse())
    message = _build_fails(sources, tmp_path / "out")
    assert "same order" in message


def test_a_layer_reading_that_is_not_a_date_is_refused(sources, tmp_path):
    def edit(rows):
        next(r for r in rows if r["key"] == "bypass_date")["value"] = "late August 2022"

    _edit_rows(sources / "layer_readings.csv", edit)
    message = _build_fails(sources, tmp_path / "out")
    assert "layer_readings.csv [bypass_date]: expected an ISO date" in message


def test_an_alternative_name_without_a_language_is_refused(sources, tmp_path):
    _edit_rows(sources / "place_alt_name_langs.csv", lambda rows: rows.pop(0))
    message = _build_fails(sources, tmp_path / "out")
    assert "no language for 'Khankendi' of 'Stepanakert'" in message
