"""What a person reads when the data is wrong, word for word: each problem's file, record,
field, message and expectation, and how a problem and a report print (mutmut survivors in
dashboard.loading: fields left empty, messages and expectations changed, boundaries moved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.loading import DataError, Problem, load_dataset

DOC = "edm-18-47"
EVENTS = "geodata/events.geojson"


def _problems(data_dir: Path) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load_dataset(data_dir)
    return info.value.problems


def _edit_events(data_dir: Path, edits: dict[int, dict]) -> list[str]:
    """Update the properties of the events at these positions; their ids, in order."""
    path = data_dir / "events.geojson"
    data = json.loads(path.read_text("utf-8"))
    for position, update in edits.items():
        data["features"][position]["properties"].update(update)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return [data["features"][p]["properties"]["id"] for p in edits]


def test_a_problem_prints_where_what_and_what_was_expected():
    full = Problem("geodata/events.geojson", "e1", "properties.title", "is empty", "some text")
    assert (
        str(full) == "geodata/events.geojson [e1] properties.title: is empty (expected some text)"
    )
    assert str(Problem("places.json", "", "", "file is missing")) == (
        "places.json: file is missing"
    )
    assert str(Problem("places.json", "p1", "", "is odd")) == "places.json [p1]: is odd"
    assert str(Problem("places.json", "", "id", "is odd", "x")) == (
        "places.json id: is odd (expected x)"
    )
    error = DataError([Problem("a.json", "", "", "file is missing"), full])
    assert error.report().splitlines() == [
        "2 problem(s) in the data:",
        "  - a.json: file is missing",
        f"  - {full}",
    ]
    assert str(error) == error.report()


def test_unreadable_files_are_named_with_nothing_but_the_reason(data_copy):
    (data_copy / "places.geojson").unlink()
    (data_copy / "citations.json").write_bytes(b'[{"id": "\xff"}]')
    (data_copy / "layers" / "aor.geojson").write_text('{"type": "Feature', "utf-8")
    problems = _problems(data_copy)
    assert Problem("geodata/places.geojson", "", "", "file is missing") in problems
    assert (
        Problem("geodata/citations.json", "", "", "not UTF-8 text (invalid start byte at byte 9)")
        in problems
    )
    assert (
        Problem(
            "geodata/layers/aor.geojson",
            "",
            "",
            "not valid JSON: Unterminated string starting at at line 1 column 10",
        )
        in problems
    )


def test_an_event_s_article_and_passage_are_checked_and_named(data_copy):
    (seed,) = (data_copy.parent / "seeds").glob("*.txt")
    text = seed.read_text("utf-8")
    text_length, whitespace = len(text), text.index("\n\n")
    unknown, outside, blank, at_the_end = _edit_events(
        data_copy,
        {
            0: {"document_id": "no-such-doc"},
            1: {"passage": {"start": 10, "end": text_length + 1}},
            2: {"passage": {"start": whitespace, "end": whitespace + 2}},
            3: {"passage": {"start": text_length - 5, "end": text_length}},
        },
    )
    problems = [p for p in _problems(data_copy) if p.field != "properties.confidence"]
    assert problems == [
        Problem(
            EVENTS,
            unknown,
            "properties.document_id",
            "unknown document 'no-such-doc'",
            "an id in documents.json",
        ),
        Problem(
            EVENTS,
            outside,
            "properties.passage",
            f"span 10-{text_length + 1} is outside the text of {DOC} ({text_length} characters)",
            "offsets inside the seed text",
        ),
        Problem(
            EVENTS,
            blank,
            "properties.passage",
            "span covers only whitespace",
            "offsets of the passage's sentence(s)",
        ),
    ]  # a passage ending on the text's last character is inside it: no problem for it


def test_high_confidence_without_a_known_article_names_no_outlet(data_copy):
    (lost,) = _edit_events(data_copy, {0: {"document_id": "no-such-doc", "confidence": "high"}})
    confidence = [p for p in _problems(data_copy) if p.field == "properties.confidence"]
    assert confidence == [
        Problem(
            EVENTS,
            lost,
            "properties.confidence",
            "is 'high' but only 0 independent outlet(s) report it "
            "(none; reposts count as the outlet they repost)",
            "'medium' or 'low', or a second independent source",
        )
    ]


@pytest.mark.parametrize(("length", "shown"), [(78, None), (79, "…")])
def test_a_long_value_is_cut_to_eighty_characters_with_an_ellipsis(data_copy, length, shown):
    value = "x" * length  # its repr: 80 or 81 characters with the quotes
    _edit_events(data_copy, {0: {"confidence": value}})
    (problem,) = [p for p in _problems(data_copy) if p.field == "properties.confidence"]
    got = problem.message.split(", got ")[1]
    if shown is None:
        assert got == repr(value)
    else:
        assert got == repr(value)[:79] + "…" and len(got) == 80


def test_an_error_with_no_known_expectation_adds_none(data_copy):
    (event,) = _edit_events(data_copy, {0: {"passage": {"start": "abc", "end": 10}}})
    (problem,) = [p for p in _problems(data_copy) if p.field == "properties.passage.start"]
    assert (problem.record, problem.expected) == (event, "")
    assert not str(problem).endswith(")")  # no "(expected ...)"


def test_data_estimated_at_the_threshold_is_kept_in_a_store(data_copy):
    """The events file's size says about how many events it holds (one per 400 bytes, a
    plain event being about 600): from that estimate on, the data is kept in a store."""
    estimate = (data_copy / "events.geojson").stat().st_size // 400
    assert estimate > 1
    assert load_dataset(data_copy, store_min_events=estimate + 1).store is None
    assert load_dataset(data_copy, store_min_events=estimate).store is not None
