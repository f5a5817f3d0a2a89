"""HTTP API, headers and error pages through Flask's test client (no browser needed)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.app import create_app
from dashboard.model import LayerName
from dashboard.selection import events_in_window
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def client():
    return create_app(DATA_DIR).server.test_client()


@pytest.mark.parametrize("layer", [layer.value for layer in LayerName])
def test_layer_endpoint_returns_the_layer_as_stored(client, layer):
    response = client.get(f"/api/layers/{layer}.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    stored = json.loads((DATA_DIR / "layers" / f"{layer}.geojson").read_text("utf-8"))
    assert response.get_json(force=True) == stored


def test_unknown_layer_is_a_404_naming_the_layers(client):
    response = client.get("/api/layers/nope.geojson")
    assert response.status_code == 404
    assert "aor" in response.get_json()["error"]


def test_events_endpoint_embeds_citations_and_document(client, dataset):
    body = client.get("/api/events.geojson").get_json(force=True)
    assert len(body["features"]) == len(dataset.events)
    cited = [f for f in body["features"] if f["properties"]["citations"]]
    assert cited, "no event carries citations"
    citation = cited[0]["properties"]["citations"][0]
    assert {"outlet", "date_as_written", "date", "kind"} <= set(citation)
    document = cited[0]["properties"]["document"]
    assert document["url"].startswith("https://") and document["title"]


def test_events_endpoint_window_matches_selection(client, dataset):
    from dashboard.selection import events_in_window

    event = dataset.events[len(dataset.events) // 2]
    start, end = event.props.date_start, event.props.date_end
    body = client.get(f"/api/events.geojson?start={start}&end={end}").get_json(force=True)
    expected = {e.id for e in events_in_window(dataset.events, (start, end))}
    assert {f["id"] for f in body["features"]} == expected
    assert event.id in expected


def test_a_missing_end_leaves_the_window_open(client, dataset):
    last = max(e.props.date_start for e in dataset.events)
    body = client.get(f"/api/events.geojson?start={last}").get_json(force=True)
    expected = {e.id for e in dataset.events if e.props.date_end >= last}
    assert {f["id"] for f in body["features"]} == expected and expected
    assert body["window"] == {"start": last.isoformat(), "end": None}
    first = min(e.props.date_end for e in dataset.events)
    rows = client.get(f"/api/events.csv?end={first}").get_data(as_text=True).splitlines()
    assert len(rows) - 1 == sum(e.props.date_start <= first for e in dataset.events) >= 1


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("start=2021-02-30&end=2021-03-01", "'start' is not a date"),
        ("start=2021-03-01&start=2021-03-02", "given 2 times"),
        ("start=2021-03-01&ned=2021-03-02", "unknown parameter 'ned'"),
        ("start=1614556800&end=1614556800", "'start' is not a date"),
        ("start=2021-03-10&end=2021-03-01", "before"),
        ("start=yesterday&end=today", "YYYY-MM-DD"),
    ],
)
def test_bad_window_is_a_400_with_a_message(client, query, fragment):
    response = client.get(f"/api/events.geojson?{query}")
    assert response.status_code == 400
    assert fragment in response.get_json()["error"]


def test_missing_route_is_a_plain_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "Traceback" not in response.get_data(as_text=True)


def test_health_and_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    page = client.get("/")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src" not in csp  # 'none' by default
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "geolocation=()" in page.headers["Permissions-Policy"]


def test_page_is_gzipped_when_asked(client):
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"


def test_csv_export_has_one_row_per_event_and_defuses_formulas(client, dataset):
    import csv
    import io

    response = client.get("/api/events.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == [e.id for e in dataset.events]
    cited = next(e for e in dataset.events if e.citations)
    row = next(r for r in rows if r["id"] == cited.id)
    assert cited.citations[0].outlet in row["citations"]
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_trimmed_plotly_bundle_is_served_gzipped_instead_of_the_full_one(client):
    import re

    index = client.get("/").get_data(as_text=True)
    assert "plotly.min.js" not in index
    src = re.search(r'src="([^"]*plotly-map[^"]*\.js)"', index).group(1)
    response = client.get(src, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < 1_000_000


def test_the_page_is_built_for_the_view_its_address_asks_for(client, dataset):
    """Dash's layout request carries the page's query (assets/view_request.js): the page comes
    back drawn for that view, so no load-time callback has to restore it."""
    # an event inside the linked dates (one outside them moves the dates: issue 12, bug 4)
    event = next(
        e
        for e in dataset.events
        if e.lonlat
        and e.props.date_start <= dt.date(2021, 3, 3)
        and e.props.date_end >= dt.date(2021, 2, 1)
    )
    query = f"start=2021-02-01&end=2021-03-03&event={event.id}&layers=aor,events"
    layout = client.get("/_dash-layout?" + query).get_data(as_text=True)
    bounds = dataset.events[0].props.date_start
    lo = (dt.date(2021, 2, 1) - bounds).days
    hi = (dt.date(2021, 3, 3) - bounds).days
    page = json.loads(layout)

    def find(node, wanted):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == wanted:
                return node["props"]
            for value in node.values():
                hit = find(value, wanted)
                if hit is not None:
                    return hit
        elif isinstance(node, list):
            for value in node:
                hit = find(value, wanted)
                if hit is not None:
                    return hit
        return None

    assert find(page, "date-range")["value"] == [lo, hi]
    assert find(page, "layer-toggle")["value"] == ["aor", "events"]
    assert find(page, "selected-event")["data"] == event.id
    in_window = events_in_window(dataset.events, (dt.date(2021, 2, 1), dt.date(2021, 3, 3)))
    assert (
        find(page, "event-count")["children"] == f"{len(in_window)} of {len(dataset.events)} events"
    )
    default = json.loads(client.get("/_dash-layout").get_data(as_text=True))
    assert find(default, "date-range")["value"] == [0, find(default, "date-range")["max"]]


def _ids(node, found: set) -> set:
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict) and isinstance(node["props"].get("id"), str):
            found.add(node["props"]["id"])
        for value in node.values():
            _ids(value, found)
    elif isinstance(node, list):
        for value in node:
            _ids(value, found)
    return found


def test_every_callback_id_is_in_the_page_and_the_index_carries_no_page_copy(client, dataset):
    """Dash's own check of callback ids is off (the layout is built per view: Dash would
    embed a whole copy of the page in the index to check against), so check it here."""
    page = _ids(client.get("/_dash-layout").get_json(), set())
    wanted = set()
    for dependency in client.get("/_dash-dependencies").get_json():
        parts = [*dependency["inputs"], *dependency["state"]]
        outputs = dependency["output"].strip(".").split("...")
        parts += [{"id": o.rsplit(".", 1)[0]} for o in outputs]
        wanted |= {p["id"] for p in parts if not p["id"].startswith("{")}
    assert wanted and wanted <= page, wanted - page
    index = client.get("/").get_data(as_text=True)
    assert dataset.events[0].props.title not in index
    assert len(index) < 20_000


def test_a_view_s_page_is_serialised_once_and_kept(client):
    """The same view's layout is the same bytes (kept after the first request); another view
    gets its own page."""
    first = client.get("/_dash-layout?start=2021-02-01&end=2021-03-03").get_data()
    again = client.get("/_dash-layout?end=2021-03-03&start=2021-02-01").get_data()
    other = client.get("/_dash-layout?start=2021-02-01&end=2021-03-04").get_data()
    assert first == again
    assert other != first


# --------------------------------------------------------------------------- filters, KML


FILTERED = {"type": "military", "actor": "Russian peacekeeping contingent", "vague": "hide"}


def test_the_exports_take_the_filters_with_the_page_s_names(client, dataset):
    import csv
    import io
    import xml.etree.ElementTree as ET
    from urllib.parse import urlencode

    from dashboard.filters import facets_of, filtered_events, parse_filters

    window = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))
    filters, _ = parse_filters(FILTERED, facets_of(dataset))
    expected = [e.id for e in filtered_events(dataset, filters, window)]
    assert 0 < len(expected) < len(events_in_window(dataset.events, window))
    query = urlencode({"start": "2021-01-01", "end": "2021-12-31", **FILTERED})

    geojson = client.get(f"/api/events.geojson?{query}")
    assert geojson.status_code == 200
    body = geojson.get_json()
    assert [f["id"] for f in body["features"]] == expected
    assert body["filters"] == FILTERED and body["window"] == {
        "start": "2021-01-01",
        "end": "2021-12-31",
    }

    text = client.get(f"/api/events.csv?{query}").get_data(as_text=True)
    assert [row["id"] for row in csv.DictReader(io.StringIO(text))] == expected

    kml = client.get(f"/api/events.kml?{query}")
    assert kml.status_code == 200 and kml.mimetype == "application/vnd.google-earth.kml+xml"
    assert "attachment" in kml.headers["Content-Disposition"]
    ns = "{http://www.opengis.net/kml/2.2}"
    marks = ET.fromstring(kml.data).findall(f"{ns}Document/{ns}Placemark")
    assert [m.get("id") for m in marks] == expected


def test_a_name_no_event_has_matches_nothing_and_a_bad_type_is_a_400(client):
    response = client.get("/api/events.geojson?actor=Nobody%20At%20All&type=military")
    assert response.status_code == 200 and response.get_json()["features"] == []
    # one known name among unknown ones: the known one's events
    response = client.get("/api/events.geojson?actor=Nobody|russian%20peacekeeping%20CONTINGENT")
    assert len(response.get_json()["features"]) > 0
    for bad in ("type=militar", "type=military,", "kind=rumour", "vague=show"):
        response = client.get(f"/api/events.csv?{bad}")
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.get_json()["error"]


def test_the_whole_kml_holds_every_event(client, dataset):
    import xml.etree.ElementTree as ET

    ns = "{http://www.opengis.net/kml/2.2}"
    marks = ET.fromstring(client.get("/api/events.kml").data).findall(f"{ns}Document/{ns}Placemark")
    assert [m.get("id") for m in marks] == [e.id for e in dataset.events]
