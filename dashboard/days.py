"""Dates as day numbers: whole days counted from an origin, the timeline's first day.

The date slider, the scrub model and the browser all speak in day numbers so that they
compare as plain integers. These two functions are the only place Python converts; the
browser's mirror is `dayToIso` in assets/scrub.js. `format_date` is how the page writes a
date for people ("21 Sep 2020"; the browser's mirror is `formatDay` in assets/contract.js).
"""

from __future__ import annotations

import datetime as dt
from typing import overload


@overload
def day_number(value: dt.date, origin: dt.date) -> int: ...
@overload
def day_number(value: None, origin: dt.date) -> None: ...
@overload
def day_number(value: dt.date | None, origin: dt.date) -> int | None: ...
def day_number(value: dt.date | None, origin: dt.date) -> int | None:
    """Days from `origin` to `value` (negative before it); None (an open end) stays None."""
    return None if value is None else (value - origin).days


def day_date(day: int, origin: dt.date) -> dt.date:
    """The date `day` days after `origin`: the inverse of `day_number`."""
    return origin + dt.timedelta(days=day)


def format_date(value: dt.date) -> str:
    """A date as the page writes it for people: "21 Sep 2020"."""
    return f"{value.day} {value:%b %Y}"
