"""`pressurepoint serve`: the API and the web pages, by uvicorn.

The screening index is loaded once, in this process; worker processes are then forked
from it (`--workers`), so that they share its memory and are ready at once, and each
answers on the one listening socket. Each worker keeps its index fresh on its own (see
`pressurepoint.outputs.api.state`). A worker that dies is replaced.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType

import click

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app

log = logging.getLogger(__name__)


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

    from pressurepoint.outputs.api.app import create_app

    if not 1 <= workers <= 64:
        raise InvalidInput(f"--workers must be between 1 and 64, not {workers}")
    if not 0 < port < 65536:
        raise InvalidInput(f"--port must be between 1 and 65535, not {port}")
    if refresh_seconds is not None and refresh_seconds <= 0:
        raise InvalidInput("--refresh must be a positive number of seconds")
    started = time.perf_counter()
    listener = _listen(host, port, reuse_port=workers > 1 and hasattr(socket, "SO_REUSEPORT"))
    api = create_app(app.settings, refresh_seconds=refresh_seconds)
    click.echo(f"loading the screening index of {app.settings.db_url.split('://')[0]} "
               "store...", err=True)
    api.state.pp.load()
    status = api.state.pp.status()
    click.echo(f"ready in {time.perf_counter() - started:.1f} s: {status['records']} "
               f"records, {status['entities']} entities (data {status['version']}); "
               f"http://{host}:{port}/", err=True)
    config = uvicorn.Config(api, log_level=log_level, access_log=False, server_header=False,
                            timeout_graceful_shutdown=5)
    if workers == 1:
        uvicorn.Server(config).run(sockets=[listener])
        return
    gc.freeze()  # the loaded index stays out of the workers' collections (and shared)
    balanced = hasattr(socket, "SO_REUSEPORT")
    if balanced:
        # each worker listens on a socket of its own and the kernel spreads new
        # connections over them: with one shared socket, the worker that wakes first
        # takes most keep-alive connections and the other core idles
        listener.close()

    def run() -> None:
        own = _listen(host, port, reuse_port=True) if balanced else listener
        uvicorn.Server(config).run(sockets=[own])

    _supervise(run, workers)


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


def _supervise(run: Callable[[], None], workers: int) -> None:
    """Fork `workers` processes that each call `run`; replace any that dies; on SIGINT or
    SIGTERM, stop them all."""
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                run()
            except BaseException:
                log.exception("worker failed")
                code = 1
            os._exit(code)
        children.add(pid)

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for _ in range(workers):
        spawn()
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            click.echo(f"worker {pid} exited; starting another", err=True)
            time.sleep(0.5)
            spawn()
    sys.exit(0)
