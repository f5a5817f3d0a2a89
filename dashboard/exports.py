"""Events as a self-contained GeoJSON document: citations and article metadata embedded."""

from __future__ import annotations

from typing import Any

from dashboard.loading import Dataset, Event
from dashboard.selection import Window, events_in_window


def event_feature(dataset: Dataset, event: Event) -> dict[str, Any]:
    props = event.props.model_dump(mode="json")
    document = dataset.documents[event.props.document_id]
    props["place_name"] = dataset.places[event.props.place_id].props.name
    props["citations"] = [
        c.model_dump(mode="json", exclude={"supports", "document_id"}) for c in event.citations
    ]
    props["document"] = document.model_dump(mode="json")
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
