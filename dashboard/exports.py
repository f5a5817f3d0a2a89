"""Events as a self-contained GeoJSON document: citations and article metadata embedded."""

from __future__ import annotations

from typing import Any

from dashboard.dataset import Dataset, Event
from dashboard.provenance import independent_outlets
from dashboard.selection import Window, events_in_window


def event_feature(dataset: Dataset, event: Event) -> dict[str, Any]:
    props = event.props.model_dump(mode="json")
    document = dataset.documents[event.props.document_id] if event.props.document_id else None
    props["place_name"] = dataset.places[event.props.place_id].props.name
    props["citations"] = [
        c.model_dump(mode="json", exclude={"supports", "document_id"}) for c in event.citations
    ]
    props["document"] = document.model_dump(mode="json") if document is not None else None
    props["independent_outlets"] = independent_outlets(
        event.props.sources, event.citations, document
    )
    geometry = (
        {"type": "Point", "coordinates": list(event.lonlat)} if event.lonlat is not None else None
    )
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": props}


def events_geojson(dataset: Dataset, window: Window | None = None) -> dict[str, Any]:
    events = dataset.events if window is None else events_in_window(dataset.events, window)
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": [event_feature(dataset, e) for e in events],
    }
    if window is not None:
        collection["window"] = {"start": window[0].isoformat(), "end": window[1].isoformat()}
    return collection


CSV_COLUMNS = (
    "id",
    "title",
    "event_type",
    "date_start",
    "date_end",
    "time_precision",
    "date_basis",
    "date_as_written",
    "place_id",
    "place_name",
    "lon",
    "lat",
    "geo_precision",
    "actors",
    "citations",
    "sources",
    "confidence",
    "uncited_reason",
    "document_id",
    "passage_start",
    "passage_end",
    "summary",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def events_csv(dataset: Dataset, window: Window | None = None) -> str:
    """Events flattened to one row each; list fields joined with '; '."""
    import csv
    import io

    events = dataset.events if window is None else events_in_window(dataset.events, window)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        p = event.props
        lon, lat = event.lonlat if event.lonlat else (None, None)
        citations = "; ".join(
            f"{c.outlet}, {c.date_as_written} ({c.date.isoformat()})" for c in event.citations
        )
        row = (
            p.id,
            p.title,
            p.event_type.value,
            p.date_start,
            p.date_end,
            p.time_precision.value,
            p.date_basis.value,
            p.date_as_written,
            p.place_id,
            dataset.places[p.place_id].props.name,
            lon,
            lat,
            p.geo_precision.value,
            "; ".join(p.actors),
            citations,
            "; ".join(
                f"{s.outlet}, {s.published.isoformat() if s.published else 'undated'}, {s.url}"
                for s in p.sources
            ),
            p.confidence.value,
            p.uncited_reason,
            p.document_id,
            p.passage.start if p.passage else None,
            p.passage.end if p.passage else None,
            p.summary,
        )
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
