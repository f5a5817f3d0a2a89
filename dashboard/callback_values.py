"""What the page can send as the value of each server-callback input, as pydantic types.

`dashboard.hardening` checks every `/_dash-update-component` request against this table
before Dash runs the callback: a value the page could never send (a string for a page number,
ten thousand years of slider days) is the client's mistake and gets a 400; a value that fits
and still makes a callback fail is our bug and stays a 500 in the log. Keys are
"component-id.property"; for pattern-matching ids, the id's "type". tests/test_hostile_http.py
checks that every server-callback input has an entry here.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

# Slider positions are days since the timeline's first day; the protectorate lasted ~1,300.
SliderDay = Annotated[int, Field(ge=0, le=100_000)]
SliderWindow = Annotated[list[SliderDay], Field(min_length=2, max_length=2)]
Clicks = Annotated[int, Field(ge=0)]
ShortText = Annotated[str, Field(max_length=8192)]


class ClickedPoint(BaseModel):
    """One point of plotly's clickData (plotly adds more keys; those are not read)."""

    model_config = ConfigDict(extra="allow")

    lon: float = 0.0  # when present, a finite number
    lat: float = 0.0

    @field_validator("lon", "lat")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return value


class ClickData(BaseModel):
    model_config = ConfigDict(extra="allow")

    points: list[ClickedPoint] = Field(default_factory=list, max_length=10_000)


class HistoryEntry(BaseModel):
    """What assets/contract.js sends on Back / Forward: the address gone back to."""

    model_config = ConfigDict(extra="forbid")

    search: Annotated[str, Field(max_length=8192)]
    n: Annotated[int, Field(ge=0)]


CALLBACK_VALUES: dict[str, Any] = {
    "history-view.data": HistoryEntry | None,
    "url.search": ShortText | None,
    "map.clickData": ClickData | None,
    "event-row.n_clicks": Clicks | None,
    "passage.n_clicks": Clicks | None,
    "date-range.value": SliderWindow | None,
    "list-window.data": SliderWindow | None,
    "layer-toggle.value": list[ShortText] | None,
    "event-list-sort.value": ShortText | None,
    "selected-event.data": ShortText | None,
    "list-prev.n_clicks": Clicks | None,
    "list-next.n_clicks": Clicks | None,
    "step-prev.n_clicks": Clicks | None,  # previous / next event (dashboard/stepping.py)
    "step-next.n_clicks": Clicks | None,
    "search.value": ShortText | None,  # the search box (dashboard/search_view.py)
    "search.n_submit": Clicks | None,
    "search-result.n_clicks": Clicks | None,
    "acled-row.n_clicks": Clicks | None,  # an ACLED row of the event list
    "list-page.data": SliderDay | None,
    "article-choice.value": ShortText | None,  # a document id (layout.reader)
    "play.n_clicks": Clicks | None,  # Play (dashboard/stepping.py: play_start, play_tick)
    "play-timer.n_intervals": Clicks | None,
    "play-timer.disabled": bool | None,
    "play-speed.value": Annotated[int, Field(ge=1, le=3660)] | None,  # days per frame
    "play-mode.value": Literal["cumulative", "window"] | None,
    # the filters (dashboard/filters_view.py): chosen labels per group, and their URL pairs
    **{
        f"filter-{group}.value": Annotated[list[ShortText], Field(max_length=10_000)] | None
        for group in ("dataset", "type", "actor", "outlet", "side", "kind", "precision", "vague")
    },
    "filters-clear.n_clicks": Clicks | None,
    "filter-state.data": Annotated[
        list[Annotated[list[ShortText], Field(min_length=2, max_length=2)]], Field(max_length=20)
    ]
    | None,
}
_ADAPTERS = {key: TypeAdapter(kind) for key, kind in CALLBACK_VALUES.items()}


def value_key(component_id: Any, prop: str) -> str:
    kind = component_id.get("type") if isinstance(component_id, dict) else component_id
    return f"{kind}.{prop}"


def value_problem(component_id: Any, prop: str, value: Any) -> str | None:
    """Why the page could never send `value` for this input, or None (also for unknown keys)."""
    adapter = _ADAPTERS.get(value_key(component_id, prop))
    if adapter is None:
        return None
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return f"{value_key(component_id, prop)}: {first['msg']}"
    return None
