"""The app against its peers, in one run: page load, slider steps, held-key scrubbing, the Dash
round and the event list, server start and RSS, bytes of the first load.

    .venv/bin/python bench/peers.py [--sizes 1000,10000,100000] [--engines app,leaflet,deck]
                                    [--loads 3] [--steps 12] [--hold-ms 2000]
    .venv/bin/python bench/peers.py --sizes 1000000 --engines app --loads 1   # the 1M row

Engines (each opened on the same synthetic data, bench/synthetic.py, 958x556 map, the same
Chromium with software WebGL):
- app: `python -m dashboard --data-dir ...`.
- leaflet: bench/peer_pages.py's dash-leaflet page, canvas markers filtered with `hideout`.
- deck: bench/peer_pages.py's deck.gl page, ScatterplotLayer + DataFilterExtension.
The peers' libraries are bench-only: bench/peer_pages.py fetches them into bench/.cache/
(dash-leaflet from PyPI with pip, deck.gl from npm with `npm pack`); nothing is shipped.
Each engine also gets its empty-map floor: the same page with no events, one repaint.

The end rule, the same for every engine and for load and step: the events for the current
window are drawn (the app: assets/events_layer.js reports the window it drew; the peers:
their page reports it), the map engine is idle (MapLibre `loaded()` and not moving; Leaflet
and deck.gl: no redraw pending), then two more animation frames and a `setTimeout 0` (software
WebGL finishes a frame on the main thread after the engine says it is idle).
- load: navigation start (performance.timeOrigin) -> end rule; fresh browser context (empty
  cache) each time; URL opens a 30-day window (2021-02-01..2021-03-03).
- step: one ArrowRight on the slider's upper thumb -> end rule, then the next step at once
  (no idle time between steps; every step is a new window).
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
    return !!d && d.window[0] === lo && d.window[1] === hi;
  }},
  repaint(done) {{
    const m = this.map(); m.once('idle', done); m.triggerRepaint();
  }},
}};""",
    # The empty plotly map page (bench/bare_app.py): the app engine's floor.
    "bare": f"""
window.__engine = {{
  drawn() {{ const m = {APP_MAP}; return !!m && m.loaded() && !m.isMoving(); }},
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


def floor_load(browser) -> float:
    """Load of the empty plotly map page (bench/bare_app.py), by the same end rule."""
    process, base, _ = launch_server(["bench/bare_app.py"])
    try:
        wait_ready(process, base)
        context, _, end = open_engine(browser, "bare", base + "/")
        context.close()
        return end / 1000
    finally:
        stop(process)


def measure_app(browser, data_dir: Path, args) -> dict:
    result: dict = {"floor_load": floor_load(browser)}
    if not args.cold:
        # A new data version is validated once and kept (dashboard/store.py): `check` does
        # it, as a publish would be followed by; the server then starts from the store.
        t = time.time()
        check = [sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)]
        subprocess.run(check, cwd=ROOT, check=True, capture_output=True)
        result["check"] = time.time() - t
    process, base, spawned = launch_server(["-m", "dashboard", "--data-dir", str(data_dir)])
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
        result["floor"] = page.evaluate(
            """() => new Promise(r => { const t = performance.now();
                window.__engine.repaint(() => setTimeout(() => r(performance.now() - t), 0)); })"""
        )
        context.close()
    finally:
        stop(process)
    return result


def report(rows: list[tuple[str, str, dict]]) -> None:
    print(
        f"\n{'size':>9} {'engine':<8} {'check s':>8} {'start s':>8} {'RSS MB':>7} {'peak MB':>8} "
        f"{'load s':>7} {'loads':<20} {'step ms':>8} {'p max':>7} {'hold fr/exp':>12} "
        f"{'last ms':>8} {'round ms':>9} {'list ms':>8} {'1st load KB':>11} {'floor s':>8}"
    )
    for size, engine, r in rows:
        loads = ", ".join(f"{x:.2f}" for x in r.get("load", []))
        hold = r.get("hold") or {}
        print(
            f"{size:>9} {engine:<8} {r.get('check', float('nan')):>8.1f} "
            f"{r.get('start', float('nan')):>8.1f} "
            f"{r.get('rss', 0) / 1024:>7.0f} {r.get('hwm', 0) / 1024:>8.0f} "
            f"{median(r.get('load', [])):>7.2f} {loads:<20} {median(r.get('step', [])):>8.0f} "
            f"{max(r.get('step', [float('nan')])):>7.0f} "
            f"{str(hold.get('frames', '-')) + '/' + str(hold.get('expected', '-')):>12} "
            f"{hold.get('last', float('nan')):>8.0f} {median(r.get('round', [])):>9.0f} "
            f"{median(r.get('list', [])):>8.0f} {r.get('bytes', 0) / 1024:>11,.0f} "
            f"{r.get('floor_load', float('nan')):>8.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="app,leaflet,deck")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--hold-ms", type=int, default=2000)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start the app on data never loaded before (no `check` first: the server "
        "validates the files and writes the store itself)",
    )
    args = parser.parse_args()

    rows: list[tuple[str, str, dict]] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="peers-bench-") as tmp:
        browser = launch_browser(p)
        for size in (int(s) for s in args.sizes.split(",")):
            t = time.time()
            data_dir = make_synthetic(size, Path(tmp) / f"synthetic-{size}")
            print(f"[{size:,}] synthetic data in {time.time() - t:.1f} s", flush=True)
            for engine in args.engines.split(","):
                if engine == "app":
                    result = measure_app(browser, data_dir, args)
                else:
                    from peer_pages import measure_peer

                    result = measure_peer(browser, engine, data_dir, args)
                rows.append((f"{size:,}", engine, result))
                report(rows[-1:])
        browser.close()
    print("\nSUMMARY")
    report(rows)


if __name__ == "__main__":
    main()
