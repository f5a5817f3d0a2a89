"""Helpers for driving the app from outside, shared by tests/ and bench/ (not used by the app).

Headless Chromium here is Debian's /usr/bin/chromium (never a browser Playwright downloads),
started with flags that work offline, as root, with software WebGL.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",  # software WebGL; without it MapLibre falls back noisily
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A working copy of the project's data, and a reviewed draft of the seed, made the same way by
# the tests and by bench/publish_swap.py (bench never imports tests/).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED = "000_65b3e366a728d215.txt"


def copy_of_real_data(root: Path) -> Path:
    """geodata/ (without its sources) and seeds/ copied under root, for a test to edit;
    returns the copied geodata directory."""
    shutil.copytree(
        PROJECT_ROOT / "geodata", root / "geodata", ignore=shutil.ignore_patterns("sources")
    )
    shutil.copytree(PROJECT_ROOT / "seeds", root / "seeds")
    return root / "geodata"


def edit_json(path: Path, edit: Callable[[object], None], indent: int | None = None) -> None:
    """Read a JSON file, let `edit` change it in place, write it back."""
    data = json.loads(path.read_text("utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent), "utf-8")


def ingest_draft(project: Path, doc_id: str = "test-reingest") -> Path:
    """The seed ingested again as a new document: the draft's path (next to `project`)."""
    from dashboard.ingest.cli import main as cli  # the top of the import order: only here

    out = project.parent / "draft.json"
    code = cli(
        ["ingest", str(project.parent / "seeds" / SEED), "--published", "2021-03-31",
         "--id", doc_id, "--title", "Test re-ingest of the seed", "--author", "Vladimir Socor",
         "--publisher", "The Jamestown Foundation", "--series", "Eurasia Daily Monitor",
         "--url", "https://jamestown.org/program/russias-karabakh-protectorate-taking-clearer-shape-part-three/",
         "--data-dir", str(project), "--out", str(out)]
    )  # fmt: skip
    if code != 0:
        raise RuntimeError(f"ingest of {SEED} failed with exit code {code}")
    return out


def candidate_at(draft: dict, phrase: str) -> dict:
    """The draft's one candidate whose passage starts with `phrase`."""
    (found,) = [c for c in draft["candidates"] if c["passage_text"].startswith(phrase)]
    return found


def accept(candidate: dict, **fields: object) -> None:
    """Mark a candidate accepted, with the fields a reviewer fills in (overridable)."""
    candidate.update(
        decision="accept",
        title=f"Test: {candidate['passage_text'][:30]}",
        summary="Test event rebuilt from the seed's own passage.",
        actors=["Armenia"],
        event_type="statement",
        geo_precision="settlement",
    )
    candidate.update(fields)
