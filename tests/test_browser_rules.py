"""What the browser shows after the slider moves agrees with the Python rules: the dated
reference features drawn are `features_in_window`'s, and the address bar reads back through
`parse_view_state` as the window `window_from_slider` makes of the slider's days."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlparse

import pytest

from dashboard.days import day_number
from dashboard.selection import features_in_window, timeline_bounds
from dashboard.viewstate import parse_view_state, window_from_slider
from tests.conftest import screenshot
from tests.mapdriver import open_map, set_window, slider_days, wait_map_idle

pytestmark = pytest.mark.browser
D = dt.date


def drawn_points(page) -> dict[str, set[str]]:
    """Layer name -> ids of the reference point features the map's traces hold now."""
    by_layer = page.evaluate(
        """() => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const out = {};
            gd.data.filter(t => t.meta && t.meta.role === 'points' && t.visible !== false)
                .forEach(t => { out[t.meta.layer] = Array.from(t.customdata || []); });
            return out;
        }"""
    )
    return {layer: set(ids) for layer, ids in by_layer.items()}


def expected_points(dataset, window) -> dict[str, set[str]]:
    return {
        layer: {
            f.props.id
            for f in features_in_window(features, window)
            if f.geometry and f.geometry["type"] == "Point"
        }
        for layer, features in dataset.layers.items()
    }


def dated_windows(dataset) -> list[tuple[dt.date, dt.date]]:
    """Windows on both sides of every start and end of a dated point feature in the span."""
    lo, hi = timeline_bounds(dataset)
    edges = sorted(
        {
            day
            for features in dataset.layers.values()
            for f in features
            if f.geometry and f.geometry["type"] == "Point"
            for day in (f.props.valid_from, f.props.valid_to)
            if day is not None and lo < day < hi
        }
    )
    assert edges, "the data has no point feature that starts or ends inside the timeline"
    one = dt.timedelta(days=1)
    windows = {(day, day) for day in edges} | {(day + one, day + one) for day in edges}
    windows |= {(day - one, day - one) for day in edges}
    return sorted(windows)[:8]


def test_dated_posts_are_drawn_exactly_when_python_selects_them(page, dataset):
    open_map(page)
    origin = timeline_bounds(dataset)[0]
    seen_change = False
    previous = None
    for window in dated_windows(dataset):
        set_window(page, day_number(window[0], origin), day_number(window[1], origin))
        wait_map_idle(page)
        expected = expected_points(dataset, window)
        drawn = drawn_points(page)
        for layer, ids in drawn.items():
            assert ids == expected[layer], f"{layer} in {window}: drawn {ids}"
        seen_change |= previous is not None and drawn != previous
        previous = drawn
    assert seen_change, "no window changed what was drawn: the test would not see a fault"
    screenshot(page, "dated-posts")


def test_the_address_after_moving_the_slider_reads_back_as_its_window(page, dataset):
    open_map(page)
    lo, hi = timeline_bounds(dataset)
    span = (hi - lo).days
    for days in ([span // 3, span // 2], [5, span - 5], [span // 2, span // 2]):
        set_window(page, *days)
        wait_map_idle(page)
        page.wait_for_function(
            "d => new URLSearchParams(location.search).get('start') === d",
            arg=(lo + dt.timedelta(days=days[0])).isoformat(),
        )
        args = dict(parse_qsl(urlparse(page.url).query, keep_blank_values=True))
        view = parse_view_state(args, dataset)
        assert view.window == window_from_slider(slider_days(page), dataset)
        assert view.window == (lo + dt.timedelta(days=days[0]), lo + dt.timedelta(days=days[1]))
