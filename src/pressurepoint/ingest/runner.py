"""One run: parse a file completely, check it, then write it in one transaction.

Nothing touches the store until the whole file has parsed and passed the source's data
assertions, so a bad file leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import logging
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError, PressurepointError
from pressurepoint.ingest.context import STATUS_PROP, ParseContext
from pressurepoint.ingest.files import archive_file, check_not_junk, sha256_of
from pressurepoint.model import Entity, Issue, RunInfo, Value, statements_of
from pressurepoint.sources import get_source
from pressurepoint.sources.spec import FileFormat, SourceSpec, plain_name
from pressurepoint.store import Store

log = logging.getLogger(__name__)


@dataclass
class LoadRequest:
    """What to load: one main file of a source, its companions, and what the caller knows."""

    source: str
    path: Path
    companions: list[Path] = field(default_factory=list)
    published: str | None = None  # caller's date when the file states none (mirror folder)
    fetched_at: str | None = None
    strict: bool = False  # apply absolute minimum record counts (official downloads)


@dataclass
class LoadResult:
    source: str
    file_name: str
    outcome: str  # "loaded" | "unchanged"
    run_id: int | None = None
    info: RunInfo | None = None
    issues: list[Issue] = field(default_factory=list)
    # Seconds spent in each step ("parse", "check", "statements", "write"), for
    # benchmarks and logs.
    seconds: dict[str, float] = field(default_factory=dict)


def now_stamp() -> str:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()


def load(store: Store, settings: Settings, request: LoadRequest) -> LoadResult:
    """Load one file into the store, or raise a PressurepointError naming what went wrong."""
    with _collector_paused():
        return _load(store, settings, request)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A run holds millions of small objects (entities, values, statement rows) until it is
    written, and none of them forms a reference cycle; Python's cyclic garbage collector
    would walk them all again and again and find nothing. Reference counting still frees
    everything; the collector resumes when the run is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(store: Store, settings: Settings, request: LoadRequest) -> LoadResult:
    spec = get_source(request.source)
    fmt = _format_of(spec, request.path)
    try:
        check_not_junk(request.path)
    except FormatError as exc:
        raise FormatError(f"{spec.id}: {exc}") from exc
    file_hashes = {p: sha256_of(p) for p in [request.path, *request.companions]}
    run_sha = _combined_sha(file_hashes)
    if store.has_loaded(spec.id, run_sha) is not None:
        return LoadResult(spec.id, request.path.name, "unchanged")
    clock = _Clock()
    ctx = ParseContext(source=spec, path=request.path,
                       companions={plain_name(p.name): p for p in request.companions})
    entities = _parse(spec, fmt, ctx)
    clock.lap("parse")
    fetched_at = request.fetched_at or now_stamp()
    published, basis = _published(ctx, request, fetched_at)
    decide_statuses(entities, published)
    info = _run_info(spec, fmt, request, entities, ctx.issues, (run_sha, fetched_at,
                                                                 published, basis))
    _check_assertions(store, spec, info, request)
    files = [_archive(settings, p, sha) for p, sha in file_hashes.items()]
    clock.lap("check")
    statements = list(statements_of(spec.id, entities))
    del entities  # the statements hold all that is written
    info = _with_statement_count(info, len(statements))
    clock.lap("statements")
    run_id = store.write_run(info, statements, ctx.issues, files)
    clock.lap("write")
    return LoadResult(spec.id, request.path.name, "loaded", run_id, info, ctx.issues,
                      clock.seconds)


class _Clock:
    """Seconds between laps, by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = now - self._last
        self._last = now


def _format_of(spec: SourceSpec, path: Path) -> FileFormat:
    fmt = spec.format_for(path.name)
    if fmt is None:
        expected = ", ".join(p for f in spec.formats for p in f.main)
        raise FormatError(f"{spec.id}: {path.name}: not a file of this source "
                          f"(expected one of: {expected})")
    if not path.is_file():
        raise FormatError(f"{spec.id}: {path}: no such file")
    return fmt


def _combined_sha(hashes: dict[Path, str]) -> str:
    if len(hashes) == 1:
        return next(iter(hashes.values()))
    digest = hashlib.sha256()
    for path, sha in sorted(hashes.items(), key=lambda item: plain_name(item[0].name)):
        digest.update(f"{plain_name(path.name)}:{sha}\n".encode())
    return digest.hexdigest()


def _parse(spec: SourceSpec, fmt: FileFormat, ctx: ParseContext) -> list[Entity]:
    """Run the parser to the end, merging records that share an id."""
    where = f"{spec.id}: {ctx.path.name}"
    try:
        merged: dict[str, Entity] = {}
        for entity in fmt.parser(ctx, ctx.path):
            known = merged.get(entity.id)
            if known is None:
                merged[entity.id] = entity
            else:
                _merge_into(ctx, known, entity)
        return list(merged.values())
    except FormatError as exc:
        raise FormatError(f"{where}: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise FormatError(f"{where}: broken XML at line {exc.lineno}: {exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise FormatError(f"{where}: unreadable encoding at byte {exc.start}: {exc.reason}"
                          ) from exc
    except (csv.Error, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise FormatError(f"{where}: cannot read file ({type(exc).__name__}: {exc})") from exc
    except PressurepointError:
        raise
    except Exception as exc:
        log.debug("parser failure", exc_info=True)
        raise FormatError(f"{where}: parser failed ({type(exc).__name__}: {exc})") from exc


def _merge_into(ctx: ParseContext, known: Entity, entity: Entity) -> None:
    if entity.schema != known.schema:
        from followthemoney import model

        common = model.common_schema(known.schema, entity.schema)
        known.schema = common.name
    for prop, value in entity.values():
        known.put(prop, value)


def _published(ctx: ParseContext, request: LoadRequest, fetched_at: str) -> tuple[str, str]:
    if ctx.published_at:
        return ctx.published_at, ctx.published_basis or "stated in the file"
    if request.published:
        from pressurepoint.ingest.context import parse_published

        stamp = parse_published(request.published)
        if stamp is None:
            raise FormatError(f"cannot read the given publication date {request.published!r}")
        return stamp, "given by the caller"
    return fetched_at, "time of fetching (the file states no date)"


def decide_statuses(entities: Iterable[Entity], published: str) -> None:
    """Give every designation without a stated status one, with the rule that decided it."""
    # Rule texts hold no publication date: the date is the statement's first/last seen,
    # and a text that changed with every file would add a statement per run.
    day = published[:10]
    for entity in entities:
        if entity.schema != "Sanction" or entity.props.get(STATUS_PROP):
            continue
        ends = [e for e in entity.get("endDate") if e[:10] <= day]
        if ends:
            status, rule = "lifted", f"end date {max(ends)} had passed when the file was published"
        else:
            status, rule = "active", "listed in the file, with no end date passed"
        entity.props[STATUS_PROP] = [Value(status)]
        entity.props["pp:statusRule"] = [Value(rule)]


def _run_info(spec: SourceSpec, fmt: FileFormat, request: LoadRequest,
              entities: list[Entity], issues: list[Issue], stamps: tuple[str, ...]) -> RunInfo:
    sha, fetched_at, published, basis = stamps
    by_schema = Counter(e.schema for e in entities if e.is_target)
    names = [request.path.name, *(p.name for p in request.companions)]
    return RunInfo(
        source=spec.id, file_name=", ".join(names), sha256=sha, fetched_at=fetched_at,
        published_at=published, published_basis=basis, records=sum(by_schema.values()),
        records_by_schema=dict(sorted(by_schema.items())), entities=len(entities),
        issues=len(issues), outcome="ok" if not issues else "ok_with_issues", format=fmt.name,
    )


def _with_statement_count(info: RunInfo, count: int) -> RunInfo:
    from dataclasses import replace

    return replace(info, statements=count)


def _check_assertions(store: Store, spec: SourceSpec, info: RunInfo, request: LoadRequest) -> None:
    where = f"{spec.id}: {request.path.name}"
    if info.records == 0:
        raise FormatError(f"{where}: no records found (wrong file, or the layout changed)")
    if request.strict and info.records < spec.min_records:
        raise FormatError(f"{where}: only {info.records} records, expected at least "
                          f"{spec.min_records} (truncated download?)")
    older = [r for r in store.runs(spec.id) if r["published_at"] <= info.published_at]
    if older and info.records < spec.min_share_of_previous * older[0]["records"]:
        raise FormatError(
            f"{where}: {info.records} records, fewer than {spec.min_share_of_previous:.0%} of "
            f"the {older[0]['records']} in the previous run (truncated file?)"
        )


def _archive(settings: Settings, path: Path, sha: str) -> dict[str, Any]:
    stored = archive_file(path, settings.archive_dir, sha)
    return {"name": path.name, "sha256": sha, "size": path.stat().st_size,
            "archive_path": str(stored.relative_to(settings.archive_dir))}
