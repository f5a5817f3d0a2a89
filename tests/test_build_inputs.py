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
        for row in rows:  # its `to` rows: before its start of 10 Nov 2020
            if row["features"] == "post-lachin-corridor-zabukh" and row["bound"] == "to":
                row["date"] = "2020-01-01"

    _edit_rows(sources / "layer_dates.csv", edit)
    message = _build_fails(sources, tmp_path / "out")
    assert "layer_dates.csv" in message and "post-lachin-corridor-zabukh" in message
    assert "ends on 2020-01-01, which is before" in message


def test_a_post_date_that_is_not_a_date_is_refused(sources, tmp_path):
    def edit(rows):
        rows[0]["date"] = "November 2020"

    _edit_rows(sources / "layer_dates.csv", edit)
    message = _build_fails(sources, tmp_path / "out")
    assert "layer_dates.csv line 2 (aor-core;aor-margin)" in message
    assert "date" in message


def test_readings_out_of_step_with_the_kit_s_posts_are_refused(sources, tmp_path):
    _edit_rows(sources / "peacekeeper_posts_readings.csv", lambda rows: rows.reverse())
    message = _build_fails(sources, tmp_path / "out")
    assert "same order" in message


def test_an_alternative_name_without_a_language_is_refused(sources, tmp_path):
    _edit_rows(sources / "place_alt_name_langs.csv", lambda rows: rows.pop(0))
    message = _build_fails(sources, tmp_path / "out")
    assert "no language for 'Khankendi' of 'Stepanakert'" in message
