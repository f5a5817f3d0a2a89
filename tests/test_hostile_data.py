"""Property-based: malformed records always end in a DataError naming file and record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.loading import DataError, load_dataset
from tests.conftest import DATA_DIR, ROOT

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)

# file -> how to reach its records
RECORD_FILES = {
    "events.geojson": "features",
    "places.geojson": "features",
    "layers/peacekeeper_posts.geojson": "features",
    "layers/aor.geojson": "features",
    "citations.json": None,
    "documents.json": None,
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(DATA_DIR, root / "geodata", ignore=shutil.ignore_patterns("sources"))
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root / "geodata"


def _records(data, key):
    return data[key] if key else data


def _mutate(record: dict, field: str | None, value, delete: bool) -> dict:
    target = record.get("properties", record) if "properties" in record else record
    if field is None:
        return value if not isinstance(value, dict) else {**record, **value}
    if delete:
        target.pop(field, None)
    else:
        target[field] = value
    return record


def _check(data_dir: Path) -> None:
    try:
        load_dataset(data_dir)
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.message
            assert str(problem)
        assert "problem(s) in the data" in error.report()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    file=st.sampled_from(sorted(RECORD_FILES)),
    index=st.integers(0, 5),
    field=st.none()
    | st.sampled_from(
        [
            "id",
            "name",
            "source",
            "accuracy",
            "valid_from",
            "valid_to",
            "date_start",
            "date_end",
            "passage",
            "place_id",
            "document_id",
            "supports",
            "outlet",
            "date",
            "parenthetical",
            "published",
            "url",
            "text_path",
            "alt_names",
            "layer",
            "kind",
        ]
    ),
    value=json_values,
    delete=st.booleans(),
    geometry=st.none() | json_values,
)
def test_malformed_records_end_in_a_clear_error(
    workspace, file, index, field, value, delete, geometry
):
    path = workspace / file
    original = path.read_text("utf-8")
    try:
        data = json.loads(original)
        records = _records(data, RECORD_FILES[file])
        record = records[index % len(records)]
        records[index % len(records)] = _mutate(record, field, value, delete)
        if geometry is not None and isinstance(records[index % len(records)], dict):
            records[index % len(records)]["geometry"] = geometry
        path.write_text(json.dumps(data), "utf-8")
        _check(workspace)
    finally:
        path.write_text(original, "utf-8")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(file=st.sampled_from(sorted(RECORD_FILES)), content=json_values | st.text(max_size=50))
def test_whole_file_replaced_by_garbage(workspace, file, content):
    path = workspace / file
    original = path.read_text("utf-8")
    try:
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, "utf-8")
        with pytest.raises(DataError) as info:
            load_dataset(workspace)
        if content != []:  # an empty list is a valid file: the records that cite it complain
            assert any(file in p.file for p in info.value.problems)
    finally:
        path.write_text(original, "utf-8")


def test_non_utf8_file(workspace):
    path = workspace / "events.geojson"
    original = path.read_bytes()
    try:
        path.write_bytes(b"\xff\xfe\x00garbage")
        with pytest.raises(DataError) as info:
            load_dataset(workspace)
        assert any("events.geojson" in p.file and "UTF-8" in p.message for p in info.value.problems)
    finally:
        path.write_bytes(original)
