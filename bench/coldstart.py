"""Cold start: seconds from launching the server process to the map's first paint.

    .venv/bin/python bench/coldstart.py [--runs 3]

Headless Chromium is launched first; then, per run, the clock starts just before the server
process is spawned (`python -m dashboard`, or `bench/bare_app.py` for the bare page), the
benchmark polls /healthz every 20 ms, navigates a fresh browser context (empty cache) and
waits, every animation frame, until MapLibre's `loaded()` is true and the events are on
the map: the app's events layer (assets/events_layer.js) has drawn its markers; for the bare
page, its one trace's layers are in the map's style. The moment is read in the page (wall
clock), so Playwright's round trips do not count.

Also prints the bytes the first load of the real app transfers: as Chromium got them
(Playwright's request.sizes(), Chromium offers gzip/br), and every URL the page fetched
fetched again with urllib, once with `Accept-Encoding: gzip` and once without.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import launch_browser, launch_server, median, stop, wait_ready  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# True (as the wall-clock time in ms) once the map has drawn its first frame with events.
FIRST_PAINT = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd._fullData) return false;
    const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    if (!m || !m.loaded()) return false;
    if (window.KarabakhEvents) {  // the app (assets/events_layer.js): its layer has drawn
        if (!window.__eventsLastDraw) return false;
    } else {  // the bare page: its only trace is on the map
        const uid = gd._fullData[0] && gd._fullData[0].uid;
        if (!uid || !m.getStyle().layers.some(l => l.id.includes(uid))) return false;
    }
    return performance.timeOrigin + performance.now();
}"""

APPS = {
    "real app": ["-m", "dashboard"],
    "bare page": ["bench/bare_app.py"],
}

GOAL_BYTES = 1.5e6


def one_run(browser, args: list[str], record: list | None = None) -> dict:
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    if record is not None:
        page.on("requestfinished", lambda request: record.append(request))
    process, base, start = launch_server(args)
    try:
        wait_ready(process, base)
        ready = time.time()
        page.goto(base + "/", wait_until="commit")
        painted_ms = page.wait_for_function(FIRST_PAINT, polling="raf", timeout=120000)
        painted = painted_ms.json_value() / 1000
        result = {"total": painted - start, "server": ready - start, "page": painted - ready}
        if record is not None:
            result["base"] = base
            result["process"] = process
            result["context"] = context
            return result
    except BaseException:
        stop(process)
        context.close()
        raise
    stop(process)
    context.close()
    return result


def fetch(url: str, method: str, body: bytes | None, headers: dict, encoding: str | None) -> int:
    request = urllib.request.Request(url, data=body, method=method)
    for key in ("Content-Type", "X-CSRFToken"):
        if key.lower() in headers:
            request.add_header(key, headers[key.lower()])
    if encoding:
        request.add_header("Accept-Encoding", encoding)
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()  # urllib does not decode: these are the bytes on the wire
        if encoding == "gzip" and response.headers.get("Content-Encoding") == "gzip":
            gzip.decompress(raw)  # sanity: it really is gzip
        return len(raw)


def transfer_table(browser) -> None:
    requests: list = []
    run = one_run(browser, APPS["real app"], record=requests)
    page_context, process = run["context"], run["process"]
    try:
        # Let the first callbacks (restore_view etc.) finish before reading sizes.
        time.sleep(1.0)
        rows = []
        for request in requests:
            response = request.response()
            if response is None or not request.url.startswith(run["base"]):
                continue
            sizes = request.sizes()
            headers = request.headers
            body = request.post_data_buffer
            rows.append(
                {
                    "path": request.url[len(run["base"]) :],
                    "method": request.method,
                    "browser": sizes["responseBodySize"],
                    "enc": response.headers.get("content-encoding", "-"),
                    "gzip": fetch(request.url, request.method, body, headers, "gzip"),
                    "plain": fetch(request.url, request.method, body, headers, None),
                }
            )
    finally:
        stop(process)
        page_context.close()

    rows.sort(key=lambda r: -r["plain"])
    print("\n(c) bytes transferred by the first load of the real app (response bodies)")
    print(f"{'request':<58} {'browser':>10} {'enc':>5} {'gzip':>10} {'no compr.':>10}")
    for r in rows:
        name = f"{r['method']} {r['path']}"
        if len(name) > 58:
            name = name[:55] + "..."
        print(f"{name:<58} {r['browser']:>10,} {r['enc']:>5} {r['gzip']:>10,} {r['plain']:>10,}")
    total = {k: sum(r[k] for r in rows) for k in ("browser", "gzip", "plain")}
    print(
        f"{'TOTAL (' + str(len(rows)) + ' requests)':<58} {total['browser']:>10,} {'':>5} "
        f"{total['gzip']:>10,} {total['plain']:>10,}"
    )
    verdict = "MET" if total["gzip"] <= GOAL_BYTES else "NOT MET"
    print(f"goal: <= 1.5 MB with gzip -> {total['gzip'] / 1e6:.2f} MB: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bytes-only", action="store_true", help="only the transfer table")
    args = parser.parse_args()

    with sync_playwright() as p:
        browser = launch_browser(p)
        if args.bytes_only:
            transfer_table(browser)
            return
        results: dict[str, list[dict]] = {name: [] for name in APPS}
        for i in range(args.runs):
            for name, app_args in APPS.items():  # interleaved, so drift hits both alike
                results[name].append(one_run(browser, app_args))
                r = results[name][-1]
                print(
                    f"run {i + 1} {name:<9}: total {r['total']:.2f} s "
                    f"(server ready {r['server']:.2f} s + page to paint {r['page']:.2f} s)",
                    flush=True,
                )

        print(f"\n(a, b) process start -> first map paint, median of {args.runs} runs")
        print(f"{'app':<10} {'total s':>8} {'server ready s':>15} {'page->paint s':>14}  runs")
        med = {}
        for name, runs in results.items():
            med[name] = {k: median([r[k] for r in runs]) for k in ("total", "server", "page")}
            each = ", ".join(f"{r['total']:.2f}" for r in runs)
            m = med[name]
            print(
                f"{name:<10} {m['total']:>8.2f} {m['server']:>15.2f} {m['page']:>14.2f}  [{each}]"
            )
        ratio = med["real app"]["total"] / med["bare page"]["total"]
        print(f"ratio real/bare (median totals): {ratio:.2f}x")

        transfer_table(browser)
        browser.close()


if __name__ == "__main__":
    main()
