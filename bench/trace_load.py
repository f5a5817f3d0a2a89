"""Where a page load goes: a Chromium performance trace of the app's page and of the bare page.

    .venv/bin/python bench/trace_load.py [--sizes 100000] [--runs 2] [--keep-trace DIR]

For each page (the app on synthetic data of each size, opened on bench/peers.py's 30-day
window, and bench/bare_app.py: Dash + one empty `Scattermap`), in a fresh browser context:
Chromium's trace (`browser.start_tracing`: devtools.timeline, v8, blink.user_timing) from
navigation to bench/peers.py's end rule, plus marks the page takes itself (an init script):

- the request waterfall: every resource's start and end (Resource Timing, ms from navigation
  start), in order: Dash's renderer and bundles, `_dash-layout`, `_dash-dependencies`, dcc's
  async chunks, the scrub-data file, each `_dash-update-component` (the load-time callbacks);
- script evaluation per bundle (trace `EvaluateScript` + `v8.compile` by URL) and the
  JavaScript each bundle ran afterwards (`FunctionCall` by URL);
- `window.Plotly` defined (plotly.js evaluated), each `Plotly.newPlot`/`react` (start, ms),
  each WebGL context made (`getContext('webgl'|'webgl2')`, ms), MapLibre's first `render`,
  `load`, every `render` (frames MapLibre drew before idle), the events' first paint;
- the renderer main thread: busy ms (top-level tasks), the long tasks (> 50 ms) with what
  ran in them, GPU read-back (`ReadPixels`-like trace events) if the trace has them.

Prints one breakdown per page (median of --runs over loads of each mark; the per-run
waterfall of the last run). Runs one page at a time; the machine is shared, so the load
average is printed with every page.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, launch_browser, launch_server, stop, wait_ready  # noqa: E402
from peers import END_RULE, ENGINE_JS, INIT, MAP_SIZE, VIEWPORT, app_url  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import make_synthetic  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.frame",
    "v8.execute",
    "v8",
    "blink.user_timing",
    "toplevel",
    "loading",
    "gpu",
]

# Marks the page takes itself, from before any of its scripts runs.
MARKS = """
(() => {
  const marks = window.__loadMarks = {plotly: null, plots: [], webgl: [], map: {}, renders: [],
                                      events: null};
  const now = () => performance.now();
  // plotly.js defines window.Plotly when its bundle has been evaluated.
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return plotly; },
    set(value) {
      plotly = value;
      if (marks.plotly === null) marks.plotly = now();
      for (const name of ['newPlot', 'react']) {
        const original = value && value[name];
        if (typeof original !== 'function' || original.__wrapped) continue;
        const wrapped = function () {
          const entry = {name, at: now(), ms: null};
          marks.plots.push(entry);
          const fig = arguments[1];
          const same = marks.lastFigure === fig ? 'same figure' : 'new figure';
          const sameLayout = marks.lastFigure && fig && marks.lastFigure.layout === fig.layout;
          marks.lastFigure = fig;
          marks.timeline.push([entry.at, 'Plotly.' + name + ' (' + same + (sameLayout
            ? ', same layout' : '') + ')']);
          const result = original.apply(this, arguments);
          entry.sync = now() - entry.at;
          Promise.resolve(result).then(() => { entry.ms = now() - entry.at; });
          return result;
        };
        wrapped.__wrapped = true;
        value[name] = wrapped;
      }
    },
  });
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind) {
    const t0 = now();
    const result = getContext.apply(this, arguments);
    if (/webgl/.test(String(kind))) marks.webgl.push({kind: String(kind), at: t0, ms: now() - t0});
    return result;
  };
  const watch = () => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
      && gd._fullLayout.map._subplot.map;
    if (!m) { requestAnimationFrame(watch); return; }
    marks.map.found = now();
    m.on('render', () => {
      marks.renders.push(now());
      marks.timeline.push([now(), 'MapLibre render']);
    });
    m.on('moveend', () => { marks.timeline.push([now(), 'MapLibre moveend']); });
    m.on('load', () => { marks.map.load = now(); });
    m.on('idle', () => { if (!marks.map.idle) marks.map.idle = now(); });
  };
  requestAnimationFrame(watch);
  document.addEventListener('karabakh:events-drawn', () => {
    if (marks.events === null) marks.events = now();
    const d = window.__eventsLastDraw || {};
    marks.timeline.push([now(), 'events painted: ' + d.painted + ' markers in '
      + Math.round(d.ms || 0) + ' ms']);
  });
  // set_props from the page's scripts (a callback's input set outside a callback).
  const wrapSetProps = setInterval(() => {
    const ns = window.dash_clientside;
    if (!ns || !ns.set_props || ns.set_props.__wrapped) return;
    const original = ns.set_props;
    ns.set_props = function (id, props) {
      marks.timeline.push([now(), 'set_props ' + JSON.stringify(id) + ' '
        + JSON.stringify(props).slice(0, 60) + ' ' + (new Error().stack || '')
        .split('\\n').slice(2, 5).map(l => l.trim().replace(/[(]?http[^)]*[/]/, '')).join(' < ')]);
      return original.apply(this, arguments);
    };
    ns.set_props.__wrapped = true;
  }, 5);
  // Each Dash callback request: when, which outputs, how long until its answer.
  marks.timeline = [];
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    const t0 = now();
    let what = url.replace(/^https?:[/][/][^/]+/, '').split('?')[0];
    if (/_dash-update-component/.test(url) && init && init.body) {
      try {
        const body = JSON.parse(init.body);
        what = 'callback ' + (body.changedPropIds || []).join(' ').slice(0, 60) + ' -> '
          + body.output.slice(0, 70);
      } catch (e) {}
    }
    const result = fetch0.apply(this, arguments);
    result.then(() => marks.timeline.push([t0, what + ' (answered after '
      + Math.round(now() - t0) + ' ms)']), () => {});
    return result;
  };
})();
"""

RESULTS = """() => ({
  marks: window.__loadMarks,
  resources: performance.getEntriesByType('resource').map(r => ({
    name: r.name, type: r.initiatorType, start: r.startTime, end: r.responseEnd,
    ttfb: r.responseStart, bytes: r.transferSize, body: r.decodedBodySize})),
  nav: (() => { const n = performance.getEntriesByType('navigation')[0];
    return {responseEnd: n.responseEnd, domInteractive: n.domInteractive,
            domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })(),
})"""


def short(url: str) -> str:
    """A resource's name without host and fingerprint noise."""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    path = path.split("?", 1)[0]
    for prefix in ("_dash-component-suites/", "assets/"):
        if path.startswith(prefix):
            path = path[len(prefix) :]
    return "/" + path if not path.startswith(("dash/", "dashboard/")) else path


def analyse_trace(raw: bytes, end_ms: float) -> dict:
    """Main-thread work of the page's renderer, from navigation start to `end_ms`."""
    events = json.loads(raw)
    events = events["traceEvents"] if isinstance(events, dict) else events
    threads = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "thread_name":
            threads[(e["pid"], e["tid"])] = e["args"]["name"]
    # navigationStart of the page's document (http), on its renderer.
    nav = [
        e
        for e in events
        if e.get("name") == "navigationStart"
        and str(((e.get("args") or {}).get("data") or {}).get("documentLoaderURL", "")).startswith(
            "http"
        )
    ]
    if not nav:
        return {}
    pid = nav[-1]["pid"]
    t0 = nav[-1]["ts"]
    main = [tid for (p, tid), name in threads.items() if p == pid and name == "CrRendererMain"]
    tid = main[0] if main else nav[-1]["tid"]
    end_ts = t0 + end_ms * 1000

    def on_main(e):
        return e.get("pid") == pid and e.get("tid") == tid and e.get("ph") == "X"

    eval_ms: dict[str, float] = defaultdict(float)
    compile_ms: dict[str, float] = defaultdict(float)
    run_ms: dict[str, float] = defaultdict(float)
    busy = 0.0
    long_tasks = []
    by_name: dict[str, float] = defaultdict(float)
    for e in events:
        if not on_main(e) or not (t0 <= e["ts"] <= end_ts):
            continue
        dur = e.get("dur", 0) / 1000
        name = e["name"]
        data = (e.get("args") or {}).get("data") or {}
        if name == "RunTask":
            busy += dur
            if dur > 50:
                long_tasks.append([(e["ts"] - t0) / 1000, dur])
        elif name == "EvaluateScript":
            eval_ms[short(data.get("url", "") or "(inline)")] += dur
        elif name in ("v8.compile", "v8.compileModule"):
            compile_ms[short(data.get("url", "") or (e.get("args") or {}).get("fileName", ""))] += (
                dur
            )
        elif name == "FunctionCall":
            run_ms[short(data.get("url", "") or "(native)")] += dur
        if name != "RunTask":
            by_name[name] += dur
    # What each long task ran: the longest child events inside it.
    for task in long_tasks:
        a, b = t0 + task[0] * 1000, t0 + (task[0] + task[1]) * 1000
        inside = defaultdict(float)
        for e in events:
            if not on_main(e) or not (a <= e["ts"] < b) or e["name"] == "RunTask":
                continue
            data = (e.get("args") or {}).get("data") or {}
            if e["name"] in ("EvaluateScript", "FunctionCall"):
                key = f"{e['name']} {short(data.get('url', '') or '?')}"
            elif e["name"] in ("Layout", "UpdateLayoutTree", "Paint", "ParseHTML", "GCEvent"):
                key = e["name"]
            else:
                continue
            inside[key] += e.get("dur", 0) / 1000
        top = sorted(inside.items(), key=lambda kv: -kv[1])[:3]
        task.append(", ".join(f"{k} {v:.0f}" for k, v in top))
    # GPU read-back and frames, on any thread of any process.
    readback = defaultdict(float)
    frames = 0
    for e in events:
        if not (t0 <= e.get("ts", 0) <= end_ts):
            continue
        n = e.get("name", "")
        if "ReadPixels" in n and e.get("ph") == "X":
            readback[threads.get((e["pid"], e["tid"]), "?")] += e.get("dur", 0) / 1000
        if n == "DrawFrame" or (n == "BeginFrame" and e.get("pid") == pid):
            frames += 1
    return {
        "busy": busy,
        "eval": dict(eval_ms),
        "compile": dict(compile_ms),
        "run": dict(run_ms),
        "long": long_tasks,
        "by_name": dict(sorted(by_name.items(), key=lambda kv: -kv[1])[:15]),
        "readback": dict(readback),
        "frames": frames,
    }


def trace_page(browser, url: str, engine: str, keep: Path | None, label: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(ENGINE_JS[engine])
    page.add_init_script(INIT)
    page.add_init_script(MARKS)
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url, wait_until="commit", timeout=600_000)
    end = page.evaluate(END_RULE)
    raw = browser.stop_tracing()
    result = page.evaluate(RESULTS)
    context.close()
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{label}.json").write_bytes(raw)
    result["end"] = end
    result["trace"] = analyse_trace(raw, end)
    return result


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(label: str, runs: list[dict]) -> None:
    med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
    last = runs[-1]
    ends = ", ".join(f"{r['end']:.0f}" for r in runs)
    print(
        f"\n=== {label}: end rule at {med([r['end'] for r in runs]):.0f} ms "
        f"(runs: {ends}); load average {load_average()}"
    )
    print("request waterfall (last run; ms from navigation start)")
    print(f"  {'start':>6} {'ttfb':>6} {'end':>6} {'KB':>7}  resource")
    for r in sorted(last["resources"], key=lambda r: r["start"]):
        print(
            f"  {r['start']:6.0f} {r['ttfb']:6.0f} {r['end']:6.0f} {r['bytes'] / 1024:7.1f}  "
            f"{r['type']:<6} {short(r['name'])[:70]}"
        )
    nav = last["nav"]
    print(
        f"  document: responseEnd {nav['responseEnd']:.0f}, domInteractive "
        f"{nav['domInteractive']:.0f}, DOMContentLoaded {nav['domContentLoaded']:.0f}, "
        f"load {nav['load']:.0f}"
    )
    m = [r["marks"] for r in runs]
    print("page marks (median over runs, ms from navigation start)")

    def row(name, values):
        values = [v for v in values if v is not None]
        print(f"  {name:<44} {med(values):7.0f}   [{', '.join(f'{v:.0f}' for v in values)}]")

    row("window.Plotly defined (plotly.js evaluated)", [x["plotly"] for x in m])
    row(
        "first Plotly.newPlot/react called",
        [x["plots"][0]["at"] if x["plots"] else None for x in m],
    )
    row("  its synchronous part ms", [x["plots"][0].get("sync") if x["plots"] else None for x in m])
    row("  its promise resolved ms", [x["plots"][0]["ms"] if x["plots"] else None for x in m])
    row("Plotly.newPlot/react calls", [len(x["plots"]) for x in m])
    row("first WebGL context made", [x["webgl"][0]["at"] if x["webgl"] else None for x in m])
    row("  its ms", [x["webgl"][0]["ms"] if x["webgl"] else None for x in m])
    row("WebGL contexts made", [len(x["webgl"]) for x in m])
    row("MapLibre map found", [x["map"].get("found") for x in m])
    row("MapLibre first render", [x["renders"][0] if x["renders"] else None for x in m])
    row("MapLibre load", [x["map"].get("load") for x in m])
    row("MapLibre first idle", [x["map"].get("idle") for x in m])
    row("MapLibre frames (render events) to the end", [len(x["renders"]) for x in m])
    row("events first painted", [x["events"] for x in m])
    t = [r["trace"] for r in runs if r.get("trace")]
    if not t:
        return
    row("main thread busy ms (top-level tasks)", [x["busy"] for x in t])
    row("compositor frames (DrawFrame/BeginFrame)", [x["frames"] for x in t])
    print("script evaluation (EvaluateScript, compile) and later JS (FunctionCall), ms, median")
    urls = sorted(
        {u for x in t for u in (*x["eval"], *x["run"])},
        key=lambda u: -med([x["eval"].get(u, 0) + x["run"].get(u, 0) for x in t]),
    )
    for u in urls[:16]:
        ev, co, ru = (med([x[k].get(u, 0) for x in t]) for k in ("eval", "compile", "run"))
        if ev + ru < 5:
            continue
        print(f"  eval {ev:6.0f}  compile {co:5.0f}  run {ru:6.0f}  {u[:80]}")
    print(
        "main-thread events by total ms (last run): "
        + ", ".join(f"{k} {v:.0f}" for k, v in t[-1]["by_name"].items())
    )
    if t[-1]["readback"]:
        print(
            "GPU read-back ms (last run): "
            + ", ".join(f"{k} {v:.0f}" for k, v in t[-1]["readback"].items())
        )
    print("timeline of the last run (ms from navigation start)")
    for at, what in sorted(last["marks"]["timeline"]):
        print(f"  {at:6.0f}  {what}")
    print("long tasks (last run): start ms, ms, what ran")
    for start, dur, what in t[-1]["long"]:
        print(f"  {start:6.0f} {dur:6.0f}  {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="a synthetic data dir (skips making one)")
    parser.add_argument("--keep-trace", type=Path, help="write each trace's JSON here")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--extra-query", default="", help="appended to the app's URL")
    parser.add_argument(
        "--before-tree", type=Path, help="also trace the app served from this checkout's code"
    )
    args = parser.parse_args()
    print(f"load average at start: {load_average()}", flush=True)
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="trace-load-") as tmp:
        browser = launch_browser(p)
        if not args.no_bare:
            process, base, _ = launch_server(["bench/bare_app.py", "--size", MAP_SIZE])
            try:
                wait_ready(process, base)
                runs = [
                    trace_page(browser, base + "/", "bare", args.keep_trace, f"bare-{i}")
                    for i in range(args.runs)
                ]
                report("bare page (Dash + empty Scattermap)", runs)
            finally:
                stop(process)
        for size in (int(s) for s in args.sizes.split(",")):
            data_dir = args.data_dir or make_synthetic(size, Path(tmp) / f"s{size}")
            subprocess.run(
                [sys.executable, "-m", "dashboard", "check", "--data-dir", str(data_dir)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            trees = [("app", None)] + ([("before", args.before_tree)] if args.before_tree else [])
            for name, tree in trees:
                trace_app(browser, args, data_dir, size, name, tree)
        browser.close()


def trace_app(browser, args, data_dir: Path, size: int, name: str, tree: Path | None) -> None:
    """Trace the app (this tree's code, or `tree`'s) on data_dir, --runs times."""
    process, base, _ = launch_server(["-m", "dashboard", "--data-dir", str(data_dir)], cwd=tree)
    try:
        wait_ready(process, base, timeout=1800)
        time.sleep(0.5)
        runs = [
            trace_page(
                browser,
                app_url(base) + args.extra_query,
                "app",
                args.keep_trace,
                f"{name}-{size}-{i}",
            )
            for i in range(args.runs)
        ]
        report(f"{name} at {size:,} events", runs)
    finally:
        stop(process)


if __name__ == "__main__":
    main()
