"""The READMEs and the code agree (in the style of datasette's tests/test_docs.py): every API
route, layer, command and bench script the READMEs name exists, and every one that exists is
named somewhere a reader would look.

What exists is read from the code itself (the Flask URL map, the layer registry, the command line's
own parser, the files in bench/), never from a list kept here.
"""

from __future__ import annotations

import contextlib
import fnmatch
import importlib.util
import io
import re
from pathlib import Path

import pytest

from dashboard import registry

ROOT = Path(__file__).resolve().parent.parent
READMES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in ROOT.rglob("README.md")
    if not {".venv", "mutants", "node_modules", ".git"} & set(p.relative_to(ROOT).parts)
)
LAYERS = set(registry.layer_names())


def readme(name: str) -> str:
    return (ROOT / name).read_text("utf-8")


def all_readmes() -> str:
    return "\n".join(readme(name) for name in READMES)


def test_the_readmes_are_found():
    assert {"README.md", "bench/README.md", "geodata/README.md"} <= set(READMES)


# --------------------------------------------------------------------------- API routes


def _shape(route: str) -> str:
    """`/api/layers/<string:name>.geojson` and `/api/layers/<name>.geojson` are one route."""
    return re.sub(r"<(?:\w+:)?\w+>", "<>", route)


@pytest.fixture(scope="module")
def served_routes() -> dict[str, set[str]]:
    """Route shape -> methods, for every route the app itself adds (not Dash's or Flask's)."""
    from dashboard.app import create_app

    routes: dict[str, set[str]] = {}
    for rule in create_app().server.url_map.iter_rules():
        if rule.rule in ("/", "/<path:path>") or rule.rule.startswith(
            ("/_", "/assets/", "/static/")
        ):
            continue
        routes.setdefault(_shape(rule.rule), set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return routes


def documented_routes() -> dict[str, set[str]]:
    """`GET /api/...` in backticks anywhere in the READMEs (query strings and [optional] parts
    dropped)."""
    routes: dict[str, set[str]] = {}
    for method, route in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s\[?]*)", all_readmes()):
        routes.setdefault(_shape(route), set()).add(method)
    return routes


def test_every_documented_route_is_served(served_routes):
    documented = documented_routes()
    assert documented, "no `GET /...` route found in the READMEs"
    missing = {
        f"{m} {route}"
        for route, methods in documented.items()
        for m in methods - served_routes.get(route, set())
    }
    assert not missing, f"named in a README but not served: {sorted(missing)}"


def test_every_served_route_is_documented(served_routes):
    documented = documented_routes()
    unnamed = {
        f"{m} {route}"
        for route, methods in served_routes.items()
        for m in methods - documented.get(route, set())
    }
    assert not unnamed, f"served but named in no README (add a row to its table): {sorted(unnamed)}"


# --------------------------------------------------------------------------- layers


def _layer_tokens_of_api_row() -> list[str]:
    rows = [
        line
        for line in readme("README.md").splitlines()
        if line.startswith("| `GET /api/layers/<name>.geojson`")
    ]
    assert len(rows) == 1, "README.md: expected one API row for /api/layers/<name>.geojson"
    return [t for t in re.findall(r"`([a-z_*]+)`", rows[0])]


def test_every_layer_the_readme_names_for_the_api_exists():
    tokens = _layer_tokens_of_api_row()
    assert tokens
    for token in tokens:
        assert fnmatch.filter(LAYERS, token), f"README.md names layer {token!r}: no such layer"


def test_every_layer_is_named_in_the_readme_s_api_row():
    tokens = _layer_tokens_of_api_row()
    unnamed = {layer for layer in LAYERS if not any(fnmatch.fnmatch(layer, t) for t in tokens)}
    assert not unnamed, f"layers the API serves but README.md does not name: {sorted(unnamed)}"


def test_the_data_readme_lists_exactly_the_layers():
    rows = [
        line for line in readme("geodata/README.md").splitlines() if line.startswith("| `layer`")
    ]
    assert len(rows) == 1, "geodata/README.md: expected one row for the `layer` property"
    named = set(re.findall(r"`([a-z_]+)`", rows[0])) - {"layer"}
    assert named == LAYERS, (
        f"geodata/README.md layer list: missing {sorted(LAYERS - named)}, "
        f"no such layer {sorted(named - LAYERS)}"
    )


# --------------------------------------------------------------------------- commands


def _run_main(argv: list[str]) -> tuple[int, str]:
    from dashboard.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue()


def _is_subcommand(name: str) -> bool:
    """Black box: `python -m dashboard NAME --help` succeeds."""
    return _run_main([name, "--help"])[0] == 0


def subcommands() -> set[str]:
    """What `python -m dashboard` accepts as its first word: the choices its help shows,
    plus the commands it hands on to another parser (if they answer --help)."""
    import dashboard.__main__ as entry

    code, usage = _run_main(["--help"])
    assert code == 0
    candidates = {c for group in re.findall(r"\{([\w,-]+)\}", usage) for c in group.split(",")}
    candidates |= set(getattr(entry, "SOURCE_COMMANDS", ()))
    return {c for c in candidates if _is_subcommand(c)}


def named_invocations() -> list[tuple[str, str | None]]:
    """(module, first word or None) for every `python -m MODULE [word]` in the READMEs."""
    found = []
    for module, rest in re.findall(r"python -m ([\w.]+)([^\n`]*)", all_readmes()):
        word = re.match(r" ([a-z][a-z-]*)\b", rest)
        found.append((module, word.group(1) if word else None))
    return found


def runnable_modules() -> set[str]:
    """Every module under dashboard/ that `python -m` can run."""
    found = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if path.name == "__main__.py":
            found.add(".".join(parts[:-1]))
        elif re.search(r'^if __name__ == "__main__":', path.read_text("utf-8"), re.MULTILINE):
            found.add(".".join(parts))
    return found


def test_every_named_command_runs():
    runnable = runnable_modules()
    known = subcommands()
    named = named_invocations()
    assert ("dashboard", "check") in named
    for module, word in named:
        assert module in runnable, f"`python -m {module}` is named but is not runnable"
        assert importlib.util.find_spec(module) is not None
        if module == "dashboard" and word is not None:
            assert word in known, f"`python -m dashboard {word}`: no such command ({known})"


def test_every_command_is_named():
    named = named_invocations()
    modules = {module for module, _ in named}
    unnamed = runnable_modules() - modules
    assert not unnamed, f"runnable with python -m but named in no README: {sorted(unnamed)}"
    words = {word for module, word in named if module == "dashboard"}
    words |= {"serve"} if ("dashboard", None) in named else set()  # the default command
    unnamed_words = subcommands() - words
    assert not unnamed_words, f"`python -m dashboard` commands named in no README: {unnamed_words}"


def test_a_made_up_command_is_not_taken_for_one():
    assert not _is_subcommand("no-such-command")
    assert "check" in subcommands()


# --------------------------------------------------------------------------- bench scripts


def bench_files() -> set[str]:
    return {p.name for p in (ROOT / "bench").iterdir() if p.suffix in (".py", ".lua")}


def test_every_bench_script_is_named_in_the_bench_readme():
    text = readme("bench/README.md")
    unnamed = {name for name in bench_files() if f"`{name}`" not in text}
    assert not unnamed, f"bench/ files named nowhere in bench/README.md: {sorted(unnamed)}"


def test_every_bench_script_a_readme_names_exists():
    named = set(re.findall(r"`([\w-]+\.(?:py|lua))`", readme("bench/README.md")))
    named |= set(re.findall(r"\bbench/([\w-]+\.(?:py|lua))\b", all_readmes()))
    missing = named - bench_files() - _files_elsewhere(named)
    assert not missing, f"named in a README but not in bench/: {sorted(missing)}"


def _files_elsewhere(names: set[str]) -> set[str]:
    """Backticked names of files outside bench/ (e.g. `conftest.py`) that exist in the repo."""
    return {n for n in names if n not in bench_files() and list(ROOT.glob(f"[!.]*/{n}"))}
