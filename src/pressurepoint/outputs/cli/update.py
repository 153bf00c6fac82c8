"""`pressurepoint update`: load files (one, a mirror, or fresh downloads) into the store."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pressurepoint.errors import InvalidInput, PressurepointError
from pressurepoint.ingest.mirror import MirrorPlan, plan_mirror, requests_in_folder
from pressurepoint.ingest.runner import LoadRequest, LoadResult, load_many
from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.sources import SOURCE_MODULES


@click.command()
@click.option("--source", "sources", multiple=True, metavar="ID",
              help="Only this source (repeatable). Required with --file.")
@click.option("--file", "file_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Load this one file (its companion files beside it are found).")
@click.option("--published", metavar="YYYY-MM-DD",
              help="Publication date of --file when the file states none.")
@click.option("--from", "mirror", type=click.Path(file_okay=False, path_type=Path),
              help="Load a mirror laid out as DIR/<source id>/<YYYY-MM-DD>/<files>.")
@pass_app
def update(app: AppContext, sources: tuple[str, ...], file_path: Path | None,
           published: str | None, mirror: Path | None) -> None:
    """Download every source from its official URL and load it, or load local files."""
    for source in sources:
        if source not in SOURCE_MODULES:
            raise InvalidInput(f"unknown source {source!r} (known: {', '.join(SOURCE_MODULES)})")
    failed_downloads = 0
    if file_path is not None:
        if len(sources) != 1 or mirror is not None:
            raise InvalidInput("--file needs exactly one --source and no --from")
        plan = MirrorPlan(requests=[_file_request(sources[0], file_path, published)])
    elif mirror is not None:
        plan = plan_mirror(mirror, set(sources) or None)
    else:
        plan, failed_downloads = _download_plan(app, sources)
    failed_runs = _run_plan(app, plan)
    if file_path is None and mirror is None:
        _forget_failed_downloads(app, failed_runs)
    failed = len(failed_runs) + failed_downloads
    if failed:
        click.echo(f"{failed} of {len(plan.requests)} runs failed; the store keeps the "
                   "previous good data of those sources", err=True)
        sys.exit(1)


def _file_request(source: str, path: Path, published: str | None) -> LoadRequest:
    from pressurepoint.sources import get_source

    spec = get_source(source)
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    siblings = [p for p in path.parent.iterdir() if p != path and spec.is_companion(p.name)]
    return LoadRequest(source=source, path=path, companions=sorted(siblings),
                       published=published)


def _download_plan(app: AppContext, sources: tuple[str, ...]) -> tuple[MirrorPlan, int]:
    """Download each source into data_dir/downloads/<id>/<today>/ and plan its runs."""
    from pressurepoint.ingest import fetch
    from pressurepoint.sources import available_sources

    today = datetime.now(UTC).date().isoformat()
    root = app.settings.data_dir / "downloads"
    plan = MirrorPlan()
    failed = 0
    with fetch.make_client(app.settings) as client:
        for spec in available_sources():
            if sources and spec.id not in sources:
                continue
            target = root / spec.id / today
            try:
                fetch.fetch_source(app.settings, spec, target, client=client)
            except PressurepointError as exc:
                click.echo(f"FAILED {spec.id}: {exc}", err=True)
                failed += 1
                continue
            plan.requests.extend(requests_in_folder(spec.id, target, plan))
    for request in plan.requests:
        request.strict = True
        request.published = None
    return plan, failed


def _forget_failed_downloads(app: AppContext, failed: list[LoadRequest]) -> None:
    """A downloaded file that failed to load must be fetched in full next time, not
    answered with 304 Not Modified."""
    from pressurepoint.ingest import fetch
    from pressurepoint.sources import get_source

    for source in {request.source for request in failed}:
        for url in get_source(source).urls:
            fetch.forget(app.settings, url)


def _run_plan(app: AppContext, plan: MirrorPlan) -> list[LoadRequest]:
    console = Console(stderr=True)
    for path, why in plan.skipped:
        console.print(f"skipped {path}: {why}", highlight=False, soft_wrap=True)
    failed: list[LoadRequest] = []
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True,
                        disable=not console.is_terminal)
    with progress:
        task = progress.add_task("loading", total=len(plan.requests))
        for request, outcome in load_many(app.store, app.settings, plan.requests):
            if isinstance(outcome, PressurepointError):
                failed.append(request)
                progress.console.print(f"FAILED {outcome} [{request.path}]", highlight=False,
                                       soft_wrap=True, markup=False)
            else:
                progress.console.print(_summary(request, outcome), highlight=False,
                                       soft_wrap=True)
            progress.update(task, advance=1,
                            description=f"{request.source} {request.path.name}")
    return failed


def _summary(request: LoadRequest, result: LoadResult) -> str:
    where = f"{request.source} {request.path.parent.name}/{request.path.name}"
    if result.info is None:
        return f"unchanged {where} (already loaded)"
    info = result.info
    return (f"loaded {where}: {info.records} records, {info.statements} statements, "
            f"{info.issues} issues, published {info.published_at[:10]}")
