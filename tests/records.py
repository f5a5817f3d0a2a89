"""Small in-memory records for unit tests: a Dataset built without files.

The shipped data cannot hold every case a pure function must handle (a cell that starts with
`=`, a `javascript:` address, overlapping passages), so tests build the records they need.
Every record is validated by the real pydantic models, as loading would do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard import registry
from dashboard.dataset import Dataset, Event, LayerFeature, Place
from dashboard.model import (
    Citation,
    Document,
    EventProperties,
    LayerName,
    LayerProperties,
    PlaceProperties,
)

# Three paragraphs; offsets below are into this text.
TEXT = (
    "First paragraph. It has two sentences.\n\n"
    "Second paragraph starts here. Its middle sentence matters. It ends here.\n\n"
    "Third and last paragraph."
)
DOC_ID = "doc-1"
HERE = (46.75, 39.81)  # lon, lat
THERE = (46.5, 39.6)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def document(doc_id: str = DOC_ID, **fields: Any) -> Document:
    values = {
        "id": doc_id,
        "title": f"Article {doc_id}",
        "author": "A. Author",
        "publisher": "A Publisher",
        "series": "A Series",
        "volume": 18,
        "issue": 47,
        "published": "2021-03-25",
        "url": f"https://example.org/{doc_id}",
        "text_path": f"seeds/{doc_id}.txt",
    } | fields
    return Document.model_validate(values)


def place(place_id: str, lonlat: tuple[float, float] | None = HERE, **fields: Any) -> Place:
    values = {"id": place_id, "name": f"Place {place_id}", "kind": "town", "source": "test"}
    return Place(PlaceProperties.model_validate(values | fields), lonlat)


def event(
    event_id: str,
    start: str,
    end: str | None = None,
    place_id: str = "here",
    lonlat: tuple[float, float] | None = HERE,
    passage: tuple[int, int] | None = (0, 16),
    citations: tuple[Citation, ...] = (),
    **fields: Any,
) -> Event:
    values = {
        "id": event_id,
        "title": f"Event {event_id}",
        "summary": f"What happened in {event_id}.",
        "actors": ["Someone"],
        "event_type": "political",
        "date_start": start,
        "date_end": end or start,
        "time_precision": "day",
        "date_basis": "occurred",
        "date_as_written": start,
        "place_id": place_id,
        "geo_precision": "settlement",
        "document_id": DOC_ID,
        "passage": None if passage is None else {"start": passage[0], "end": passage[1]},
        "uncited_reason": None if citations else "not cited",
        "confidence": "medium",
    } | fields
    return Event(EventProperties.model_validate(values), lonlat, citations)


def citation(citation_id: str, supports: list[str], **fields: Any) -> Citation:
    values = {
        "id": citation_id,
        "document_id": DOC_ID,
        "kind": "outlet",
        "outlet": "News.am",
        "date_as_written": "February 26",
        "date": "2021-02-26",
        "parenthetical": {"start": 0, "end": 5},
        "supports": supports,
    } | fields
    return Citation.model_validate(values)


def feature(
    feature_id: str,
    layer: LayerName = LayerName.PEACEKEEPER_POSTS,
    geometry: dict[str, Any] | None = None,
    **fields: Any,
) -> LayerFeature:
    values = {
        "id": feature_id,
        "name": f"Feature {feature_id}",
        "layer": layer.value,
        "kind": "post",
        "source": "test",
        "accuracy": "schematic" if geometry is not None else "unlocated",
    } | fields
    return LayerFeature(LayerProperties.model_validate(values), geometry)


def point(lonlat: tuple[float, float] = HERE) -> dict[str, Any]:
    return {"type": "Point", "coordinates": list(lonlat)}


def dataset(
    events: list[Event] = (),  # type: ignore[assignment]
    places: list[Place] | None = None,
    features: list[LayerFeature] = (),  # type: ignore[assignment]
    documents: list[Document] | None = None,
    texts: dict[str, str] | None = None,
) -> Dataset:
    """A Dataset as load_dataset would return it: events sorted, citations collected."""
    places = places if places is not None else [place("here"), place("there", THERE)]
    documents = documents if documents is not None else [document()]
    layers: dict[str, list[LayerFeature]] = {name: [] for name in registry.layer_names()}
    for item in features:
        layers[item.props.layer].append(item)
    ordered = sorted(events, key=lambda e: (e.props.date_start, e.props.date_end, e.id))
    cited = {c.id: c for e in ordered for c in e.citations}
    return Dataset(
        documents={d.id: d for d in documents},
        texts=texts if texts is not None else {d.id: TEXT for d in documents},
        places={p.props.id: p for p in places},
        events=tuple(ordered),
        citations=tuple(cited.values()),
        layers={layer: tuple(items) for layer, items in layers.items()},
        raw_layers={},
    )


def texts_of(component: Any) -> list[str]:
    """Every string a Dash component tree renders, depth first (what a reader sees)."""
    if component is None:
        return []
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [t for child in component for t in texts_of(child)]
    return texts_of(getattr(component, "children", None))


def text_of(component: Any) -> str:
    return "".join(texts_of(component))


def find_all(component: Any, kind: type) -> list[Any]:
    """Every component of a type in a tree, depth first."""
    found = []
    if isinstance(component, (list, tuple)):
        for child in component:
            found += find_all(child, kind)
        return found
    if isinstance(component, kind):
        found.append(component)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += find_all(children, kind)
    return found
