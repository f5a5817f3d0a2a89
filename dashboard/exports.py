"""Events as files a reader takes away: self-contained GeoJSON (citations and article
metadata embedded), CSV (formula cells defused) and KML for Google Earth, each for a window
and the filters (dashboard/filters.py), so an export holds exactly what the page shows."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from typing import Any

from dashboard.dataset import Dataset, Event
from dashboard.filters import NO_FILTERS, Filters, filtered_events
from dashboard.provenance import independent_outlets
from dashboard.selection import Window

# What every export says of its source (GeoJSON `source`, CSV column `dataset`, KML
# description). ACLED rows (dashboard/acled.py) are never exported: they are ACLED's data,
# which whoever imported them already holds; an export carries the events curated here.
EXPORT_DATASET = "articles"  # the filters' `dataset` value of every exported event
EXPORT_SOURCE = (
    "Events curated from analysis articles and the sources they cite (Karabakh Protectorate "
    "Map); imported ACLED rows are not included."
)


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


def _chosen(
    dataset: Dataset, window: Window | None, filters: Filters, events: Sequence[Event] | None
) -> Sequence[Event]:
    """The events to export: those given, else the window's that pass the filters."""
    return events if events is not None else filtered_events(dataset, filters, window)


def events_geojson(
    dataset: Dataset,
    window: Window | None = None,
    filters: Filters = NO_FILTERS,
    events: Sequence[Event] | None = None,
) -> dict[str, Any]:
    events = _chosen(dataset, window, filters, events)
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "source": EXPORT_SOURCE,  # a foreign member (RFC 7946, 6.1)
        "features": [event_feature(dataset, e) for e in events],
    }
    if window is not None:
        collection["window"] = {"start": window[0].isoformat(), "end": window[1].isoformat()}
    return collection


def events_geojson_text(dataset: Dataset, per_chunk: int = 1000) -> Iterator[str]:
    """Every event as the GeoJSON text of `events_geojson(dataset)` (compact, UTF-8 kept),
    in pieces of `per_chunk` features: the answer is made while it is sent, so memory stays
    O(per_chunk) whatever the event count (at a million events the whole text held in
    memory took gigabytes, and minutes before the first byte)."""
    # The collection's other members as events_geojson writes them, around the features.
    head, tail = _compact(events_geojson(dataset, events=[])).split('"features":[]', 1)
    yield head + '"features":['
    chunk: list[str] = []
    first = True
    for event in dataset.events.passing_through():
        chunk.append(_compact(event_feature(dataset, event)))
        if len(chunk) == per_chunk:
            yield ("" if first else ",") + ",".join(chunk)
            first, chunk = False, []
    if chunk:
        yield ("" if first else ",") + ",".join(chunk)
    yield "]" + tail


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
    "dataset",  # EXPORT_DATASET: where the row comes from (never an ACLED row)
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A leading =, +, - or @ would run as a formula in a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def events_csv(
    dataset: Dataset,
    window: Window | None = None,
    filters: Filters = NO_FILTERS,
    events: Sequence[Event] | None = None,
) -> str:
    """Events flattened to one row each; list fields joined with '; '."""
    import csv
    import io

    events = _chosen(dataset, window, filters, events)
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
            EXPORT_DATASET,
        )
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# --------------------------------------------------------------------------- KML

KML_NS = "http://www.opengis.net/kml/2.2"
KML_DATA_FIELDS = (
    "event_type",
    "date_start",
    "date_end",
    "time_precision",
    "place_id",
    "geo_precision",
    "confidence",
)


def _description(dataset: Dataset, event: Event) -> str:
    """The placemark's balloon. KML descriptions are HTML to Google Earth, so every piece of
    data text is HTML-escaped here (then XML-escaped on writing): it shows as text, never
    runs as markup."""
    p = event.props
    place = dataset.places[p.place_id].props.name
    lines = [
        f"{p.date_start.isoformat()} – {p.date_end.isoformat()} ({p.time_precision.value}; "
        f"as written: {p.date_as_written})",
        f"{p.event_type.value}; {place} (located to {p.geo_precision.value})",
        "Actors: " + "; ".join(p.actors),
        p.summary,
    ]
    lines += [f"Cited by the article: {c.outlet}, {c.date_as_written}" for c in event.citations]
    lines += [
        f"Source: {s.outlet}, {s.published.isoformat() if s.published else 'undated'}, {s.url}"
        for s in p.sources
    ]
    document = dataset.documents.get(p.document_id) if p.document_id else None
    if document is not None:
        lines.append(f"Article: {document.author}, {document.title}, {document.url}")
    return "<br/>".join(html.escape(line) for line in lines)


def events_kml(
    dataset: Dataset,
    window: Window | None = None,
    filters: Filters = NO_FILTERS,
    events: Sequence[Event] | None = None,
    title: str = "Karabakh protectorate map: events",
) -> bytes:
    """The events as a KML 2.2 document (Google Earth): one placemark each, with its time
    span, its point (none for an event off the map) and its record in the balloon."""
    ET.register_namespace("", KML_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    root = ET.Element(f"{{{KML_NS}}}kml")
    document = sub(root, "Document")
    sub(document, "name", title)
    sub(document, "description", EXPORT_SOURCE)
    for event in _chosen(dataset, window, filters, events):
        p = event.props
        placemark = sub(document, "Placemark", id=event.id)
        sub(placemark, "name", p.title)  # plain text in KML
        sub(placemark, "description", _description(dataset, event))
        span = sub(placemark, "TimeSpan")
        sub(span, "begin", p.date_start.isoformat())
        sub(span, "end", p.date_end.isoformat())
        data = sub(placemark, "ExtendedData")
        for name in KML_DATA_FIELDS:  # dates and StrEnums: str() is the ISO day, the value
            sub(sub(data, "Data", name=name), "value", str(getattr(p, name)))
        if event.lonlat is not None:
            point = sub(placemark, "Point")
            sub(point, "coordinates", f"{event.lonlat[0]!r},{event.lonlat[1]!r}")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
