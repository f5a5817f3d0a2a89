"""The small chart above the date slider, as a static SVG image built once per dataset.

Events per month (by start day) as bars, above a strip that draws each event's dates: an event
dated to a span (several days, or a week, month, year or vague range) as a bar from its first
to its last day, an event dated to one day as a tick, so a month-precision report does not look
like a dated incident.

Why an image and not a plotly figure: the chart takes no input (it was a `staticPlot`), and a
second plotly figure was drawn in the same browser task as the map, before the map could start
(bench/README.md, "the chart above the slider as an image"). The SVG stretches to the panel's
width (`preserveAspectRatio="none"`); its strokes keep their pixel width (`vector-effect`). It
holds no text from the data: numbers and class names only.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.dataset import Dataset, Event, EventTable
from dashboard.model import TimePrecision
from dashboard.selection import month_counts, timeline_bounds
from dashboard.tables import TIME_PRECISIONS

TIMELINE_LANES = 4  # rows of the strip where date ranges are drawn side by side
_LANE_GAP_DAYS = 14  # ranges closer than this go on different rows, so each stays readable
STRIP_DISTINCT_FROM = 20_000  # from this many events, each distinct span or day once

# The drawing, in the SVG's own units (the image is stretched to the panel: CSS `.histogram`).
WIDTH = 1000.0
HEIGHT = 84.0  # the image's 92 px less its 4 px padding above and below
BARS_BOTTOM = HEIGHT * 0.55  # bars in the upper 55%, the strip in the lower 40%
STRIP_TOP = HEIGHT * 0.6
BAR_GAP = 0.1  # of a month's width, left free between two bars
BAR_COLOR = "#6b7b8c"
SPAN_COLOR = "#3d5a80"
DAY_COLOR = "#1d2329"
DAY_TICK = 7.0  # a day's tick, px tall


def is_date_range(event: Event) -> bool:
    """Whether an event is dated to a span (several days, or a week, month, year or vague
    range) rather than to one day: the timeline draws it as a range."""
    props = event.props
    return props.date_start != props.date_end or props.time_precision != TimePrecision.DAY


def range_lanes(spans: Sequence[tuple[dt.date, dt.date]], lanes: int = TIMELINE_LANES) -> list[int]:
    """A row for each span (in the order given): the first row whose last span ended at least
    _LANE_GAP_DAYS before this one starts, else the row that frees up first."""
    ends = [dt.date.min] * lanes
    out = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[i]
        free = [k for k in range(lanes) if (start - ends[k]).days >= _LANE_GAP_DAYS]
        lane = free[0] if free else min(range(lanes), key=lambda k: ends[k])
        out[i] = lane
        ends[lane] = max(end, ends[lane])
    return out


@dataclass(frozen=True)
class Strip:
    """What the strip draws: spans as [first day, day after the last) with their rows, and
    single days. `distinct`: large data, where events with the same dates are drawn once."""

    spans: list[tuple[dt.date, dt.date]]
    lanes: list[int]
    days: list[dt.date]
    span_events: int
    day_events: int
    distinct: bool = False


def timeline_strip(events: Sequence[Event]) -> Strip:
    """The strip for these events: per event for small data; each distinct span and day once
    from the table's columns for large data (the page stays small)."""
    if isinstance(events, EventTable) and len(events) >= STRIP_DISTINCT_FROM:
        return _distinct_strip(events)
    ranges = [e for e in events if is_date_range(e)]
    spans = [(e.props.date_start, e.props.date_end + dt.timedelta(days=1)) for e in ranges]
    days = [e.props.date_start for e in events if not is_date_range(e)]
    return Strip(spans, range_lanes(spans), days, len(ranges), len(days))


def _distinct_strip(table: EventTable) -> Strip:
    start, end = table.column("start"), table.column("end")
    day = TIME_PRECISIONS.index(TimePrecision.DAY.value)
    is_range = (start != end) | (table.column("time") != day)
    pairs = np.unique(np.stack([start[is_range], end[is_range] + 1], 1), axis=0).tolist()
    spans = [(dt.date.fromordinal(a), dt.date.fromordinal(b)) for a, b in pairs]
    days = [dt.date.fromordinal(d) for d in np.unique(start[~is_range]).tolist()]
    span_events, day_events = int(is_range.sum()), int((~is_range).sum())
    return Strip(spans, range_lanes(spans), days, span_events, day_events, distinct=True)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def lane_y(row: int) -> float:
    """The height of a strip row: 0 the day ticks, 1..TIMELINE_LANES the ranges."""
    return HEIGHT - (row + 0.6) / (TIMELINE_LANES + 1.2) * (HEIGHT - STRIP_TOP)


def timeline_svg(dataset: Dataset) -> str:
    """The chart as an SVG document (ASCII): `rect.month` per month with events, `line.span`
    per drawn span, `line.day` per drawn day; x from the first to the last day of the
    timeline (dashboard/selection.py: timeline_bounds), like the slider under it."""
    first, last = timeline_bounds(dataset)
    per_day = WIDTH / max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return (day - first).days * per_day

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" '
        f'preserveAspectRatio="none" data-first="{first.isoformat()}" '
        f'data-last="{last.isoformat()}">',
        f"<style>line{{vector-effect:non-scaling-stroke}}"
        f".span{{stroke:{SPAN_COLOR};stroke-width:3;stroke-opacity:0.75}}"
        f".day{{stroke:{DAY_COLOR};stroke-width:1}}</style>",
    ]
    counts = month_counts(dataset.events)
    most = max(counts.values(), default=0)
    for month, count in sorted(counts.items()):
        left, right = x(month), x(_next_month(month))
        gap = (right - left) * BAR_GAP / 2
        height = BARS_BOTTOM * count / most
        parts.append(
            f'<rect class="month" data-count="{count}" x="{_num(left + gap)}" '
            f'y="{_num(BARS_BOTTOM - height)}" width="{_num(right - left - 2 * gap)}" '
            f'height="{_num(height)}" fill="{BAR_COLOR}"/>'
        )
    strip = timeline_strip(dataset.events)
    for (start, after), lane in zip(strip.spans, strip.lanes, strict=True):
        y = _num(lane_y(lane + 1))
        parts.append(
            f'<line class="span" x1="{_num(x(start))}" y1="{y}" x2="{_num(x(after))}" y2="{y}"/>'
        )
    top, bottom = _num(lane_y(0) - DAY_TICK / 2), _num(lane_y(0) + DAY_TICK / 2)
    for day in strip.days:
        at = _num(x(day))
        parts.append(f'<line class="day" x1="{at}" y1="{top}" x2="{at}" y2="{bottom}"/>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_alt(dataset: Dataset) -> str:
    """What the chart shows, in words, for a screen reader."""
    counts = month_counts(dataset.events)
    if not counts:
        return "No events to chart."
    busiest = max(counts, key=lambda m: (counts[m], m))
    first, last = min(counts), max(counts)
    return (
        f"Events per month from {first:%b %Y} to {last:%b %Y}, most in {busiest:%b %Y} "
        f"({counts[busiest]:,}). Below the bars, each event's dates: a span as a bar, a single "
        "day as a tick."
    )


def timeline_image_src(dataset: Dataset) -> str:
    """The chart as a `data:` address for an <img> (the page's CSP allows `data:` images)."""
    svg = timeline_svg(dataset).encode("ascii")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
