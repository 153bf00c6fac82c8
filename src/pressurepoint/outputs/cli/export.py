"""`pressurepoint export`: the current data as FtM JSON lines or a flat CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.outputs.exports import write_csv, write_ftm
from pressurepoint.store.views import current_entities


@click.command()
@click.option("--format", "fmt", type=click.Choice(["ftm", "csv"]), default="ftm",
              show_default=True, help="ftm: one FollowTheMoney entity per line; csv: flat.")
@click.option("--source", metavar="ID", help="Only this source.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
@pass_app
def export(app: AppContext, fmt: str, source: str | None, output: Path | None) -> None:
    """Export what the newest file of each source states."""
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        entities = current_entities(app.store, source)
        if fmt == "ftm":
            count = write_ftm(entities, handle)
        else:
            materialised = list(entities)
            source_of = {e.id: s for s, r in app.store.newest_runs().items()
                         for e in materialised if e.id.startswith(s.replace("_", "-") + "-")}
            count = write_csv(materialised, handle, source_of)
    finally:
        if output:
            handle.close()
    click.echo(f"exported {count} entities", err=True)
