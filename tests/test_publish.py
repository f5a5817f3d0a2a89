"""Publish: a reviewed draft goes into the data atomically, idempotently, never over a
curated record, with every change in the history; bad drafts and crashes leave geodata/ as
it was.

The draft here is the seed article ingested again under a test document id ("test-reingest"):
its events are built only from facts already in our data, and titled "Test: ..."."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from dashboard.asof import as_of_notice, event_history
from dashboard.build.events import build_all
from dashboard.ingest import publish as publish_module
from dashboard.ingest.cli import main as cli
from dashboard.loading import DataError, load_dataset
from dashboard.panels import event_card
from dashboard.testing import SEED, accept, candidate_at, ingest_draft

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def tree_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(path)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of geodata/ (with its sources) and seeds/; returns the copied geodata/."""
    shutil.copytree(ROOT / "geodata", tmp_path / "geodata")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.setattr(publish_module, "now_utc", lambda: FIXED_TIME)
    return tmp_path / "geodata"


def edit(path: Path, change) -> None:
    draft = json.loads(path.read_text("utf-8"))
    change(draft)
    path.write_text(json.dumps(draft, ensure_ascii=False, indent=1), "utf-8")


def publish(draft: Path, project: Path, *extra: str) -> int:
    return cli(["publish", str(draft), "--data-dir", str(project), *extra])


@pytest.fixture
def reviewed(project: Path) -> Path:
    """A draft with two accepted candidates (Feb 9 announcement, Mar 7 letter)."""
    path = ingest_draft(project)

    def review(draft):
        accept(candidate_at(draft, "On February 9"), event_type="military")
        accept(candidate_at(draft, "In the same vein"), place_id="stepanakert",
               geo_precision="region")  # fmt: skip

    edit(path, review)
    return path


# --------------------------------------------------------------------------- publishing


def test_publish_adds_events_records_history_and_a_rebuild_reproduces_it(project, reviewed):
    assert publish(reviewed, project) == 0
    dataset = load_dataset(project)  # the same validation as `check`
    added = {"test-reingest.c12", "test-reingest.c08"}
    assert added <= {e.id for e in dataset.events}
    assert len(dataset.events) == len(load_dataset(ROOT / "geodata").events) + 2
    event = dataset.event("test-reingest.c12")
    assert (event.props.date_start, event.props.place_id) == (dt.date(2021, 2, 9), "yerevan")
    assert {c.outlet for c in event.citations} == {"Sputnik", "News.am"}
    assert all(c.document_id == "test-reingest" for c in event.citations)
    assert dataset.history.data_version == 1
    assert {(c.event_id, c.change.value) for c in dataset.history.changes} == {
        (i, "added") for i in added
    }
    outputs = build_all(project.parent)  # the data build reproduces the published files
    for rel, text in outputs.items():
        assert (project.parent / rel).read_text("utf-8") == text, rel


def test_publishing_the_same_draft_twice_changes_nothing(project, reviewed, capsys):
    assert publish(reviewed, project) == 0
    after_first = tree_hash(project)
    assert publish(reviewed, project) == 0
    assert "nothing to publish" in capsys.readouterr().out
    assert tree_hash(project) == after_first


def test_dry_run_shows_the_changes_and_writes_nothing(project, reviewed, capsys):
    before = tree_hash(project)
    assert publish(reviewed, project, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would publish 2 change(s) as data version 1" in out
    assert "added     test-reingest.c12" in out
    assert tree_hash(project) == before


def test_redating_relocating_and_retracting_need_a_reason_and_are_recorded(
    project, reviewed, capsys
):
    assert publish(reviewed, project) == 0
    letter = "In the same vein"

    def redate(draft):
        c = candidate_at(draft, letter)
        c.update(date_start="2021-03-06", place_id="yerevan", geo_precision="settlement")

    edit(reviewed, redate)
    before = tree_hash(project)
    assert publish(reviewed, project) == 1
    err = capsys.readouterr().err
    assert "[test-reingest.c08] reason: empty, but this changes the published event" in err
    assert tree_hash(project) == before

    edit(
        reviewed,
        lambda d: candidate_at(d, letter).update(reason="Test: letter dated a day earlier"),
    )
    assert publish(reviewed, project) == 0
    history = load_dataset(project).history
    assert history.data_version == 2
    v2 = {c.change.value: c for c in history.changes if c.version == 2}
    assert set(v2) == {"redated", "relocated"}
    assert v2["redated"].fields == {"date_start": ["2021-03-07", "2021-03-06"]}
    assert v2["relocated"].fields["place_id"] == ["stepanakert", "yerevan"]
    assert v2["redated"].reason == "Test: letter dated a day earlier"

    edit(reviewed, lambda d: candidate_at(d, letter).update(decision="retract", reason=""))
    assert publish(reviewed, project) == 1
    assert "[test-reingest.c08] reason: empty" in capsys.readouterr().err
    edit(reviewed, lambda d: candidate_at(d, letter).update(reason="Test: duplicate"))
    assert publish(reviewed, project) == 0
    dataset = load_dataset(project)
    assert dataset.event("test-reingest.c08") is None
    assert dataset.event("test-reingest.c12") is not None
    after = tree_hash(project)
    assert publish(reviewed, project) == 0  # the same draft again: nothing changes
    assert tree_hash(project) == after
    changes = dataset.history.for_event("test-reingest.c08")
    assert [(c.version, c.change.value) for c in changes] == [
        (1, "added"), (2, "redated"), (2, "relocated"), (3, "retracted")
    ]  # fmt: skip


def test_the_event_panel_shows_its_history_and_old_links_say_what_changed(project, reviewed):
    assert publish(reviewed, project) == 0
    dataset = load_dataset(project)
    block = str(event_history(dataset, "test-reingest.c12"))
    assert "History" in block and "Version 1 (02 Jan 2030): published" in block
    card = str(event_card(dataset, dataset.event("test-reingest.c12")))
    assert "Version 1 (02 Jan 2030): published" in card
    assert event_history(dataset, "armistice-2020-11-10") == []  # curated: no history
    notice = str(as_of_notice(dataset, "?start=2021-01-01&v=0"))
    assert "made with data version 0; the data is now at version 1" in notice
    assert "Test: On February 9, Yerevan milit" in notice
    assert as_of_notice(dataset, "?v=1") == []
    assert as_of_notice(dataset, "?v=abc") == []
    assert "version 7" in str(as_of_notice(dataset, "?v=7"))


# --------------------------------------------------------------------------- conflicts


def test_a_curated_id_is_a_conflict_never_overwritten(project, reviewed, capsys):
    edit(reviewed, lambda d: candidate_at(d, "On February 9").update(
        id="conscripts-no-longer-sent-announcement"))  # fmt: skip
    before = tree_hash(project)
    assert publish(reviewed, project) == 1
    err = capsys.readouterr().err
    assert "conflict: " in err and "[conscripts-no-longer-sent-announcement] id: a curated" in err
    assert tree_hash(project) == before


def test_a_curated_document_id_is_a_conflict(project, capsys):
    path = ingest_draft(project, doc_id="edm-18-47")
    edit(path, lambda d: accept(candidate_at(d, "On February 9")))
    before = tree_hash(project)
    assert publish(path, project) == 1
    assert "[document] id: 'edm-18-47' is a curated document" in capsys.readouterr().err
    assert tree_hash(project) == before


def test_an_event_of_another_draft_is_a_conflict(project, reviewed, capsys):
    assert publish(reviewed, project) == 0
    other = ingest_draft(project, doc_id="test-other")
    edit(other, lambda d: accept(candidate_at(d, "On February 9"), id="test-reingest.c12"))
    before = tree_hash(project)
    assert publish(other, project) == 1
    assert "published by draft 'test-reingest'" in capsys.readouterr().err
    assert tree_hash(project) == before


# --------------------------------------------------------------------------- bad drafts


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(date_start="2021-02-30"),
         "[test-reingest.c12] date_start: Input should be a valid date"),
        (lambda c: c.update(date_end="2021-01-01"), "date_end 2021-01-01 is before date_start"),
        (lambda c: c.update(place_id="atlantis"),
         "[test-reingest.c12] place_id: unknown place 'atlantis'"),
        (lambda c: c.update(event_type="riot"), "[test-reingest.c12] event_type: Input should be"),
        (lambda c: c.update(title=""), "[test-reingest.c12] title: String should have at least 1"),
        (lambda c: c.update(passage={"start": 6000, "end": 9000}),
         "[test-reingest.c12] passage: 6000-9000 is outside the text"),
        (lambda c: c.update(passage_text="edited quote"),
         "[test-reingest.c12] passage_text: differs from the article"),
        (lambda c: c["citations"].append({"kind": "outlet", "outlet": "Invented",
                                          "date": "2021-02-09", "as_written": "February 9"}),
         "citations.2: {'kind': 'outlet', 'outlet': 'Invented'"),
        (lambda c: c.update(decision="maybe"), "[test-reingest.c12] decision: is 'maybe'"),
        (lambda c: c.update(geo_precision="off-map"), "geo_precision: 'off-map' for a place with"),
    ],
)  # fmt: skip
def test_a_bad_draft_names_file_record_and_field_and_changes_nothing(
    project, reviewed, capsys, change, message
):
    edit(reviewed, lambda d: change(candidate_at(d, "On February 9")))
    before = tree_hash(project)
    assert publish(reviewed, project) == 1
    err = capsys.readouterr().err
    assert str(reviewed) in err and message in err, err
    assert "nothing published" in err and "Traceback" not in err
    assert tree_hash(project) == before


def test_a_duplicate_id_in_the_draft(project, reviewed, capsys):
    def duplicate(draft):
        candidate_at(draft, "In the same vein")["id"] = candidate_at(draft, "On February 9")["id"]

    edit(reviewed, duplicate)
    before = tree_hash(project)
    assert publish(reviewed, project) == 1
    assert "[test-reingest.c12] id: duplicate id (also candidate #" in capsys.readouterr().err
    assert tree_hash(project) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"format": "karabakh-draft/1", "candidates": [',
         "not valid JSON: Expecting value at line 1"),
        (b'{"format": "something-else"}', "format: not a draft"),
        (b"<html><body>draft</body></html>", "not valid JSON"),
    ],
)  # fmt: skip
def test_unreadable_drafts(project, tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = tree_hash(project)
    assert publish(path, project) == 1
    err = capsys.readouterr().err
    assert str(path) in err and message in err, err
    assert tree_hash(project) == before


def test_a_changed_article_is_refused(project, reviewed, capsys):
    seed = project.parent / "seeds" / SEED
    seed.write_text(seed.read_text("utf-8") + "\nAn added line.\n", "utf-8")
    before = tree_hash(project)
    assert publish(reviewed, project) == 1
    assert "text_sha256: seeds/000_65b3e366a728d215.txt changed" in capsys.readouterr().err
    assert tree_hash(project) == before


# --------------------------------------------------------------------------- crashes


def test_a_crash_while_staging_leaves_geodata_byte_identical(project, reviewed, monkeypatch):
    before = tree_hash(project)
    calls = []

    def crash_on_second_write(path, text):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("simulated crash: disk full")
        path.write_text(text, encoding="utf-8")

    monkeypatch.setattr(publish_module, "_write", crash_on_second_write)
    with pytest.raises(OSError, match="simulated crash"):
        publish(reviewed, project)
    assert tree_hash(project) == before
    assert (project.parent / ".publish-staging").exists()  # what a killed process leaves
    monkeypatch.undo()
    monkeypatch.setattr(publish_module, "now_utc", lambda: FIXED_TIME)
    assert cli(["publish", "--data-dir", str(project)]) == 0  # recover: discards the staging
    assert not (project.parent / ".publish-staging").exists()
    assert tree_hash(project) == before


def test_a_crash_mid_swap_is_completed_by_recovery(project, reviewed, monkeypatch, tmp_path):
    # the expected result: the same publish, uninterrupted, in another copy
    clean = tmp_path / "clean"
    shutil.copytree(project.parent, clean, ignore=shutil.ignore_patterns("draft.json"))
    assert publish(reviewed, clean / "geodata") == 0
    before = tree_hash(project)
    moved = []

    def crash_after_first_file(src, dst):
        if moved:
            raise OSError("simulated crash: power cut")
        moved.append(dst)
        shutil.move(src, dst)

    monkeypatch.setattr(publish_module, "_replace", crash_after_first_file)
    with pytest.raises(OSError, match="power cut"):
        publish(reviewed, project)
    assert tree_hash(project) != before  # one file already swapped: after the commit point
    with pytest.raises(DataError, match="publish was interrupted"):  # the app will not start
        load_dataset(project)
    monkeypatch.setattr(publish_module, "_replace", lambda s, d: shutil.move(s, d))
    assert cli(["publish", "--data-dir", str(project)]) == 0
    assert tree_hash(project) == tree_hash(clean / "geodata")
    load_dataset(project)


# --------------------------------------------------------------------------- check


def test_check_reports_a_bad_history_and_a_bad_acled_file(project, capsys):
    from dashboard.__main__ import main as dashboard_main

    (project / "history.json").write_text(
        json.dumps({"data_version": 2, "changes": [{"version": 1, "change": "moved"}]}), "utf-8"
    )
    (project / "acled_events.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [49.9, 40.4]},
             "properties": {"id": "acled-x", "fatalities": -1}}]}),
        "utf-8",
    )  # fmt: skip
    assert dashboard_main(["check", "--data-dir", str(project)]) == 1
    err = capsys.readouterr().err
    assert "geodata/history.json [change #0] change: Input should be 'added'" in err
    assert "geodata/history.json [change #0] published_at: Field required" in err
    assert "geodata/acled_events.geojson [acled-x] properties.fatalities" in err


# --------------------------------------------------------------------------- spreadsheet review


def test_review_in_a_spreadsheet_and_publish(project, capsys):
    path = ingest_draft(project)
    review = project.parent / "review.csv"
    assert cli(["draft-csv", str(path), "--out", str(review)]) == 0
    rows = list(csv.DictReader(io.StringIO(review.read_text("utf-8"))))
    assert len(rows) == len(json.loads(path.read_text("utf-8"))["candidates"])
    row = next(r for r in rows if r["passage_text"].startswith("On February 9"))
    assert row["citations"] == "Sputnik, February 9; News.am, February 9"
    row.update(decision="accept", title="Test: from a spreadsheet", summary="=1+1 typed as text",
               actors="Armenia; Test actor", event_type="military", geo_precision="settlement",
               passage_text="edited in the sheet")  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    review.write_text(out.getvalue(), "utf-8")
    assert cli(["draft-csv", str(path), "--apply", str(review)]) == 0
    assert publish(path, project) == 0
    event = load_dataset(project).event(row["id"])
    assert event.props.title == "Test: from a spreadsheet"
    assert event.props.actors == ["Armenia", "Test actor"]
    assert event.props.summary == "=1+1 typed as text"
    text = (project.parent / "seeds" / SEED).read_text("utf-8")
    assert text[event.props.passage.start :].startswith("On February 9")  # read-only column


def test_a_spreadsheet_formula_is_written_as_text_and_bad_rows_change_nothing(project, capsys):
    path = ingest_draft(project)
    edit(path, lambda d: d["candidates"][0].update(summary='=HYPERLINK("x")'))
    review = project.parent / "review.csv"
    assert cli(["draft-csv", str(path), "--out", str(review)]) == 0
    assert "'=HYPERLINK" in review.read_text("utf-8")
    before = path.read_bytes()
    review.write_text(review.read_text("utf-8") + "no-such-id,accept" + "," * 18 + "\n")
    assert cli(["draft-csv", str(path), "--apply", str(review)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{review} row {len(json.loads(before)['candidates']) + 2} column id: 'no-such-id'" in err
    )
    assert path.read_bytes() == before
