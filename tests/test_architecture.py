"""Imports go one way (README, "How the code is laid out"), with no cycles, and bench/ never
imports tests/. Read from the source with `ast`, function-level imports included: a cycle hidden
inside a function still ties two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each module's tier, lowest first; a module may import only modules of its own tier or below.
# A new module must be placed here: that is the moment to decide where it belongs.
TIERS: tuple[tuple[str, ...], ...] = (
    # 0. declarations: the layer registry, the record schemas, the browser contract's tables
    (
        "dashboard",
        "dashboard.registry",
        "dashboard.model",
        "dashboard.contract",
        "dashboard.days",
        "dashboard.citations",
        "dashboard.traces",
        "dashboard.openapi",
        "dashboard.callback_values",
    ),
    # 1. the dataset's types and storage
    (
        "dashboard.tables",
        "dashboard.history",
        "dashboard.acled",
        "dashboard.dataset",
        "dashboard.store",
        "dashboard.columnwise",
    ),
    # 2. loading and validation
    ("dashboard.provenance", "dashboard.loading"),
    # 3. selection: what a window, the filters, a search or a step picks
    (
        "dashboard.selection",
        "dashboard.filters",
        "dashboard.stepping",
        "dashboard.search",
        "dashboard.mapview",
        "dashboard.viewstate",
        "dashboard.asof",
    ),
    # 4. what is drawn and shown: figures, the browser's data, panels, exports, views
    (
        "dashboard.scrub_data",
        "dashboard.acled_view",
        "dashboard.figures",
        "dashboard.timeline_chart",
        "dashboard.panels",
        "dashboard.exports",
        "dashboard.filters_view",
        "dashboard.export_view",
        "dashboard.search_view",
        "dashboard.hardening",
        "dashboard.stores",
    ),
    # 5. what a user's action shows
    ("dashboard.actions",),
    # 6. the page, its wiring, the HTTP routes
    ("dashboard.layout", "dashboard.callbacks", "dashboard.api", "dashboard.preload"),
    # 7. the app factory
    ("dashboard.app",),
    # 8. commands: the command line, the data build, ingestion, helpers for tests and bench
    ("dashboard.__main__", "dashboard.build", "dashboard.ingest", "dashboard.testing"),
)


def tier_of(module: str) -> int:
    """The tier of a module; a subpackage's name in TIERS covers its modules (not "dashboard")."""
    for tier, names in enumerate(TIERS):
        for name in names:
            if module == name or (name != "dashboard" and module.startswith(name + ".")):
                return tier
    raise LookupError(module)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every absolute module name `path` imports (a `from a import b` names a and a.b)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def package_graph() -> dict[str, set[str]]:
    """dashboard's modules -> the dashboard modules each imports."""
    modules = {module_name(p): p for p in (ROOT / "dashboard").rglob("*.py")}
    return {m: (imported(p) & modules.keys()) - {m} for m, p in modules.items()}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path that returns to its start), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_module_has_a_tier():
    unplaced = []
    for module in package_graph():
        try:
            tier_of(module)
        except LookupError:
            unplaced.append(module)
    assert not unplaced, f"place these in TIERS (tests/test_architecture.py): {unplaced}"


def test_no_module_imports_upward():
    upward = [
        f"{module} (tier {tier_of(module)}) imports {dep} (tier {tier_of(dep)})"
        for module, deps in package_graph().items()
        for dep in sorted(deps)
        if tier_of(dep) > tier_of(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycles():
    assert cycle(package_graph()) is None, " -> ".join(cycle(package_graph()) or [])


@pytest.mark.parametrize("folder", ["bench", "dashboard"])
def test_bench_and_the_package_never_import_tests(folder):
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / folder).rglob("*.py"))
        if ".cache" not in path.parts
        and any(name == "tests" or name.startswith("tests.") for name in imported(path))
    ]
    assert not offenders, offenders


def test_the_checks_see_what_they_guard():
    """The reader finds real imports, and the rules catch a made-up upward import and cycle."""
    graph = package_graph()
    assert "dashboard.model" in graph["dashboard.loading"]
    assert "dashboard.app" in graph["dashboard.__main__"]  # a function-level import counts
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    assert tier_of("dashboard.app") > tier_of("dashboard.selection")
    assert tier_of("dashboard.ingest.cli") == tier_of("dashboard.build.kit")
