"""History and data version for people: an event's changes, the "as of" notice a shared
link gets when the data has changed since it was made, and the notice of what a link asked
for that the map could not show (an unknown event, a date that is not one...).

Share links carry `v=<data version>` (assets/scrub.js writes it with the view). Opening a
link made at an older version shows which events were added, re-dated, relocated, edited
or retracted since, so a reader knows the map is not what the sender saw. Pure functions
returning Dash components; every string from the data is a text child, never HTML.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from dash import html

from dashboard.dataset import Dataset
from dashboard.history import Change
from dashboard.viewstate import link_problems

_VERBS = {
    "added": "published",
    "redated": "re-dated",
    "relocated": "relocated",
    "edited": "edited",
    "retracted": "retracted",
}


def _change_text(change: Change) -> str:
    fields = "; ".join(f"{k}: {old} → {new}" for k, (old, new) in change.fields.items())
    text = f"Version {change.version} ({change.published_at:%d %b %Y}): "
    text += _VERBS[change.change.value]
    if fields:
        text += f" ({fields})"
    if change.reason:
        text += f" — reason: {change.reason}"
    return text


def event_history(dataset: Dataset, event_id: str) -> list:
    """The History block of an event card: [] for curated events (no published change)."""
    changes = dataset.history.for_event(event_id)
    if not changes:
        return []
    return [
        html.H4("History"),
        html.Ul(
            [html.Li(_change_text(c), className="history-change") for c in changes],
            className="event-history",
        ),
    ]


def link_version(search: str | None) -> int | None:
    """The `v` of a link's query, or None when absent or unreadable."""
    if not search:
        return None
    value = dict(parse_qsl(search.lstrip("?"))).get("v", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def as_of_notice(dataset: Dataset, search: str | None) -> list:
    """What a shared link's reader should know about the data's version ([] if nothing)."""
    version = link_version(search)
    current = dataset.history.data_version
    if version is None or version == current:
        return []
    if version > current:
        return [
            html.P(
                f"This link was made with data version {version}; this map serves version "
                f"{current}, which is older: some events the sender saw may be missing.",
                className="as-of-notice",
            )
        ]
    since = dataset.history.since(version)

    def title(event_id: str) -> str:
        event = dataset.event(event_id)
        return event.props.title if event is not None else event_id

    return [
        html.P(
            f"This link was made with data version {version}; the data is now at version "
            f"{current}. Changed since:",
            className="as-of-notice",
        ),
        html.Ul(
            [html.Li(f"{title(c.event_id)}: {_change_text(c)}") for c in since],
            className="as-of-changes",
        ),
    ]


def version_label(dataset: Dataset) -> str:
    history = dataset.history
    if not history.changes:
        return "Data version 0 (curated data only)"
    last = history.changes[-1].published_at
    return f"Data version {history.data_version} (last published {last:%d %b %Y %H:%M} UTC)"


def link_notice(dataset: Dataset, search: str | None) -> list:
    """What the link asked for that the map set aside, and what it shows instead ([] for a
    good link): a reader of a mangled link must not take the default view for the sender's."""
    problems = link_problems(dict(parse_qsl((search or "").lstrip("?"))), dataset)
    if not problems:
        return []
    return [
        html.P("This link asked for things the map cannot show:", className="link-notice"),
        html.Ul([html.Li(p) for p in problems], className="link-problems"),
    ]
