"""`python -m dashboard publish DRAFT.json [--dry-run]`: write a reviewed draft into the data.

Functional core: `plan_publish` compares the draft's decided candidates with what is already
published and returns the problems (the same kind of messages as `check`: file, record,
field, what is wrong, what was expected), the conflicts, the changes, and the new contents
of geodata/sources/published.json. Nothing is decided for the person: a candidate is
published only with `"decision": "accept"`; an id that a curated event or another draft
owns is a conflict, never overwritten; changing or retracting a published event needs a
reason; a change that is already published is no change (publishing twice changes nothing).

Shell: `publish` writes the new published.json and history.json into a staging copy of
geodata/ (`.publish-staging/` beside it), runs the same data build and the same validation
as `check` there, and only then swaps the changed files in. The swap is journalled: the
list of files is committed (an atomic rename) before the first file moves, so a crash
before the commit leaves geodata/ untouched and a crash after it is completed by the next
`publish` (or `publish --recover`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dashboard.citations import find_citations
from dashboard.history import ChangeKind
from dashboard.loading import PUBLISH_STAGING, Problem
from dashboard.model import Document, EventProperties

STAGING = PUBLISH_STAGING  # beside geodata/; the loader refuses data while its COMMIT exists
COMMIT = "COMMIT"
DATE_FIELDS = ("date_start", "date_end", "time_precision", "date_basis", "date_as_written")
PLACE_FIELDS = ("place_id", "geo_precision")
# the same kinds for ACLED rows: their own date and location columns
_REDATING = (*DATE_FIELDS, "event_date", "acled_time_precision")
_RELOCATING = (*PLACE_FIELDS, "lon", "lat", "location", "acled_geo_precision")
EVENT_FIELDS = (
    "id",
    "title",
    "summary",
    "actors",
    "event_type",
    *DATE_FIELDS,
    *PLACE_FIELDS,
    "place_note",
    "document_id",
    "passage",
    "uncited_reason",
    "sources",  # reports and official statements read elsewhere (model.ReportSource)
    "confidence",
    "claims",
    "disagreements",
)


@dataclass
class Plan:
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # history records, unnumbered
    published: dict[str, Any] = field(default_factory=dict)  # new published.json

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflicts


@dataclass(frozen=True)
class Context:
    """What the plan is checked against (read by the shell, plain data here)."""

    published: Mapping[str, Any]  # current published.json
    curated_events: frozenset[str]
    curated_documents: frozenset[str]
    places: Mapping[str, bool]  # place id -> has coordinates
    text: str | None  # the article's text (None: not found)
    retracted: frozenset[str] = frozenset()  # ids already retracted (history): no-op again


def _problem_list(error: ValidationError, file: str, record: str, prefix: str = ""):
    for err in error.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        fld = f"{prefix}.{loc}" if prefix and loc else (loc or prefix)
        got = "" if err["type"] == "missing" else f", got {err.get('input')!r}"[:90]
        expected = "an ISO date YYYY-MM-DD" if err["type"].startswith("date") else ""
        if err["type"] == "missing":
            expected = "the field to be present"
        yield Problem(file, record, fld, err["msg"] + got, expected)


def _event_record(candidate: Mapping[str, Any], document_id: str, source: str) -> dict[str, Any]:
    record = {k: candidate.get(k) for k in EVENT_FIELDS if k != "document_id"}
    record["document_id"] = document_id
    for key, empty in (
        ("place_note", ""),
        ("sources", []),
        ("claims", []),
        ("disagreements", []),
    ):  # optional in a draft
        if record.get(key) is None:
            record[key] = empty
    if not (record.get("uncited_reason") or "").strip():
        record.pop("uncited_reason", None)
    record["citations"] = list(candidate.get("citations") or [])
    record["draft"] = source
    return record


def _kinds(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[ChangeKind, dict]:
    """Which kinds of change turn `old` into `new`, each with its fields' [old, new]."""
    kinds: dict[ChangeKind, dict] = {}
    for key in sorted(set(old) | set(new)):
        if key == "draft" or old.get(key) == new.get(key):
            continue
        kind = (
            ChangeKind.REDATED
            if key in _REDATING
            else ChangeKind.RELOCATED
            if key in _RELOCATING
            else ChangeKind.EDITED
        )
        kinds.setdefault(kind, {})[key] = [old.get(key), new.get(key)]
    return kinds


def _plan_change(
    plan: Plan, event_id: str, change: str, reason: str, fields: dict | None = None
) -> None:
    """Record one change of one event in `plan` (the history entry publish will write)."""
    plan.changes.append(
        {"event_id": event_id, "change": change, "fields": fields or {}, "reason": reason}
    )


def _plan_changes(
    plan: Plan, event_id: str, kinds: Mapping[ChangeKind, dict] | None, reason: str
) -> None:
    """Record what happens to one event: `kinds` from _kinds, or None for a new one."""
    if kinds is None:
        _plan_change(plan, event_id, "added", reason)
        return
    for kind, fields in kinds.items():
        _plan_change(plan, event_id, kind.value, reason, fields)


def plan_publish(draft: Any, name: str, ctx: Context) -> Plan:
    """What publishing `draft` (parsed JSON, file `name`) would do. Pure."""
    plan = Plan()
    add = plan.problems.append
    if not isinstance(draft, Mapping) or draft.get("format") != "karabakh-draft/1":
        add(Problem(name, "", "format", "not a draft", '"format": "karabakh-draft/1"'))
        return plan
    if draft.get("source") != "article":
        add(Problem(name, "", "source", f"is {draft.get('source')!r}", "'article'"))
        return plan
    try:
        document = Document.model_validate(draft.get("document"))
    except ValidationError as exc:
        plan.problems.extend(_problem_list(exc, name, "document", ""))
        return plan
    source = document.id
    if document.id in ctx.curated_documents:
        plan.conflicts.append(
            Problem(
                name,
                "document",
                "id",
                f"{document.id!r} is a curated document",
                "a new document id (curated records are never overwritten)",
            )
        )
    text = ctx.text
    if text is None:
        add(
            Problem(
                name,
                "document",
                "text_path",
                f"{document.text_path} not found",
                "the article inside the project (seeds/)",
            )
        )
        return plan
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if draft.get("text_sha256") != sha:
        add(
            Problem(
                name,
                "",
                "text_sha256",
                f"{document.text_path} changed since the draft was made",
                "re-run ingest on the article as it is now",
            )
        )
    citations_in_text = {
        (c.kind, c.outlet, c.date.isoformat(), c.as_written)
        for p in find_citations(text, document.published)
        for c in p.citations
    }
    candidates = draft.get("candidates")
    if not isinstance(candidates, list):
        add(Problem(name, "", "candidates", "missing or not a list", "a list of candidates"))
        return plan

    existing = {e["id"]: e for e in ctx.published.get("events", [])}
    mine = {i for i, e in existing.items() if e.get("draft") == source}
    seen: dict[str, int] = {}
    kept: dict[str, dict[str, Any]] = {i: existing[i] for i in mine}
    for index, candidate in enumerate(candidates):
        label = f"#{index}"
        if not isinstance(candidate, Mapping):
            add(Problem(name, label, "", "not an object", "a candidate object"))
            continue
        cid = candidate.get("id")
        label = cid if isinstance(cid, str) and cid else label
        if isinstance(cid, str) and cid in seen:
            add(
                Problem(
                    name,
                    label,
                    "id",
                    f"duplicate id (also candidate #{seen[cid]})",
                    "ids unique within the draft",
                )
            )
            continue
        seen[str(cid)] = index
        decision = candidate.get("decision")
        reason = str(candidate.get("reason") or "").strip()
        if decision not in ("pending", "accept", "reject", "retract"):
            add(
                Problem(
                    name,
                    label,
                    "decision",
                    f"is {decision!r}",
                    "'pending', 'accept', 'reject' or 'retract'",
                )
            )
            continue
        if decision in ("pending", "reject"):
            if cid in mine:
                add(
                    Problem(
                        name,
                        label,
                        "decision",
                        f"{decision!r} but the event is published",
                        "'retract' with a reason to take it down, or 'accept'",
                    )
                )
            continue
        if decision == "retract":
            if cid not in mine and cid in ctx.retracted:
                continue  # already retracted: publishing the same draft again changes nothing
            if cid not in mine:
                add(
                    Problem(
                        name,
                        label,
                        "decision",
                        "'retract' but this draft has not published it",
                        "'reject' for an unpublished candidate",
                    )
                )
            elif not reason:
                add(Problem(name, label, "reason", "empty", "why the event is retracted"))
            else:
                kept.pop(cid)
                _plan_change(plan, cid, "retracted", reason)
            continue
        # accept
        if cid in ctx.curated_events:
            plan.conflicts.append(
                Problem(
                    name,
                    label,
                    "id",
                    "a curated event has this id",
                    "another id (curated events are never overwritten)",
                )
            )
            continue
        if cid in existing and cid not in mine:
            owner = existing[cid].get("draft")
            plan.conflicts.append(
                Problem(
                    name,
                    label,
                    "id",
                    f"published by draft {owner!r}",
                    "another id, or edit it in that draft",
                )
            )
            continue
        record = _event_record(candidate, document.id, source)
        before = len(plan.problems)
        props = {k: v for k, v in record.items() if k not in ("citations", "draft")}
        try:
            event = EventProperties.model_validate(props)
        except ValidationError as exc:
            plan.problems.extend(_problem_list(exc, name, label))
            continue
        _check_event(event, record, candidate, text, citations_in_text, ctx, name, label, add)
        if len(plan.problems) > before:
            continue
        record = {**record, **event.model_dump(mode="json", exclude_none=True)}
        if cid in mine:
            kinds = _kinds(existing[cid], record)
            if kinds and not reason:
                add(
                    Problem(
                        name,
                        label,
                        "reason",
                        f"empty, but this changes the published "
                        f"event ({', '.join(k.value for k in kinds)})",
                        "why it changes (recorded in the history)",
                    )
                )
                continue
        else:
            kinds = None
        _plan_changes(plan, cid, kinds, reason)
        kept[cid] = record

    documents = [d for d in ctx.published.get("documents", []) if d.get("id") != document.id]
    events = [e for e in ctx.published.get("events", []) if e.get("id") not in mine]
    events += [kept[i] for i in sorted(kept)]
    if any(e.get("document_id") == document.id for e in events):
        documents.append({**document.model_dump(mode="json"), "text_sha256": sha})
    documents.sort(key=lambda d: d["id"])
    events.sort(key=lambda e: e["id"])
    plan.published = {"documents": documents, "events": events}
    return plan


def plan_acled(
    draft: Any, name: str, published: Mapping[str, Any], retracted: frozenset[str] = frozenset()
) -> Plan:
    """What publishing an ACLED draft would do (published: the current acled.json). Pure.

    ACLED rows are their own source: ids are "acled-<event_id_cnty>", never a curated id.
    Updates and deletions come from ACLED; the person still decides, and the draft's reason
    (pre-filled by import-acled with ACLED's timestamps) goes into the history.
    """
    from dashboard.acled import AcledEventProperties

    plan = Plan()
    add = plan.problems.append
    candidates = draft.get("candidates") if isinstance(draft, Mapping) else None
    if not isinstance(candidates, list):
        add(Problem(name, "", "candidates", "missing or not a list", "a list of candidates"))
        return plan
    existing = {e["id"]: e for e in published.get("events", [])}
    kept = dict(existing)
    seen: set[str] = set()
    for index, candidate in enumerate(candidates):
        if not isinstance(candidate, Mapping):
            add(Problem(name, f"#{index}", "", "not an object", "a candidate object"))
            continue
        cid = str(candidate.get("id") or f"#{index}")
        if cid in seen:
            add(Problem(name, cid, "id", "duplicate id", "ids unique within the draft"))
            continue
        seen.add(cid)
        decision = candidate.get("decision")
        reason = str(candidate.get("reason") or "").strip()
        if decision not in ("pending", "accept", "reject", "retract"):
            add(
                Problem(
                    name,
                    cid,
                    "decision",
                    f"is {decision!r}",
                    "'pending', 'accept', 'reject' or 'retract'",
                )
            )
            continue
        if decision in ("pending", "reject"):
            continue
        if decision == "retract":
            if cid not in existing and cid in retracted:
                continue  # already retracted: publishing the same draft again changes nothing
            if cid not in existing:
                add(Problem(name, cid, "decision", "'retract' but it is not published", "'reject'"))
            elif not reason:
                add(Problem(name, cid, "reason", "empty", "why it is retracted"))
            else:
                kept.pop(cid)
                _plan_change(plan, cid, "retracted", reason)
            continue
        event = candidate.get("event")
        if not isinstance(event, Mapping):
            add(Problem(name, cid, "event", "missing", "the ACLED row as import-acled wrote it"))
            continue
        props = {k: v for k, v in event.items() if k not in ("lon", "lat")}
        try:
            parsed = AcledEventProperties.model_validate(props)
        except ValidationError as exc:
            plan.problems.extend(_problem_list(exc, name, cid, "event"))
            continue
        if parsed.id != cid:
            add(Problem(name, cid, "event.id", f"is {parsed.id!r}", f"{cid!r}, the candidate's id"))
            continue
        lon, lat = event.get("lon"), event.get("lat")
        if not (
            isinstance(lon, int | float)
            and isinstance(lat, int | float)
            and -180 <= lon <= 180
            and -90 <= lat <= 90
        ):
            add(
                Problem(
                    name,
                    cid,
                    "event.lon/lat",
                    f"{lon!r}, {lat!r}",
                    "longitude -180..180 and latitude -90..90",
                )
            )
            continue
        record = {**parsed.model_dump(mode="json"), "lon": lon, "lat": lat}
        if cid in existing:
            kinds = _kinds(existing[cid], record)
            if kinds and not reason:
                add(
                    Problem(
                        name,
                        cid,
                        "reason",
                        "empty, but this changes a published row",
                        "why it changes",
                    )
                )
                continue
        else:
            kinds = None
        _plan_changes(plan, cid, kinds, reason)
        kept[cid] = record
    plan.published = {"events": [kept[i] for i in sorted(kept)]}
    return plan


def _check_event(event, record, candidate, text, citations_in_text, ctx, name, label, add):
    span = event.passage
    if span.end > len(text):
        add(
            Problem(
                name,
                label,
                "passage",
                f"{span.start}-{span.end} is outside the text ({len(text)} characters)",
                "offsets inside the article",
            )
        )
    elif not text[span.start : span.end].strip():
        add(Problem(name, label, "passage", "covers only whitespace", "the passage's offsets"))
    elif "passage_text" in candidate and candidate["passage_text"] != text[span.start : span.end]:
        add(
            Problem(
                name,
                label,
                "passage_text",
                "differs from the article at these offsets",
                "passage and passage_text to agree (edit the offsets, not the text)",
            )
        )
    if event.place_id not in ctx.places:
        add(
            Problem(
                name,
                label,
                "place_id",
                f"unknown place {event.place_id!r}",
                "an id in geodata/places.geojson (add the place to the gazetteer first)",
            )
        )
    elif not ctx.places[event.place_id] and event.geo_precision.value != "off-map":
        add(
            Problem(
                name,
                label,
                "geo_precision",
                f"place {event.place_id!r} has no coordinates",
                "'off-map'",
            )
        )
    elif ctx.places[event.place_id] and event.geo_precision.value == "off-map":
        add(
            Problem(
                name,
                label,
                "geo_precision",
                "'off-map' for a place with coordinates",
                "exact, settlement, region or country",
            )
        )
    for i, c in enumerate(record["citations"]):
        key = tuple(c.get(k) for k in ("kind", "outlet", "date", "as_written"))
        if key not in citations_in_text:
            add(
                Problem(
                    name,
                    label,
                    f"citations.{i}",
                    f"{c} is not a citation of the article",
                    "citations as python -m dashboard.citations prints them",
                )
            )
    if not record["citations"] and not (event.uncited_reason or "").strip():
        add(
            Problem(
                name,
                label,
                "uncited_reason",
                "empty and the event has no citation",
                "why no source is cited (own words)",
            )
        )


# --------------------------------------------------------------------------- the shell


def describe(plan: Plan) -> list[str]:
    lines = []
    for change in plan.changes:
        fields = "; ".join(f"{k}: {o!r} -> {n!r}" for k, (o, n) in change["fields"].items())
        reason = f" (reason: {change['reason']})" if change["reason"] else ""
        lines.append(
            f"  {change['change']:<9} {change['event_id']}"
            + (f": {fields}" if fields else "")
            + reason
        )
    return lines


def recover(root: Path) -> str | None:
    """Finish a publish interrupted after its commit, or drop one interrupted before it."""
    staging = root / STAGING
    if not staging.exists():
        return None
    commit = staging / COMMIT
    if commit.is_file():
        for rel in json.loads(commit.read_text(encoding="utf-8"))["files"]:
            src = staging / "geodata" / rel
            if src.exists():
                _replace(src, root / "geodata" / rel)
        shutil.rmtree(staging)
        return "completed an interrupted publish"
    shutil.rmtree(staging)
    return "discarded an unfinished publish (geodata/ was not touched)"


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def stage_and_swap(root: Path, sources: dict[str, Any]) -> list[str]:
    """Build and validate in a staging copy, then swap the changed files in (journalled)."""
    from dashboard.build.events import BuildError, build_all
    from dashboard.ingest.files import dump_json, write_atomically
    from dashboard.loading import DataError, load_dataset

    staging = root / STAGING
    shutil.copytree(root / "geodata", staging / "geodata")
    if (root / "seeds").exists():  # a copy: the loader refuses texts outside its project
        shutil.copytree(root / "seeds", staging / "seeds")
    for name, data in sources.items():  # e.g. published.json, history.json
        _write(staging / "geodata" / "sources" / name, dump_json(data))
    try:
        outputs = build_all(staging)
    except BuildError as exc:
        shutil.rmtree(staging)
        raise PublishError([f"the data build refused the result: {exc}"]) from None
    for rel, text in outputs.items():
        _write(staging / rel, text)
    try:
        load_dataset(staging / "geodata")
    except DataError as exc:
        shutil.rmtree(staging)
        raise PublishError([f"validation refused the result:\n{exc.report()}"]) from None
    changed = []
    for path in sorted((staging / "geodata").rglob("*")):
        if path.is_file():
            rel = path.relative_to(staging / "geodata").as_posix()
            target = root / "geodata" / rel
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                changed.append(rel)
    write_atomically(staging / COMMIT, json.dumps({"files": changed}))  # the commit point
    for rel in changed:
        _replace(staging / "geodata" / rel, root / "geodata" / rel)
    shutil.rmtree(staging)
    return changed


class PublishError(Exception):
    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
