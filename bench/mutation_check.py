"""Does the non-browser suite catch known faults? Apply each, run the suite, revert, report.

Each fault is one small change to the app's pure logic (the eight that issue 9 found the suite
missed, plus any added since). A fault is written as text replacements located by content,
not by file or line, so it still applies after code moves between modules. Every run happens
in a temporary copy of the working tree: the tree itself is never modified, so an interrupted
run loses nothing.

    .venv/bin/python bench/mutation_check.py                  # every fault, the current tests
    .venv/bin/python bench/mutation_check.py --tests-from REV # the same faults, REV's tests/
    .venv/bin/python bench/mutation_check.py --without tests/test_panels.py  # without a file
    .venv/bin/python bench/mutation_check.py --fault safe_link_any_scheme --list

The suite is `pytest -m "not browser"` with CHROMIUM pointing nowhere, which shows it needs
no browser. A fault is *caught* when the suite fails (exit 1), *missed* when it passes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, tree_copy_ignore  # noqa: E402

SKIP = tree_copy_ignore()
SUITE = ["-m", "pytest", "-m", "not browser", "-q", "-x", "-p", "no:cacheprovider"]


@dataclass(frozen=True)
class Fault:
    name: str
    what: str
    edits: tuple[tuple[str, str], ...]  # (text as in the code, what it becomes)


FAULTS: tuple[Fault, ...] = (
    Fault(
        "format_span_drops_end",
        "format_span writes only the start of a span of days",
        (
            (
                'return f"{format_date(start)} – {format_date(end)}"',
                "return format_date(start)",
            ),
        ),
    ),
    Fault(
        "things_at_ignores_toggle",
        "things_at returns events and features of hidden layers",
        (
            ("if EVENTS_LAYER in visible:", "if True:"),
            (
                "if layer in visible\n        for f in features_in_window",
                "if True\n        for f in features_in_window",
            ),
        ),
    ),
    Fault(
        "window_from_slider_unsorted",
        "window_from_slider takes the slider's two days in the order given",
        (
            (
                # with its line before: dashboard/stepping.py's slider_days sorts the same way
                "bounds = timeline_bounds(dataset)\n    try:\n"
                "        lo, hi = sorted(int(v) for v in value)",
                "bounds = timeline_bounds(dataset)\n    try:\n"
                "        lo, hi = (int(v) for v in value)",
            ),
        ),
    ),
    Fault(
        "slider_marks_every_month",
        "slider_marks labels every month",
        (
            (
                "label_every = 3 if len(months) <= 18 else 6 if len(months) <= 48 else 12",
                "label_every = 1",
            ),
        ),
    ),
    Fault(
        "passage_merge_disabled",
        "the article reader no longer merges overlapping passages",
        (("if marks and start < marks[-1][1]:", "if False:"),),
    ),
    Fault(
        "safe_link_any_scheme",
        "safe_link links any URL (javascript:, data:)",
        (('if url and re.match(r"^https?://", url.strip(), flags=re.IGNORECASE):', "if url:"),),
    ),
    Fault(
        "schema_any_url_scheme",
        "the data schema accepts any URL scheme, javascript: included",
        (
            (  # the HttpUrl type (documents, layer sources, reports); layer dates have their own
                'strip_whitespace=True, pattern=r"^https?://\\S+$"',
                'strip_whitespace=True, pattern=r"^\\S+$"',
            ),
        ),
    ),
    Fault(
        "csv_formulas_not_defused",
        "the CSV export writes cells starting with = + - @ as they are",
        (
            (
                """return "'" + text if text[:1] in ("=", "+", "-", "@") else text""",
                "return text",
            ),
        ),
    ),
)


def copy_tree(dest: Path, tests_from: str | None) -> None:
    shutil.copytree(ROOT, dest, ignore=SKIP, dirs_exist_ok=True)
    if tests_from:
        shutil.rmtree(dest / "tests")
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", tests_from, "tests"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def locate(tree: Path, text: str) -> Path:
    """The one file under dashboard/ that holds `text` exactly once."""
    hits = [
        (path, path.read_text("utf-8").count(text))
        for path in sorted((tree / "dashboard").rglob("*.py"))
    ]
    hits = [(path, n) for path, n in hits if n]
    if len(hits) != 1 or hits[0][1] != 1:
        where = ", ".join(f"{p.relative_to(tree)} x{n}" for p, n in hits) or "nowhere"
        raise SystemExit(f"fault text {text!r} must occur exactly once; found {where}")
    return hits[0][0]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(tree: Path) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, CPU seconds, output). CPU time is what the suite costs on an
    idle machine; wall time grows with whatever else shares the cores."""
    env = dict(os.environ, CHROMIUM="/nonexistent/chromium")
    started, cpu = time.monotonic(), _child_cpu()
    proc = subprocess.run(
        [sys.executable, *SUITE], cwd=tree, env=env, capture_output=True, text=True
    )
    wall, cpu = time.monotonic() - started, _child_cpu() - cpu
    return proc.returncode, wall, cpu, proc.stdout + proc.stderr


def first_failure(output: str) -> str:
    match = re.search(r"^(?:FAILED|ERROR) (\S+)", output, flags=re.MULTILINE)
    return match.group(1) if match else ""


def summary_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if " in " in line and "passed" in line]
    return lines[-1].strip("= ") if lines else output.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests-from", metavar="REV", help="run REV's tests/ instead")
    parser.add_argument(
        "--without", action="append", default=[], metavar="PATH", help="drop this test file"
    )
    parser.add_argument("--fault", action="append", help="only this fault (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    faults = [f for f in FAULTS if not args.fault or f.name in args.fault]
    if args.list or not faults:
        for fault in FAULTS:
            print(f"{fault.name:30} {fault.what}")
        return 0 if faults else 2

    with tempfile.TemporaryDirectory(prefix="mutation-check-") as tmp:
        tree = Path(tmp)
        copy_tree(tree, args.tests_from)
        for path in args.without:
            (tree / path).unlink()
        tests = (args.tests_from or "working tree") + "".join(f" -{p}" for p in args.without)
        code, seconds, cpu, output = run_suite(tree)
        print(f"tests: {tests}; suite: {' '.join(SUITE[1:])}; CHROMIUM=/nonexistent/chromium")
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"baseline: exit {code} in {seconds:.1f} s wall, {cpu:.1f} s CPU: "
            f"{summary_line(output)}"
        )
        if code != 0:
            print(output[-3000:])
            raise SystemExit("the suite must pass on the unchanged code first")
        print(f"\n{'fault':30} {'result':7} {'wall s':>6}  first failing test")
        caught = 0
        for fault in faults:
            originals: dict[Path, str] = {}
            try:
                for old, new in fault.edits:
                    path = locate(tree, old)
                    originals.setdefault(path, path.read_text("utf-8"))
                    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
                code, seconds, _, output = run_suite(tree)
            finally:
                for path, text in originals.items():
                    path.write_text(text, "utf-8")
            result = {0: "MISSED", 1: "caught"}.get(code, f"exit {code}")
            caught += code == 1
            print(f"{fault.name:30} {result:7} {seconds:6.1f}  {first_failure(output)}")
        print(f"\ncaught {caught} of {len(faults)}")
        return 0 if caught == len(faults) else 1


if __name__ == "__main__":
    sys.exit(main())
