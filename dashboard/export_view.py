"""Export and cite (id `export`): download what is on screen (the window and the filters) as
CSV, GeoJSON or KML, the map as PNG, and "Cite this view": a permalink with the data version
and a formatted citation, as text to copy.

The links are built here for the view the page opens with; assets/export.js keeps them in
step with the address (assets/contract.js writes it) and writes the citation when asked.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from dashboard.asof import version_label
from dashboard.dataset import Dataset
from dashboard.selection import page_title
from dashboard.viewstate import ViewState

EXPORTS = (  # (id, route, label, file name)
    ("export-csv", "/api/events.csv", "CSV", "karabakh-events.csv"),
    ("export-geojson", "/api/events.geojson", "GeoJSON", "karabakh-events.geojson"),
    ("export-kml", "/api/events.kml", "KML (Google Earth)", "karabakh-events.kml"),
)


def export_query(view: ViewState) -> str:
    """The export routes' query for a view: its window and its filters, the names the page's
    address uses (dashboard/api.py: EventsQuery)."""
    pairs = [("start", view.window[0].isoformat()), ("end", view.window[1].isoformat())]
    return urlencode(pairs + view.filters.query_items())


def export_section(dataset: Dataset, view: ViewState) -> html.Section:
    query = export_query(view)
    links: list = []
    for element_id, route, label, filename in EXPORTS:
        if links:
            links.append(" · ")
        links.append(
            html.A(
                label,
                id=element_id,
                href=f"{route}?{query}",
                download=filename,
                className="export-link",
                **{"data-route": route},
            )
        )
    return html.Section(
        [
            html.H2("Export and cite"),
            html.P(["Download the events on screen (these dates and filters): ", *links]),
            *(
                [
                    html.P(
                        "Exports hold the events from articles only: ACLED rows are ACLED's "
                        "data, in the export they were imported from, and are left out.",
                        id="export-source",
                        className="muted small",
                    )
                ]
                if dataset.acled
                else []
            ),
            html.P(
                [
                    html.Button("Download the map as PNG", id="export-png", className="control"),
                    " (the map as drawn now, events included)",
                ]
            ),
            html.Button("Cite this view", id="cite-view", className="control"),
            html.Div(
                [
                    html.Label("Permalink (this view, at this data version)", htmlFor="cite-link"),
                    dcc.Input(id="cite-link", readOnly=True, className="cite-text", type="text"),
                    html.Label("Citation", htmlFor="cite-text"),
                    html.Textarea(id="cite-text", readOnly=True, rows=4, className="cite-text"),
                    html.Button("Copy citation", id="cite-copy", className="control"),
                    html.Span(id="cite-status", role="status", className="muted small"),
                ],
                id="cite-box",
                className="cite-box",
                hidden=True,
            ),
        ],
        id="export",
        className="export",
        **{
            "aria-label": "Export and cite",
            "data-query": query,
            "data-title": page_title(dataset),
            "data-version": str(dataset.history.data_version),
            "data-version-label": version_label(dataset),
        },
    )
