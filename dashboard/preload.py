"""What the page's index asks the browser to fetch at once, before any script has run.

Dash's renderer asks for the layout and the callback graph only after every script of the
page has been fetched and evaluated; the events layer asks for the events' file only after
the layout has been rendered; dcc loads a component's code (the graph, the slider, the
dropdown) only when React first renders one. Each waited for the one before (measured:
bench/README.md "Where a page load goes"). Preload links in the index start them all with
the page, so they arrive while the scripts are evaluated; the browser hands each one to the
request that asks for it later, provided the address and the request's mode match:

- `fetch` (CORS mode, same-origin credentials, as `fetch()` without options makes them):
  the layout for this address's view (assets/view_request.js appends the address's query,
  exactly as the browser sent it here), the callback graph, the events' file;
- `script`: dcc's chunks for the components the page shows.
"""

from __future__ import annotations

import html

# dcc's code-split chunks the page renders at load (dcc.Graph, RangeSlider, Dropdown).
DCC_CHUNKS = ("async-graph.js", "async-slider.js", "async-dropdown.js")


def preload_targets(prefix: str, query: str, events_url: str) -> list[tuple[str, str]]:
    """(address, kind) of everything the page will fetch at load, in the order it needs them.

    `prefix`: Dash's requests prefix ("/"); `query`: the page's query string as the browser
    sent it (without "?"); `events_url`: the events' file (dashboard/scrub_data.py).
    """
    layout = f"{prefix}_dash-layout" + (f"?{query}" if query else "")
    return [
        (layout, "fetch"),
        (f"{prefix}_dash-dependencies", "fetch"),
        *((f"{prefix}_dash-component-suites/dash/dcc/{c}", "script") for c in DCC_CHUNKS),
        (events_url, "fetch"),
    ]


def preload_links(targets: list[tuple[str, str]]) -> str:
    """The `<link rel=preload>` tags (addresses escaped: the query comes from the request)."""
    return "".join(
        f'<link rel="preload" href="{html.escape(url, quote=True)}" as="{kind}"'
        + (' crossorigin="anonymous"' if kind == "fetch" else "")
        + ">\n"
        for url, kind in targets
    )
