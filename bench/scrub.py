"""Scrub latency: milliseconds from one slider key press to the map's repaint.

    .venv/bin/python bench/scrub.py [--steps 30] [--steps-100k 16] [--sizes real,10000,100000]

For the real data and for synthetic sets (bench/synthetic.py, in a temporary directory) the
app is started (`python -m dashboard --data-dir ...`) and opened in headless Chromium on a
30-day window in February 2021. Then, per configuration:

- step (the app): one ArrowRight / ArrowLeft press (alternating, so the window stays
  similar) on the slider's upper thumb. t0 = performance.now() in a capturing `keydown`
  listener. The step is over when the map shows its final state: the events layer
  (assets/events_layer.js) has restyled its markers and the frame is drawn; or, if the
  reference-layer callback (assets/scrub.js) patches the figure, when plotly's drawing is
  too. "Drawn" = MapLibre's 'idle' (the benchmark calls map.triggerRepaint() so an 'idle'
  is sure to come) and then the first task after it (setTimeout 0): software WebGL
  finishes the frame on the page's main thread after 'idle', about 70-120 ms here, and
  that is counted. "to text" = when the counter and label callback ran (Dash's round).
- (a) bare repaint, nothing changed: map.triggerRepaint() -> 'idle' -> the next task, i.e.
  one frame of the same map, measured the same way.
- (b) server-side filter: bench/server_filter_app.py, the same page where a normal @callback
  rebuilds the whole figure, events as a plotly trace, on every step; end = afterplot ->
  'idle' -> the next task.

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
STEP = "step (app: events layer state)"
BARE = "(a) bare repaint: triggerRepaint"
SERVER = "(b) server-side filter callback"

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

# Marks a step's stages in the page. The app draws a step in two places: the events layer
# (assets/events_layer.js: 'karabakh:events-drawn', then MapLibre's next 'idle') and, when a
# reference layer changes, plotly (plotly_afterplot, then 'idle'). The server variant (b)
# draws everything through plotly.
INSTALL = f"""() => {{
  const gd = {GD};
  const b = window.__bench = {{state: 'off'}};
  const idleThen = (mark) => {{
    const m = {GL};
    m.once('idle', () => setTimeout(() => {{ b[mark] = performance.now(); }}, 0));
    m.triggerRepaint();  // so that an 'idle' is sure to come
  }};
  document.addEventListener('keydown', () => {{
    if (b.state !== 'armed') return;
    for (const k of ['tEvents', 'eventsDone', 'changed', 'tPlot', 'plotDone']) delete b[k];
    b.t0 = performance.now();
    b.state = 'running';
  }}, true);
  document.addEventListener('karabakh:events-drawn', (e) => {{
    if (b.state !== 'running' || b.tEvents !== undefined) return;
    b.tEvents = performance.now();
    b.changed = e.detail.changed;
    if (b.changed > 0) idleThen('eventsDone'); else b.eventsDone = b.tEvents;
  }});
  gd.on('plotly_afterplot', () => {{
    if (b.state !== 'running' || b.tPlot !== undefined) return;
    b.tPlot = performance.now();
    idleThen('plotDone');
  }});
}}"""

# When is a step over? App: the events layer has drawn (and the map is idle), and the
# reference-layer callback has either drawn (afterplot, idle) or found nothing to redraw.
# Server variant: plotly has drawn the new figure and the map is idle.
STEP_DONE = {
    "app": """() => { const b = window.__bench, u = window.__scrubLastUpdate;
        if (b.eventsDone === undefined) return false;
        return b.plotDone !== undefined || (!!u && u.at > b.t0 && !u.redraw); }""",
    "server": "() => window.__bench.plotDone !== undefined",
}
# The map shows the step's final state when the events layer has drawn, unless the
# reference-layer callback redraws too (then when plotly's drawing is on screen). The
# callback's own time (counter, label) is reported as "to text".
STEP_TIMES = {
    "app": """() => { const b = window.__bench, u = window.__scrubLastUpdate;
        const end = b.plotDone !== undefined ? Math.max(b.eventsDone, b.plotDone)
                  : (u.redraw ? NaN : b.eventsDone);
        return {total: end - b.t0, events: b.tEvents - b.t0, changed: b.changed,
                text: u.at - b.t0, plot: b.tPlot !== undefined ? b.tPlot - b.t0 : 0}; }""",
    "server": """() => { const b = window.__bench;
        return {total: b.plotDone - b.t0, events: 0, changed: null, text: null,
                plot: b.tPlot - b.t0}; }""",
}

IDLE = f"""() => {{
  const gd = {GD};
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false;
  if (gd.classList.contains('dash-graph--pending')) return false;
  if (window.__inflight > 0) return false;
  const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
  return !!m && m.loaded() && !m.isMoving() && m.areTilesLoaded();
}}"""

# Event markers drawn: the app's events layer, or the server variant's events trace.
EVENT_POINTS = f"""() => {{
  if (window.__eventsLastDraw) return window.__eventsLastDraw.lit;
  const t = {GD}.data.find(t => t.meta && t.meta.role === 'events');
  return t && t.visible !== false ? (t.lon || []).length : 0;
}}"""

BARE_REPAINT = f"""() => new Promise(resolve => {{
  const m = {GL};
  const t0 = performance.now();
  m.once('idle', () => setTimeout(() => resolve({{total: performance.now() - t0, plot: 0}}), 0));
  m.triggerRepaint();
}})"""


def wait_idle(page) -> None:
    """Until the map is idle and no callback is pending, including the event list's, which
    scrub.js asks for 250 ms after the slider rests."""
    page.wait_for_function(IDLE, polling="raf", timeout=STEP_TIMEOUT_MS)
    page.wait_for_timeout(350)
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


def key_steps(page, steps: int, expected_window: tuple[int, int], variant: str) -> list[dict]:
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
        page.wait_for_function(STEP_DONE[variant], polling="raf", timeout=STEP_TIMEOUT_MS)
        times = page.evaluate(STEP_TIMES[variant])
        page.evaluate("() => { window.__bench.state = 'off'; }")
        results.append({**times, "n": page.evaluate(EVENT_POINTS)})
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
        out[STEP] = key_steps(page, steps, window, "app")
        out[BARE] = repeat(page, BARE_REPAINT, steps)
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
        out[SERVER] = key_steps(page, server_steps, window, "server")
        context.close()
    finally:
        stop(process)
    return out


def report(label: str, out: dict[str, list[dict]]) -> list[str]:
    lines = [f"\n=== {label} events: 30-day window {START} .. {END} ==="]
    lines.append(
        f"{'configuration':<34} {'n':>3} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} "
        f"{'to layer':>9} {'to plotly':>9} {'to text':>8} {'markers':>8} {'restyled':>8}"
    )
    for name, rows in out.items():
        totals = [r["total"] for r in rows]
        changed = [r["changed"] for r in rows if r.get("changed") is not None]
        texts = [r["text"] for r in rows if r.get("text") is not None]
        text = f"{median(texts):.1f}" if texts else "-"
        lines.append(
            f"{name:<34} {len(rows):>3} {median(totals):>10.1f} {pct(totals, 95):>8.1f} "
            f"{max(totals):>8.1f} {median([r.get('events', 0) for r in rows]):>9.1f} "
            f"{median([r['plot'] for r in rows]):>9.1f} {text:>8} "
            f"{int(median([r['n'] for r in rows])):>8} "
            f"{(str(int(median(changed))) if changed else '-'):>8}"
        )
    step = median([r["total"] for r in out[STEP]])
    bare = median([r["total"] for r in out[BARE]])
    server = median([r["total"] for r in out[SERVER]])
    worst = max(r["total"] for r in out[STEP])
    lines.append(
        f"step / bare repaint (a) = {step / bare:.2f}x; server (b) / step = {server / step:.2f}x"
    )
    if label == "10,000":
        ok1 = step <= 1.5 * bare
        ok2 = server >= 5 * step
        lines.append(
            f"goal: step within 1.5x of bare repaint -> {'MET' if ok1 else 'NOT MET'} "
            f"({step / bare:.2f}x; {step:.1f} vs {bare:.1f} ms)"
        )
        lines.append(
            f"goal: step >= 5x faster than server-side (b) -> {'MET' if ok2 else 'NOT MET'} "
            f"({server / step:.2f}x)"
        )
    if label == "100,000":
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
