"""Where a slider step's time goes: timestamps of its stages and a CPU profile (CDP).

    .venv/bin/python bench/profile_step.py [--events 100000] [--steps 6]

Opens the app like bench/scrub.py (real data, or a synthetic set of --events events), then
for a few key presses records in the page when the thumb's aria-valuenow changed, when the
clientside scrub callback ran (and how long it took), when plotly_afterplot fired and when
MapLibre was idle; and prints the functions with the most self time from a CDP CPU profile
taken over the same steps.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GD, GL, launch_browser, launch_server, median, stop, wait_ready  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from scrub import END, START, open_page, slider_days, wait_idle  # noqa: E402
from synthetic import make_synthetic  # noqa: E402

HOOKS = f"""() => {{
  const gd = {GD};
  const b = window.__stage = {{state: 'off'}};
  const ns = window.dash_clientside.scrub;
  const update = ns.update;
  ns.update = function (...args) {{
    const t = performance.now();
    const out = update.apply(this, args);
    if (b.state !== 'off' && b.cbStart === undefined) {{
      b.cbStart = t; b.cbMs = performance.now() - t;
    }}
    return out;
  }};
  const thumb = document.querySelectorAll('#date-range [role=slider]')[1];
  new MutationObserver(() => {{
    if (b.state !== 'off' && b.thumb === undefined) b.thumb = performance.now();
  }}).observe(thumb, {{attributes: true, attributeFilter: ['aria-valuenow']}});
  document.addEventListener('keydown', () => {{
    if (b.state === 'armed') {{ b.t0 = performance.now(); b.state = 'plot'; }}
  }}, true);
  gd.on('plotly_afterplot', () => {{
    if (b.state !== 'plot') return;
    b.plot = performance.now(); b.state = 'idle';
    const m = {GL};
    m.once('idle', () => {{ b.idle = performance.now(); b.state = 'done'; }});
    m.triggerRepaint();
  }});
}}"""

ARM = """() => { const b = window.__stage;
  for (const k of ['t0', 'thumb', 'cbStart', 'cbMs', 'plot', 'idle']) delete b[k];
  b.state = 'armed'; }"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0 = real)")
    parser.add_argument("--steps", type=int, default=6)
    args = parser.parse_args()
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="profile-bench-") as tmp:
        data_dir = make_synthetic(args.events, Path(tmp) / "data") if args.events else None
        data_args = ["--data-dir", str(data_dir)] if data_dir else []
        browser = launch_browser(p)
        process, base, _ = launch_server(["-m", "dashboard", *data_args])
        try:
            wait_ready(process, base)
            context, page = open_page(browser, base, f"start={START}&end={END}")
            lo, hi = slider_days(data_dir)
            page.wait_for_function(
                f"""() => Array.from(document.querySelectorAll('#date-range [role=slider]'))
                    .map(el => Number(el.getAttribute('aria-valuenow'))).join() === '{lo},{hi}'"""
            )
            wait_idle(page)
            page.evaluate(HOOKS)
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            page.locator("#date-range [role=slider]").nth(1).focus()
            stages = []
            cdp.send("Profiler.start")
            for i in range(args.steps):
                page.evaluate(ARM)
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                page.wait_for_function("() => window.__stage.state === 'done'", timeout=120000)
                stages.append(page.evaluate("() => Object.assign({}, window.__stage)"))
                wait_idle(page)
            profile = cdp.send("Profiler.stop")["profile"]
            context.close()
        finally:
            stop(process)
        browser.close()

    print(f"data: {'real' if not args.events else f'{args.events:,} synthetic'} events")
    print("stage (ms after keydown, median of steps):")
    for key, name in (
        ("thumb", "thumb aria-valuenow changed"),
        ("cbStart", "clientside scrub.update called"),
        ("plot", "plotly_afterplot"),
        ("idle", "MapLibre idle (drawn)"),
    ):
        values = [s[key] - s["t0"] for s in stages if s.get(key) is not None]
        print(f"  {name:<34} {median(values):8.1f}   {[round(v) for v in values]}")
    print(f"  {'scrub.update run time':<34} {median([s.get('cbMs', 0) for s in stages]):8.1f}")

    nodes = {n["id"]: n for n in profile["nodes"]}
    dt = collections.Counter()
    deltas = profile["timeDeltas"]
    for sample, delta in zip(profile["samples"][1:], deltas[1:], strict=False):
        dt[sample] += delta
    self_ms: collections.Counter = collections.Counter()
    for node_id, us in dt.items():
        frame = nodes[node_id]["callFrame"]
        url = frame["url"].rsplit("/", 1)[-1].split("?")[0]
        name = (
            f"{frame['functionName'] or '(anonymous)'} {url}:"
            f"{frame['lineNumber'] + 1}:{frame['columnNumber'] + 1}"
        )
        self_ms[name] += us / 1000
    total = sum(self_ms.values())
    print(f"\nCPU profile over {args.steps} steps: {total:.0f} ms sampled; top self time:")
    for name, ms in self_ms.most_common(20):
        print(f"  {ms:8.1f} ms  {100 * ms / total:5.1f}%  {name[:100]}")


if __name__ == "__main__":
    main()
