"""`screen` and `coverage`: a user's table of names against the sanctions data.

Both read the table streaming (CSV, gzip CSV or XLSX), build the screening index once,
screen the rows on every core, and show a progress bar on stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD
from pressurepoint.screening.batch import SCHEMATA

if TYPE_CHECKING:
    from pressurepoint.analysis.designations import Designations
    from pressurepoint.screening.batch import RowResult
    from pressurepoint.screening.coverage import CoverageRow, CoverageSummary
    from pressurepoint.screening.engine import ScreeningIndex
    from pressurepoint.screening.tabular import Table

FORMATS = ("table", "csv", "json")
log = logging.getLogger(__name__)


def register(group: click.Group) -> None:
    for command in (screen, coverage):
        group.add_command(command)


def table_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options both commands take to read a table and screen it."""
    options = [
        click.option("--name-col", "name_cols", multiple=True, metavar="COLUMN",
                     help="Column holding names (repeat for a name in two scripts). "
                          "Default: columns headed name, full name, ФИО and the like."),
        click.option("--birth-date-col", metavar="COLUMN",
                     help="Column holding birth dates (default: birth date, dob...)."),
        click.option("--country-col", metavar="COLUMN",
                     help="Column holding countries (default: country, nationality...)."),
        click.option("--schema-col", metavar="COLUMN",
                     help="Column holding each row's type: person, company, vessel... "
                          "(default: schema, type)."),
        click.option("--schema", type=click.Choice(SCHEMATA),
                     help="Type of rows that do not say (default: Person with a birth "
                          "date, else any type)."),
        click.option("--threshold", type=click.FloatRange(0.01, 1.0),
                     default=DEFAULT_THRESHOLD, show_default=True,
                     help="Score from which a candidate is a match."),
        click.option("--dataset", "datasets", multiple=True, metavar="SOURCE|JURISDICTION",
                     help="Only these sources or jurisdictions (repeatable)."),
        click.option("--encoding", help="Text encoding of a CSV (default: detected)."),
        click.option("--workers", type=click.IntRange(1, 64), default=None,
                     help="Processes screening rows (default: one per core)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class TableArgs:
    """The options of `table_options`, gathered."""

    name_cols: tuple[str, ...]
    birth_date_col: str | None
    country_col: str | None
    schema_col: str | None
    schema: str | None
    threshold: float
    datasets: tuple[str, ...]
    encoding: str | None
    workers: int | None


def _stderr() -> Console:
    return Console(stderr=True)


def _progress(console: Console, unit: str) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                    MofNCompleteColumn() if unit == "rows" else TextColumn(""),
                    TimeElapsedColumn(), console=console, transient=True,
                    disable=not console.is_terminal)  # no bar in logs and pipes


def _build_index(app: AppContext, console: Console) -> ScreeningIndex:
    """The screening index of the store's data: the one cached on disk for this version
    of the data, else built (and cached for the next run)."""
    from pressurepoint.screening import cache
    from pressurepoint.screening.building import build_parts
    from pressurepoint.screening.engine import ScreeningIndex
    from pressurepoint.screening.version import data_version

    version = data_version(app.store)
    cached = cache.load_fresh(app.settings, version)
    if cached is not None:
        return cached[0]

    def build() -> tuple[ScreeningIndex, Designations]:
        with _progress(console, "rows") as bar:
            task = bar.add_task("indexing the sanctions data", total=None)
            index, designations = build_parts(
                ScreeningIndex, app.store, lambda done, total: bar.update(
                    task, completed=done, total=total), version=version)
        if not len(index):
            raise InvalidInput("the store holds no sanctions records: run `pressurepoint "
                               "update` (and `resolve`) first")
        return index, designations

    # cached, and read back from the cache: screening runs faster on the compact copy
    return cache.build_and_cache(app.settings, build)


@contextmanager
def _screening(app: AppContext, path: Path, args: TableArgs, limit: int, cutoff: float
               ) -> Iterator[tuple[Table, Iterator[RowResult], ScreeningIndex]]:
    """Open the table, pick its columns, build the index, fork the workers; yield the
    table, the results iterator (with a progress bar) and the index."""
    from pressurepoint.screening.batch import Screener, ScreenOptions
    from pressurepoint.screening.tabular import open_table, select_columns

    console = _stderr()
    options = ScreenOptions(threshold=args.threshold, limit=limit, cutoff=cutoff,
                            schema=args.schema,
                            datasets=frozenset(args.datasets) if args.datasets else None,
                            workers=args.workers or os.cpu_count() or 1)
    with open_table(path, encoding=args.encoding) as table:
        columns = select_columns(table.headers, args.name_cols, args.birth_date_col,
                                 args.country_col, args.schema_col)
        index = _build_index(app, console)
        _check_datasets(index, args.datasets)  # before any row: not one issue per row
        with Screener(index, columns, options) as screener:
            yield table, _with_progress(table, screener.screen(table.rows()), console), index


def _check_datasets(index: ScreeningIndex, datasets: tuple[str, ...]) -> None:
    unknown = [d for d in datasets if not index.is_dataset(d)]
    if unknown:
        raise InvalidInput(f"unknown dataset {unknown[0]!r}: use a source id "
                           f"({', '.join(index.sources)}) or a jurisdiction "
                           f"({', '.join(index.jurisdictions)})")


def _with_progress(table: Table, results: Iterator[RowResult], console: Console
                   ) -> Iterator[RowResult]:
    unit = "rows" if table.kind == "xlsx" else "bytes"
    with _progress(console, unit) as bar:
        task = bar.add_task(f"screening {table.path.name}", total=table.progress()[1])
        for count, result in enumerate(results, start=1):
            yield result
            if count % 200 == 0:
                done, total = table.progress()
                bar.update(task, completed=done, total=total)


def _args(options: dict[str, Any]) -> TableArgs:
    return TableArgs(**{k: options[k] for k in TableArgs.__dataclass_fields__})


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Output file: .xlsx for Excel, else CSV (.tsv: tab-separated).")
@click.option("--limit", type=click.IntRange(1, 20), default=1, show_default=True,
              help="Best matches written per row.")
@table_options
@pass_app
def screen(app: AppContext, /, input_path: Path, output: Path, limit: int,
           **options: Any) -> None:
    """Screen every row of INPUT (CSV or XLSX) against the sanctions data: OUTPUT has the
    input's columns, then the best matches of each row (id, name, score, whether it is a
    match, the jurisdictions listing and having lifted it, the explanation) and the row's
    issues."""
    from pressurepoint.screening.batch import Tally, output_headers, output_row
    from pressurepoint.screening.tabular import table_writer

    args = _args(options)
    if output.resolve() == input_path.resolve():
        raise InvalidInput("the output would overwrite the input")
    started, tally = time.monotonic(), Tally()
    with _screening(app, input_path, args, limit, cutoff=0.5) as (table, results, _):
        width = len(table.headers)
        with table_writer(output, output_headers(table.headers, limit)) as out:
            for result in results:
                out.write(output_row(result, width, limit))
                tally.add(result)
        blank = table.blank_rows
    elapsed = time.monotonic() - started
    click.echo(f"screened {input_path.name} ({table.describe()}): {tally.describe()}"
               f"{f', {blank} blank rows skipped' if blank else ''}; "
               f"{elapsed:.1f} s -> {output}", err=True)


@click.command()
@click.argument("input_path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True, help="table: to read on screen (held in memory); csv and "
              "json stream a list of any size.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write here instead of stdout (csv: .xlsx for Excel).")
@click.option("--review-from", type=click.FloatRange(0.0, 1.0), default=None,
              help="Flag rows whose best score is from here up to the threshold as "
                   "ambiguous (default: 0.05 below the threshold; the resolver's review "
                   "band starts at 0.5).")
@table_options
@pass_app
def coverage(app: AppContext, /, input_path: Path, fmt: str, output: Path | None,
             review_from: float | None, **options: Any) -> None:
    """Which jurisdictions list the people and companies of a target list (CSV or XLSX):
    per row the best match, its score and explanation, and its status in every
    jurisdiction (listed, lifted, not_listed). Rows where two entities are close, or the
    best score is uncertain, are flagged ambiguous, not guessed."""
    from pressurepoint.resolve.matcher import REVIEW_BAND
    from pressurepoint.screening.coverage import (
        CANDIDATES,
        CoverageSummary,
        coverage_row,
        review_band,
    )

    args = _args(options)
    band = review_band(args.threshold, review_from)
    # Candidates from the bottom of the resolver's review band are shown, even for rows
    # judged unmatched: the closest names are worth a glance.
    cutoff = min(band[0], REVIEW_BAND[0])
    with _screening(app, input_path, args, CANDIDATES, cutoff) as (table, results, index):
        codes = index.jurisdictions
        summary = CoverageSummary(codes)
        rows = (coverage_row(r, args.threshold, codes, band) for r in results)
        writer = {"table": _write_table, "csv": _write_csv, "json": _write_json}[fmt]
        writer(rows, summary, codes, output)
        blank = table.blank_rows
    click.echo(summary.line() + (f"; {blank} blank rows skipped" if blank else ""), err=True)


def _counted(rows: Iterator[CoverageRow], summary: CoverageSummary
             ) -> Iterator[CoverageRow]:
    for row in rows:
        summary.add(row)
        yield row


@contextmanager
def _text_out(output: Path | None) -> Iterator[IO[str]]:
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        yield handle


def _write_csv(rows: Iterator[CoverageRow], summary: CoverageSummary, codes: list[str],
               output: Path | None) -> None:
    import csv

    from pressurepoint.screening.coverage import flat_headers
    from pressurepoint.screening.tabular import table_writer

    if output is not None:
        with table_writer(output, flat_headers(codes)) as out:
            for row in _counted(rows, summary):
                out.write(row.flat(codes))
        return
    writer = csv.writer(sys.stdout)
    writer.writerow(flat_headers(codes))
    for row in _counted(rows, summary):
        writer.writerow(row.flat(codes))


def _write_json(rows: Iterator[CoverageRow], summary: CoverageSummary, codes: list[str],
                output: Path | None) -> None:
    """{"jurisdictions": [...], "rows": [...], "summary": {...}}, written row by row."""
    with _text_out(output) as out:
        out.write(f'{{"jurisdictions": {json.dumps(codes)},\n "rows": [')
        for n, row in enumerate(_counted(rows, summary)):
            out.write(("\n  " if n == 0 else ",\n  ")
                      + json.dumps(row.to_json(), ensure_ascii=False, default=str))
        out.write(f'\n ],\n "summary": {json.dumps(summary.to_json())}}}\n')


STATUS_MARKS = {"listed": "✓", "lifted": "lifted", "not_listed": "—", None: "?"}


def _write_table(rows: Iterator[CoverageRow], summary: CoverageSummary, codes: list[str],
                 output: Path | None) -> None:
    out = RichTable("row", "name", "status", "match", "score", *codes)
    out.columns[1].min_width = 20
    for row in _counted(rows, summary):
        best = row.verdict.best
        out.add_row(str(row.number), " | ".join(row.query.get("name", [])) or "—",
                    row.verdict.status, best.caption if best else "",
                    f"{best.score:.2f}" if best else "",
                    *[STATUS_MARKS[row.jurisdictions[c]] for c in codes])
    out.caption = summary.line()
    with _text_out(output) as handle:
        console = Console(file=handle)
        if not console.is_terminal:  # a file or a pipe: no terminal width to fit
            console.width = 200
        console.print(out)
