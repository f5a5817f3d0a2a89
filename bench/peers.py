"""The app against its peers, in one run: page load, slider steps, held-key scrubbing, the Dash
round and the event list, server start and RSS, bytes of the first load.

    .venv/bin/python bench/peers.py [--sizes 1000,10000,100000]
                                    [--engines app,leaflet,deck,plotly] [--loads 3] [--steps 12]
                                    [--hold-ms 2000] [--frames 8] [--before-tree DIR]
    .venv/bin/python bench/peers.py --sizes 1000000 --engines app --loads 1   # the 1M row

Before/after in one run: `git archive REV | tar -x -C DIR`, then `--before-tree DIR --engines
before,app,...`: engine "before" is the app served from DIR's code (same Python environment).

Engines (each opened on the same synthetic data, bench/synthetic.py, 958x556 map, the same
Chromium with software WebGL):
- app: `python -m dashboard --data-dir ...`.
- leaflet: bench/peer_pages.py's dash-leaflet page, canvas markers filtered with `hideout`.
- deck: bench/peer_pages.py's deck.gl page, ScatterplotLayer + DataFilterExtension.
- plotly: bench/peer_pages.py's plotly.js page, one `Scattermap` trace filtered in the
  browser and handed to `Plotly.restyle` on each step.
The peers' libraries are bench-only: bench/peer_pages.py fetches them into bench/.cache/
(dash-leaflet from PyPI with pip, deck.gl from npm with `npm pack`); nothing is shipped.
Each engine also gets its empty-map floor: the same page with no events (the app's:
bench/bare_app.py, one empty plotly map of the same 958x556 size): its load, and one repaint
of it ("empty frame"; Leaflet has no repaint call: not measured). For the app, an
events-only frame: the events painted again with nothing changed (the events' canvas; in
the "before" code, one MapLibre frame with every layer but the events hidden).

The end rule, the same for every engine and for load and step: the events for the current
window are drawn (the app: assets/events_layer.js reports the window it drew; the peers:
their page reports it), the map engine is idle (MapLibre `loaded()` and not moving; Leaflet
and deck.gl: no redraw pending), then two more animation frames and a `setTimeout 0` (software
WebGL finishes a frame on the main thread after the engine says it is idle). For the app a
step also waits for the Dash round: the view callback (counter, label, address) has run for
this window (`window.__scrubLastUpdate`).
- load: navigation start (performance.timeOrigin) -> end rule; fresh browser context (empty
  cache) each time; URL opens a 30-day window (2021-02-01..2021-03-03).
- step: one ArrowRight on the slider's upper thumb -> end rule, then the next step at once
  (no idle time between steps; every step is a new window, always in the same direction).
- held key: a keydown every 16 ms for --hold-ms on the upper thumb; frames = animation frames
  that ran meanwhile, dropped = frames a 60 Hz display would have shown minus those; last =
  last key -> end rule for the final window.
- Dash round (app): keydown -> the view callback ran (counter and label written).
- event list (app): keydown -> the event list's rows changed (includes the 250 ms the page
  waits for the slider to rest).
- check (app): `python -m dashboard check` on the new data: validates every file once and
  writes the columnar store (dashboard/store.py), what a new data version costs once.
- server start: process spawn -> /healthz answers (the app: from the store that `check`
  wrote; `--cold`: no check, the server validates and writes the store itself); RSS: VmRSS
  and VmHWM (peak) of the server process after the loads.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, launch_browser, launch_server, median, stop, wait_ready  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import make_synthetic  # noqa: E402

START, END = "2021-02-01", "2021-03-03"
VIEWPORT = {"width": 1500, "height": 1000}  # the app's map is 958x556 in it
MAP_SIZE = "958x556"
TIMEOUT_MS = 600_000

# The app's map (plotly's MapLibre instance).
APP_MAP = "(() => { const gd = document.querySelector('#map .js-plotly-plot');"
APP_MAP += " return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot"
APP_MAP += " && gd._fullLayout.map._subplot.map; })()"

# Per engine: `drawn(lo, hi)` true when the events of that slider window are drawn and the
# engine is idle; `sliderValues()` the upper and lower thumb values; `emptyRepaint()` one frame.
ENGINE_JS = {
    "app": f"""
window.__engine = {{
  map() {{ return {APP_MAP}; }},
  sliderValues() {{
    return Array.from(document.querySelectorAll('#date-range [role=slider]'))
      .map(el => Number(el.getAttribute('aria-valuenow')));
  }},
  drawn() {{
    const m = this.map();
    const gd = document.querySelector('#map .js-plotly-plot');
    if (!m || !gd || gd.classList.contains('dash-graph--pending')) return false;
    if (!m.loaded() || m.isMoving()) return false;
    const v = this.sliderValues();
    if (v.length !== 2) return false;
    const lo = Math.min(...v), hi = Math.max(...v);
    const d = window.__eventsLastDraw;
    if (!d || d.window[0] !== lo || d.window[1] !== hi) return false;
    if (window.__keyAt === null) return true;  // loading: no view change asked yet
    // The Dash round of this window has run (older code: any round after the last key).
    const u = window.__scrubLastUpdate;
    if (!u) return false;
    return u.window ? u.window[0] === lo && u.window[1] === hi : u.at > window.__keyAt;
  }},
  repaint(done) {{
    const m = this.map(); m.once('idle', done); m.triggerRepaint();
  }},
  // Older code (events as a MapLibre layer): show the events alone, or everything again.
  eventsOnly(on) {{
    if (window.KarabakhEvents.repaint) return;
    const m = this.map();
    if (on) {{
      this.hidden = m.getStyle().layers.filter(l => l.id !== 'karabakh-events'
        && m.getLayoutProperty(l.id, 'visibility') !== 'none').map(l => l.id);
    }}
    const visibility = on ? 'none' : 'visible';
    (this.hidden || []).forEach(id => m.setLayoutProperty(id, 'visibility', visibility));
  }},
  // One frame of the events alone, nothing changed.
  eventsFrame(done) {{
    if (window.KarabakhEvents.repaint) {{  // the events' own canvas
      document.addEventListener('karabakh:events-drawn', () => done(), {{once: true}});
      window.KarabakhEvents.repaint();
    }} else {{
      this.repaint(done);
    }}
  }},
}};""",
    # The empty plotly map page (bench/bare_app.py): the app engine's floor.
    "bare": f"""
window.__engine = {{
  drawn() {{ const m = {APP_MAP}; return !!m && m.loaded() && !m.isMoving(); }},
  repaint(done) {{ const m = {APP_MAP}; m.once('idle', done); m.triggerRepaint(); }},
}};""",
    # peers: bench/peer_pages.py defines window.__engine itself with the same methods.
}

# Poll every frame until the engine has drawn the current window and is idle; then two more
# frames and a setTimeout 0. Resolves with performance.now() at the end.
END_RULE = """() => new Promise(resolve => {
  const poll = () => {
    if (!window.__engine || !window.__engine.drawn()) { requestAnimationFrame(poll); return; }
    requestAnimationFrame(() => requestAnimationFrame(() =>
      setTimeout(() => resolve(performance.now()), 0)));
  };
  poll();
})"""

INIT = """
window.__keyAt = null;
document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, true);
"""


# One frame by `__engine[what]` (repaint, eventsFrame) with the end rule's tail: the engine
# says it has drawn, then two more animation frames and a setTimeout 0. Resolves with ms.
FRAME = """(what) => new Promise(resolve => {
  const t0 = performance.now();
  window.__engine[what](() => requestAnimationFrame(() => requestAnimationFrame(() =>
    setTimeout(() => resolve(performance.now() - t0), 0))));
})"""


def frames(page, what: str, count: int) -> list[float]:
    out = []
    for _ in range(count):
        page.evaluate(END_RULE)
        page.wait_for_timeout(50)
        out.append(page.evaluate(FRAME, what))
    return out


def rss_kb(pid: int) -> tuple[int, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def app_url(base: str) -> str:
    return f"{base}/?start={START}&end={END}"


def open_engine(browser, engine: str, url: str, record: list | None = None):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    if engine in ENGINE_JS:
        page.add_init_script(ENGINE_JS[engine])
    page.add_init_script(INIT)
    if record is not None:
        page.on("requestfinished", lambda r: record.append(r))
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    end = page.evaluate(END_RULE)
    return context, page, end


def first_load_bytes(requests: list) -> tuple[int, int]:
    total = 0
    for request in requests:
        with contextlib.suppress(Exception):  # a request without a response body
            total += request.sizes()["responseBodySize"]
    return total, len(requests)


def steps(page, count: int) -> list[float]:
    thumb = page.locator("#date-range [role=slider]").nth(1)
    thumb.focus()
    page.evaluate(END_RULE)
    out = []
    for _ in range(count):
        page.keyboard.press("ArrowRight")
        end = page.evaluate(END_RULE)
        out.append(end - page.evaluate("() => window.__keyAt"))
    return out


DASH_ROUND = """() => new Promise(resolve => {
  const thumb = document.querySelectorAll('#date-range [role=slider]')[1];
  const list = document.getElementById('event-list');
  const t = {};
  const obs = new MutationObserver(() => {
    if (t.list === undefined) { t.list = performance.now() - t.key; obs.disconnect(); }
  });
  obs.observe(list, {childList: true, subtree: true, characterData: true});
  const poll = () => {
    const u = window.__scrubLastUpdate;
    if (t.round === undefined && u && u.at > t.key) t.round = u.at - t.key;
    if (t.round !== undefined && t.list !== undefined) { resolve(t); return; }
    if (performance.now() - t.key > 30000) { resolve(t); return; }
    setTimeout(poll, 2);
  };
  t.key = performance.now();
  thumb.focus();
  thumb.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  poll();
})"""

HOLD = """(holdMs) => new Promise(resolve => {
  const thumb = document.querySelectorAll('#date-range [role=slider]')[1];
  thumb.focus();
  let frames = 0, holding = true;
  const count = () => { if (holding) { frames++; requestAnimationFrame(count); } };
  requestAnimationFrame(count);
  const t0 = performance.now();
  let keys = 0, lastKey = 0;
  const tick = () => {
    const now = performance.now();
    if (now - t0 >= holdMs) {
      holding = false;
      const poll = () => {
        if (!window.__engine.drawn()) { requestAnimationFrame(poll); return; }
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve({
          frames, expected: Math.round((now - t0) / (1000 / 60)), keys,
          last: performance.now() - lastKey}), 0)));
      };
      poll();
      return;
    }
    thumb.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
    keys++; lastKey = performance.now();
    setTimeout(tick, 16);
  };
  tick();
})"""


def app_floor(browser, count: int) -> tuple[float, list[float]]:
    """The empty plotly map page (bench/bare_app.py) at the app's map size: its load by the
    same end rule, and `count` repaints of it."""
    process, base, _ = launch_server(["bench/bare_app.py", "--size", MAP_SIZE])
    try:
        wait_ready(process, base)
        context, page, end = open_engine(browser, "bare", base + "/")
        empty = frames(page, "repaint", count)
        context.close()
        return end / 1000, empty
    finally:
        stop(process)


def measure_app(browser, data_dir: Path, args, tree: Path | None = None) -> dict:
    """The app (from this tree, or the code in `tree`) on data_dir."""
    result: dict = {}
    result["floor_load"], result["empty_frame"] = app_floor(browser, args.frames)
    if not args.cold:
        # A new data version is validated once and kept (dashboard/store.py): `check` does
        # it, as a publish would be followed by; the server then starts from the store.
        t = time.time()
        check = [sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)]
        subprocess.run(check, cwd=tree or ROOT, check=True, capture_output=True)
        result["check"] = time.time() - t
    process, base, spawned = launch_server(
        ["-m", "dashboard", "--data-dir", str(data_dir)], cwd=tree
    )
    try:
        wait_ready(process, base, timeout=1800)
        result["start"] = time.time() - spawned
        loads = []
        for i in range(args.loads):
            record: list | None = [] if i == 0 else None
            context, page, end = open_engine(browser, "app", app_url(base), record)
            loads.append(end / 1000)
            if record is not None:
                page.wait_for_timeout(500)
                result["bytes"], result["requests"] = first_load_bytes(record)
            if i < args.loads - 1:
                context.close()
        result["load"] = loads
        result["rss"], result["hwm"] = rss_kb(process.pid)
        # The last page stays open for the steps.
        result["step"] = steps(page, args.steps)
        page.wait_for_timeout(600)
        page.evaluate(END_RULE)
        rounds = [page.evaluate(DASH_ROUND) for _ in range(3)]
        result["round"] = [r.get("round", float("nan")) for r in rounds]
        result["list"] = [r.get("list", float("nan")) for r in rounds]
        page.wait_for_timeout(600)
        page.evaluate(END_RULE)
        result["hold"] = page.evaluate(HOLD, args.hold_ms)
        page.wait_for_timeout(300)
        page.evaluate("() => window.__engine.eventsOnly(true)")
        result["events_frame"] = frames(page, "eventsFrame", args.frames)
        page.evaluate("() => window.__engine.eventsOnly(false)")
        context.close()
    finally:
        stop(process)
    return result


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(rows: list[tuple[str, str, dict]]) -> None:
    nan = float("nan")
    print(
        f"\n{'size':>9} {'engine':<7} {'check s':>7} {'start s':>7} {'RSS MB':>6} {'load s':>6} "
        f"{'loads':<17} {'step ms':>7} {'p max':>6} {'hold fr/exp':>11} {'last ms':>7} "
        f"{'round':>6} {'list':>6} {'ev.frame':>8} {'empty fr':>8} {'1st KB':>7} {'floor s':>7}"
    )
    for size, engine, r in rows:
        loads = ", ".join(f"{x:.2f}" for x in r.get("load", []))
        hold = r.get("hold") or {}
        print(
            f"{size:>9} {engine:<7} {r.get('check', nan):>7.1f} {r.get('start', nan):>7.1f} "
            f"{r.get('rss', 0) / 1024:>6.0f} "
            f"{median(r.get('load', [])):>6.2f} {loads:<17} {median(r.get('step', [])):>7.0f} "
            f"{max(r.get('step', [nan])):>6.0f} "
            f"{str(hold.get('frames', '-')) + '/' + str(hold.get('expected', '-')):>11} "
            f"{hold.get('last', nan):>7.0f} {median(r.get('round', [])):>6.0f} "
            f"{median(r.get('list', [])):>6.0f} {median(r.get('events_frame', [])):>8.0f} "
            f"{median(r.get('empty_frame', [])):>8.0f} {r.get('bytes', 0) / 1024:>7,.0f} "
            f"{r.get('floor_load', nan):>7.2f}",
            flush=True,
        )


def goals(rows: list[tuple[str, str, dict]]) -> None:
    """Issue 13's step goals per size: the app's step against each peer's and against one
    events-only frame."""
    for size in dict.fromkeys(size for size, _, _ in rows):
        here = {engine: r for s, engine, r in rows if s == size}
        for app in ("before", "app"):
            if app not in here:
                continue
            step = median(here[app]["step"])
            peers = {e: median(r["step"]) for e, r in here.items() if e not in ("before", "app")}
            faster = all(step < v for v in peers.values())
            vs = ", ".join(f"{e} {v:.0f} ms ({v / step:.2f}x)" for e, v in peers.items())
            print(
                f"{size} {app}: step {step:.0f} ms; peers: {vs or '-'} -> "
                f"{'faster than every peer' if faster else 'NOT faster than every peer'}"
            )
            frame = median(here[app].get("events_frame", []))
            print(
                f"{size} {app}: step / events-only frame = {step / frame:.2f}x "
                f"({step:.0f} / {frame:.0f} ms; goal <= 1.5x: "
                f"{'MET' if step <= 1.5 * frame else 'NOT MET'}); empty-map frame "
                f"{median(here[app].get('empty_frame', [])):.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="app,leaflet,deck,plotly")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--hold-ms", type=int, default=2000)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start the app on data never loaded before (no `check` first: the server "
        "validates the files and writes the store itself)",
    )
    parser.add_argument("--frames", type=int, default=8, help="repaints per frame measure")
    parser.add_argument("--before-tree", type=Path, help="code of engine 'before'")
    args = parser.parse_args()

    rows: list[tuple[str, str, dict]] = []
    print(f"load average at start: {load_average()}", flush=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="peers-bench-") as tmp:
        browser = launch_browser(p)
        for size in (int(s) for s in args.sizes.split(",")):
            t = time.time()
            data_dir = make_synthetic(size, Path(tmp) / f"synthetic-{size}")
            print(f"[{size:,}] synthetic data in {time.time() - t:.1f} s", flush=True)
            for engine in args.engines.split(","):
                if engine == "app":
                    result = measure_app(browser, data_dir, args)
                elif engine == "before":
                    result = measure_app(browser, data_dir, args, tree=args.before_tree)
                else:
                    from peer_pages import measure_peer

                    result = measure_peer(browser, engine, data_dir, args)
                rows.append((f"{size:,}", engine, result))
                report(rows[-1:])
                print(f"  (load average now: {load_average()})", flush=True)
        browser.close()
    print("\nSUMMARY")
    report(rows)
    print()
    goals(rows)
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
