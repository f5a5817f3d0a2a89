"""gunicorn serves `dashboard.app:server` with several workers, compressed, with headers."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from tests.conftest import gunicorn_serving


@pytest.fixture(scope="module")
def gunicorn_url():
    with gunicorn_serving(workers=2) as base:
        yield base


def test_page_is_served_gzipped_with_security_headers(gunicorn_url):
    request = urllib.request.Request(gunicorn_url + "/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "<title>" in gzip.decompress(response.read()).decode()
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_every_worker_answers_the_api(gunicorn_url):
    for _ in range(6):
        with urllib.request.urlopen(gunicorn_url + "/api/events.geojson", timeout=10) as r:
            assert r.status == 200


def test_missing_route_is_a_plain_404_without_traceback(gunicorn_url):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(gunicorn_url + "/does-not-exist", timeout=10)
    body = info.value.read().decode()
    assert info.value.code == 404 and body.strip() == "404 Not Found"
    assert info.value.headers["Content-Type"].startswith("text/plain")
