"""The app factory. `server` (for gunicorn: `dashboard.app:server`) is made on first access."""

from __future__ import annotations

import dataclasses
import gc
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from dash import Dash
from dash._utils import to_json
from flask import has_request_context, request

from dashboard import hardening
from dashboard.api import register_api
from dashboard.callbacks import register_callbacks
from dashboard.dataset import Dataset
from dashboard.layout import build_layout
from dashboard.loading import load_dataset
from dashboard.preload import preload_links, preload_targets
from dashboard.scrub_data import event_columns
from dashboard.selection import timeline_bounds
from dashboard.stepping import window_including
from dashboard.viewstate import ViewState, default_view, parse_view_state

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "geodata"
ASSETS_DIR = PROJECT_ROOT / "assets"
DATA_DIR_ENV = "KARABAKH_DATA_DIR"


def content_security_policy(app: Dash) -> str:
    """A CSP the page passes: own scripts plus the hashes of Dash's inline scripts."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    # Everything is refused unless listed: each line is something the page uses (the browser
    # tests fail on any CSP violation).
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",  # plotly and React set inline styles
            "img-src 'self' data: blob:",  # plotly's and MapLibre's generated images
            "worker-src blob:",  # MapLibre's workers
            "connect-src 'self'",  # Dash's callbacks, the layers
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'none'",
        ]
    )


def requested_view(dataset: Dataset) -> ViewState:
    """The view the current request's query names (start, end, event, layers); the default
    view outside a request (Dash builds the layout once at start-up to validate it)."""
    if not has_request_context():
        return default_view(dataset)
    view = parse_view_state(request.args.to_dict(), dataset)
    selected = dataset.event(view.selected_event) if view.selected_event else None
    if selected is None:
        return view
    # A linked event outside the linked dates: move the dates to it, so the counter, the list
    # and the map agree with the card (issue 12, bug 4).
    window = window_including(selected, view.window, timeline_bounds(dataset))
    return dataclasses.replace(view, window=window)


_LAYOUT_LOCK = threading.Lock()


class MapDash(Dash):
    """Dash that serves the trimmed plotly.js bundle in dashboard/vendor/ instead of the full one.

    Dash always queues the full plotly.min.js (1.47 MB gzipped) for eager loading; dcc.Graph
    uses `window.Plotly` when it exists, which dashboard/vendor/plotly-map.min.js defines. It
    is served like Dash's own bundles (fingerprinted, compressed). See dashboard/vendor/.
    """

    # Addresses the index asks the browser to preload (dashboard/preload.py), for the
    # current request; set by create_app.
    preloads: Callable[[], list[tuple[str, str]]] | None = None

    def interpolate_index(self, **kwargs) -> str:
        if self.preloads is not None:
            kwargs["css"] = preload_links(self.preloads()) + kwargs.get("css", "")
        return super().interpolate_index(**kwargs)

    # The page for a view, serialised once per view and kept (most visits open a few views:
    # the default and popular shared links). Set by create_app: request -> hashable view.
    layout_key: Callable[[], Hashable] | None = None
    _LAYOUTS_KEPT = 256

    def serve_layout(self):  # Dash's route for /_dash-layout
        if self.layout_key is None:
            return super().serve_layout()
        key = self.layout_key()
        cache = self.__dict__.setdefault("_layout_bodies", OrderedDict())
        with _LAYOUT_LOCK:
            body = cache.get(key)
            if body is not None:
                cache.move_to_end(key)
        if body is None:
            body = to_json(self.get_layout())
            with _LAYOUT_LOCK:
                cache[key] = body
                while len(cache) > self._LAYOUTS_KEPT:
                    cache.popitem(last=False)
        return self.backend.make_response(body, mimetype="application/json")

    def _setup_plotlyjs(self) -> None:  # Dash's private hook; dash is pinned <5
        self.scripts.append_script(
            {"relative_package_path": "vendor/plotly-map.min.js", "namespace": "dashboard"}
        )
        self.css.append_css(
            {"relative_package_path": "vendor/plotly-map.min.css", "namespace": "dashboard"}
        )


def create_app(data_dir: Path | str | None = None) -> Dash:
    """Load and validate the data (raising DataError on any problem), then build the app."""
    # Resolved once: when the directory is a symlink that a publish swaps, every file of one
    # load comes from the same version (bench/publish_swap.py).
    data_dir = Path(data_dir or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).resolve()
    dataset = load_dataset(data_dir)
    app = MapDash(
        __name__,
        title="Karabakh protectorate map",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        compress=True,
        update_title=None,
        # The layout is a function (built per view, below). Dash would otherwise call it
        # once more to make a "validation layout" and embed that whole page, text and all,
        # in every index response; the callbacks' ids are checked at start-up instead
        # (tests/test_api.py: every callback's ids are in the page).
        suppress_callback_exceptions=True,
    )
    # The page's language, for screen readers and hyphenation (Dash's page has none).
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)

    # The page is built for the view its address asks for (assets/view_request.js sends the
    # address's query with Dash's layout request), so the first paint is the final one: no
    # full-timeline draw re-plotted for a shared link, no load-time callback to restore it.
    app.layout = lambda: build_layout(dataset, requested_view(dataset))
    app.layout_key = lambda: requested_view(dataset)
    app.preloads = lambda: preload_targets(
        app.config.requests_pathname_prefix,
        request.query_string.decode("latin-1") if has_request_context() else "",
        event_columns(dataset).url,
    )
    register_callbacks(app, dataset)
    register_api(app.server, dataset)
    prefix = app.config.routes_pathname_prefix
    hardening.install(app.server, content_security_policy(app), prefix + "<path:path>")
    hardening.wrap_dash_routes(app.server, prefix, app.callback_map)
    # Build the data-only parts now (the events' file, the page's static pieces) rather than
    # on the first request, with the collector off for the same reason as loading.
    gc.disable()
    try:
        build_layout(dataset, default_view(dataset))
        if dataset.store is not None:  # large data: compressed once per version, kept there
            event_columns(dataset).gzipped()
    finally:
        gc.enable()
    # Everything made so far lives as long as the process: keep the cyclic collector from
    # re-scanning it on every later collection (requests would pay for it).
    gc.collect()
    gc.freeze()
    return app


def __getattr__(name: str):
    if name == "server":
        return create_app().server
    raise AttributeError(name)
