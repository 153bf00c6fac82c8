"""Serving benchmark: `pressurepoint serve` on 127.0.0.1 under a bounded load of /match.

    python benchmarks/serve_load.py --db sqlite:///PATH     # a store loaded and resolved
    python benchmarks/serve_load.py [--mirror ../shared/data/sanctions]   # build one first

Starts the server (`--workers`, default 2) over the store, with its own data folder, and
measures:

- start to ready: from the process start until every worker answers /readyz (first with
  the index cache of `--data-dir`, empty by default, so the index is built; then again
  with the cache the first start wrote);
- for 1, 8 and 32 concurrent clients, `--requests` POST /match requests, each one query
  (a person, company or vessel) drawn from the names of the store's records and perturbed
  (a letter dropped or doubled, words swapped, case changed, a middle name left out),
  sent over keep-alive connections: requests/s, p50/p95/p99 latency, errors (anything
  but a 200 with a response for the query), the server's RSS (RSS and PSS of all its processes);
- a load at 32 clients while the data changes under the server: a judgement is written
  through the API (the data version moves), the supervisor builds the new index and
  replaces the workers by a new generation; the load runs until the new version is
  served (and a few seconds more, while the old workers retire), with the versions
  before and after and the seconds until the switch.

The client is a small asyncio HTTP/1.1 client (no library overhead: it shares the two
cores with the server). Prints one JSON object. Targets (issue 5): >= 400 requests/s at
8 and 32 clients, p99 < 100 ms, zero errors (also during the refresh), ready < 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gaps import build  # a fresh store with the mirror loaded and resolved

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "sanctions"
SCHEMA_OF = {"Person": "Person", "Company": "Company", "Organization": "Company",
             "LegalEntity": "LegalEntity", "Vessel": "Vessel"}
TOKEN = "serve-load-benchmark"


# -- queries ------------------------------------------------------------------------------
def sample_names(db_path: str, count: int, seed: int) -> list[tuple[str, str]]:
    """(schema, name) of `count` records of the store, at random."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT schema, value FROM statement WHERE prop = 'name' AND schema IN "
        "('Person', 'Company', 'Organization', 'LegalEntity', 'Vessel') "
        "AND length(value) BETWEEN 4 AND 80").fetchall()
    conn.close()
    rng = random.Random(seed)
    picked = rng.sample(rows, min(count, len(rows)))
    return [(SCHEMA_OF[schema], name) for schema, name in picked]


def perturb(name: str, rng: random.Random) -> str:
    """One realistic change to a name: a typo, a swap of words, another case, a dropped
    middle word."""
    words = name.split()
    kind = rng.randrange(5)
    if kind == 0 and len(name) > 5:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    if kind == 1 and len(name) > 5:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i] + name[i:]
    if kind == 2 and len(words) > 1:
        return " ".join(words[1:] + words[:1])
    if kind == 3 and len(words) > 2:
        return " ".join(words[:1] + words[2:])
    return name.upper() if rng.random() < 0.5 else name.title()


def request_bodies(names: list[tuple[str, str]], seed: int) -> list[bytes]:
    """One /match body per name, perturbed; names the engine cannot read as a name at
    all (a perturbed "A.B.") are left out: they are correctly refused with a 400."""
    from pressurepoint.errors import InvalidInput
    from pressurepoint.resolve.matcher import DefaultMatcher
    from pressurepoint.screening.engine import MatchQuery, prepare_query

    matcher = DefaultMatcher()
    rng = random.Random(seed)
    bodies = []
    for n, (schema, name) in enumerate(names):
        props = {"name": [perturb(name, rng)]}
        try:
            prepare_query(matcher, MatchQuery(schema, props))
        except InvalidInput:
            continue
        query = {"queries": {f"q{n}": {"schema": schema, "properties": props}}}
        bodies.append(json.dumps(query).encode())
    return bodies


# -- a small HTTP/1.1 client ----------------------------------------------------------------
class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.closed = False

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def post(self, path: str, body: bytes, headers: str = "") -> tuple[int, bytes]:
        """Send one request, read its response. A response with `Connection: close`
        closes this connection (`closed`), as any HTTP/1.1 client does."""
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                f"\r\nContent-Length: {len(body)}\r\n{headers}\r\n")
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            lowered = line.lower()
            if lowered.startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
            elif lowered.startswith(b"connection:") and b"close" in lowered:
                self.closed = True
        payload = await self.reader.readexactly(length)
        if self.closed:
            self.close()
        return int(status_line.split()[1]), payload

    def close(self) -> None:
        self.writer.close()


async def run_load(port: int, bodies: list[bytes], clients: int,
                   until: asyncio.Event | None = None) -> dict[str, Any]:
    """Send every body once, `clients` at a time (with `until`: round and round the bodies
    until it is set); latency and errors of each."""
    position = 0
    latencies: list[float] = []
    errors: list[str] = []
    reopened = 0

    def next_body() -> bytes | None:
        nonlocal position
        if until is None and position >= len(bodies):
            return None
        if until is not None and until.is_set():
            return None
        position += 1
        return bodies[(position - 1) % len(bodies)]

    async def client() -> None:
        nonlocal reopened
        connection = await Connection.open(port)
        try:
            while (body := next_body()) is not None:
                started = time.perf_counter()
                try:
                    status, payload = await connection.post("/match/default", body)
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    connection.close()
                    connection = await Connection.open(port)
                    continue
                latencies.append(time.perf_counter() - started)
                if status != 200 or b'"responses"' not in payload:
                    errors.append(f"{status}: {payload[:200]!r}")
                if connection.closed:  # the server asked: a retiring worker
                    reopened += 1
                    connection = await Connection.open(port)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {"clients": clients, "requests": len(latencies), "seconds": round(elapsed, 2),
            "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(ordered[-1] * 1000, 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
            "errors": len(errors), "error_examples": errors[:3],
            "connections_closed_by_server": reopened}


# -- the server ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(db_url: str, data_dir: Path, workers: int, port: int
           ) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ, PRESSUREPOINT_API_TOKEN=TOKEN, PRESSUREPOINT_REFRESH_SECONDS="2")
    process = subprocess.Popen(
        [sys.executable, "-m", "pressurepoint", "--db", db_url, "--data-dir", str(data_dir),
         "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def status(port: int) -> dict[str, Any] | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        found: dict[str, Any] = json.loads(data.split(b"\r\n\r\n", 1)[1])
        return found
    except (OSError, ValueError):
        return None


def wait_ready(port: int, workers: int, process: subprocess.Popen[bytes],
               timeout: float = 900) -> float:
    """Seconds until `workers` * 4 readiness checks in a row say ready (each new
    connection may land on any worker)."""
    started = time.perf_counter()
    streak = 0
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.stderr.read().decode()[-2000:]}"
                             if process.stderr else "server exited")
        found = status(port)
        streak = streak + 1 if found and found.get("status") == "ready" else 0
        if streak >= workers * 4:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise SystemExit("server not ready in time")


def loaded_after(process: subprocess.Popen[bytes]) -> list[float]:
    """The seconds `serve` says it took to load (its "ready in" line: from the command's
    start, after Python's start and the command line's imports, until the index is
    loaded and before the workers are forked), once the server has exited."""
    said = process.stderr.read().decode() if process.stderr else ""
    return [float(line.split()[2]) for line in said.splitlines()
            if line.startswith("ready in ")]


def server_memory_mb(pid: int) -> dict[str, float]:
    """RSS (shared pages counted in every process) and PSS (shared pages divided among
    the processes sharing them) of a process and all its descendants, and how many
    processes that is (the supervisor, its workers, retiring workers, a cache writer)."""
    totals = {"rss_mb": 0, "pss_mb": 0}
    todo = [pid]
    processes = 0
    while todo:
        current = todo.pop()
        processes += 1
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    totals["rss_mb"] += int(line.split()[1])
                elif line.startswith("Pss:"):
                    totals["pss_mb"] += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except OSError:
            continue
    return {**{k: round(v / 1024, 1) for k, v in totals.items()}, "processes": processes}


def settled_memory(pid: int, workers: int, timeout: float = 300) -> dict[str, float]:
    """The server's memory once only the supervisor and one generation of workers are
    left (the old workers and the cache writer have exited), and the seconds until then."""
    started = time.perf_counter()
    found = server_memory_mb(pid)
    while found["processes"] > workers + 1 and time.perf_counter() - started < timeout:
        time.sleep(0.5)
        found = server_memory_mb(pid)
    return {**found, "waited_s": round(time.perf_counter() - started, 1)}


async def judge(port: int) -> int:
    """Write one judgement through the API: the data version moves."""
    conn = sqlite3.connect(f"file:{os.environ['PP_BENCH_DB']}?mode=ro", uri=True)
    left, right = conn.execute("SELECT entity_id FROM canonical ORDER BY entity_id "
                               "LIMIT 2").fetchall()
    conn.close()
    connection = await Connection.open(port)
    body = json.dumps({"left": left[0], "right": right[0], "verdict": "unsure",
                       "author": "serve_load"}).encode()
    code, _ = await connection.post("/judgements", body, f"Authorization: Bearer {TOKEN}\r\n")
    connection.close()
    return code


async def load_with_refresh(port: int, bodies: list[bytes], clients: int) -> dict[str, Any]:
    """Load from before a judgement is written until the new data version is served
    (and 8 seconds more: the old workers retire)."""
    before = status(port) or {}
    done = asyncio.Event()
    load = asyncio.create_task(run_load(port, bodies, clients, until=done))
    await asyncio.sleep(1.0)
    written = time.perf_counter()
    code = await judge(port)
    deadline = written + 300
    streak, after = 0, before
    while streak < 8 and time.perf_counter() < deadline:  # several answers: both workers
        await asyncio.sleep(0.25)
        found = await asyncio.to_thread(status, port)
        if found and found.get("version") not in (None, before.get("version")):
            streak, after = streak + 1, found
        else:
            streak = 0
    swapped = time.perf_counter() - written
    await asyncio.sleep(8.0)  # the old workers retire under load
    done.set()
    result = await load
    result.update(judgement_status=code, version_before=before.get("version"),
                  version_after=after.get("version"), swapped_after_s=round(swapped, 1))
    return result


# -- main ---------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="A loaded and resolved SQLite store (URL or path); it "
                        "is copied, never written.")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=4000, help="Per concurrency level.")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="Keep the index cache here between "
                        "runs (default: a temporary folder, so the first start builds).")
    parser.add_argument("--cached-starts", type=int, default=1, help="Start the server this "
                        "many times with the cached index (ready_s_cached: their median).")
    parser.add_argument("--start-only", action="store_true",
                        help="Measure the starts only, no load.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        folder = Path(tmp)
        if args.db:
            source = args.db.removeprefix("sqlite:///")
            shutil.copyfile(source, folder / "pp.sqlite")  # the refresh run writes to it
            db_url = f"sqlite:///{folder / 'pp.sqlite'}"
        else:
            db_url = build(args.mirror, folder)
        db_path = db_url.removeprefix("sqlite:///")
        os.environ["PP_BENCH_DB"] = db_path
        names = sample_names(db_path, args.requests * 3, args.seed)
        bodies = request_bodies(names, args.seed)[:args.requests * 2]
        report: dict[str, Any] = {"workers": args.workers, "cpus": os.cpu_count(),
                                  "distinct_queries": len(bodies),
                                  "load_average_before": os.getloadavg()}
        port = free_port()
        data_dir = args.data_dir or folder / "data"
        report["index_cached_before_first_start"] = any(
            (data_dir / "screening").glob("index-*.pickle"))
        with server(db_url, data_dir, args.workers, port) as process:
            report["ready_s_first_start"] = round(wait_ready(port, args.workers, process), 1)
        report["loaded_s_first_start"] = loaded_after(process)
        cached_starts: list[float] = []
        loaded: list[float] = []  # of those, the seconds of `serve` itself until loaded
        for _ in range(max(1, args.cached_starts) - 1):
            with server(db_url, data_dir, args.workers, port) as process:
                cached_starts.append(round(wait_ready(port, args.workers, process), 2))
            loaded.extend(loaded_after(process))
        with server(db_url, data_dir, args.workers, port) as process:
            cached_starts.append(round(wait_ready(port, args.workers, process), 2))
            report["ready_s_cached"] = round(statistics.median(cached_starts), 1)
            report["ready_s_cached_runs"] = cached_starts
            report["memory_idle"] = server_memory_mb(process.pid)
            if not args.start_only:
                load_and_refresh(report, port, bodies, args, process)
        report["loaded_s_cached_runs"] = [*loaded, *loaded_after(process)]
        report["load_average_after"] = os.getloadavg()
        print(json.dumps(report, indent=1))


def load_and_refresh(report: dict[str, Any], port: int, bodies: list[bytes],
                     args: argparse.Namespace, process: subprocess.Popen[bytes]) -> None:
    """The loads at each concurrency, then the load during a refresh, into `report`."""
    runs = []
    for n, clients in enumerate(int(c) for c in args.clients.split(",")):
        batch = bodies[(n % 2) * args.requests:][:args.requests]
        runs.append(asyncio.run(run_load(port, batch, clients)))
        runs[-1]["memory"] = server_memory_mb(process.pid)
    report["load"] = runs
    refresh = asyncio.run(load_with_refresh(port, bodies[:args.requests], 32))
    refresh["memory"] = server_memory_mb(process.pid)
    refresh["memory_settled"] = settled_memory(process.pid, args.workers)
    report["load_during_refresh"] = refresh


if __name__ == "__main__":
    main()
