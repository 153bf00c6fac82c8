"""`pressurepoint serve`: the API and the web pages, by uvicorn."""

from __future__ import annotations

import os

import click

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app


def register(group: click.Group) -> None:
    group.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Worker processes (one per core serves the most requests).")
@click.option("--refresh", "refresh_seconds", type=float, default=None,
              help="Seconds between checks for new data (default 5).")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@pass_app
def serve(app: AppContext, host: str, port: int, workers: int,
          refresh_seconds: float | None, log_level: str) -> None:
    """Serve the API (POST /match, /search, /entities, /gaps, /sources, /companies,
    /reconcile) and the web pages. The screening index is cached in the data folder;
    new data loaded by `pressurepoint update` / `resolve` is picked up while serving.
    Writes (POST /judgements) need PRESSUREPOINT_API_TOKEN to be set."""
    import uvicorn

    if not 1 <= workers <= 64:
        raise InvalidInput(f"--workers must be between 1 and 64, not {workers}")
    if not 0 < port < 65536:
        raise InvalidInput(f"--port must be between 1 and 65535, not {port}")
    # Worker processes build their app from the environment (uvicorn imports the
    # factory in each): hand them this command's settings that way.
    os.environ["PRESSUREPOINT_DB"] = app.settings.db_url
    os.environ["PRESSUREPOINT_DATA_DIR"] = str(app.settings.data_dir)
    if refresh_seconds is not None:
        if refresh_seconds <= 0:
            raise InvalidInput("--refresh must be a positive number of seconds")
        os.environ["PRESSUREPOINT_REFRESH_SECONDS"] = str(refresh_seconds)
    uvicorn.run("pressurepoint.outputs.api.app:app_from_env", factory=True, host=host,
                port=port, workers=workers, log_level=log_level, access_log=False,
                server_header=False, timeout_graceful_shutdown=5)
