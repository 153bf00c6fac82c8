"""Entry point: global options, the command group, and the mapping of errors to one line
and an exit code (1 failed, 2 bad usage)."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import click

from pressurepoint import __version__
from pressurepoint.config import Settings, from_env
from pressurepoint.errors import PressurepointError
from pressurepoint.store import Store


@dataclass
class AppContext:
    """What every command gets: the settings, and the store opened on first use."""

    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.db_url)
        return self._store


pass_app = click.make_pass_decorator(AppContext)


class Group(click.Group):
    """A click group that turns pressurepoint errors into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PressurepointError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=Group)
@click.option("--db", metavar="PATH|URL", help="Store: a SQLite file or a SQLAlchemy URL "
              "(postgresql+psycopg://...). Default: PRESSUREPOINT_DB or the user data folder.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the archive of raw files (default: user data folder).")
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
@click.version_option(__version__, prog_name="pressurepoint")
@click.pass_context
def cli(ctx: click.Context, db: str | None, data_dir: str | None, verbose: bool) -> None:
    """pressurepoint: official sanctions lists in one versioned, sourced store."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    environ = dict(os.environ)
    if data_dir:
        environ["PRESSUREPOINT_DATA_DIR"] = data_dir
    settings = from_env(environ).with_db(db)
    ctx.obj = AppContext(settings)
    ctx.call_on_close(lambda: ctx.obj._store.close() if ctx.obj._store else None)


# Command families that register themselves when present (added by later features).
OPTIONAL_COMMAND_MODULES = (
    "pressurepoint.outputs.cli.resolve",
    "pressurepoint.outputs.cli.companies",
    "pressurepoint.outputs.cli.analysis",
    "pressurepoint.outputs.cli.report",  # report --out DIR (static HTML)
    "pressurepoint.outputs.cli.screen",  # screen, coverage (user lists against the data)
    "pressurepoint.outputs.cli.serve",  # serve (API and web pages)
)


def _register() -> None:
    from pressurepoint.outputs.cli import export, inspect, update

    cli.add_command(update.update)
    cli.add_command(inspect.sources)
    cli.add_command(inspect.show)
    cli.add_command(inspect.issues)
    cli.add_command(export.export)
    for name in OPTIONAL_COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(cli)


_register()


def main() -> None:
    cli(prog_name="pressurepoint")

