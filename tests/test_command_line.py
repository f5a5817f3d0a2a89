"""`python -m dashboard` reads the same data directory gunicorn's `dashboard.app:server` does."""

from __future__ import annotations

from pathlib import Path

from dashboard.__main__ import main
from tests.conftest import copy_of_real_data


def test_check_reads_the_data_dir_named_by_the_environment(tmp_path, monkeypatch, capsys):
    data = copy_of_real_data(tmp_path)
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(data))
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"in {data}" in out
    assert out.startswith("OK: 1 document, ")  # the real data: one seed article


def test_the_environment_s_data_dir_is_refused_when_broken(tmp_path, monkeypatch, capsys):
    data = copy_of_real_data(tmp_path)
    (data / "events.geojson").write_text("{", "utf-8")
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(data))
    assert main(["check"]) == 1
    assert "events.geojson" in capsys.readouterr().err


def test_an_explicit_data_dir_wins_over_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KARABAKH_DATA_DIR", str(tmp_path / "nowhere"))
    real = Path(__file__).resolve().parent.parent / "geodata"
    assert main(["check", "--data-dir", str(real)]) == 0
    assert f"in {real}" in capsys.readouterr().out
