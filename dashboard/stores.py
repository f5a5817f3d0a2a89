"""`dcc.Store`s that say nothing at load.

Dash 4's memory `dcc.Store` compares what it holds (nothing: `undefined`) with the `data`
the layout gives it when it mounts; a `data` of None (JSON null) differs from `undefined`, so
the store "changes" to `undefined` and every callback listening to it runs at load, with the
page as the server built it (measured, bench/README.md "Where a page load goes": the
selected-event store alone re-ran the step buttons, the reader, the event list twice, the
filters and the selection at every load, 7 server rounds). A store with nothing to hold
leaves `data` out instead.
"""

from __future__ import annotations

from typing import Any

from dash import dcc


def store(id: str, data: Any = None) -> dcc.Store:  # noqa: A002 - Dash's name
    """A memory store holding `data`; with None, no `data` at all (so nothing fires at load)."""
    return dcc.Store(id=id) if data is None else dcc.Store(id=id, data=data)
