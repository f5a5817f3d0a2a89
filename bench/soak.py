"""Soak on loopback: gunicorn (4 sync workers) under a reader's mix at 50 connections for 10 min.

    .venv/bin/python bench/soak.py [--duration 600] [--slice 30] [--connections 50] [--workers 4]

Prerequisite: wrk (`apt-get install wrk`). The load is wrk (`-t2 --latency --timeout 5s`) with
bench/mix.lua: the page, the events API with a window, a layer, the event-list callback and
/healthz, round robin. The run is cut into back-to-back slices (default 30 s; wrk restarts
between slices, ~10 ms without load); per slice: requests/s, p50, p99, errors (non-2xx/3xx
plus socket errors). Each worker's RSS (/proc VmRSS) is sampled at the start and after every
slice; the growth trend is the least-squares slope of each worker's RSS over the run, from the
second slice on (the first slice includes warm-up: imports, caches, allocator arenas).
Stops by itself after --duration; the server is stopped whatever happens.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, rss_mb, stop, worker_pids  # noqa: E402
from load import event_list_body, run_wrk, start_gunicorn  # noqa: E402

MIX = ROOT / "bench" / "mix.lua"


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    cov = sum((t - mean_t) * (v - mean_v) for t, v in points)
    return cov / var * 60 if var else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load in all")
    parser.add_argument("--slice", type=int, default=30, help="seconds per measured slice")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    process, base = start_gunicorn(workers=args.workers)
    slices = []
    rss: dict[int, list[tuple[float, float]]] = {}
    try:
        body = event_list_body(base)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(body)
            body_file = f.name
        env = {**os.environ, "WRK_BODY_FILE": body_file}
        t0 = time.monotonic()
        for pid in worker_pids(process.pid):
            rss[pid] = [(0.0, rss_mb(pid))]
        print(
            f"gunicorn -w {args.workers} at {base}, workers {sorted(rss)}, "
            f"{args.connections} connections, {args.duration} s in {args.slice} s slices",
            flush=True,
        )
        while (elapsed := time.monotonic() - t0) < args.duration - 1:
            length = max(1, min(args.slice, int(args.duration - elapsed)))
            r = run_wrk(base + "/", args.connections, length, MIX, env)
            now = time.monotonic() - t0
            for pid in worker_pids(process.pid):
                rss.setdefault(pid, []).append((now, rss_mb(pid)))
            r.update(end=now, workers=len(worker_pids(process.pid)))
            slices.append(r)
            print(
                f"  {now:6.0f} s: {r['rps']:7.1f} req/s  p50 {r['p50']:6.1f} ms  "
                f"p99 {r['p99']:6.1f} ms  errors {r['non2xx'] + r['socket']}  "
                f"workers {r['workers']}",
                flush=True,
            )
        os.unlink(body_file)
    finally:
        stop(process)

    total = sum(r["requests"] for r in slices)
    errors = sum(r["non2xx"] + r["socket"] for r in slices)
    print(f"\nSOAK: gunicorn -w {args.workers} (sync), wrk -t2 -c{args.connections}, mix.lua")
    print(f"{'slice end s':>11} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for r in slices:
        print(
            f"{r['end']:>11.0f} {r['rps']:>8.1f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
            f"{r['non2xx'] + r['socket']:>7}"
        )
    p99s = [r["p99"] for r in slices]
    print(
        f"total {total} requests, {errors} errors; p99 per slice min {min(p99s):.1f} / "
        f"max {max(p99s):.1f} ms; first {p99s[0]:.1f}, last {p99s[-1]:.1f} ms"
    )
    print(f"\n{'worker':>8} {'RSS start MB':>13} {'RSS end MB':>11} {'trend MB/min':>13}")
    for pid, points in sorted(rss.items()):
        steady = [p for p in points if p[0] >= args.slice]  # from the second slice on
        print(
            f"{pid:>8} {points[0][1]:>13.1f} {points[-1][1]:>11.1f} "
            f"{slope_per_minute(steady):>13.2f}"
        )
    replaced = [pid for pid, points in rss.items() if len(points) < len(slices) + 1]
    if replaced:
        print(f"workers that came or went during the run: {sorted(replaced)}")


if __name__ == "__main__":
    main()
