"""What the shipped events must hold: sourced, every year on the map, the slider's reach."""

from __future__ import annotations

import datetime as dt

from dashboard.selection import page_title, timeline_bounds

WITHDRAWAL_COMPLETE = dt.date(2024, 6, 12)


def test_every_event_rests_on_a_linked_source_or_an_article_passage(dataset):
    for event in dataset.events:
        props = event.props
        linked = [s for s in props.sources if s.url.startswith(("http://", "https://"))]
        passage = props.document_id is not None and props.passage is not None
        assert linked or passage, event.id
        if passage:
            text = dataset.texts[props.document_id]
            assert text[props.passage.start : props.passage.end].strip(), event.id


def test_each_year_of_the_protectorate_has_events_on_the_map(dataset):
    for year in range(2020, 2025):
        placed = [
            e
            for e in dataset.events
            if e.lonlat is not None and e.props.date_start.year <= year <= e.props.date_end.year
        ]
        assert placed, f"no event on the map in {year}"


def test_the_window_reaches_from_the_first_event_to_the_withdrawal(dataset):
    start, end = timeline_bounds(dataset)
    assert start == min(e.props.date_start for e in dataset.events)
    assert end >= WITHDRAWAL_COMPLETE


def test_the_title_names_the_years_the_data_spans(dataset):
    start, end = timeline_bounds(dataset)
    title = page_title(dataset)
    assert f"{start.year}–{end.year}" in title
    assert "2020–2023" not in title


def test_contested_places_carry_both_names(dataset):
    pairs = {
        "stepanakert": ("Khankendi", "az"),
        "shusha": ("Shushi", "hy"),
        "lachin": ("Berdzor", "hy"),
        "agdam": ("Akna", "hy"),
        "khojaly": ("Ivanyan", "hy"),
        "martakert": ("Aghdara", "az"),
        "martuni": ("Khojavend", "az"),
        "zabukh": ("Aghavno", "hy"),
    }
    for place_id, (name, lang) in pairs.items():
        alt = {(a.name, a.lang) for a in dataset.places[place_id].props.alt_names}
        assert (name, lang) in alt, place_id


def test_unplaced_events_are_listed_with_a_reason(dataset):
    unplaced = [e for e in dataset.events if e.lonlat is None]
    assert unplaced, "expected events that no source places"
    for event in unplaced:
        place = dataset.places[event.props.place_id]
        assert place.lonlat is None and place.props.note.strip(), event.id
