"""Screening the rows of a user's table against the sanctions data, in parallel, in order,
in bounded memory.

Each row becomes one `MatchQuery` (its names, birth date, country, schema); what cannot be
read in a row (an empty name, a date or country nobody can read, an unknown type) is
reported as an issue with the row's number, and the rest of the row is still screened.
A row without a usable name is kept and reported, never dropped.

Parallel: the index is built once in the parent; `Screener` then forks worker processes
that inherit it (no copy, no pickling of the index) and sends them chunks of rows. At
most a few chunks per worker are in flight at any time, so memory stays bounded whatever
the size of the file, and results come back in the order of the file.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from types import TracebackType
from typing import Any

import orjson

from pressurepoint.errors import InvalidInput, PressurepointError
from pressurepoint.ingest.cleaning import parse_dates
from pressurepoint.processes import collector_paused, freeze_survivors
from pressurepoint.screening.engine import MatchHit, MatchQuery, ScreeningIndex
from pressurepoint.screening.tabular import Columns, Row

# FtM schemata a row may be screened as.
SCHEMATA = ("Thing", "LegalEntity", "Person", "Organization", "Company", "PublicBody",
            "Vessel", "Airplane")
# Words people write in a "type" column, and the schema each means.
SCHEMA_WORDS = {
    **{s.lower(): s for s in SCHEMATA},
    "individual": "Person", "natural person": "Person", "human": "Person",
    "физическое лицо": "Person", "физлицо": "Person", "физ. лицо": "Person",
    "человек": "Person", "персона": "Person", "фізична особа": "Person",
    "entity": "LegalEntity", "legal entity": "LegalEntity", "legal person": "LegalEntity",
    "юридическое лицо": "LegalEntity", "юрлицо": "LegalEntity", "юр. лицо": "LegalEntity",
    "юридична особа": "LegalEntity", "organisation": "Organization",
    "организация": "Organization", "компания": "Company", "firm": "Company",
    "enterprise": "Company", "предприятие": "Company", "public body": "PublicBody",
    "vessel": "Vessel", "ship": "Vessel", "судно": "Vessel", "aircraft": "Airplane",
    "plane": "Airplane", "самолет": "Airplane", "самолёт": "Airplane",
}
# A name this long is cut: no real name is longer, and scoring time grows with length.
MAX_NAME_CHARS = 300
# Cells that say "not known" rather than a value.
NOT_GIVEN = frozenset({"", "-", "--", "—", "–", "?", "n/a", "na", "none", "null", "unknown",
                       "not known", "нет", "неизвестно", "не известно", "н/д"})
CHUNK_ROWS = 256
IN_FLIGHT_PER_WORKER = 3
_SPLIT_COUNTRIES = re.compile(r"\s*[;|/]\s*")


@dataclass(frozen=True)
class ScreenOptions:
    """How rows are screened."""

    threshold: float
    limit: int = 1  # best matches kept per row
    cutoff: float = 0.5  # candidates scoring less are not shown at all
    schema: str | None = None  # for rows without a type of their own
    datasets: frozenset[str] | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InvalidInput(f"threshold {self.threshold} is not between 0 and 1")
        if self.limit < 1:
            raise InvalidInput(f"limit {self.limit} is not a positive number")
        if self.schema is not None and self.schema not in SCHEMATA:
            raise InvalidInput(f"unknown schema {self.schema!r} (one of {', '.join(SCHEMATA)})")


@dataclass(frozen=True)
class RowResult:
    """One row, screened: its best matches (best first) and what was wrong with it."""

    row: Row
    query: MatchQuery | None  # None when the row had no name to screen
    hits: tuple[MatchHit, ...]
    issues: tuple[str, ...]

    @property
    def screened(self) -> bool:
        return self.query is not None

    @property
    def matched(self) -> bool:
        return any(hit.match for hit in self.hits)


@dataclass
class RowQuery:
    """What a row asks, and what of it could not be read."""

    query: MatchQuery | None
    issues: list[str]


def row_query(row: Row, columns: Columns, default_schema: str | None) -> RowQuery:
    """The match query of one row (None when it has no name), with the row's issues."""
    issues = [f"row {row.number}: {row.problem}"] if row.problem else []
    names = _names(row, columns, issues)
    props: dict[str, list[str]] = {"name": names}
    if columns.birth_date is not None and (raw := _given(row.get(columns.birth_date))):
        dates = read_dates(raw)
        if dates:
            props["birthDate"] = dates
        else:
            issues.append(f"row {row.number}: unreadable birth date {raw!r}, screened without")
    if columns.country is not None and (raw := _given(row.get(columns.country))):
        props["country"] = _countries(raw, row.number, issues)
    schema = _schema(row, columns, issues) or default_schema
    if schema is None:  # "Thing": of any type (the scorer's stand-in for "unknown")
        schema = "Person" if "birthDate" in props else "Thing"
    if not _date_for(schema, props):
        issues.append(f"row {row.number}: a {schema} has no birth date, screened without")
    if not names:
        issues.append(f"row {row.number}: empty name, not screened")
        return RowQuery(None, issues)
    return RowQuery(MatchQuery(schema=schema, properties={k: v for k, v in props.items()
                                                          if v}), issues)


RU_MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
             "октябр", "ноябр", "декабр")
_RU_DATE = re.compile(r"^(\d{1,2})\s+([а-я]+)\s+(\d{4})(?:\s*г(?:ода|\.)?)?$")
_MDY = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")


def read_dates(raw: str) -> list[str] | None:
    """Birth dates of a cell as ISO prefixes (None if unreadable): the publishers' forms
    (`ingest.cleaning.parse_dates`), and what people type in spreadsheets besides: stray
    spaces ("24 .08.1973"), Russian month names ("8 марта 1959"), month first when the
    day cannot be a month ("11.27.1963")."""
    found = parse_dates(raw)
    if found:
        return found
    text = re.sub(r"\s*([./-])\s*", r"\1", raw.strip().casefold())
    if m := _RU_DATE.match(text):
        month = next((i for i, stem in enumerate(RU_MONTHS, 1) if m[2].startswith(stem)
                      and (stem != "ма" or m[2] in ("май", "мая"))), None)
        text = f"{int(m[1]):02d}.{month:02d}.{m[3]}" if month else text
    elif (m := _MDY.match(text)) and int(m[3]) > 12 >= int(m[1]):
        text = f"{m[3]}.{m[1]}.{m[4]}"
    return parse_dates(text)


def _given(value: str) -> str:
    """A cell's value, or "" for the marks people put in a cell they cannot fill."""
    return "" if value.casefold().strip(" .") in NOT_GIVEN else value


def _date_for(schema: str, props: dict[str, list[str]]) -> bool:
    """A "birth date" of a company is its incorporation date; False when the schema has
    neither (a vessel) and the date was left out."""
    from followthemoney import model

    found = model.get(schema)
    if "birthDate" not in props or found is None or found.get("birthDate") is not None:
        return True
    dates = props.pop("birthDate")
    if found.get("incorporationDate") is not None:
        props["incorporationDate"] = dates
        return True
    return False


def _names(row: Row, columns: Columns, issues: list[str]) -> list[str]:
    names: list[str] = []
    for index in columns.name:
        name = " ".join(row.get(index).split())
        if len(name) > MAX_NAME_CHARS:
            issues.append(f"row {row.number}: name longer than {MAX_NAME_CHARS} characters, "
                          "cut")
            name = name[:MAX_NAME_CHARS]
        if name and name not in names:
            names.append(name)
    return names


def _countries(raw: str, number: int, issues: list[str]) -> list[str]:
    from followthemoney import registry

    parts = [raw] if registry.country.clean(raw) else _SPLIT_COUNTRIES.split(raw)
    codes = []
    for part in filter(None, parts):
        code = registry.country.clean(part)
        if code:
            codes.append(str(code))
        else:
            issues.append(f"row {number}: unknown country {part!r}, screened without")
    return codes


def _schema(row: Row, columns: Columns, issues: list[str]) -> str | None:
    if columns.schema is None or not (raw := row.get(columns.schema)):
        return None
    schema = SCHEMA_WORDS.get(" ".join(raw.casefold().split()))
    if schema is None:
        issues.append(f"row {row.number}: unknown type {raw!r}, screened as any type")
    return schema


def screen_chunk(index: ScreeningIndex, rows: Sequence[Row], columns: Columns,
                 options: ScreenOptions) -> list[RowResult]:
    """Screen rows one by one in this process. The cyclic collector is paused for the
    chunk, and what the chunk left (the names engine's caches grow with every new name)
    is frozen at its end, still paused, so that the collector never walks it
    (`freeze_survivors`). Screening makes no reference cycles (a test keeps it so):
    reference counting frees all the rest, and a collection would find nothing."""
    with collector_paused():
        results = [_screen_row(index, row, columns, options) for row in rows]
        freeze_survivors()
    return results


def _screen_row(index: ScreeningIndex, row: Row, columns: Columns, options: ScreenOptions
                ) -> RowResult:
    """One row's query and its best matches."""
    asked = row_query(row, columns, options.schema)
    hits: list[MatchHit] = []
    if asked.query is not None:
        try:
            hits = index.match(asked.query, limit=options.limit,
                               threshold=options.threshold, cutoff=options.cutoff,
                               datasets=options.datasets)
        except InvalidInput as exc:  # e.g. a name of particles only: "Mr. X"
            asked.issues.append(f"row {row.number}: not screened: {exc}")
            asked.query = None
    return RowResult(row, asked.query, tuple(hits[:options.limit]), tuple(asked.issues))


# What forked workers inherit from the parent (set just before the fork).
_SHARED: tuple[ScreeningIndex, Columns, ScreenOptions] | None = None


#: What a worker sends back of a row's result: the row itself stays with the parent.
Answer = tuple[MatchQuery | None, tuple[MatchHit, ...], tuple[str, ...]]


def _screen_in_worker(rows: list[Row]) -> list[Answer]:
    assert _SHARED is not None, "worker started without the index"
    return [(r.query, r.hits, r.issues)
            for r in screen_chunk(_SHARED[0], rows, _SHARED[1], _SHARED[2])]


def _ready() -> bool:
    return True


class Screener:
    """`with Screener(index, columns, options) as screener: for result in
    screener.screen(rows)`. Forks its workers on entering (so before any thread, such as
    a progress bar's, is started) and stops them on leaving. A worker that dies (killed,
    out of memory) fails the run with an error instead of leaving it waiting."""

    def __init__(self, index: ScreeningIndex, columns: Columns, options: ScreenOptions,
                 chunk_rows: int = CHUNK_ROWS) -> None:
        self.index, self.columns, self.options = index, columns, options
        self.chunk_rows = chunk_rows
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Screener:
        global _SHARED
        if self.options.workers > 1:
            _SHARED = (self.index, self.columns, self.options)
            # The index stays out of the workers' garbage collections: a collection visits
            # every object it holds, which costs time and copies each page it touches
            # into the worker (the pages are shared with this process until written).
            gc.freeze()
            self._pool = ProcessPoolExecutor(self.options.workers,
                                             mp_context=multiprocessing.get_context("fork"))
            # With "fork" the pool starts every worker at its first task: now.
            self._pool.submit(_ready).result()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        global _SHARED
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()
        _SHARED = None

    def screen(self, rows: Iterable[Row]) -> Iterator[RowResult]:
        """Results for the rows, in their order."""
        chunks = _chunks(iter(rows), self.chunk_rows)
        if self._pool is None:
            for chunk in chunks:
                yield from screen_chunk(self.index, chunk, self.columns, self.options)
            return
        window = IN_FLIGHT_PER_WORKER * self.options.workers
        pending: deque[tuple[list[Row], Future[list[Answer]]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._pool.submit(_screen_in_worker, chunk)))
            if len(pending) >= window:
                yield from _result(*pending.popleft())
        while pending:
            yield from _result(*pending.popleft())


def _result(rows: list[Row], future: Future[list[Answer]]) -> list[RowResult]:
    try:
        answers = future.result()
    except BrokenProcessPool as exc:
        raise ScreeningFailed("a screening worker process died (out of memory, or "
                              "killed)") from exc
    return [RowResult(row, *answer) for row, answer in zip(rows, answers, strict=True)]


class ScreeningFailed(PressurepointError):
    """The screening could not finish."""


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while chunk := list(islice(rows, size)):
        yield chunk


# -- output ------------------------------------------------------------------------------

HIT_FIELDS = ("id", "name", "score", "match", "listed_by", "lifted_by", "explanation")


def output_headers(headers: Sequence[str], limit: int) -> list[str]:
    """The input's headers, then the best matches' columns, then the issues."""
    hit_columns = [f"match_{i}_{f}" for i in range(1, limit + 1) for f in HIT_FIELDS]
    return [*headers, "screened", "matched", *hit_columns, "issues"]


def output_row(result: RowResult, width: int, limit: int) -> list[object]:
    """One output row: the input's values (as many as it has headers), then the matches."""
    values: list[object] = list(result.row.values[:width])
    values += [""] * (width - len(values))
    issues = list(result.issues)
    if len(result.row.values) > width:  # nothing silently dropped: extra values are named
        issues.append(f"row {result.row.number}: extra values "
                      f"{list(result.row.values[width:])!r}")
    values += ["yes" if result.screened else "no", "yes" if result.matched else "no"]
    for i in range(limit):
        values += hit_values(result.hits[i]) if i < len(result.hits) else [""] * len(HIT_FIELDS)
    values.append("; ".join(issues))
    return values


def hit_values(hit: MatchHit) -> list[object]:
    listed = sorted(j for j, status in hit.jurisdictions.items() if status == "listed")
    lifted = sorted(j for j, status in hit.jurisdictions.items() if status == "lifted")
    return [hit.id, hit.caption, round(hit.score, 3), "yes" if hit.match else "no",
            ",".join(listed), ",".join(lifted),
            explanation_json(hit.explanation)]


def explanation_json(explanation: dict[str, Any]) -> str:
    """An explanation as compact JSON, non-ASCII letters as they are (what
    `json.dumps(..., ensure_ascii=False, separators=(",", ":"), default=str)` writes, ten
    times faster: every matched row of a batch has one)."""
    return orjson.dumps(explanation, default=str).decode()


@dataclass
class Tally:
    """Counts for the summary line."""

    rows: int = 0
    matched: int = 0
    not_screened: list[int] = field(default_factory=list)
    with_issues: int = 0

    def add(self, result: RowResult) -> None:
        self.rows += 1
        self.matched += result.matched
        if not result.screened:
            self.not_screened.append(result.row.number)
        if result.issues:
            self.with_issues += 1

    def describe(self, most: int = 10) -> str:
        text = f"{self.rows} rows, {self.matched} with a match"
        if self.not_screened:
            shown = ", ".join(map(str, self.not_screened[:most]))
            more = "..." if len(self.not_screened) > most else ""
            text += f", {len(self.not_screened)} not screened (rows {shown}{more})"
        if self.with_issues:
            text += f", {self.with_issues} with issues (see the issues column)"
        return text


def hits_json(hits: Iterable[MatchHit]) -> list[dict[str, Any]]:
    return [{"id": h.id, "name": h.caption, "schema": h.schema, "score": round(h.score, 3),
             "match": h.match, "jurisdictions": dict(h.jurisdictions),
             "sources": list(h.sources), "explanation": h.explanation} for h in hits]
