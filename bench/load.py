"""Load test on loopback: gunicorn (2 sync workers) serving dashboard.app:server, driven by wrk.

    .venv/bin/python bench/load.py [--duration 15] [--connections 50,200] [--workers 4]

Endpoints: the page `/`, its layout `/_dash-layout`, the events' file the page fetches
(`/api/scrub-data/<version>.bin`, the same address in every worker), the API
`/api/events.geojson?start=2021-02-01&end=2021-03-31`, and
`POST /_dash-update-component` with the event-list callback's request body, built from
`/_dash-dependencies` (slider window Feb 2021, sort by date) and checked to answer 200 before
the run (bench/post.lua sends it). Each endpoint x concurrency runs for a fixed time with
`wrk -t2 --latency --timeout 5s`; wrk and gunicorn share the machine's cores. Errors are
non-2xx/3xx responses plus socket errors (connect, read, write, timeout).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LOG_DIR, ROOT, free_port, stop  # noqa: E402

API = "/api/events.geojson?start=2021-02-01&end=2021-03-31"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def start_gunicorn(
    workers: int = 2, extra_args: tuple[str, ...] = (), env: dict | None = None
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving dashboard.app:server on a free loopback port, once /healthz answers.

    Its log is bench/.logs/gunicorn-PORT.log (`gunicorn_log(base)`).
    """
    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = open(LOG_DIR / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [str(GUNICORN), "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra_args]
        + ["dashboard.app:server"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not become ready")


def gunicorn_log(base: str) -> Path:
    return LOG_DIR / f"gunicorn-{base.rsplit(':', 1)[1]}.log"


def event_list_body(base: str) -> bytes:
    """The request the browser sends for the event-list callback, from /_dash-dependencies."""
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=10) as response:
        deps = json.load(response)
    dep = next(d for d in deps if "event-list.children" in d["output"])
    # Slider days for the Feb 2021 window, as the page computes them.
    from dashboard.loading import load_dataset
    from dashboard.selection import timeline_bounds

    origin = timeline_bounds(load_dataset(ROOT / "geodata"))[0]
    import datetime as dt

    lo = (dt.date(2021, 2, 1) - origin).days
    hi = (dt.date(2021, 3, 31) - origin).days
    values = {"list-window.data": [lo, hi], "event-list-sort.value": "date"}
    inputs = [
        {
            "id": i["id"],
            "property": i["property"],
            "value": values.get(f"{i['id']}.{i['property']}"),
        }
        for i in dep["inputs"]
    ]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in dep["output"].strip(".").split("...")
    ]
    states = {"list-page.data": 0, "date-range.value": [lo, hi]}
    state = [
        {
            "id": s["id"],
            "property": s["property"],
            "value": states.get(f"{s['id']}.{s['property']}"),
        }
        for s in dep["state"]
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": ["list-window.data"],
        "state": state,
    }
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        base + "/_dash-update-component",
        data=data,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = response.read()
        assert response.status == 200, response.status
        assert b"event-list" in answer and b"events in the selected dates" in answer, answer[:300]
    return data


def scrub_data_url(base: str) -> str:
    """The events' file address the page names (the same in every worker)."""
    with urllib.request.urlopen(base + "/_dash-layout", timeout=30) as response:
        text = json.dumps(json.load(response))  # Dash escapes "/" as \u002f; this does not
    found = re.search(r'"/api/scrub-data/[0-9a-f]+\.bin"', text)
    assert found, "no scrub-data address in the layout"
    return found.group(0).strip('"')


def parse_wrk(text: str) -> dict:
    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    lat = {
        p: ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)", text, re.M)
    }
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = sum(int(x) for x in sock.groups()) if sock else 0
    return {
        "requests": requests,
        "rps": rps,
        "p50": lat.get("50", float("nan")),
        "p99": lat.get("99", float("nan")),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket": socket_errors,
        "socket_detail": sock.group(0) if sock else "",
    }


def run_wrk(url: str, connections: int, duration: int, script: Path | None, env: dict) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=duration + 60)
    (LOG_DIR / f"wrk-{connections}-{abs(hash(url)) % 10**6}.txt").write_text(
        out.stdout + out.stderr
    )
    return parse_wrk(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", default="50,200")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    process, base = start_gunicorn(args.workers)
    rows = []
    try:
        body = event_list_body(base)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(body)
            body_file = f.name
        env = {**os.environ, "WRK_BODY_FILE": body_file}
        scrub = scrub_data_url(base)
        endpoints = [
            ("GET /", base + "/", None),
            ("GET /_dash-layout", base + "/_dash-layout", None),
            ("GET " + scrub[:40] + "...", base + scrub, None),
            ("GET " + API, base + API, None),
            (
                "POST /_dash-update-component (event list)",
                base + "/_dash-update-component",
                ROOT / "bench" / "post.lua",
            ),
        ]
        for name, url, script in endpoints:
            with urllib.request.urlopen(url if not script else base + "/", timeout=10):
                pass  # warm
            for c in (int(x) for x in args.connections.split(",")):
                r = run_wrk(url, c, args.duration, script, env)
                r.update(endpoint=name, c=c)
                rows.append(r)
                print(
                    f"  {name} c={c}: {r['rps']:.0f} req/s, p99 {r['p99']:.0f} ms, "
                    f"errors {r['non2xx'] + r['socket']}",
                    flush=True,
                )
        os.unlink(body_file)
    finally:
        stop(process)

    print(
        f"\ngunicorn -w {args.workers} (sync) dashboard.app:server on 127.0.0.1, wrk -t2, "
        f"{args.duration} s per row, real data"
    )
    print(
        f"{'endpoint':<62} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'non-2xx':>7} {'sock err':>8}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:<62} {r['c']:>5} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['non2xx']:>7} {r['socket']:>8}"
        )
        if r["socket"]:
            print(f"{'':<62} {r['socket_detail']}")
    errors_200 = sum(r["non2xx"] + r["socket"] for r in rows if r["c"] == 200)
    api_50 = [r for r in rows if r["c"] == 50 and r["endpoint"].startswith("GET /api/")]
    print(
        f"goal: 0 errors at 200 clients -> {'MET' if errors_200 == 0 else 'NOT MET'} "
        f"({errors_200} errors)"
    )
    if api_50:
        p99 = api_50[0]["p99"]
        print(
            f"goal: API p99 < 200 ms at 50 clients -> {'MET' if p99 < 200 else 'NOT MET'} "
            f"({p99:.0f} ms)"
        )


if __name__ == "__main__":
    main()
