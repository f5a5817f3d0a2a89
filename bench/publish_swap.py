"""Publishing a new data version while gunicorn serves: readers get the old or the new, never a mix.

    .venv/bin/python bench/publish_swap.py [--mode roll|hup|publish-cli] [--before 5]
        [--after 10] [--readers 8]

In modes roll and hup the publish is what a publish command ends with: the new version is
written and validated beside the old one (`load_dataset` on it must pass), the `current`
symlink is replaced atomically (os.replace of a new link), and gunicorn is told to start
fresh workers, which load the data once each (the symlink is resolved once:
dashboard/app.py). Three modes:
- `hup`: SIGHUP. gunicorn starts new workers and stops the old ones gracefully at once, so
  until a new worker has loaded the app (seconds) requests wait in the listen queue.
- `roll` (default): SIGTTIN once per worker (as many new workers), wait until each has loaded
  the app (bench/gunicorn_hooks.py logs it), then SIGTTOU as often: gunicorn stops the oldest
  workers first, gracefully. No moment without a ready worker.
- `publish-cli`: the real publish command (issue 11, landed after this bench was first
  written) on a full copy of geodata/, with a draft made as tests/test_publish.py makes one
  (two accepted candidates), then the workers rolled as above. The command swaps several
  files in place (journalled); workers already running keep the data they loaded.

Data (roll, hup): a copy of geodata/ + seeds/ in a temporary directory (v1), and v2 = v1 with
" [v2]" appended to every event's summary. Readers (threads, one connection per request) fetch
/api/events.geojson in a loop; each answer is classified by its events' ids and summaries:
old, new (as `load_dataset` reads each version), mixed (anything else), failed (error or
non-200). Reported: counts, the time from the publish to the last old answer and to the first
new one, the slowest answer.
"""

from __future__ import annotations

import argparse
import json
import os
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

from common import ROOT, stop, worker_pids  # noqa: E402
from load import gunicorn_log, start_gunicorn  # noqa: E402
from worker_kill import HOOKS, ready_times  # noqa: E402

from dashboard.loading import load_dataset  # noqa: E402
from dashboard.testing import (  # noqa: E402
    accept,
    candidate_at,
    copy_of_real_data,
    edit_json,
    ingest_draft,
)

MARK = " [v2]"
WORKERS = 4


def fingerprint(features: list[dict]) -> tuple:
    """What identifies a data version in the events answer: each event's id and summary."""
    return tuple((f["id"], f["properties"]["summary"]) for f in features)


def expected(data_dir: Path) -> tuple:
    dataset = load_dataset(data_dir)  # raises if the version is not valid
    return tuple((e.id, e.props.summary) for e in dataset.events)


def classify(base: str, old: tuple, new: tuple | None) -> str:
    try:
        with urllib.request.urlopen(base + "/api/events.geojson", timeout=30) as response:
            if response.status != 200:
                return "failed"
            got = fingerprint(json.load(response)["features"])
    except (OSError, ValueError):
        return "failed"
    return "old" if got == old else "new" if got == new else "mixed"


def draft_for(data_dir: Path) -> Path:
    """A reviewed draft, made as tests/test_publish.py makes one (two accepted candidates)."""
    path = ingest_draft(data_dir)

    def review(draft: dict) -> None:
        accept(candidate_at(draft, "On February 9"), event_type="military")
        accept(candidate_at(draft, "In the same vein"), place_id="stepanakert")

    edit_json(path, review, indent=1)
    return path


def publish(root: Path, version: str) -> None:
    """Point root/current at root/<version> atomically."""
    link = root / "current.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(version)
    os.replace(link, root / "current")


def roll_workers(master: int, log: Path, timeout: float = 120) -> None:
    """Start WORKERS new workers, wait until they have loaded the app, stop the old ones."""
    old = set(worker_pids(master))
    for _ in range(WORKERS):
        os.kill(master, signal.SIGTTIN)
        time.sleep(0.05)  # gunicorn handles one signal per loop turn
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = set(worker_pids(master)) - old
        if len(new) >= WORKERS and new <= set(ready_times(log)):
            break
        time.sleep(0.05)
    for _ in range(WORKERS):
        os.kill(master, signal.SIGTTOU)
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=5, help="s of reading before publish")
    parser.add_argument("--after", type=float, default=10, help="s of reading after the switch")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--mode", choices=["roll", "hup", "publish-cli"], default="roll")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.mode == "publish-cli":  # the real command, in place, on a full copy
            shutil.copytree(ROOT / "geodata", root / "geodata")
            shutil.copytree(ROOT / "seeds", root / "seeds")
            data_dir = root / "geodata"
        else:
            copy_of_real_data(root / "v1")
            publish(root, "v1")
            data_dir = root / "current" / "geodata"
        versions = {"old": expected(data_dir), "new": None}
        env = {**os.environ, "KARABAKH_DATA_DIR": str(data_dir)}
        process, base = start_gunicorn(workers=WORKERS, extra_args=("-c", str(HOOKS)), env=env)
        answers: list[tuple[float, str]] = []  # (when the answer came, which data)
        waits: list[tuple[float, float]] = []  # (when asked, seconds to the answer)
        done = threading.Event()

        def reader() -> None:
            while not done.is_set():
                asked = time.time()
                kind = classify(base, versions["old"], versions["new"])
                answers.append((time.time(), kind))
                waits.append((asked, time.time() - asked))

        try:
            threads = [threading.Thread(target=reader, daemon=True) for _ in range(args.readers)]
            t0 = time.time()
            for t in threads:
                t.start()
            if args.mode == "publish-cli":
                draft = draft_for(data_dir)
            else:  # prepare v2 while serving, validated before anything points at it
                v2 = copy_of_real_data(root / "v2")
                edit_json(
                    v2 / "events.geojson",
                    lambda d: [
                        f["properties"].update(summary=f["properties"]["summary"] + MARK)
                        for f in d["features"]
                    ],
                )
                versions["new"] = expected(v2)
            time.sleep(max(0.0, args.before - (time.time() - t0)))
            t_hup = time.time()
            if args.mode == "publish-cli":
                command = [sys.executable, "-m", "dashboard", "publish", str(draft)]
                subprocess.run([*command, "--data-dir", str(data_dir)], check=True, cwd=ROOT)
                versions["new"] = expected(data_dir)
            else:
                publish(root, "v2")
            if args.mode == "hup":
                os.kill(process.pid, signal.SIGHUP)
            else:
                roll_workers(process.pid, gunicorn_log(base))
            t_switched = time.time()
            time.sleep(args.after)  # reading goes on after the switch
            done.set()
            for t in threads:
                t.join(timeout=15)
        finally:
            stop(process)

    counts = {k: sum(1 for _, a in answers if a == k) for k in ("old", "new", "mixed", "failed")}
    last_old = max((t for t, a in answers if a == "old"), default=float("nan"))
    first_new = min((t for t, a in answers if a == "new"), default=float("nan"))
    old_after = sum(1 for t, a in answers if a == "old" and t > t_hup)
    print(
        f"\nPUBLISH DURING SERVING ({args.mode}): gunicorn -w {WORKERS} (sync), {args.readers} "
        f"readers of /api/events.geojson; publish after {t_hup - t0:.0f} s, publish + workers "
        f"switched in {t_switched - t_hup:.1f} s, then {args.after:.0f} s more"
    )
    print(f"answers {len(answers)}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(
        f"first new answer {1000 * (first_new - t_hup):.0f} ms after the swap; last old answer "
        f"{1000 * (last_old - t_hup):.0f} ms after ({old_after} old answers after the swap)"
    )
    around = [w for t, w in waits if t_hup - 1 <= t <= t_hup + args.after]
    before = sorted(w for t, w in waits if t < t_hup)
    print(
        f"slowest answer asked from 1 s before the swap on: {1000 * max(around):.0f} ms "
        f"(median before the swap {1000 * before[len(before) // 2]:.0f} ms)"
    )
    verdict = counts["mixed"] == 0 and counts["failed"] == 0 and counts["new"] > 0
    print(f"goal: old or new, never a mix, nothing failed -> {'MET' if verdict else 'NOT MET'}")


if __name__ == "__main__":
    main()
