"""Mutation score of the pure modules by the non-browser suite, with mutmut (not CI: slow).

mutmut (3.x) rewrites every function of the chosen modules into many small variants
(mutants: `<` for `<=`, a string changed, an argument dropped, ...) and runs, for each, only
the tests that call that function (it records which tests reach which function in one
clean run first). A mutant some test fails on is *killed*; one every test passes with
*survived*: either a test is missing or the change makes no difference (an equivalent
mutant). Score = killed / (killed + survived + timeouts); mutants no test reaches count as
survivors too.

The run happens in `.mutation/` (git-ignored): a copy of the working tree with a
pyproject.toml whose [tool.mutmut] names the modules, so the tree itself is never touched
and a second run re-tests only what changed (mutmut keeps its results in
`.mutation/mutants/`).

    .venv/bin/python bench/mutation_score.py                      # every pure module
    .venv/bin/python bench/mutation_score.py dashboard/panels.py  # just these
    .venv/bin/python bench/mutation_score.py --rerun-survivors    # after adding tests
    .venv/bin/python bench/mutation_score.py --report             # scores of the last run
    .venv/bin/python bench/mutation_score.py --show               # + each survivor's diff

Needs the `bench` extra: `.venv/bin/pip install -e '.[test,bench]'`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, tree_copy_ignore  # noqa: E402

WORK = ROOT / ".mutation"
MUTMUT = Path(sys.executable).with_name("mutmut")

# The functional core: pure functions over plain data (PROJECT.md, "How we write code").
# Modules listed here that do not exist (yet) are skipped; a new pure module belongs here.
PURE_MODULES = (
    "dashboard/model.py",
    "dashboard/dataset.py",
    "dashboard/loading.py",
    "dashboard/days.py",
    "dashboard/selection.py",
    "dashboard/viewstate.py",
    "dashboard/provenance.py",
    "dashboard/panels.py",
    "dashboard/exports.py",
    "dashboard/actions.py",
    "dashboard/citations.py",
    "dashboard/contract.py",
    "dashboard/layers.py",
)
# Copied beside the code: what the tests read (data, seeds, assets, the READMEs, bench/).
ALSO_COPY = ["geodata", "seeds", "assets", "bench", "README.md", ".ci"]
SKIP = tree_copy_ignore()
# mutmut's verdicts (its exit codes, mutmut/stats.py). A timeout counts as detected: the
# mutant made the tests hang and a time limit stops them (mutmut limits CPU time, so a busy
# machine does not cause one).
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", None: "not run"}
STATUS |= {code: "timeout" for code in (36, -24, 24, 152, 255)}
KILLED = {"killed", "timeout"}
SURVIVED = {"survived", "no tests", "suspicious"}


def sync_tree(modules: list[str]) -> None:
    """Copy the working tree into WORK (keeping WORK/mutants) and write its [tool.mutmut]."""
    WORK.mkdir(exist_ok=True)
    for item in WORK.iterdir():
        if item.name != "mutants":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    for item in ROOT.iterdir():
        if SKIP(str(ROOT), [item.name]):
            continue
        target = WORK / item.name
        if item.is_dir():
            shutil.copytree(item, target, ignore=SKIP)
        else:
            shutil.copy2(item, target)
    pyproject = (WORK / "pyproject.toml").read_text("utf-8")
    config = tomllib.loads(pyproject).get("tool", {}).get("mutmut", {})
    assert config, "pyproject.toml has no [tool.mutmut] section"
    lines = [line for line in pyproject.splitlines() if not line.startswith("only_mutate")]
    at = lines.index("[tool.mutmut]") + 1
    lines.insert(at, "only_mutate = [" + ", ".join(f'"{m}"' for m in modules) + "]")
    (WORK / "pyproject.toml").write_text("\n".join(lines) + "\n", "utf-8")


def mutmut(*args: str, capture: bool = False) -> str:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [str(MUTMUT), *args], cwd=WORK, env=env, text=True, capture_output=capture
    )
    if proc.returncode != 0:
        if capture:
            print(proc.stdout[-3000:], proc.stderr[-3000:])
        raise SystemExit(f"mutmut {' '.join(args)} exited {proc.returncode}")
    return proc.stdout if capture else ""


def results() -> dict[str, str]:
    """mutant name -> verdict, read from mutmut's files (also while a run is going on)."""
    statuses = {}
    for meta in sorted((WORK / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        statuses |= {name: STATUS.get(code, "suspicious") for name, code in codes.items()}
    return statuses


def report(statuses: dict[str, str], show: bool) -> float:
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in statuses.items():
        by_module[name.split(".x")[0]][status] += 1
    print(f"\n{'module':28} {'mutants':>7} {'killed':>7} {'timeout':>7} {'survived':>8} "
          f"{'no tests':>8} {'not run':>7} {'score':>6}")  # fmt: skip
    total = Counter()
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        print(row(module, counts))
    print(row("TOTAL", total))
    survivors = sorted(n for n, s in statuses.items() if s in SURVIVED)
    if survivors:
        print(f"\n{len(survivors)} survivors:")
        for name in survivors:
            print(f"  {statuses[name]:9} {name}")
            if show:
                print(indent(mutmut("show", name, capture=True)))
    return score(total)


def score(counts: Counter) -> float:
    killed = sum(counts[s] for s in KILLED)
    judged = killed + sum(counts[s] for s in SURVIVED)
    return 100.0 * killed / judged if judged else 0.0


def row(name: str, counts: Counter) -> str:
    n = sum(counts.values())
    return (
        f"{name:28} {n:7} {counts['killed']:7} {counts['timeout']:7} {counts['survived']:8} "
        f"{counts['no tests']:8} {counts['not run']:7} {score(counts):5.1f}%"
    )


def indent(text: str) -> str:
    return "\n".join("      " + line for line in text.strip().splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="files to mutate (default: the pure modules)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel workers (2 cores)")
    parser.add_argument("--rerun-survivors", action="store_true")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    args = parser.parse_args(argv)
    if not MUTMUT.exists():
        raise SystemExit(f"{MUTMUT} missing: .venv/bin/pip install -e '.[test,bench]'")

    modules = args.modules or [m for m in PURE_MODULES if (ROOT / m).is_file()]
    started = time.monotonic()
    if not args.report:
        sync_tree(modules)
        names: list[str] = []
        if args.rerun_survivors:
            names = [n for n, s in results().items() if s in SURVIVED]
            print(f"re-testing {len(names)} survivors")
        if not args.rerun_survivors or names:
            mutmut("run", "--max-children", str(args.max_children), *names)
    statuses = results()
    total = report(statuses, args.show)
    print(f"\nmodules: {', '.join(modules)}")
    print(f"score {total:.1f}% ({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
