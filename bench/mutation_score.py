"""Mutation score of the pure modules by the non-browser suite, with mutmut (not CI: slow).

mutmut (3.x) rewrites every function of the chosen modules into many small variants
(mutants: `<` for `<=`, a string changed, an argument dropped, ...) and runs, for each, only
the tests that call that function (it records which tests reach which function in one
clean run first). A mutant some test fails on is *killed*; one every test passes with
*survived*: either a test is missing or the change makes no difference (an equivalent
mutant). Score = killed / (killed + survived + timeouts); mutants no test reaches count as
survivors too.

The run happens in `.mutation/` (git-ignored): a copy of the working tree with a
pyproject.toml whose [tool.mutmut] names every pure module (always all of them, so mutmut's
record of which test reaches which function is collected once and kept when a run judges
only some modules), so the tree itself is never touched and a second run re-tests only what
changed (mutmut keeps its results in `.mutation/mutants/`).

mutmut keeps that record between runs and adds to it only for tests it has not seen: a test
that reaches a function only after a change (a function split out of another, a new caller)
is not run against that function's mutants, which then survive falsely. `--remap` drops the
record first, so mutmut collects it again from one run of the suite (about 30 s on a quiet
machine); the verdicts are kept. Use it after the code moved, before `--rerun-survivors`.

The machine is shared: by default one child process, and the script lowers its own
priority (nice 10) before starting mutmut. A run that is stopped (SIGTERM) keeps what it
judged; the next run of the same modules goes on with the mutants not judged yet.

    .venv/bin/python bench/mutation_score.py                      # every pure module
    .venv/bin/python bench/mutation_score.py dashboard/panels.py  # just these
    .venv/bin/python bench/mutation_score.py --rerun-survivors    # after adding tests
    .venv/bin/python bench/mutation_score.py --remap --rerun-survivors  # after moving code
    .venv/bin/python bench/mutation_score.py --report             # scores of the last run
    .venv/bin/python bench/mutation_score.py --show               # + each survivor's diff
    .venv/bin/python bench/mutation_score.py --markdown           # the table for bench/README

Needs the `bench` extra: `.venv/bin/pip install -e '.[test,bench]'`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
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
    """Copy the working tree into WORK (keeping WORK/mutants) and write its [tool.mutmut].

    `modules` is always the whole list: a changed `only_mutate` makes mutmut forget which
    tests reach which function and collect it all again.
    """
    WORK.mkdir(exist_ok=True)
    for item in WORK.iterdir():
        if item.name != "mutants":
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    # mutmut copies a source file into mutants/ only when it is missing there, and mutates a
    # module again only when the source is newer than its mutated copy (a rebase can write an
    # older mtime): remove the copies so each run starts from the tree as it is. The verdicts
    # stay in the .meta files, kept per function while its source is unchanged.
    for copied in (WORK / "mutants").rglob("*.py"):
        copied.unlink()
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
        raise SystemExit(f"mutmut {' '.join(args[:3])} ... exited {proc.returncode}")
    return proc.stdout if capture else ""


def dotted(module: str) -> str:
    """dashboard/panels.py -> dashboard.panels (the prefix of its mutants' names)."""
    return module.removesuffix(".py").replace("/", ".")


def module_of(mutant: str) -> str:
    """dashboard.panels.x_feature_panel__mutmut_3 -> dashboard.panels"""
    return mutant.split(".x")[0]


def to_run(chosen: list[str], rerun_survivors: bool, sample: int = 0) -> list[str] | None:
    """What `mutmut run` is given for the chosen modules; None when there is nothing to do.

    [] = every mutant not judged yet (mutmut's own default). A name pattern re-runs every
    mutant it matches, so it is used only for modules that have no results at all.
    `sample` > 0: at most that many not-judged mutants per module, drawn at random (seeded,
    so a second run draws the same ones first), for an estimate when a full run cannot fit.
    """
    statuses = results()
    wanted = {dotted(m) for m in chosen}
    everything = wanted == {dotted(m) for m in existing_modules()}
    if rerun_survivors:
        names = [n for n, s in statuses.items() if s in SURVIVED and module_of(n) in wanted]
        print(f"re-testing {len(names)} survivors")
        return names or None
    if sample:
        names = []
        for module in sorted(wanted):
            left = sorted(
                n for n, s in statuses.items() if module_of(n) == module and s == "not run"
            )
            names += random.Random(module).sample(left, min(sample, len(left)))
        print(f"to judge: a sample of {len(names)} mutants")
        return names or None
    if everything:
        return []
    judged_modules = {module_of(n) for n in statuses}
    names = [n for n, s in statuses.items() if s == "not run" and module_of(n) in wanted]
    names += [f"{m}.*" for m in sorted(wanted - judged_modules)]
    print(f"to judge: {len(names)} mutants or modules")
    return names or None


def existing_modules() -> list[str]:
    return [m for m in PURE_MODULES if (ROOT / m).is_file()]


def results() -> dict[str, str]:
    """mutant name -> verdict, read from mutmut's files (also while a run is going on)."""
    statuses = {}
    for meta in sorted((WORK / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text("utf-8")).get("exit_code_by_key", {})
        statuses |= {name: STATUS.get(code, "suspicious") for name, code in codes.items()}
    return statuses


def report(statuses: dict[str, str], modules: list[str], show: bool, markdown: bool) -> float:
    wanted = {dotted(m) for m in modules}
    statuses = {n: s for n, s in statuses.items() if module_of(n) in wanted}
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in statuses.items():
        by_module[module_of(name)][status] += 1
    total = Counter()
    for counts in by_module.values():
        total.update(counts)
    table = [row(module, by_module[module]) for module in sorted(by_module)]
    table.append(row("TOTAL", total))
    print()
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|---" + "|---:" * (len(COLUMNS) - 1) + "|")
        for cells in table:
            print("| " + " | ".join(cells) + " |")
    else:
        for cells in [list(COLUMNS), *table]:
            print(aligned(cells))
    if total["not run"]:
        print(f"\nnot every mutant judged: {stratified(by_module)}")
    survivors = sorted(n for n, s in statuses.items() if s in SURVIVED)
    if survivors:
        print(f"\n{len(survivors)} survivors:")
        for name in survivors:
            print(f"  {statuses[name]:9} {name}")
            if show:
                print(indent(mutmut("show", name, capture=True)))
    return score(total)


COLUMNS = (
    "module", "mutants", "killed", "timeout", "survived", "no tests", "not run", "score", "95% CI"
)  # fmt: skip
WIDTHS = (28, 7, 7, 7, 8, 8, 7, 6, 11)


def stratified(by_module: dict[str, Counter]) -> str:
    """The whole set's score estimated from partly judged modules: each module's score
    weighted by its number of mutants (TOTAL's pooled score over-weights a module whose
    mutants were all judged when the others were sampled)."""
    weighted = mutants = 0
    unjudged = []
    for module, counts in sorted(by_module.items()):
        value = score(counts)
        if value is None:
            unjudged.append(module)
            continue
        n = sum(counts.values())
        weighted += value * n
        mutants += n
    text = (
        f"modules' scores weighted by their mutants: {weighted / mutants:.1f}%" if mutants else ""
    )
    return text + (f"; nothing judged in {', '.join(unjudged)}" if unjudged else "")


def aligned(cells: list[str]) -> str:
    """The first cell left-aligned, the numbers right-aligned, in fixed widths."""
    first, *rest = cells
    return f"{first:{WIDTHS[0]}} " + " ".join(
        f"{c:>{w}}" for c, w in zip(rest, WIDTHS[1:], strict=True)
    )


def score(counts: Counter) -> float | None:
    """killed / judged in percent; None when nothing is judged yet."""
    killed = sum(counts[s] for s in KILLED)
    judged = killed + sum(counts[s] for s in SURVIVED)
    return 100.0 * killed / judged if judged else None


def wilson(killed: int, judged: int) -> tuple[float, float]:
    """95% Wilson interval of killed/judged, in percent: the score of the whole module if the
    judged mutants are a random sample of it (--sample); exact when all are judged."""
    z = 1.96
    p = killed / judged
    centre = (p + z * z / (2 * judged)) / (1 + z * z / judged)
    half = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged))
    half /= 1 + z * z / judged
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


def row(name: str, counts: Counter) -> list[str]:
    value = score(counts)
    counted = ("killed", "timeout", "survived", "no tests", "not run")
    killed = sum(counts[s] for s in KILLED)
    judged = killed + sum(counts[s] for s in SURVIVED)
    interval = "-"
    if judged and counts["not run"]:
        low, high = wilson(killed, judged)
        interval = f"{low:.0f}-{high:.0f}%"
    return [
        name,
        str(sum(counts.values())),
        *(str(counts[c]) for c in counted),
        "-" if value is None else f"{value:.1f}%",
        interval,
    ]


def indent(text: str) -> str:
    return "\n".join("      " + line for line in text.strip().splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="files to judge (default: the pure modules)")
    parser.add_argument(
        "--max-children", type=int, default=1, help="parallel mutmut workers (shared cores: 1)"
    )
    parser.add_argument("--rerun-survivors", action="store_true")
    parser.add_argument(
        "--remap", action="store_true", help="collect which tests reach each function again"
    )
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--sample", type=int, default=0, help="judge at most N random new mutants per module"
    )
    args = parser.parse_args(argv)
    if not MUTMUT.exists():
        raise SystemExit(f"{MUTMUT} missing: .venv/bin/pip install -e '.[test,bench]'")
    unknown = [m for m in args.modules if m not in PURE_MODULES]
    if unknown:
        raise SystemExit(f"not a pure module (see PURE_MODULES): {', '.join(unknown)}")

    modules = args.modules or existing_modules()
    started = time.monotonic()
    if not args.report:
        os.nice(10)  # other people's tests first; mutmut's children inherit it
        sync_tree(existing_modules())
        if args.remap:
            (WORK / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        names = to_run(modules, args.rerun_survivors, args.sample)
        if names is None:
            print("nothing to run for these modules")
        else:
            mutmut("run", "--max-children", str(args.max_children), *names)
    total = report(results(), modules, args.show, args.markdown)
    print(f"\nmodules: {', '.join(modules)}")
    shown = "-" if total is None else f"{total:.1f}%"
    print(f"score {shown} ({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
