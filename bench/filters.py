"""What a filter change costs the server: the facets (built once per dataset), the browser's
mask, the counts per value and the filtered list, at 10k and 100k synthetic events (real data
plus bench/synthetic.py's events), and the mask alone at 1M events (facets made directly, no
dataset: loading a million events is issue 13's business).

    .venv/bin/python bench/filters.py [N ...]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import make_synthetic  # noqa: E402
from dashboard.filters import (  # noqa: E402
    Facets,
    build_facets,
    facets_of,
    filtered_events,
    mask_payload,
    parse_filters,
    value_counts,
)
from dashboard.loading import load_dataset  # noqa: E402
from dashboard.selection import timeline_bounds  # noqa: E402


def best_of(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def with_dataset(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dataset = load_dataset(make_synthetic(n, Path(tmp) / "data"))
    built, facets = best_of(lambda: build_facets(dataset), repeat=1)
    object.__setattr__(dataset, "_facets", facets)
    filters, _ = parse_filters({"type": "military,protest", "vague": "hide"}, facets_of(dataset))
    window = timeline_bounds(dataset)
    mask_s, mask = best_of(lambda: mask_payload(filters, facets))
    counts_s, _ = best_of(lambda: value_counts(dataset, filters, window))
    list_s, kept = best_of(lambda: filtered_events(dataset, filters, window))
    print(
        f"{len(dataset.events):>9} events: facets {built * 1000:7.1f} ms (once), mask "
        f"{mask_s * 1000:6.1f} ms ({len(mask)} base64 chars), counts {counts_s * 1000:6.1f} ms, "
        f"filtered list {list_s * 1000:6.1f} ms ({len(kept)} kept)"
    )


def mask_only(n: int) -> None:
    rng = np.random.default_rng(47)
    types = rng.integers(0, 6, n)
    start = dt.date(2020, 11, 10).toordinal()
    starts = start + rng.integers(0, 1300, n)
    facets = Facets(
        labels={"type": {t: t for t in "abcdef"}, "actor": {}, "outlet": {}, "side": {},
                "kind": {}, "precision": {}},
        postings={"type": {t: np.flatnonzero(types == i).astype(np.int32)
                           for i, t in enumerate("abcdef")},
                  "actor": {}, "outlet": {}, "side": {}, "kind": {}, "precision": {}},
        starts=starts, ends=starts, vague=rng.random(n) < 0.2, size=n,
    )  # fmt: skip
    filters, _ = parse_filters({"type": "a,d", "vague": "hide"}, facets)
    mask_s, mask = best_of(lambda: mask_payload(filters, facets))
    print(f"{n:>9} events: mask {mask_s * 1000:6.1f} ms ({len(mask)} base64 chars), facets given")


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for n in sizes:
        with_dataset(n)
    mask_only(1_000_000)
