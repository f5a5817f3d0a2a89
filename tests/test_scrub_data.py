"""The events' columns file (dashboard/scrub_data.py) and its route: what the browser scrubs."""

from __future__ import annotations

import gzip
import json

import pytest

from dashboard.app import create_app
from dashboard.figures import scrub_model
from dashboard.scrub_data import CONTRACT_VERSION, decode, event_columns, event_markers
from dashboard.selection import timeline_bounds
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def client():
    return create_app(DATA_DIR).server.test_client()


def test_columns_hold_every_event_as_the_dataset_has_it(dataset):
    header, cols = decode(event_columns(dataset).body)
    origin = timeline_bounds(dataset)[0]
    events = dataset.events
    assert header["contract"] == CONTRACT_VERSION
    assert header["events"] == len(events)
    assert header["origin"] == origin.isoformat()

    def strings(prefix, i):
        offsets, utf8 = cols[prefix + ".offsets"], cols[prefix + ".utf8"]
        return bytes(utf8[offsets[i] : offsets[i + 1]]).decode("utf-8")

    markers = event_markers(dataset)
    for i, event in enumerate(events):
        assert strings("events.id", i) == event.id
        assert strings("events.title", i) == event.props.title
        assert cols["events.s"][i] == (event.props.date_start - origin).days
        assert cols["events.e"][i] == (event.props.date_end - origin).days
        assert header["types"][cols["events.type"][i]] == event.props.event_type.value
        precision = header["precisions"][cols["events.precision"][i]]
        assert precision == event.props.geo_precision.value
        k = cols["events.marker"][i]
        if event.lonlat is None:
            assert k == -1
        else:
            assert markers["place"][k] == event.props.place_id
            assert (cols["markers.lon"][k], cols["markers.lat"][k]) == event.lonlat
    # Each marker's members are exactly its events, ascending.
    start, members = cols["markers.members.start"], cols["markers.members.event"]
    for k in range(header["markers"]):
        mine = [i for i in range(len(events)) if cols["events.marker"][i] == k]
        assert list(members[start[k] : start[k + 1]]) == mine
        assert strings("markers.name", k) == markers["name"][k]
    assert list(cols["events.s"]) == sorted(cols["events.s"])  # next/previous rely on it


def test_the_page_carries_the_address_not_the_events(dataset):
    model = scrub_model(dataset)
    assert model["events"] == {"url": event_columns(dataset).url, "count": len(dataset.events)}
    assert not any(e.id in json.dumps(model) for e in dataset.events)


def test_route_serves_the_file_gzipped_once_with_an_etag_and_immutable_caching(client, dataset):
    url = scrub_model(dataset)["events"]["url"]
    answer = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    assert gzip.decompress(answer.data) == event_columns(dataset).body
    again = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert plain.data == event_columns(dataset).body


def test_an_old_version_is_a_404_naming_the_current_one(client, dataset):
    answer = client.get("/api/scrub-data/0123456789abcdef0123.bin")
    assert answer.status_code == 404
    assert event_columns(dataset).url in answer.get_json()["error"]
