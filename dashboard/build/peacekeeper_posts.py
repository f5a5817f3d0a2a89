"""The `peacekeeper_posts` layer: the peacekeepers' headquarters and posts.

Two inputs, row for row: the kit's peacekeeper_posts_proxies.csv (each post as a source
names it, its proxy settlement and coordinate) and our reading of each row in
peacekeeper_posts_readings.csv (id, kind, dates and why, validated by `PostReading`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from dashboard.build import check
from dashboard.build.geo import collection, feature
from dashboard.build.kit import Kit, read_csv, read_rows
from dashboard.model import Accuracy, Identifier, NonEmpty

LAYER = "peacekeeper_posts"
PROXIES = "peacekeeper_posts_proxies.csv"
READINGS = "peacekeeper_posts_readings.csv"


class PostReading(BaseModel):
    """A row of peacekeeper_posts_readings.csv: how one row of the proxies file is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    post: NonEmpty  # the proxies file's `post` cell, exactly
    id: Identifier
    kind: Identifier  # headquarters | post
    valid_from: dt.date  # the statement date unless the row's own text gives a later one
    valid_to: dt.date | None = None  # empty: still holds, or no end date in any source read
    note: NonEmpty  # where each date comes from, and what is inferred rather than reported

    @model_validator(mode="after")
    def _dates_in_order(self) -> PostReading:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


def build(kit: Kit) -> dict[str, Any]:
    rows = read_csv(kit.sources / PROXIES)
    readings = read_rows(kit.sources / READINGS, PostReading, "post")
    check(
        [r["post"] for r in rows] == [r.post for r in readings],
        f"{READINGS}: its `post` column must list the rows of {PROXIES}, in the same order",
    )
    features = []
    for row, reading in zip(rows, readings, strict=True):
        located = bool(row["lat"])
        if located:
            place = kit.place(row["proxy_place"])
            check(
                abs(place.lat - float(row["lat"])) < 1e-9
                and abs(place.lon - float(row["lon"])) < 1e-9,
                f"post {reading.id}: coordinates differ from places.csv",
            )
            geom = place.point
            source = f"{row['source']} (post); location: {place.source}"
            source_url = place.source_url
            license_ = place.license
            accuracy = Accuracy.SETTLEMENT_PROXY
        else:
            geom = None
            source = f"{row['source']} (post; location not given)"
            source_url = None
            license_ = None
            accuracy = Accuracy.UNLOCATED
        features.append(
            feature(
                geom,
                id=reading.id,
                name=row["post"],
                layer=LAYER,
                kind=reading.kind,
                source=source,
                source_url=source_url,
                license=license_,
                accuracy=accuracy,
                valid_from=reading.valid_from,
                valid_to=reading.valid_to,
                note=f"{reading.note} Location precision in the kit: {row['location_precision']}.",
            )
        )
    return collection(features)
