"""`pressurepoint serve`: the API and the web pages, by uvicorn.

The screening index is loaded once, in a supervisor process that serves nothing; worker
processes are forked from it (`--workers`, each on a listening socket of its slot), so
that they share its memory and are ready at once. When the data changes, the supervisor
builds the new index and replaces the workers by a new generation without dropping a
request (`pressurepoint.outputs.api.supervisor`). With `--workers 1` it is the same, with
one worker. Where processes cannot be forked, one process serves and refreshes its index
in a background thread.
"""

from __future__ import annotations

import gc
import logging
import socket
import time

import click

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.processes import can_fork

log = logging.getLogger(__name__)


def register(group: click.Group) -> None:
    group.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=int,
              help="Port to listen on (0: any free one, named in the ready line).")
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

    from pressurepoint.outputs.api.app import create_app

    if not 1 <= workers <= 64:
        raise InvalidInput(f"--workers must be between 1 and 64, not {workers}")
    if not 0 <= port < 65536:
        raise InvalidInput(f"--port must be between 0 (any free port) and 65535, not {port}")
    if refresh_seconds is not None and refresh_seconds <= 0:
        raise InvalidInput("--refresh must be a positive number of seconds")
    started = time.perf_counter()
    supervised = can_fork()
    listeners = _listen_slots(host, port, workers if supervised else 1)
    port = int(listeners[0].getsockname()[1])  # the one chosen for --port 0
    api = create_app(app.settings, refresh_seconds=refresh_seconds, watch=not supervised)
    pp = api.state.pp
    click.echo(f"loading the screening index of {app.settings.db_url.split('://')[0]} "
               "store...", err=True)
    pp.load()
    status = pp.status()
    click.echo(f"ready in {time.perf_counter() - started:.1f} s: {status['records']} "
               f"records, {status['entities']} entities (data {status['version']}); "
               f"http://{host}:{port}/", err=True)
    config = uvicorn.Config(api, log_level=log_level, access_log=False, server_header=False,
                            timeout_graceful_shutdown=5)
    if not supervised:
        uvicorn.Server(config).run(sockets=listeners)
        return
    from pressurepoint.outputs.api.supervisor import Supervisor
    from pressurepoint.outputs.api.worker import WorkerServer

    def serve_on(listener: socket.socket, ready_fd: int) -> None:
        WorkerServer(config, ready_fd).run(sockets=[listener])

    gc.freeze()  # the loaded index stays out of the workers' collections (and shared)
    Supervisor(pp, listeners, workers, serve_on,
               refresh_seconds=pp.refresh_seconds).run()


def _listen_slots(host: str, port: int, workers: int) -> list[socket.socket]:
    """The listening sockets of the worker slots: with SO_REUSEPORT one per slot, all on
    the same port, and the kernel spreads new connections over them (with one shared
    socket, the worker that wakes first takes most keep-alive connections and the other
    core idles); without it, one socket for all."""
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        return [_listen(host, port)]
    first = _listen(host, port, reuse_port=True)
    chosen = int(first.getsockname()[1])
    return [first, *(_listen(host, chosen, reuse_port=True) for _ in range(workers - 1))]


def _listen(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        raise InvalidInput(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener
