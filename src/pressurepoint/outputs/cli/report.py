"""`pressurepoint report --out DIR`: the static HTML report (opens offline, no CDN)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app


def register(group: click.Group) -> None:
    group.add_command(report)


class _Bar:
    """The builder's steps as rich progress bars on stderr. A step without a count shows
    as running until the next step starts."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.open: TaskID | None = None

    def step(self, description: str, total: int | None = None) -> Callable[[int], None]:
        self._close()
        task = self.progress.add_task(description, total=total)
        if total is None:
            self.open = task
        return lambda n: self.progress.advance(task, n)

    def _close(self) -> None:
        if self.open is not None:
            done = self.progress.tasks[self.open].completed
            self.progress.update(self.open, total=max(done, 1), completed=max(done, 1))
            self.open = None

    def finish(self) -> None:
        self._close()


@contextmanager
def _progress(quiet: bool) -> Iterator[_Bar | None]:
    if quiet:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        bar = _Bar(progress)
        yield bar
        bar.finish()


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the report into (new, empty, or an earlier report).")
@click.option("--as-of", help="Date the gap ages are counted to (default: today).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@pass_app
def report(app: AppContext, out: Path, as_of: str | None, quiet: bool) -> None:
    """A static, self-contained HTML report in OUT: the gap matrix (sortable, filterable),
    designations over time per jurisdiction, the overlap of jurisdictions, one page per
    entity linked to its source records, the company trackers and the sources. Open
    OUT/index.html in a browser; it needs no network."""
    from pressurepoint.outputs.report import build_report

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise InvalidInput(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from exc
    with _progress(quiet) as bar:
        summary = build_report(app.store, out, as_of=day, progress=bar)
    click.echo(f"report written to {summary.out / 'index.html'}: {summary.entities} entity "
               f"pages, {summary.companies} companies, {summary.files} files, "
               f"{summary.bytes / 1e6:.1f} MB in {summary.seconds:.1f} s", err=True)
