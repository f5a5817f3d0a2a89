"""Reference layers that end and move, as a user scrubbing the slider sees them drawn."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.selection import timeline_bounds
from tests.conftest import screenshot
from tests.mapdriver import (
    click_lonlat,
    drawn_line_layers,
    open_map,
    rendered_layers,
    set_window,
    slider_days,
    wait_map_idle,
)

pytestmark = pytest.mark.browser

OLD, NEW = "lachin-corridor-2020-route", "lachin-corridor-2022-bypass-route"
SWITCH = dt.date(2022, 8, 30)


def _day(dataset, date: dt.date) -> int:
    return (date - timeline_bounds(dataset)[0]).days


def _open_on(page, start: dt.date, end: dt.date) -> None:
    open_map(page, f"start={start.isoformat()}&end={end.isoformat()}")


def _drawn_when(page, expected, timeout_s: float = 15.0) -> list[str]:
    """The line layers drawn once `expected(drawn)` holds, or after `timeout_s` (a machine
    busy with other tests can finish MapLibre's last frame after the map reports idle)."""
    drawn = drawn_line_layers(page)
    for _ in range(int(timeout_s / 0.25)):
        if expected(drawn):
            break
        page.wait_for_timeout(250)
        drawn = drawn_line_layers(page)
    return drawn


def test_scrubbing_across_30_august_2022_swaps_the_corridor_routes(page, dataset):
    before, after = SWITCH - dt.timedelta(days=1), SWITCH + dt.timedelta(days=1)
    _open_on(page, before, before)
    assert slider_days(page) == [_day(dataset, before)] * 2
    drawn = _drawn_when(page, lambda d: OLD in d and NEW not in d)
    assert OLD in drawn and NEW not in drawn, drawn
    screenshot(page, "corridor-2022-08-29")

    # drag the window forward with the keyboard, one thumb at a time, as a user would
    set_window(page, _day(dataset, before), _day(dataset, after))
    wait_map_idle(page)
    drawn = _drawn_when(page, lambda d: OLD in d and NEW in d)
    assert OLD in drawn and NEW in drawn, drawn  # the window still holds 29 Aug

    set_window(page, _day(dataset, after), _day(dataset, after))
    wait_map_idle(page)
    drawn = _drawn_when(page, lambda d: NEW in d and OLD not in d)
    assert NEW in drawn and OLD not in drawn, drawn
    assert not any(name.startswith("lachin-corridor-blockade") for name in drawn)
    screenshot(page, "corridor-2022-08-31")


def test_the_blockade_is_drawn_on_the_route_while_it_lasts(page, dataset):
    day = dt.date(2023, 1, 15)
    _open_on(page, day, day)
    drawn = _drawn_when(page, lambda d: "lachin-corridor-blockade-sit-in" in d and NEW in d)
    assert "lachin-corridor-blockade-sit-in" in drawn and NEW in drawn, drawn
    screenshot(page, "blockade-2023-01-15")
    later = dt.date(2023, 10, 15)
    set_window(page, _day(dataset, later), _day(dataset, later))
    wait_map_idle(page)
    assert not any(n.startswith("lachin-corridor-blockade") for n in drawn_line_layers(page))


def test_the_area_is_faint_between_its_end_in_practice_and_the_withdrawal(page, dataset):
    day = dt.date(2024, 1, 10)
    _open_on(page, day, day)
    drawn = _drawn_when(page, lambda d: "aor-core (faint)" in d and "aor-core" not in d)
    assert "aor-core (faint)" in drawn and "aor-core" not in drawn, drawn
    faint = page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot').data
            .filter(t => t.meta && t.meta.layer === 'aor' && t.visible === true)
            .map(t => t.marker.opacity)"""
    )
    assert faint and max(faint) < 0.1, faint  # every area drawn is a faint one
    screenshot(page, "aor-faint-2024-01-10")
    # a click on the faint area names both ends and their sources
    click_lonlat(page, 46.70, 40.05)
    panel = page.locator("#detail-panel")
    panel.get_by_text("Dates and their sources").wait_for()
    text = panel.inner_text()
    assert "Babel" in text and "Insajder" in text and "Drawn faint from" in text


def test_on_the_last_day_only_faint_peacekeeper_features_remain(page, dataset):
    """12 June 2024, the formal end: the area and the command post are drawn faint, nothing
    else of the peacekeepers is drawn. (1 July 2024 lies beyond the slider; the selection
    rule for that day is checked in tests/test_layer_periods.py.)"""
    end = dt.date(2024, 6, 12)
    assert timeline_bounds(dataset)[1] >= end
    _open_on(page, end, end)
    assert rendered_layers(page, layer="aor") > 0
    lines = [n for n in drawn_line_layers(page) if not n.startswith("stepanakert")]
    assert lines and all(n.endswith("(faint)") for n in lines), lines
    opacities = page.evaluate(
        """() => document.querySelector('#map .js-plotly-plot').data
            .filter(t => t.meta && ['aor', 'peacekeeper_posts', 'lachin_corridor']
                .includes(t.meta.layer) && t.visible === true)
            .map(t => [].concat(t.marker.opacity))"""
    )
    assert opacities and max(max(o) for o in opacities) < 0.25, opacities
    screenshot(page, "last-day-2024-06-12")
