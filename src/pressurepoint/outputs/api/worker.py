"""uvicorn in one worker process of `pressurepoint serve` (see
`pressurepoint.outputs.api.supervisor`): it tells the supervisor when it serves, and when
told to retire (RETIRE_SIGNAL) it leaves without dropping or resetting anything.

Retiring, step by step:

1. it stops accepting: its copy of the listening socket is closed. The socket itself
   stays open in the supervisor and in the new worker of the same slot, so connections
   waiting in its queue, or arriving now, are accepted by the new worker;
2. every response from now on says `Connection: close`, and the connection is closed
   after it: a client learns from the response itself not to send another request on
   it (closing an idle keep-alive connection instead would race with a request the
   client may be sending at that moment: the client would see a reset);
3. once no connection is left, or after `drain_seconds` (idle keep-alive connections
   have been closed by uvicorn's keep-alive timeout by then), uvicorn's graceful shutdown
   runs: in-flight requests finish, then the process exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from collections.abc import Iterator
from types import FrameType

import uvicorn

from pressurepoint.processes import collect_and_freeze

RETIRE_SIGNAL = signal.SIGUSR1
CLOSE = (b"connection", b"close")


class WorkerServer(uvicorn.Server):
    """See the module docstring. `ready_fd`: the write end of a pipe; one byte is written
    to it once the server accepts connections (then it is closed)."""

    def __init__(self, config: uvicorn.Config, ready_fd: int | None = None,
                 drain_seconds: float | None = None) -> None:
        super().__init__(config)
        self.ready_fd = ready_fd
        self.drain_seconds = (drain_seconds if drain_seconds is not None
                              else config.timeout_keep_alive + 1.0)
        self.retire_requested = False
        self.retired_at: float | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            previous = signal.signal(RETIRE_SIGNAL, self._on_retire)
            try:
                yield
            finally:
                signal.signal(RETIRE_SIGNAL, previous)

    def _on_retire(self, _signum: int, _frame: FrameType | None) -> None:
        self.retire_requested = True  # acted on by the event loop, at its next tick

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.ready_fd is not None:
            with contextlib.suppress(OSError):  # the supervisor stopped waiting
                os.write(self.ready_fd, b"r")
            os.close(self.ready_fd)
            self.ready_fd = None

    async def on_tick(self, counter: int) -> bool:
        # Each tick (0.1 s), what the requests since the last one left is collected and
        # frozen (`pressurepoint.processes.collect_and_freeze`): the names engine's caches
        # grow with every new name, and full collections over them stalled every request
        # of this worker for up to 0.75 s. A connection open at a tick has its objects
        # frozen too; uvicorn breaks their cycles when it closes (8,000 connections, one
        # request each, left the worker's RSS unchanged).
        collect_and_freeze()
        if self.retire_requested and self.retired_at is None:
            self._stop_accepting()
        if self.retired_at is not None and (
                not self.server_state.connections
                or time.monotonic() - self.retired_at > self.drain_seconds):
            return True
        return await super().on_tick(counter)

    def _stop_accepting(self) -> None:
        self.retired_at = time.monotonic()
        for server in self.servers:
            server.close()
        # uvicorn adds its default headers to every response it starts from now on
        # (`on_tick` rebuilds them from the config every second)
        self.config.encoded_headers = [*self.config.encoded_headers, CLOSE]
        self.server_state.default_headers = [*self.server_state.default_headers, CLOSE]
        for connection in list(self.server_state.connections):
            # a request read before now, not answered yet: its response closes too
            cycle = getattr(connection, "cycle", None)
            if cycle is not None and not cycle.response_started:
                cycle.keep_alive = False
