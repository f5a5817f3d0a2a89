"""HTTP API, headers and error pages through Flask's test client (no browser needed)."""

from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from dashboard.model import LayerName
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
