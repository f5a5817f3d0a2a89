"""Page loads of two checkouts on the same data, interleaved: a before/after that shared load
cannot tilt.

    .venv/bin/python bench/load_ab.py --before-tree DIR [--size 100000] [--loads 10]

peers.py measures one engine after another, so when the machine's load drifts (other
people's test runs, mutation runs) its before and after rows are taken under different
conditions. Here both servers run at once (this tree and `--before-tree`, on the same
synthetic data), and the loads alternate between them (before, after, after, before, ...),
each in a fresh browser context, by peers.py's end rule (events drawn, MapLibre idle, two
more frames and a `setTimeout 0`). One warm-up load each is not counted. Prints each side's
loads, median and spread, the ratio of medians, and the load average.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, launch_browser, launch_server, stop, wait_ready  # noqa: E402
from peers import app_url, load_average, open_engine  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import make_synthetic  # noqa: E402


def load_once(browser, base: str) -> float:
    """One page load in a fresh context, in seconds, by peers.py's end rule."""
    context, _, end = open_engine(browser, "app", app_url(base))
    context.close()
    return end / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before-tree", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, help="a synthetic data dir (skips making one)")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    trees = {"before": args.before_tree, "after": ROOT}
    loads: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or make_synthetic(args.size, Path(tmp) / "synthetic")
        servers = {}
        try:
            for name, tree in trees.items():
                # the first start validates and stores the data (as `check` would) once
                process, base, _ = launch_server(
                    ["-m", "dashboard", "--data-dir", str(data_dir)], cwd=tree
                )
                servers[name] = (process, base)
                wait_ready(process, base, timeout=1800)
            with sync_playwright() as p:
                browser = launch_browser(p)
                for name in trees:
                    load_once(browser, servers[name][1])  # warm-up: not counted
                order = list(trees)
                for i in range(args.loads):
                    for name in order if i % 2 == 0 else order[::-1]:
                        loads[name].append(load_once(browser, servers[name][1]))
                browser.close()
        finally:
            for process, _ in servers.values():
                stop(process)
    for name, values in loads.items():
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(
            f"{name:>6}: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f}, max {max(values):.2f}  ({shown})"
        )
    ratio = statistics.median(loads["after"]) / statistics.median(loads["before"])
    print(f"after / before = {ratio:.2f}x; load average at end: {load_average()}")


if __name__ == "__main__":
    main()
