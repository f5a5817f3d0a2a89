"""Scrub latency: milliseconds from one slider key press to the map's repaint.

    .venv/bin/python bench/scrub.py [--steps 30] [--steps-100k 16] [--sizes real,10000,100000]

For the real data and for synthetic sets (bench/synthetic.py, in a temporary directory) the
app is started (`python -m dashboard --data-dir ...`) and opened in headless Chromium on a
30-day window in February 2021. Then, per configuration:

- step (the app): one ArrowRight / ArrowLeft press (alternating, so the window stays
  similar) on the slider's upper thumb. Measured in the page: t0 = performance.now() in a
  capturing `keydown` listener; end = MapLibre's next 'idle' after the first
  `plotly_afterplot` that follows (at afterplot the benchmark calls map.triggerRepaint() so an
  'idle' is sure to come; 'idle' waits for the GeoJSON workers and the frame).
- (a) bare repaint, nothing changed: map.triggerRepaint(), then 'idle' (one frame of the
  same map). Also (a2): Plotly.react with an identical-but-new figure object (new trace and
  layout objects, same arrays) -> afterplot -> 'idle'; plotly skips that as unchanged. And
  (a3): the events trace's arrays re-sent as new arrays with the same values, i.e. the same
  points drawn again: what drawing them costs whatever does the filtering. The 1.5x goal is
  judged against (a) and, separately, reported against (a3).
- (b) server-side filter: bench/server_filter_app.py, the same page where a normal @callback
  rebuilds the figure with dashboard.figures.map_figure; same key presses, same measurement.

Between steps the benchmark waits until no fetch is in flight (the event list callback) and
the map is idle, so each step is measured alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    GD,
    GL,
    ROOT,
    launch_browser,
    launch_server,
    median,
    pct,
    stop,
    wait_ready,
)
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import make_synthetic  # noqa: E402

START, END = "2021-02-01", "2021-03-03"  # 30 days
STEP_TIMEOUT_MS = 120_000

# Counts fetches in flight (Dash callbacks use fetch), so steps can be measured alone.
INIT_SCRIPT = """
(() => {
  window.__inflight = 0;
  const orig = window.fetch;
  window.fetch = function (...args) {
    window.__inflight++;
    return orig.apply(this, args).finally(() => { window.__inflight--; });
  };
})();
"""

INSTALL = f"""() => {{
  const gd = {GD};
  const b = window.__bench = {{state: 'off'}};
  document.addEventListener('keydown', () => {{
    if (b.state !== 'armed') return;
    b.t0 = performance.now();
    b.state = 'waiting-plot';
  }}, true);
  gd.on('plotly_afterplot', () => {{
    if (b.state !== 'waiting-plot') return;
    b.tPlot = performance.now();
    b.state = 'waiting-idle';
    const m = {GL};
    m.once('idle', () => {{ b.tIdle = performance.now(); b.state = 'done'; }});
    m.triggerRepaint();
  }});
}}"""

IDLE = f"""() => {{
  const gd = {GD};
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
  if (gd.classList.contains('dash-graph--pending')) return false;
  if (window.__inflight > 0) return false;
  const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
  return !!m && m.loaded() && !m.isMoving() && m.areTilesLoaded();
}}"""

EVENT_POINTS = f"""() => {{
  const gd = {GD};
  const t = gd.data.find(t => t.meta && t.meta.role === 'events');
  return t && t.visible !== false ? (t.lon || []).length : 0;
}}"""

BARE_REPAINT = f"""() => new Promise(resolve => {{
  const m = {GL};
  const t0 = performance.now();
  m.once('idle', () => resolve({{total: performance.now() - t0, plot: 0}}));
  m.triggerRepaint();
}})"""


def _timed_react(build_data: str) -> str:
    """JS timing Plotly.react(gd, <data from build_data>, ...) -> afterplot -> MapLibre 'idle'."""
    return f"""() => new Promise(resolve => {{
  const gd = {GD};
  const t0 = performance.now();
  const onPlot = () => {{
    gd.removeListener('plotly_afterplot', onPlot);
    const tPlot = performance.now();
    const m = {GL};
    m.once('idle', () => resolve({{total: performance.now() - t0, plot: tPlot - t0}}));
    m.triggerRepaint();
  }};
  gd.on('plotly_afterplot', onPlot);
  {build_data}
  Plotly.react(gd, data, Object.assign({{}}, gd.layout));
}})"""


# (a2) new trace and layout objects holding the same arrays: plotly skips it as unchanged.
REACT_SAME = _timed_react("const data = gd.data.map(t => Object.assign({}, t));")

# (a3) the same points drawn again: the events trace's arrays re-sent as new arrays with the
# same values, so plotly re-syncs that MapLibre source exactly as a step does. This is the
# cost of drawing the points themselves, the floor any way of filtering has to pay.
REDRAW_SAME_POINTS = _timed_react(
    """const i = gd.data.findIndex(t => t.meta && t.meta.role === 'events');
  const t = gd.data[i];
  const copy = a => Array.from(a || []);
  const data = gd.data.slice();
  data[i] = Object.assign({}, t, {
    lon: copy(t.lon), lat: copy(t.lat), customdata: copy(t.customdata), text: copy(t.text),
    marker: Object.assign({}, t.marker, {
      color: copy(t.marker.color), size: copy(t.marker.size), opacity: copy(t.marker.opacity)}),
  });"""
)


def wait_idle(page) -> None:
    page.wait_for_function(IDLE, polling="raf", timeout=STEP_TIMEOUT_MS)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(100)


def open_page(browser, base: str, query: str):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.add_init_script(INIT_SCRIPT)
    page.goto(f"{base}/?{query}" if query else base + "/", timeout=STEP_TIMEOUT_MS)
    page.wait_for_function(
        f"() => {{ const gd = {GD}; return gd && gd._fullLayout && gd._fullLayout.map; }}",
        timeout=STEP_TIMEOUT_MS,
    )
    wait_idle(page)
    return context, page


def key_steps(page, steps: int, expected_window: tuple[int, int]) -> list[dict]:
    thumbs = page.locator("#date-range [role=slider]")
    page.wait_for_function(
        f"""() => {{
            const v = Array.from(document.querySelectorAll('#date-range [role=slider]'))
                .map(el => Number(el.getAttribute('aria-valuenow')));
            return v[0] === {expected_window[0]} && v[1] === {expected_window[1]};
        }}""",
        timeout=STEP_TIMEOUT_MS,
    )
    wait_idle(page)
    page.evaluate(INSTALL)
    thumb = thumbs.nth(1)
    thumb.focus()
    results = []
    for i in range(steps):
        page.evaluate("() => { window.__bench.state = 'armed'; }")
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        # Done when the map has repainted, or when the step's callback found nothing to
        # redraw (scrub.js patches only what changed; then the step ends with the callback).
        page.wait_for_function(
            """() => { const b = window.__bench, u = window.__scrubLastUpdate;
                return b.state === 'done'
                    || (u && u.at > b.t0 && !u.redraw); }""",
            polling="raf",
            timeout=STEP_TIMEOUT_MS,
        )
        b = page.evaluate("() => window.__bench")
        update = page.evaluate("() => window.__scrubLastUpdate")
        points = page.evaluate(EVENT_POINTS)
        if b["state"] == "done":
            results.append(
                {"total": b["tIdle"] - b["t0"], "plot": b["tPlot"] - b["t0"], "n": points}
            )
        else:
            b["state"] = "off"
            page.evaluate("() => { window.__bench.state = 'off'; }")
            results.append({"total": update["at"] - b["t0"], "plot": 0.0, "n": points})
        wait_idle(page)
    return results


def repeat(page, script: str, steps: int) -> list[dict]:
    results = []
    for _ in range(steps):
        r = page.evaluate(script)
        results.append({**r, "n": page.evaluate(EVENT_POINTS)})
        wait_idle(page)
    return results


def slider_days(data_dir: Path | None) -> tuple[int, int]:
    from dashboard.loading import load_dataset
    from dashboard.selection import timeline_bounds

    dataset = load_dataset(data_dir or ROOT / "geodata")
    origin = timeline_bounds(dataset)[0]
    lo, hi = dt.date.fromisoformat(START), dt.date.fromisoformat(END)
    return (lo - origin).days, (hi - origin).days


def measure_dataset(browser, label: str, data_dir: Path | None, steps: int) -> dict:
    data_args = ["--data-dir", str(data_dir)] if data_dir else []
    window = slider_days(data_dir)
    out: dict[str, list[dict]] = {}

    t = time.time()
    process, base, _ = launch_server(["-m", "dashboard", *data_args])
    try:
        wait_ready(process, base)
        context, page = open_page(browser, base, f"start={START}&end={END}")
        print(f"  [{label}] app loaded in {time.time() - t:.1f} s", flush=True)
        out["step (app, client-side patch)"] = key_steps(page, steps, window)
        out["(a) bare repaint: triggerRepaint"] = repeat(page, BARE_REPAINT, steps)
        out["(a2) Plotly.react identical figure"] = repeat(page, REACT_SAME, steps)
        out["(a3) same points drawn again"] = repeat(page, REDRAW_SAME_POINTS, steps)
        context.close()
    finally:
        stop(process)

    t = time.time()
    server_steps = max(6, steps // 2) if label == "100,000" else steps
    process, base, _ = launch_server(
        ["bench/server_filter_app.py", *data_args, "--start", START, "--end", END]
    )
    try:
        wait_ready(process, base)
        context, page = open_page(browser, base, "")
        print(f"  [{label}] server-filter variant loaded in {time.time() - t:.1f} s", flush=True)
        out["(b) server-side filter callback"] = key_steps(page, server_steps, window)
        context.close()
    finally:
        stop(process)
    return out


def report(label: str, out: dict[str, list[dict]]) -> list[str]:
    lines = [f"\n=== {label} events: 30-day window {START} .. {END} ==="]
    lines.append(
        f"{'configuration':<38} {'n':>3} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
        f"{'to afterplot':>12} {'points':>7}"
    )
    for name, rows in out.items():
        totals = [r["total"] for r in rows]
        lines.append(
            f"{name:<38} {len(rows):>3} {median(totals):>10.1f} {pct(totals, 95):>8.1f} "
            f"{max(totals):>8.1f} {median([r['plot'] for r in rows]):>12.1f} "
            f"{int(median([r['n'] for r in rows])):>7}"
        )
    step = median([r["total"] for r in out["step (app, client-side patch)"]])
    bare = median([r["total"] for r in out["(a) bare repaint: triggerRepaint"]])
    react = median([r["total"] for r in out["(a2) Plotly.react identical figure"]])
    redraw = median([r["total"] for r in out["(a3) same points drawn again"]])
    server = median([r["total"] for r in out["(b) server-side filter callback"]])
    lines.append(
        f"step / bare repaint (a) = {step / bare:.2f}x; step / (a2) = {step / react:.2f}x; "
        f"step / same points drawn again (a3) = {step / redraw:.2f}x; "
        f"server (b) / step = {server / step:.2f}x"
    )
    if label == "10,000":
        ok1 = step <= 1.5 * bare
        ok2 = server >= 5 * step
        lines.append(
            f"goal: step within 1.5x of bare repaint -> {'MET' if ok1 else 'NOT MET'} "
            f"({step / bare:.2f}x)"
        )
        lines.append(
            f"goal: step >= 5x faster than server-side (b) -> {'MET' if ok2 else 'NOT MET'} "
            f"({server / step:.2f}x)"
        )
        lines.append(
            f"for reference: step within 1.5x of drawing the same points again (a3) -> "
            f"{'yes' if step <= 1.5 * redraw else 'no'} ({step / redraw:.2f}x)"
        )
    if label == "100,000":
        worst = max(r["total"] for r in out["step (app, client-side patch)"])
        lines.append(
            f"goal: no step over 1 s at 100k -> {'MET' if worst <= 1000 else 'NOT MET'} "
            f"(max {worst:.0f} ms)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--steps-100k", type=int, default=16)
    parser.add_argument("--sizes", default="real,10000,100000")
    args = parser.parse_args()

    lines: list[str] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="scrub-bench-") as tmp:
        browser = launch_browser(p)
        for size in args.sizes.split(","):
            if size == "real":
                label, data_dir, steps = "real", None, args.steps
            else:
                n = int(size)
                label = f"{n:,}"
                data_dir = make_synthetic(n, Path(tmp) / f"synthetic-{n}")
                steps = args.steps_100k if n >= 100_000 else args.steps
            print(f"measuring {label} ...", flush=True)
            out = measure_dataset(browser, label, data_dir, steps)
            block = report(label, out)
            print("\n".join(block), flush=True)
            lines += block
        browser.close()
    print("\n\nSUMMARY" + "\n".join(lines))


if __name__ == "__main__":
    main()
