"""The commands that turn new sources into published data (`python -m dashboard <command>`):

    ingest PATH --published YYYY-MM-DD [--title T --author A --url U ...] --out DRAFT.json
    publish DRAFT.json [--dry-run]
    import-acled FILE.csv --out DRAFT.json [--decision accept]
    draft-csv DRAFT.json (--out REVIEW.csv | --apply REVIEW.csv)

A thin shell over the pure functions of `dashboard.ingest`: read files, call, print, write
atomically. Errors print one line per problem (file, record, field, what is wrong) and exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from dashboard.build.kit import slug
from dashboard.citations import find_unread
from dashboard.ingest.draft import IngestError, article_draft, article_text
from dashboard.ingest.files import dump_json, write_atomically
from dashboard.ingest.passages import propose
from dashboard.ingest.places import gazetteer_from_places

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ERA_START = dt.date(2020, 11, 10)  # the armistice: the map's first day


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _gazetteer(data_dir: Path):
    places = json.loads((data_dir / "places.geojson").read_text(encoding="utf-8"))
    return gazetteer_from_places(f["properties"] for f in places["features"])


def _text_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def ingest(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.is_file():
        raise IngestError(f"{path}: no such file (expected a plain-text article)")
    text = article_text(path.read_bytes(), str(path), args.max_bytes)
    root = args.data_dir.resolve().parent
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    document = {
        "id": args.id or slug(path.stem).replace("-", "_") or "article",
        "title": args.title or first_line[:200],
        "author": args.author or "",
        "publisher": args.publisher or "",
        "series": args.series or args.publisher or "",
        "volume": args.volume,
        "issue": args.issue,
        "published": args.published.isoformat(),
        "published_precision": args.published_precision,
        "url": args.url or "",
        "text_path": _text_path(path, root),
    }
    candidates = propose(text, args.published, _gazetteer(args.data_dir), args.not_before)
    unread = find_unread(text, args.published)
    draft = article_draft(document, text, candidates, unread)
    missing = [k for k in ("author", "publisher", "url") if not document[k]]
    write_atomically(args.out, dump_json(draft))
    cited = sum(len(c["citations"]) for c in draft["candidates"])
    print(f"{path}: {len(candidates)} candidates, {cited} citations -> {args.out}")
    for u in unread:
        print(f"warning: {path} characters {u.start}-{u.end} {u.text!r}: {u.reason}")
    if missing:
        print(f"note: document fields to fill in the draft before publishing: {missing}")
    if document["text_path"].startswith("/"):
        print(f"note: {path} is outside the project: copy it into seeds/ before publishing")
    return 0


def _read_draft(path: Path) -> Any:
    if not path.is_file():
        raise IngestError(f"{path}: no such file (expected a draft from ingest or import-acled)")
    raw = path.read_bytes()
    if len(raw) > 50_000_000:
        raise IngestError(f"{path}: {len(raw):,} bytes is too large for a draft")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None


def _json_file(path: Path, default: Any) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default


def _article_text(root: Path, draft: Any) -> str | None:
    try:
        text_path = draft["document"]["text_path"]
        path = (root / text_path).resolve()
    except (KeyError, TypeError):
        return None
    if root.resolve() not in path.parents or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def publish(args: argparse.Namespace) -> int:
    from dashboard.ingest.publish import (
        plan_acled,
        recover,
    )

    data_dir: Path = args.data_dir.resolve()
    root = data_dir.parent
    recovered = recover(root)
    if recovered:
        print(f"note: {recovered}")
    if args.draft is None:
        return 0
    draft = _read_draft(args.draft)
    sources = data_dir / "sources"
    retracted = _retracted(sources)
    if isinstance(draft, dict) and draft.get("source") == "acled":
        target, owner = "acled.json", "acled"
        published = _json_file(sources / target, {"events": []})
        plan = plan_acled(draft, str(args.draft), published, retracted)
    else:
        target, owner = "published.json", None
        published = _json_file(sources / target, {"documents": [], "events": []})
        plan = _plan_article(draft, args, data_dir, root, published, retracted)
    return _apply(plan, draft, args, sources, root, target, owner or _owner(draft), published)


def _retracted(sources: Path) -> frozenset[str]:
    """Ids whose last recorded change is a retraction."""
    last: dict[str, str] = {}
    history = _json_file(sources / "history.json", {"changes": []})
    for change in history.get("changes", []):
        last[change.get("event_id")] = change.get("change")
    return frozenset(i for i, kind in last.items() if kind == "retracted")


def _owner(draft: Any) -> str:
    try:
        return str(draft["document"]["id"])
    except (KeyError, TypeError):
        return "draft"


def _plan_article(
    draft: Any, args: argparse.Namespace, data_dir: Path, root: Path, published, retracted
):
    from dashboard.ingest.publish import Context, plan_publish

    sources = data_dir / "sources"
    places = _json_file(data_dir / "places.geojson", {"features": []})
    context = Context(
        published=published,
        curated_events=frozenset(
            e["id"] for e in _json_file(sources / "events_curated.json", {"events": []})["events"]
        ),
        curated_documents=frozenset(
            d["id"] for d in _json_file(sources / "documents_curated.json", [])
        ),
        places={f["properties"]["id"]: f["geometry"] is not None for f in places["features"]},
        text=_article_text(root, draft),
        retracted=retracted,
    )
    return plan_publish(draft, str(args.draft), context)


def _apply(plan, draft, args, sources: Path, root: Path, target: str, owner: str, published):
    from dashboard.history import History
    from dashboard.ingest.publish import PublishError, describe, now_utc, stage_and_swap

    if not plan.ok:
        lines = [f"{len(plan.problems) + len(plan.conflicts)} problem(s); nothing published:"]
        lines += [f"  - conflict: {c}" for c in plan.conflicts]
        lines += [f"  - {p}" for p in plan.problems]
        print("\n".join(lines), file=sys.stderr)
        return 1
    if not plan.changes and plan.published == published:
        print(f"{args.draft}: nothing to publish (already as the draft says)")
        return 0
    history = History.model_validate(
        _json_file(sources / "history.json", {"data_version": 0, "changes": []})
    )  # checked by the build before (a bad file stops the staging build below)
    version = history.data_version + (1 if plan.changes else 0)
    stamp = now_utc()
    new_changes = [
        {
            "version": version,
            "published_at": stamp.isoformat().replace("+00:00", "Z"),
            "draft": owner,
            **change,
        }
        for change in plan.changes
    ]
    new_history = {
        "data_version": version,
        "changes": [c.model_dump(mode="json") for c in history.changes] + new_changes,
    }
    verb = "would publish" if args.dry_run else "publishing"
    print(f"{args.draft}: {verb} {len(plan.changes)} change(s) as data version {version}:")
    print("\n".join(describe(plan)))
    if args.dry_run:
        return 0
    try:
        changed = stage_and_swap(root, {target: plan.published, "history.json": new_history})
    except PublishError as exc:
        print("\n".join(["nothing published:", *exc.lines]), file=sys.stderr)
        return 1
    print(f"wrote {', '.join('geodata/' + c for c in changed)}")
    return 0


def import_acled(args: argparse.Namespace) -> int:
    from dashboard.acled import compare, parse_export

    path: Path = args.file
    if not path.is_file():
        raise IngestError(f"{path}: no such file (expected an ACLED CSV export)")
    raw = path.read_bytes()
    if len(raw) > args.max_bytes:
        raise IngestError(f"{path}: {len(raw):,} bytes is too large (limit {args.max_bytes:,})")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            f"{path}: binary data (NUL byte at byte {nul}); expected an ACLED CSV export"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    events, problems = parse_export(text)
    if problems:
        lines = [f"{path}: {len(problems)} problem(s); no draft written:"]
        lines += [f"  - {path} {p}" for p in problems[:200]]
        if len(problems) > 200:
            lines.append(f"  ... and {len(problems) - 200} more")
        print("\n".join(lines), file=sys.stderr)
        return 1
    published = _json_file(args.data_dir / "sources" / "acled.json", {"events": []})["events"]
    report = compare(events, published)
    by_id = {e["id"]: e for e in events}
    old = {e["id"]: e for e in published}
    candidates = []
    for event_id in report["new"]:
        candidates.append(
            {
                "id": event_id,
                "decision": args.decision,
                "change": "new",
                "reason": "",
                "event": by_id[event_id],
            }
        )
    for event_id in report["updated"]:
        before, after = old[event_id], by_id[event_id]
        changed = sorted(k for k in after if before.get(k) != after.get(k))
        candidates.append(
            {
                "id": event_id,
                "decision": args.decision,
                "change": "updated",
                "changed_fields": changed,
                "reason": f"ACLED changed the row (timestamp {before.get('timestamp')} -> "
                f"{after.get('timestamp')}; {', '.join(changed)})",
                "event": after,
            }
        )
    for event_id in report["deleted"]:
        candidates.append(
            {
                "id": event_id,
                "decision": "pending",
                "change": "deleted",
                "reason": f"not in ACLED's export {path.name}: deleted by ACLED",
                "proposed_decision": "retract",
            }
        )
    draft = {
        "format": "karabakh-draft/1",
        "source": "acled",
        "file": path.name,
        "report": {k: len(v) for k, v in report.items()},
        "candidates": candidates,
    }
    write_atomically(args.out, dump_json(draft))
    counts = ", ".join(f"{len(v)} {k}" for k, v in report.items())
    print(f"{path}: {len(events)} rows: {counts} -> {args.out}")
    for event_id in report["updated"]:
        print(f"  updated: {event_id}")
    for event_id in report["deleted"]:
        print(f"  deleted by ACLED (set decision 'retract' to take it down): {event_id}")
    return 0


def draft_csv(args: argparse.Namespace) -> int:
    from dashboard.ingest.review_csv import apply_csv, draft_to_csv

    draft = _read_draft(args.draft)
    if not isinstance(draft, dict) or draft.get("source") != "article":
        raise IngestError(f"{args.draft}: not an article draft (expected one from ingest)")
    if args.apply is None:
        write_atomically(args.out, draft_to_csv(draft))
        print(f"{args.draft}: {len(draft.get('candidates', []))} candidates -> {args.out}")
        return 0
    path: Path = args.apply
    if not path.is_file():
        raise IngestError(f"{path}: no such file (expected the reviewed spreadsheet as CSV)")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    updated, problems = apply_csv(draft, text, str(path))
    if problems:
        print("\n".join([f"{len(problems)} problem(s); the draft is unchanged:", *problems]),
              file=sys.stderr)  # fmt: skip
        return 1
    write_atomically(args.draft, dump_json(updated))
    print(f"{path}: decisions written into {args.draft}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    default_data = PROJECT_ROOT / "geodata"

    p = sub.add_parser("ingest", help="propose candidate events from a plain-text article")
    p.add_argument("path", type=Path, help="the article as UTF-8 plain text (usually in seeds/)")
    p.add_argument("--published", required=True, type=_date, help="publication date YYYY-MM-DD")
    p.add_argument(
        "--published-precision", default="day", choices=["day", "month", "year", "range"]
    )
    p.add_argument("--title")
    p.add_argument("--author")
    p.add_argument("--url")
    p.add_argument("--publisher")
    p.add_argument("--series", help="e.g. Eurasia Daily Monitor (default: the publisher)")
    p.add_argument("--volume", type=int)
    p.add_argument("--issue", type=int)
    p.add_argument("--id", help="document id (default: from the file name)")
    p.add_argument("--out", required=True, type=Path, help="the draft to write (JSON)")
    p.add_argument(
        "--not-before",
        type=_date,
        default=ERA_START,
        help="lower bound for events the text does not date (default: the armistice)",
    )
    p.add_argument("--max-bytes", type=int, default=2_000_000)
    p.add_argument("--data-dir", type=Path, default=default_data, help="geodata/ (the gazetteer)")
    p.set_defaults(run=ingest)

    p = sub.add_parser("publish", help="write a reviewed draft's decisions into geodata/")
    p.add_argument("draft", type=Path, nargs="?", help="the reviewed draft (JSON)")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument(
        "--data-dir", type=Path, default=default_data, help="the geodata/ to publish into"
    )
    p.set_defaults(run=publish)

    p = sub.add_parser("import-acled", help="turn an ACLED CSV export into a draft")
    p.add_argument("file", type=Path, help="the ACLED export (CSV, ACLED's standard columns)")
    p.add_argument("--out", required=True, type=Path, help="the draft to write (JSON)")
    p.add_argument(
        "--decision",
        choices=["pending", "accept"],
        default="pending",
        help="decision for new and updated rows (default pending: review them)",
    )
    p.add_argument("--max-bytes", type=int, default=500_000_000)
    p.add_argument("--data-dir", type=Path, default=default_data, help="geodata/ (published rows)")
    p.set_defaults(run=import_acled)

    p = sub.add_parser("draft-csv", help="a draft as a spreadsheet (CSV) and back")
    p.add_argument("draft", type=Path, help="the article draft (JSON)")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the draft's candidates as CSV here")
    group.add_argument("--apply", type=Path, help="read decisions from this CSV into the draft")
    p.set_defaults(run=draft_csv)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
