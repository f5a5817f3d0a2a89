"""Shared fixtures: the real dataset, a writable copy of the data, a live app, headless Chromium."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.dataset import Dataset
from dashboard.loading import load_dataset
from dashboard.testing import (  # noqa: F401  (copy_of_real_data, edit_json: for the tests)
    CHROMIUM,
    CHROMIUM_ARGS,
    copy_of_real_data,
    edit_json,
    free_port,
)

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "geodata"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of geodata/ and seeds/; returns the copied geodata/ directory."""
    return copy_of_real_data(tmp_path)


@contextlib.contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """The app serving data_dir for the duration of the block; yields its base URL."""
    process, base = start_server(["--data-dir", str(data_dir)])
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_server(args: list[str], ready_path: str = "/healthz", timeout: float = 60) -> tuple:
    """Start `python -m dashboard` with args on a free port; return (process, base URL)."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # A log file, not a pipe: a pipe nobody reads would block the server once full.
    with open(ARTIFACTS / f"server-{port}.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(port), *args],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {(ARTIFACTS / f'server-{port}.log').read_text()}")
        try:
            with urllib.request.urlopen(base + ready_path, timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not become ready")


@contextlib.contextmanager
def gunicorn_serving(workers: int = 2, data_dir: Path | None = None) -> Iterator[str]:
    """gunicorn serving `dashboard.app:server` for the block; yields its base URL."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **({"KARABAKH_DATA_DIR": str(data_dir)} if data_dir else {})}
    with open(ARTIFACTS / f"gunicorn-{port}.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
            + ["--bind", f"127.0.0.1:{port}", "dashboard.app:server"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                log_text = (ARTIFACTS / f"gunicorn-{port}.log").read_text()
                assert process.poll() is None, log_text
                assert time.monotonic() < deadline, "gunicorn did not become ready"
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    process, base = start_server([])
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    playwright_sync = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/test does)")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Records what a page did that a test may want to assert on."""

    def __init__(self) -> None:
        self.external_requests: list[str] = []
        self.failed_requests: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.csp_violations: list[str] = []
        self.popups: list[str] = []  # pages the page opened (window.open, target=_blank)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    watch = PageWatch()

    def on_request(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in (
            "127.0.0.1",
            "localhost",
        ):
            watch.external_requests.append(request.url)

    def on_console(message):
        if message.type == "error":
            watch.console_errors.append(message.text)
            if "Content Security Policy" in message.text:
                watch.csp_violations.append(message.text)

    def on_dialog(dialog):
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    # On the context, not the page: a popup's requests count too.
    context.on("request", on_request)
    context.on("page", lambda popup: watch.popups.append(popup.url or "about:blank"))
    page.on("requestfailed", lambda r: watch.failed_requests.append(r.url))
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    page.watch = watch  # type: ignore[attr-defined]
    page.base_url = live_server  # type: ignore[attr-defined]
    yield page
    context.close()
    # Whatever a browser test did, the page's CSP must not have refused anything it uses.
    assert watch.csp_violations == [], watch.csp_violations


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
