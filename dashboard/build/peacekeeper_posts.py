"""The `peacekeeper_posts` layer: the peacekeepers' headquarters and posts.

Two inputs, row for row: the research notes' peacekeeper_posts_proxies.csv (each post as a source
names it, its proxy settlement and coordinate) and our reading of each row in
peacekeeper_posts_readings.csv (id, kind and what the note must say, validated by
`PostReading`). Every date comes from layer_dates.csv with its source. A post the kit leaves
unplaced is drawn at a sourced site of layer_places.csv when one is named in the post
(Dadivank monastery). One more feature, listed and not placed, carries the network's counts
(23, 27, 30 posts) and the dated closures.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from shapely.geometry import Point

from dashboard.build import check
from dashboard.build.geo import collection, feature
from dashboard.build.kit import Kit, clean_url, coordinate_license, read_csv, read_rows
from dashboard.build.layer_dates import date_note
from dashboard.model import Accuracy, DateBound, Identifier, NonEmpty

LAYER = "peacekeeper_posts"
PROXIES = "peacekeeper_posts_proxies.csv"
READINGS = "peacekeeper_posts_readings.csv"
NETWORK = "post-peacekeeper-network"


class PostReading(BaseModel):
    """A row of peacekeeper_posts_readings.csv: how one row of the proxies file is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    post: NonEmpty  # the proxies file's `post` cell, exactly
    id: Identifier
    kind: Identifier  # headquarters | post
    note: NonEmpty  # what is inferred rather than reported; dates are in layer_dates.csv


def _location(kit: Kit, row: dict[str, str], post_id: str) -> dict[str, Any]:
    """Where a post is drawn: its row's proxy settlement, else a layer_places.csv site named
    in the post, else nowhere (listed, not placed)."""
    if row["lat"]:
        place = kit.place(row["proxy_place"])
        check(
            abs(place.lat - float(row["lat"])) < 1e-9 and abs(place.lon - float(row["lon"])) < 1e-9,
            f"post {post_id}: coordinates differ from places.csv",
        )
        return {
            "geom": place.point,
            "source": f"{row['source']} (post); location: {place.source}",
            "source_url": place.source_url,
            "license": place.license,
        }
    site = next((name for name in kit.extra_places if name in row["post"]), None)
    if site:
        e = kit.extra_places[site]
        return {
            "geom": Point(float(e["lon"]), float(e["lat"])),
            "source": (
                f"{row['source']} (post); location: {e['source']}: {e['lat']}, {e['lon']} "
                f"(layer_places.csv; cross-check {e['cross_checks']})"
            ),
            "source_url": clean_url(e["source_url"]),
            "license": coordinate_license(e["source"]),
        }
    return {
        "geom": None,
        "source": f"{row['source']} (post; location not given)",
        "source_url": None,
        "license": None,
    }


def build(kit: Kit) -> dict[str, Any]:
    rows = read_csv(kit.sources / PROXIES)
    readings = read_rows(kit.sources / READINGS, PostReading, "post")
    check(
        [r["post"] for r in rows] == [r.post for r in readings],
        f"{READINGS}: its `post` column must list the rows of {PROXIES}, in the same order",
    )
    features = []
    for row, reading in zip(rows, readings, strict=True):
        where = _location(kit, row, reading.id)
        geom = where.pop("geom")
        accuracy = Accuracy.UNLOCATED if geom is None else Accuracy.SETTLEMENT_PROXY
        dates = kit.dated(reading.id)
        check(bool(dates["date_sources"]), f"{reading.id}: no dates in layer_dates.csv")
        features.append(
            feature(
                geom,
                id=reading.id,
                name=row["post"],
                layer=LAYER,
                kind=reading.kind,
                accuracy=accuracy,
                note=(
                    f"{reading.note} Location precision in the research notes: "
                    f"{row['location_precision']}. {date_note(dates)}"
                ),
                **where,
                **dates,
            )
        )
    network = kit.dated(NETWORK)
    check(bool(network["date_sources"]), f"{NETWORK}: no dates in layer_dates.csv")
    counts = [s for s in network["date_sources"] if s.bound is not DateBound.TO]
    features.append(
        feature(
            None,
            id=NETWORK,
            name="The peacekeepers' observation posts: how many, and when they closed",
            layer=LAYER,
            kind="post-network",
            source="Russian MoD bulletins as relayed by TASS, Pravda.ru, Asbarez, AZTV, Trend",
            accuracy=Accuracy.UNLOCATED,
            note=(
                "Listed, not placed: the bulletins give counts, not sites. 9 + 9 posts and 7 "
                "temporary corridor posts (15 Nov 2020); 23 (18 Nov 2020); 27 (22 Nov 2021); 30 "
                "(6 Mar 2023); closures from 19 Sep 2023 reported by district only (12 "
                "permanent and 16 temporary by 23 Nov 2023); all 30 gone by 15 May 2024. "
                f"{len(counts)} dated reports are listed with this feature."
            ),
            **network,
        )
    )
    return collection(features)
