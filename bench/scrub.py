"""Scrub latency: milliseconds from one slider key press until the map shows the new window.

    .venv/bin/python bench/scrub.py [--steps 30] [--steps-100k 16] [--sizes real,10000,100000]
                                    [--frames 10] [--server-filter]

For the real data and for synthetic sets (bench/synthetic.py, in a temporary directory) the
app is started (`python -m dashboard --data-dir ...`) and opened in headless Chromium on a
30-day window in February 2021 (1500x1000 viewport, the map 958x556). All times use
bench/peers.py's end rule (the events of the slider's window are drawn, the map engine is
idle, then two more animation frames and a `setTimeout 0`, because software WebGL finishes a
frame on the main thread after the engine reports idle), so each row counts a drawn frame:

- step (the app): one ArrowRight on the upper thumb, steps back to back, always in the same
  direction (each a new window), t0 = the keydown; the end also waits for the Dash round
  (the view callback has written counter, label and address for this window). "list" =
  keydown -> the event list's rows changed, on separate steps (it follows the slider once it
  has rested 250 ms, which is included).
- events-only frame: the app's events painted again with nothing changed (the app's floor
  for a step: what a step must at least draw).
- empty-map frame: one repaint of an empty plotly map of the same 958x556 size
  (bench/bare_app.py), not of the app's own map.
- (c) plotly restyle: bench/peer_pages.py's plotly.js page, the same events as one
  `Scattermap` trace filtered in the browser and handed to `Plotly.restyle` per step (the
  natural client-side way to scrub a plotly map); the comparator of the 5x goal.
- (b) server-side filter (`--server-filter`, slow at 100k): bench/server_filter_app.py, the
  real layout where a server @callback rebuilds the whole figure on every step.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    GD,
    ROOT,
    launch_browser,
    launch_server,
    median,
    pct,
    stop,
    wait_ready,
)
from peers import (  # noqa: E402
    DASH_ROUND,
    END,
    END_RULE,
    START,
    VIEWPORT,
    app_floor,
    app_url,
    frames,
    load_average,
    open_engine,
    steps,
)
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import make_synthetic  # noqa: E402

STEP = "step (app, incl. Dash round)"
EVENTS = "events-only frame"
EMPTY = "empty-map frame (958x556)"
PLOTLY = "(c) plotly Scattermap + restyle"
SERVER = "(b) server-side filter callback"

# The server variant (b): drawn when plotly has drawn a figure after the key and the map is idle.
SERVER_ENGINE = f"""
window.__engine = {{
  drawn() {{
    const gd = {GD};
    if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
    if (gd.classList.contains('dash-graph--pending')) return false;
    if (!gd.__benchHooked) {{
      gd.__benchHooked = true;
      gd.on('plotly_afterplot', () => {{ window.__afterplot = performance.now(); }});
    }}
    const m = gd._fullLayout.map._subplot.map;
    if (!m.loaded() || m.isMoving()) return false;
    return window.__keyAt === null || (window.__afterplot || 0) > window.__keyAt;
  }},
}};"""


def measure_app(browser, data_dir: Path | None, n_steps: int, n_frames: int) -> dict:
    data_args = ["--data-dir", str(data_dir)] if data_dir else []
    out: dict = {}
    process, base, _ = launch_server(["-m", "dashboard", *data_args])
    try:
        wait_ready(process, base, timeout=1800)
        context, page, _ = open_engine(browser, "app", app_url(base))
        out[STEP] = steps(page, n_steps)
        out["lit"] = page.evaluate("() => window.__eventsLastDraw.lit")
        page.wait_for_timeout(600)
        page.evaluate(END_RULE)
        out["list"] = [page.evaluate(DASH_ROUND).get("list", float("nan")) for _ in range(3)]
        page.wait_for_timeout(600)
        page.evaluate("() => window.__engine.eventsOnly(true)")
        out[EVENTS] = frames(page, "eventsFrame", n_frames)
        context.close()
    finally:
        stop(process)
    out[EMPTY] = app_floor(browser, n_frames)[1]
    return out


def measure_plotly(browser, data_dir: Path, n_steps: int) -> list[float]:
    from peer_pages import fetch

    fetch()
    process, base, _ = launch_server(
        ["bench/peer_pages.py", "plotly", "--data-dir", str(data_dir), "--start", START,
         "--end", END]
    )  # fmt: skip
    try:
        wait_ready(process, base, timeout=1800)
        context, page, _ = open_engine(browser, "peer", base + "/")
        result = steps(page, n_steps)
        context.close()
        return result
    finally:
        stop(process)


def measure_server(browser, data_dir: Path | None, n_steps: int) -> list[float]:
    data_args = ["--data-dir", str(data_dir)] if data_dir else []
    process, base, _ = launch_server(
        ["bench/server_filter_app.py", *data_args, "--start", START, "--end", END]
    )
    try:
        wait_ready(process, base, timeout=1800)
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.add_init_script(SERVER_ENGINE)
        page.add_init_script(
            "window.__keyAt = null; document.addEventListener('keydown', "
            "() => { window.__keyAt = performance.now(); }, true);"
        )
        page.goto(base + "/", wait_until="commit", timeout=600_000)
        page.evaluate(END_RULE)
        result = steps(page, n_steps)
        context.close()
        return result
    finally:
        stop(process)


def report(label: str, out: dict) -> list[str]:
    lines = [f"\n=== {label} events: 30-day window {START} .. {END}, one direction ==="]
    lines.append(f"{'configuration':<34} {'n':>3} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name in (STEP, EVENTS, EMPTY, PLOTLY, SERVER):
        rows = out.get(name)
        if not rows:
            continue
        lines.append(
            f"{name:<34} {len(rows):>3} {median(rows):>10.1f} {pct(rows, 95):>8.1f} "
            f"{max(rows):>8.1f}"
        )
    step, frame = median(out[STEP]), median(out[EVENTS])
    lines.append(
        f"markers lit: {out['lit']}; event list after a step (incl. its 250 ms rest): "
        f"{median(out['list']):.0f} ms"
    )
    lines.append(
        f"step / events-only frame = {step / frame:.2f}x (goal <= 1.5x: "
        f"{'MET' if step <= 1.5 * frame else 'NOT MET'}); step / empty-map frame = "
        f"{step / median(out[EMPTY]):.2f}x"
    )
    if out.get(PLOTLY):
        ratio = median(out[PLOTLY]) / step
        lines.append(
            f"plotly restyle (c) / step = {ratio:.2f}x (goal >= 5x: "
            f"{'MET' if ratio >= 5 else 'NOT MET'})"
        )
    if out.get(SERVER):
        lines.append(f"server-side (b) / step = {median(out[SERVER]) / step:.2f}x")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--steps-100k", type=int, default=16)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--sizes", default="real,10000,100000")
    parser.add_argument("--server-filter", action="store_true", help="also measure (b)")
    args = parser.parse_args()

    lines: list[str] = [f"load average at start: {load_average()}"]
    print(lines[0], flush=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="scrub-bench-") as tmp:
        browser = launch_browser(p)
        for size in args.sizes.split(","):
            if size == "real":
                label, data_dir, n = "real", None, args.steps
            else:
                label = f"{int(size):,}"
                data_dir = make_synthetic(int(size), Path(tmp) / f"synthetic-{size}")
                n = args.steps_100k if int(size) >= 100_000 else args.steps
            print(f"measuring {label} ...", flush=True)
            out = measure_app(browser, data_dir, n, args.frames)
            out[PLOTLY] = measure_plotly(browser, data_dir or ROOT / "geodata", n)
            if args.server_filter:
                out[SERVER] = measure_server(browser, data_dir, max(6, n // 2))
            block = report(label, out) + [f"(load average now: {load_average()})"]
            print("\n".join(block), flush=True)
            lines += block
        browser.close()
    print("\n\nSUMMARY\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
