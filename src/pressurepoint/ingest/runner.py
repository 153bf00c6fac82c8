"""One run: parse a file completely, check it, then write it in one transaction.

Nothing touches the store until the whole file has parsed and passed the source's data
assertions, so a bad file leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import multiprocessing
import time
import zipfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from lxml import etree

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError, PressurepointError
from pressurepoint.ingest.context import STATUS_PROP, ParseContext
from pressurepoint.ingest.files import archive_file, check_not_junk, sha256_of
from pressurepoint.model import Entity, Issue, RunInfo, Value, statements_of
from pressurepoint.model.statement import StatementTuple
from pressurepoint.processes import can_fork, collector_paused, usable_cpus
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
    with collector_paused():
        spec, hashes = _identify(request)
        if store.has_loaded(spec.id, _combined_sha(hashes)) is not None:
            return LoadResult(spec.id, request.path.name, "unchanged")
        return _commit(store, settings, request, _parse_run(request, hashes))


Outcome = LoadResult | PressurepointError
# Files parsed ahead of the one being written, at most: each holds a run's statements in
# memory until it is written. One keeps both cores busy (the worker parses the next file
# while this process writes) with the least memory.
AHEAD = 1


def load_many(store: Store, settings: Settings, requests: Sequence[LoadRequest], *,
              parallel: bool | None = None) -> Iterator[tuple[LoadRequest, Outcome]]:
    """Load files in order, yielding each request with its result or its error: the same
    outcomes as `load` one by one. With `parallel` (default: where processes can be forked
    and there is more than one CPU and one file), a forked worker process parses the next
    files while this process checks and writes the current one: on two cores a load
    takes about as long as its parsing or its writing, whichever is longer, instead of
    both. Only this process touches the store."""
    if parallel is None:
        parallel = len(requests) > 1 and usable_cpus() > 1 and can_fork()
    if not parallel:
        for request in requests:
            try:
                yield request, load(store, settings, request)
            except PressurepointError as exc:
                yield request, exc
        return
    with collector_paused(), multiprocessing.get_context("fork").Pool(1) as pool:
        yield from _pipelined(store, settings, requests, pool)


def _pipelined(store: Store, settings: Settings, requests: Sequence[LoadRequest],
               pool: Pool) -> Iterator[tuple[LoadRequest, Outcome]]:
    pending: deque[tuple[LoadRequest, AsyncResult[_Parsed | PressurepointError] | Outcome]]
    pending = deque()
    queue = iter(requests)

    def fill() -> None:
        while sum(isinstance(job, AsyncResult) for _, job in pending) < AHEAD:
            request = next(queue, None)
            if request is None:
                return
            pending.append((request, _submit(store, request, pool)))

    fill()
    while pending:
        request, job = pending.popleft()
        fill()  # the worker parses the next file while this one is waited for and written
        if isinstance(job, AsyncResult):
            parsed = job.get()
            if isinstance(parsed, PressurepointError):
                job = parsed
            else:
                try:
                    job = _commit(store, settings, request, parsed)
                except PressurepointError as exc:
                    job = exc
        yield request, job


def _submit(store: Store, request: LoadRequest, pool: Pool
            ) -> AsyncResult[_Parsed | PressurepointError] | Outcome:
    """Start parsing a file in the worker, unless it fails its first checks or was loaded
    before (an unchanged file is not parsed again)."""
    try:
        spec, hashes = _identify(request)
    except PressurepointError as exc:
        return exc
    if store.has_loaded(spec.id, _combined_sha(hashes)) is not None:
        return LoadResult(spec.id, request.path.name, "unchanged")
    return pool.apply_async(_parse_in_worker, (request, hashes))


def _parse_in_worker(request: LoadRequest, hashes: dict[Path, str]
                     ) -> _Parsed | PressurepointError:
    """The worker's job: a parsed run, or the error that stopped it (returned, not raised,
    so that it reaches the writer as the same one-line error `load` gives)."""
    with collector_paused():
        try:
            return _parse_run(request, hashes)
        except PressurepointError as exc:
            return exc


@dataclass
class _Parsed:
    """A file parsed into a run's statements, not yet checked against the store."""

    info: RunInfo
    statements: Sequence[StatementTuple]
    issues: list[Issue]
    hashes: dict[Path, str]
    seconds: dict[str, float]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Statements cross from the parsing worker to the writer as plain tuples: a named
        tuple is pickled and unpickled through Python code, a tuple in C (a full load's
        2.7 million statements: about 8 s less CPU over the two processes). The writer
        only indexes them."""
        plain = [tuple(row) for row in self.statements]
        return _Parsed, (self.info, plain, self.issues, self.hashes, self.seconds)


def _identify(request: LoadRequest) -> tuple[SourceSpec, dict[Path, str]]:
    """The request's source and the sha256 of each of its files; FormatError for a file
    that is missing, of another source, or plainly not data (HTML, empty)."""
    spec = get_source(request.source)
    _format_of(spec, request.path)
    try:
        check_not_junk(request.path)
    except FormatError as exc:
        raise FormatError(f"{spec.id}: {exc}") from exc
    return spec, {p: sha256_of(p) for p in [request.path, *request.companions]}


def _parse_run(request: LoadRequest, hashes: dict[Path, str]) -> _Parsed:
    """Parse a file completely into the statements of its run (the store is not read)."""
    spec = get_source(request.source)
    fmt = _format_of(spec, request.path)
    clock = _Clock()
    ctx = ParseContext(source=spec, path=request.path,
                       companions={plain_name(p.name): p for p in request.companions})
    entities = _parse(spec, fmt, ctx)
    clock.lap("parse")
    fetched_at = request.fetched_at or now_stamp()
    published, basis = _published(ctx, request, fetched_at)
    decide_statuses(entities, published)
    info = _run_info(spec, fmt, request, entities, ctx.issues,
                     (_combined_sha(hashes), fetched_at, published, basis))
    statements = list(statements_of(spec.id, entities))
    del entities  # the statements hold all that is written
    clock.lap("statements")
    return _Parsed(_with_statement_count(info, len(statements)), statements, ctx.issues,
                   hashes, clock.seconds)


def _commit(store: Store, settings: Settings, request: LoadRequest, parsed: _Parsed
            ) -> LoadResult:
    """Check a parsed run against the store's history and write it in one transaction."""
    spec, info = get_source(request.source), parsed.info
    if store.has_loaded(spec.id, info.sha256) is not None:  # the same bytes, just written
        return LoadResult(spec.id, request.path.name, "unchanged")
    clock = _Clock()
    _check_assertions(store, spec, info, request)
    files = [_archive(settings, p, sha) for p, sha in parsed.hashes.items()]
    clock.lap("check")
    run_id = store.write_run(info, parsed.statements, parsed.issues, files)
    clock.lap("write")
    return LoadResult(spec.id, request.path.name, "loaded", run_id, info, parsed.issues,
                      {**parsed.seconds, **clock.seconds})


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
