"""A gunicorn worker killed with SIGKILL under load: what failed, how fast it was replaced.

    .venv/bin/python bench/worker_kill.py [--duration 30] [--kill-at 10] [--connections 50]

Prerequisite: wrk (`apt-get install wrk`). gunicorn -w 4 (sync workers) serves
dashboard.app:server on loopback with bench/gunicorn_hooks.py, which logs when each worker has
loaded the app. wrk (-t2, bench/mix.lua) loads it for --duration seconds; a prober sends
GET /healthz on a fresh connection every 50 ms throughout. At --kill-at seconds one worker
gets SIGKILL. Reported: wrk's failed requests (non-2xx/3xx and socket errors: a sync worker
holds one request at a time, so at most one request should be lost, plus connections it had
accepted but not yet read), the prober's failures and longest gap between two successful
answers, the time until the master forked a replacement (new pid) and until that worker was
ready (app loaded). A control run without the kill gives the baseline failures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LOG_DIR, ROOT, stop, worker_pids  # noqa: E402
from load import event_list_body, gunicorn_log, parse_wrk, start_gunicorn  # noqa: E402

MIX = ROOT / "bench" / "mix.lua"
HOOKS = ROOT / "bench" / "gunicorn_hooks.py"


class Prober(threading.Thread):
    """GET /healthz every `every` s on a new connection; records (time, ok)."""

    def __init__(self, base: str, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.base, self.every = base, every
        self.results: list[tuple[float, bool]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            t = time.time()
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                    ok = response.status == 200
            except OSError:
                ok = False
            self.results.append((t, ok))
            self.done.wait(max(0.0, self.every - (time.time() - t)))

    def longest_gap(self) -> float:
        ok_times = [t for t, ok in self.results if ok]
        return max((b - a for a, b in zip(ok_times, ok_times[1:], strict=False)), default=0.0)


def ready_times(log: Path) -> dict[int, float]:
    text = log.read_text(errors="replace")
    return {int(p): float(t) for p, t in re.findall(r"WORKER-READY pid=(\d+) t=([\d.]+)", text)}


def one_run(args, kill: bool) -> dict:
    process, base = start_gunicorn(workers=4, extra_args=("-c", str(HOOKS)))
    result: dict = {"kill": kill}
    try:
        body = event_list_body(base)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(body)
        env = {**os.environ, "WRK_BODY_FILE": f.name}
        before = worker_pids(process.pid)
        prober = Prober(base)
        prober.start()
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        wrk_out = LOG_DIR / f"wrk-kill-{'on' if kill else 'off'}.txt"
        cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
        cmd += ["--timeout", "5s", "-s", str(MIX), base + "/"]
        with open(wrk_out, "w") as out:
            wrk = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
            time.sleep(args.kill_at)
            if kill:
                victim = before[0]
                t_kill = time.time()
                os.kill(victim, signal.SIGKILL)
                new_pid, t_fork = None, None
                deadline = time.monotonic() + 30
                while new_pid is None and time.monotonic() < deadline:
                    fresh = set(worker_pids(process.pid)) - set(before)
                    if fresh:
                        new_pid, t_fork = fresh.pop(), time.time()
                    else:
                        time.sleep(0.005)
                result.update(victim=victim, new_pid=new_pid, t_kill=t_kill)
                result["fork_ms"] = (t_fork - t_kill) * 1000 if t_fork else float("nan")
            wrk.wait(timeout=args.duration + 60)
        prober.done.set()
        prober.join(timeout=10)
        if kill and result.get("new_pid"):
            deadline = time.monotonic() + 60  # the replacement may still be loading the app
            while (ready := ready_times(gunicorn_log(base)).get(result["new_pid"])) is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            result["ready_ms"] = (ready - result["t_kill"]) * 1000 if ready else float("nan")
        result.update(parse_wrk(wrk_out.read_text()))
        result["probes"] = len(prober.results)
        result["probe_failures"] = sum(not ok for _, ok in prober.results)
        result["probe_gap_ms"] = prober.longest_gap() * 1000
        result["workers_after"] = len(worker_pids(process.pid))
        os.unlink(f.name)
    finally:
        stop(process)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--kill-at", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    runs = [one_run(args, kill=False), one_run(args, kill=True)]
    print(
        f"\nWORKER KILL: gunicorn -w 4 (sync), wrk -t2 -c{args.connections} mix.lua for "
        f"{args.duration} s, SIGKILL to one worker at {args.kill_at:.0f} s"
    )
    header = (
        f"{'run':<9} {'requests':>9} {'req/s':>7} {'p99 ms':>7} {'non-2xx':>7} {'sock err':>8} "
        f"{'probes':>6} {'probe fail':>10} {'max gap ms':>10} {'workers':>7}"
    )
    print(header)
    for r in runs:
        print(
            f"{'kill' if r['kill'] else 'control':<9} {r['requests']:>9} {r['rps']:>7.1f} "
            f"{r['p99']:>7.1f} {r['non2xx']:>7} {r['socket']:>8} {r['probes']:>6} "
            f"{r['probe_failures']:>10} {r['probe_gap_ms']:>10.0f} {r['workers_after']:>7}"
        )
        if r["socket"]:
            print(f"{'':<9} {r['socket_detail']}")
    killed = runs[1]
    print(
        f"killed worker {killed.get('victim')}: replacement {killed.get('new_pid')} forked "
        f"{killed.get('fork_ms', float('nan')):.0f} ms after the kill, ready (app loaded) "
        f"{killed.get('ready_ms', float('nan')):.0f} ms after"
    )


if __name__ == "__main__":
    main()
