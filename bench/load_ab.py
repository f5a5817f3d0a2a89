"""Page loads of two pages on the same data, interleaved: a comparison that shared load
cannot tilt.

    .venv/bin/python bench/load_ab.py --before-tree DIR [--size 100000] [--loads 10]
    .venv/bin/python bench/load_ab.py --peer leaflet [--size 100000] [--loads 20]

peers.py measures one engine after another, so when the machine's load drifts (other
people's test runs, mutation runs) its before and after rows are taken under different
conditions. Here both servers run at once (this tree and `--before-tree`, on the same
synthetic data), and the loads alternate between them (before, after, after, before, ...),
each in a fresh browser context, by peers.py's end rule (events drawn, MapLibre idle, two
more frames and a `setTimeout 0`). One warm-up load each is not counted. Prints each side's
loads, median and spread, the ratio of medians, and the load average.

With `--peer ENGINE` (leaflet, deck, plotly: bench/peer_pages.py) the other side is that
peer's page instead of another checkout, so issue 13's "within 1.5x dash-leaflet's load" is
read from loads taken side by side. It also prints the ratio of each back-to-back pair (app
load / the peer load next to it): their median and quartiles say how far one run's ratio can
stray.
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


def load_once(browser, engine: str, base: str) -> float:
    """One page load in a fresh context, in seconds, by peers.py's end rule."""
    url = app_url(base) if engine == "app" else base + "/"
    context, _, end = open_engine(browser, engine, url)
    context.close()
    return end / 1000


def server_command(side: str, args: argparse.Namespace, data_dir: Path) -> list[str]:
    if side == "peer":
        return ["bench/peer_pages.py", args.peer, "--data-dir", str(data_dir)]
    return ["-m", "dashboard", "--data-dir", str(data_dir)]


def pair_ratios(before: list[float], after: list[float]) -> list[float]:
    """after / before of each round's two loads (taken back to back)."""
    return [a / b for a, b in zip(after, before, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--before-tree", type=Path, help="the other side: this checkout")
    which.add_argument(
        "--peer", choices=["leaflet", "deck", "plotly"], help="the other side: this peer page"
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--data-dir", type=Path, help="a synthetic data dir (skips making one)")
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    if args.peer:
        from peer_pages import fetch

        fetch()  # the peer's library, once (bench/.cache/)
        sides = {args.peer: ("peer", ROOT), "app": ("app", ROOT)}
    else:
        sides = {"before": ("app", args.before_tree), "after": ("app", ROOT)}
    loads: dict[str, list[float]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or make_synthetic(args.size, Path(tmp) / "synthetic")
        servers = {}
        try:
            for name, (side, tree) in sides.items():
                # the app's first start validates and stores the data (as `check` would) once
                process, base, _ = launch_server(server_command(side, args, data_dir), cwd=tree)
                servers[name] = (process, base)
                wait_ready(process, base, timeout=1800)
            engine = {name: "app" if side == "app" else name for name, (side, _) in sides.items()}
            with sync_playwright() as p:
                browser = launch_browser(p)
                for name in sides:
                    load_once(browser, engine[name], servers[name][1])  # warm-up: not counted
                order = list(sides)
                for i in range(args.loads):
                    for name in order if i % 2 == 0 else order[::-1]:
                        loads[name].append(load_once(browser, engine[name], servers[name][1]))
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
    first, second = list(loads)
    ratio = statistics.median(loads[second]) / statistics.median(loads[first])
    pairs = pair_ratios(loads[first], loads[second])
    # inclusive: quartiles stay within the pairs measured, however few
    q1, mid, q3 = (
        statistics.quantiles(pairs, n=4, method="inclusive") if len(pairs) > 1 else pairs * 3
    )
    print(
        f"{second} / {first} = {ratio:.2f}x (medians); back-to-back pairs: median "
        f"{mid:.2f}x, quartiles {q1:.2f}-{q3:.2f}x, range {min(pairs):.2f}-{max(pairs):.2f}x; "
        f"load average at end: {load_average()}"
    )


if __name__ == "__main__":
    main()
