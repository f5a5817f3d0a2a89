"""Helpers shared by the benchmarks: start a server, open headless Chromium, percentiles."""

from __future__ import annotations

import math
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.testing import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

LOG_DIR = ROOT / "bench" / ".logs"

# What a copy of the working tree for a mutation run leaves out: the repository, environments,
# earlier mutants, outputs and caches.
TREE_COPY_SKIP = (
    ".git",
    ".venv",
    "mutants",
    ".mutation",
    "artifacts",
    ".logs",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
)


def tree_copy_ignore():
    """shutil.copytree's `ignore` for TREE_COPY_SKIP."""
    return shutil.ignore_patterns(*TREE_COPY_SKIP)


# The MapLibre instance behind plotly's map subplot (as in tests/mapdriver.py).
GD = "document.querySelector('#map .js-plotly-plot')"
GL = GD + "._fullLayout.map._subplot.map"


def launch_server(
    args: list[str], env: dict | None = None, cwd: Path | None = None
) -> tuple[subprocess.Popen, str, float]:
    """Start a server process on a free port; return (process, base URL, start time).

    The start time is taken (time.time()) just before the process is spawned. `cwd` (default:
    this tree) decides which code `-m dashboard` runs: another checkout's, for before/after.
    """
    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = open(LOG_DIR / f"server-{port}.log", "w")  # noqa: SIM115 - closed with the process
    start = time.time()
    process = subprocess.Popen(
        [sys.executable, *args, "--port", str(port)],
        cwd=cwd or ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    return process, f"http://127.0.0.1:{port}", start


def wait_ready(process: subprocess.Popen, base: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("server did not become ready")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def worker_pids(master_pid: int) -> list[int]:
    """The child processes of a gunicorn master (its workers), from /proc."""
    try:
        text = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    except OSError:
        return []
    return sorted(int(p) for p in text.split())


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS), NaN once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")
