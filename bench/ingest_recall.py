"""Ingest the seed article and compare the candidates with the curated events.

    .venv/bin/python bench/ingest_recall.py

Prints recall (curated events whose passage a candidate covers with the same dates), the
events missed or proposed with other dates, the extras, and whether every citation the
parser finds in the seed is in some candidate.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.citations import parse_citations  # noqa: E402
from dashboard.ingest.measure import measure  # noqa: E402

SEED = ROOT / "seeds" / "000_65b3e366a728d215.txt"
PUBLISHED = "2021-03-31"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draft.json"
        subprocess.run(
            [sys.executable, "-m", "dashboard", "ingest", str(SEED), "--published", PUBLISHED,
             "--id", "edm-18-47", "--out", str(out)],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        draft = json.loads(out.read_text("utf-8"))
    events = json.loads((ROOT / "geodata" / "events.geojson").read_text("utf-8"))
    from_article = [
        f["properties"]
        for f in events["features"]
        if f["properties"].get("document_id") == "edm-18-47"
    ]
    # as tests/test_ingest.py: events whose dates come from reports read elsewhere (sources,
    # no citation of the article) are not dated by the article, so not expected from it
    cited = {e for c in json.loads((ROOT / "geodata" / "citations.json").read_text("utf-8"))
             for e in c["supports"]}  # fmt: skip
    curated = [p for p in from_article if not (p.get("sources") and p["id"] not in cited)]
    for p in from_article:
        if p not in curated:
            print(f"not counted (dated by reports, not by the article): {p['id']}")
    result = measure(curated, draft["candidates"])
    total = len(curated)
    print(f"candidates: {len(draft['candidates'])}")
    print(f"recall: {len(result.found)}/{total} = {result.rate:.0%} (passage covered, same dates)")
    for event_id, dates in result.wrong_dates.items():
        print(f"  other dates: {event_id}: proposed {dates}")
    for event_id in result.missed:
        print(f"  missed: {event_id}")
    print(f"extras (cover no curated passage): {len(result.extras)}")
    for c in result.extras:
        print(f"  {c['id']}: {c['date_start']}..{c['date_end']} {c['passage_text'][:70]!r}")
    text = SEED.read_text("utf-8")
    expected = [c.to_json() for c in parse_citations(text, dt.date.fromisoformat(PUBLISHED))]
    proposed = [c for cand in draft["candidates"] for c in cand["citations"]]
    missing = [c for c in expected if c not in proposed]
    print(f"citations: {len(expected) - len(missing)}/{len(expected)} in candidates")


if __name__ == "__main__":
    main()
