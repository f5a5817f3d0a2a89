"""The filters panel (id `filters`): one control per group, each value with its count.

Short groups (source dataset, event type, source kind, place precision) are checkboxes;
long ones (actors, outlets, claims by) are searchable multi-select lists. Labels are plain
strings (the data's names are text, never HTML). Which events pass, and the counts, are
dashboard/filters.py's. The source dataset group is shown only when ACLED rows are loaded
(it is in the page either way: the filters' callback has an output for every group).
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.dataset import Dataset
from dashboard.filters import (
    GROUP_TITLES,
    GROUPS,
    NAMED_GROUPS,
    VAGUE_PARAM,
    Filters,
    ValueCount,
    facets_of,
    filter_state,
    mask_payload,
    value_counts,
    value_name,
)
from dashboard.selection import Window
from dashboard.stores import store

VAGUE_LABEL = "Hide vague locations (region, country, off the map)"


def control_id(group: str) -> str:
    return f"filter-{group}"


ACLED_NOTE = (
    "ACLED rows (violet markers; a separate source, counted beside the events) are narrowed "
    "by actor, outlet (ACLED's sources), place precision and vague locations; of ACLED's "
    "event types only Protests maps onto ours (protest). They carry no claims and no "
    "source kind: choosing either, or another event type, hides them. Exports hold events "
    "from articles only."
)


def options(values: list[ValueCount]) -> list[dict[str, str]]:
    return [
        {"label": f"{value_name(v.group, v.label)} ({v.count})", "value": v.label} for v in values
    ]


def vague_options(values: list[ValueCount]) -> list[dict[str, str]]:
    return [{"label": f"{VAGUE_LABEL} ({values[0].count})", "value": "hide"}]


def summary(filters: Filters) -> str:
    described = filters.describe()
    return f"Showing only: {described}." if described else "No filters: every event shows."


def filter_outputs(dataset: Dataset, filters: Filters, window: Window) -> dict[str, list]:
    """Control id -> its options for this filter and window."""
    counts = value_counts(dataset, filters, window)
    out = {control_id(g): options(counts[g]) for g in GROUPS}
    out[control_id(VAGUE_PARAM)] = vague_options(counts[VAGUE_PARAM])
    return out


def filters_panel(dataset: Dataset, filters: Filters, window: Window) -> html.Details:
    opts = filter_outputs(dataset, filters, window)
    controls = []
    for group in GROUPS:
        title = GROUP_TITLES[group]
        if group in NAMED_GROUPS:
            control = dcc.Dropdown(
                id=control_id(group),
                options=opts[control_id(group)],
                value=list(filters.chosen(group)),
                multi=True,
                placeholder=f"Any {title.lower()} (type to search)",
                className="filter-dropdown",
            )
            label = html.Label(title, htmlFor=control_id(group), className="filter-title")
            controls.append(html.Div([label, control], className="filter-group"))
        else:
            control = dcc.Checklist(
                id=control_id(group),
                options=opts[control_id(group)],
                value=list(filters.chosen(group)),
                className="filter-checklist",
            )
            note = [html.P(ACLED_NOTE, className="muted small")] if group == "dataset" else []
            controls.append(
                html.Div(
                    [html.Span(title, className="filter-title"), control, *note],
                    className="filter-group",
                    role="group",
                    hidden=group == "dataset" and not dataset.acled,
                    id=f"filter-group-{group}",
                    **{"aria-label": title},
                )
            )
    controls.append(
        dcc.Checklist(
            id=control_id(VAGUE_PARAM),
            options=opts[control_id(VAGUE_PARAM)],
            value=["hide"] if filters.hide_vague else [],
            className="filter-checklist filter-vague",
        )
    )
    return html.Details(
        [
            html.Summary("Filters"),
            html.P(summary(filters), id="filters-summary", className="muted small"),
            html.Button("Clear filters", id="filters-clear", n_clicks=0, className="control"),
            html.P(
                "Counts: events in the selected dates with that value, given the other "
                "groups' choices. Within a group any ticked value matches.",
                className="muted small",
            ),
            *controls,
            store("filter-state", filter_state(filters)),
            store("filter-mask", mask_payload(filters, facets_of(dataset))),
        ],
        id="filters",
        className="filters",
        open=filters.active,
    )
