"""The processes of `pressurepoint serve`: a supervisor that holds the data, and
generations of worker processes, forked from it, that answer requests.

The supervisor serves nothing. It loads the screening index, opens the listening
sockets (one per worker slot, joined with SO_REUSEPORT so that the kernel spreads new
connections over the slots; one shared socket where the platform lacks it) and forks one
worker per slot; the workers share its memory (the index) and start serving at once.
A worker that dies is replaced in its slot.

When the store's data version moves (`pressurepoint update`, `resolve`, a judgement) and
stays put for one more check, the supervisor builds the new index beside the current one,
in a thread at a lower CPU priority, so that the serving workers keep the cores (they never
build anything: no request waits for a build). Then it hands over:

1. it forks a new generation of workers, which start with the new index, and waits until
   each one accepts on its slot's socket;
2. it tells the old workers to retire (`pressurepoint.outputs.api.worker`): they stop
   accepting, answer what they have with `Connection: close`, and exit.

The listening sockets belong to the supervisor and live as long as it does: an old
worker closes only its own copy, so a connection queued on a slot's socket is taken by
the slot's new worker, never dropped. Each generation serves one data version from start
to end, so a response is all old data or all new, never half of each; the two generations
(and their two indexes) live side by side for the few seconds of the hand-over. Then the
new index is written to the on-disk cache (by a child process, for the next start).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import click

from pressurepoint.outputs.api.state import ServiceState, Snapshot
from pressurepoint.outputs.api.worker import RETIRE_SIGNAL

log = logging.getLogger(__name__)
TICK = 0.1  # seconds between two looks at the workers
READY_TIMEOUT = 60.0  # for a new worker to accept connections
RETIRE_TIMEOUT = 60.0  # for a retiring worker to exit before it is killed
#: CPU priority of the index build and of the cache writer: the workers come first.
BUILD_NICENESS = 10

#: What a worker process runs: serve on this socket; write a byte to this fd once serving.
Serve = Callable[[socket.socket, int], None]


@dataclass
class Worker:
    pid: int
    slot: int
    generation: int
    ready_fd: int | None  # read end of the pipe it reports on (None: read and closed)
    retired_at: float | None = None


class Supervisor:
    """See the module docstring. `state` is loaded (`ServiceState.load`) and does not
    watch the data itself."""

    def __init__(self, state: ServiceState, sockets: list[socket.socket], workers: int,
                 serve: Serve, *, refresh_seconds: float) -> None:
        self.state = state
        self.sockets = sockets
        self.workers = workers
        self.serve = serve
        self.refresh_seconds = refresh_seconds
        self.generation = 0
        self.current: dict[int, Worker] = {}  # slot -> its serving worker
        self.retiring: dict[int, Worker] = {}  # pid -> worker
        self.writers: set[int] = set()  # pids of cache writers
        self.stopping = False
        self._previous: Snapshot | None = None  # kept while old workers share it
        self._seen: str | None = None  # the data version of the last check
        self._next_check = 0.0
        self._builder: threading.Thread | None = None
        self._built: Snapshot | BaseException | None = None

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> None:
        """Serve until SIGINT or SIGTERM; then stop every worker and return."""
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        self.generation = 1
        self.current = {slot: self._spawn(slot) for slot in range(self.workers)}
        self._await_ready(list(self.current.values()))
        self._next_check = time.monotonic() + self.refresh_seconds
        while not self.stopping:
            self._reap()
            self._watch()
            self._retire_overdue()
            if not self.retiring:
                self._previous = None  # no process shares the old index any more
            time.sleep(TICK)
        self._shut_down()

    def _stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _shut_down(self) -> None:
        everyone = [w.pid for w in (*self.current.values(), *self.retiring.values())]
        for pid in (*everyone, *self.writers):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        while True:
            try:
                os.wait()
            except ChildProcessError:
                return
            except InterruptedError:
                continue

    # -- workers ---------------------------------------------------------------------------
    def _spawn(self, slot: int) -> Worker:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read_end)
            self._serve_here(slot, write_end)
        os.close(write_end)
        return Worker(pid, slot, self.generation, read_end)

    def _serve_here(self, slot: int, ready_fd: int) -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(RETIRE_SIGNAL, signal.SIG_IGN)  # until the server handles it
        for worker in (*self.current.values(), *self.retiring.values()):
            if worker.ready_fd is not None:
                os.close(worker.ready_fd)
        code = 0
        try:
            self.serve(self.sockets[slot % len(self.sockets)], ready_fd)
        except BaseException:
            log.exception("worker failed")
            code = 1
        os._exit(code)

    def _await_ready(self, workers: list[Worker]) -> bool:
        """Wait until each worker reports that it serves; False if one exits first or
        does not report within READY_TIMEOUT."""
        pending = {w.ready_fd: w for w in workers if w.ready_fd is not None}
        deadline = time.monotonic() + READY_TIMEOUT
        ok = True
        while pending and ok and not self.stopping:
            left = deadline - time.monotonic()
            readable = select.select(list(pending), [], [], max(0.0, min(left, TICK)))[0]
            for fd in readable:
                ok = ok and os.read(fd, 1) == b"r"
                self._forget_pipe(pending.pop(fd))
            ok = ok and time.monotonic() < deadline
        for worker in pending.values():
            self._forget_pipe(worker)
        return ok and not self.stopping

    @staticmethod
    def _forget_pipe(worker: Worker) -> None:
        if worker.ready_fd is not None:
            os.close(worker.ready_fd)
            worker.ready_fd = None

    def _reap(self) -> None:
        """Collect exited children; a serving worker that exited is replaced."""
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.writers.discard(pid)
            retired = self.retiring.pop(pid, None)
            if retired is not None:
                self._forget_pipe(retired)
                continue
            for slot, worker in list(self.current.items()):
                if worker.pid == pid and not self.stopping:
                    self._forget_pipe(worker)
                    click.echo(f"worker {pid} exited; starting another", err=True)
                    time.sleep(0.5)  # a worker failing at start must not fork in a loop
                    self.current[slot] = self._spawn(slot)
                    self._forget_pipe(self.current[slot])

    def _retire_overdue(self) -> None:
        now = time.monotonic()
        for worker in self.retiring.values():
            if worker.retired_at is not None and now - worker.retired_at > RETIRE_TIMEOUT:
                log.warning("worker %s did not retire in time: killed", worker.pid)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)
                worker.retired_at = None  # killed once; reaped by _reap

    # -- new data --------------------------------------------------------------------------
    def _watch(self) -> None:
        """Start a build when the data version moved and stayed; hand over when a build
        is done."""
        if self._builder is not None:
            if not self._builder.is_alive():
                self._builder.join()
                self._builder = None
                self._take_built()
            return
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + self.refresh_seconds
        try:
            version = self.state.store_version()
        except Exception:  # the store is busy or away: the next check tries again
            log.exception("cannot read the data version")
            return
        if version == self.state.current_version():
            self._seen = None
        elif version != self._seen:
            self._seen = version  # moved: build once it stays put for one more check
        else:
            self._built = None
            self._builder = threading.Thread(target=self._build, args=(version,),
                                             name="pp-build", daemon=True)
            self._builder.start()

    def _build(self, version: str) -> None:
        """In the build thread: the new index, at a lower priority (Linux: a thread's
        own niceness; the supervisor's main thread, which forks the workers, keeps its)."""
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BUILD_NICENESS)
        try:
            self._built = self.state.build_snapshot(version)
        except BaseException as exc:
            self._built = exc

    def _take_built(self) -> None:
        built, self._built = self._built, None
        if not isinstance(built, Snapshot):
            log.error("building the index of the new data failed: %s", built)
            self._seen = None  # try again at the next checks
            return
        # the old index stays referenced until the old workers are gone: freeing it here
        # would write to every one of its pages, copying them all while they are shared
        self._previous = previous = self.state.snapshot()
        self.state.install(built)
        self.state.share()
        if not self._hand_over():
            self.state.install(previous)  # what the workers serve; the next checks retry
            self._seen = None
            return
        if not self.state.cached():
            self._write_cache()

    def _hand_over(self) -> bool:
        self.generation += 1
        fresh = {slot: self._spawn(slot) for slot in range(self.workers)}
        if not self._await_ready(list(fresh.values())):
            # the old generation keeps serving
            log.error("the workers of the new data did not start; the old ones serve on")
            for worker in fresh.values():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGKILL)
                worker.retired_at = None
                self.retiring[worker.pid] = worker
            return False
        old, self.current = self.current, fresh
        now = time.monotonic()
        for worker in old.values():
            worker.retired_at = now
            self.retiring[worker.pid] = worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, RETIRE_SIGNAL)
        click.echo(f"serving data {self.state.current_version()} (generation "
                   f"{self.generation})", err=True)
        return True

    def _write_cache(self) -> None:
        """Cache the new index for the next start, in a child process at a lower
        priority (pickling holds a process for seconds)."""
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.nice(BUILD_NICENESS)
                self.state.save_cache()
            except BaseException:
                log.exception("cannot cache the screening index")
                code = 1
            sys.stdout.flush()
            os._exit(code)
        self.writers.add(pid)
