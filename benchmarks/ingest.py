"""Ingest benchmark: load every run of a sanctions mirror into a fresh store, and measure in
the same process the floor: a bare read of the same files by the library the issue names
for their format (lxml.etree.iterparse over the gzip stream, ZIP member or ODS content.xml;
the csv module over the decoded text; openpyxl in read-only mode for XLSX, which
pressurepoint itself reads with python-calamine).

    python benchmarks/ingest.py [--mirror ../shared/data/sanctions] [--db URL]
                                [--repeat N] [--source ID ...] [--json FILE] [--sequential]

Each repeat runs in a fresh child process with a fresh store (a temporary SQLite file, or
the emptied database at --db), so its peak RSS is that of one complete load. The child
reads every file bare (the floor) before and after loading them all as `pressurepoint update`
does (`load_many`: a forked worker parses the next files while the store is written;
`--sequential`: one file after the other in one process). A machine busy with other work
slows floor and load alike; compare the ratios, and repeat.

Prints per source and in total: input MB (the files as published, gzip layer removed),
records, statements, floor seconds, the seconds of each run's steps (parse / statements /
write), and for the whole load its wall time, MB/s, records/s, peak RSS and load/floor.
Target: the whole load within 3x the floor and under 1 GB RSS.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "sanctions"
MB = 1e6


# -- the floor: a bare read of each file --------------------------------------------------
def _iterparse(handle: Any) -> None:
    from lxml import etree

    for _event, element in etree.iterparse(handle, events=("end",), huge_tree=True):
        element.clear(keep_tail=True)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]


def _csv(data: bytes) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    for _row in csv.reader(io.StringIO(text, newline="")):
        pass


def _xlsx(data: bytes) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _values in sheet.iter_rows(values_only=True):
            pass
    book.close()


def bare_read(path: Path) -> int:
    """Read one file the cheapest way its format and parser allow; returns its size as
    published (without the .gz layer)."""
    from pressurepoint.ingest.files import open_raw, open_zip_member, read_bytes

    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".xml", ".zip", ".ods")):
        if name.endswith(".xml"):
            handle = open_raw(path)
        else:
            handle = open_zip_member(path, ("content.xml",) if name.endswith(".ods")
                                     else (".xml",))
        with handle:
            _iterparse(handle)
        with open_raw(path) as raw:
            return sum(len(chunk) for chunk in iter(lambda: raw.read(1 << 20), b""))
    data = read_bytes(path)
    if name.endswith(".csv"):
        _csv(data)
    elif name.endswith(".xlsx"):
        _xlsx(data)
    elif name.endswith(".json"):
        json.loads(data)
    return len(data)


# -- memory: the proportional set size of the loader and its workers ---------------------
def _pss_kb(pid: int) -> int:
    """The proportional set size of a process (shared pages divided among their users),
    0 if it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


class PssSampler(threading.Thread):
    """Samples the summed PSS of this process and its children every `every` seconds;
    `peak` is the largest sum seen. Unlike the sum of peak RSS, a page the forked parser
    shares with the loader counts once. 0 where /proc has no smaps_rollup."""

    def __init__(self, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.every, self.peak, self._done = every, 0, threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._done.wait(self.every):
            total = _pss_kb(me) + sum(_pss_kb(child) for child in _children(me))
            self.peak = max(self.peak, total * 1024)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


# -- the child: one complete load ---------------------------------------------------------
def child(mirror: Path, db_url: str, data_dir: Path, sources: set[str] | None,
          sequential: bool) -> None:
    from pressurepoint.config import Settings
    from pressurepoint.errors import PressurepointError
    from pressurepoint.ingest.mirror import plan_mirror
    from pressurepoint.ingest.runner import load_many
    from pressurepoint.store import Store

    plan = plan_mirror(mirror, sources)
    for request in plan.requests:  # warm the OS file cache for floor and load alike
        for path in [request.path, *request.companions]:
            path.read_bytes()
    store = Store(db_url)
    settings = Settings(data_dir=data_dir, db_url=db_url)
    runs = [{"source": request.source, "folder": request.path.parent.name,
             "files": [p.name for p in [request.path, *request.companions]]}
            for request in plan.requests]
    # The floor is read before and after the load and averaged, so that a machine getting
    # busier or quieter during the load moves floor and load alike.
    _read_floor(plan.requests, runs)
    sampler = PssSampler()
    sampler.start()
    start = time.perf_counter()
    loaded = load_many(store, settings, plan.requests, parallel=not sequential)
    for row, (_, outcome) in zip(runs, loaded, strict=True):
        if isinstance(outcome, PressurepointError):
            row["failed"] = str(outcome)
            continue
        info = outcome.info
        row.update(outcome=outcome.outcome, steps=outcome.seconds,
                   records=info.records if info else 0,
                   statements=info.statements if info else 0,
                   load=sum(outcome.seconds.values()))
    wall = time.perf_counter() - start
    peak_pss = sampler.stop()  # load_many loads as its outcomes are taken: now done
    _read_floor(plan.requests, runs)
    for row in runs:
        row["floor"] = statistics.mean(row["floors"])
    store.close()
    # The parsing worker has ended with the pool: its peak is among the children's. Both
    # processes live at once, so their sum bounds the load's memory (from above: the
    # worker is forked, and pages it shares with the loader count in both).
    loader = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    parser = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"runs": runs, "wall": wall, "peak_rss": loader + parser,
                      "peak_rss_loader": loader, "peak_rss_parser": parser,
                      "peak_pss": peak_pss,
                      "mode": "sequential" if sequential else "pipelined"}))


def _read_floor(requests: list[Any], runs: list[dict[str, Any]]) -> None:
    """Read every file bare once, adding each run's seconds to its `floors`."""
    for request, row in zip(requests, runs, strict=True):
        paths = [request.path, *request.companions]
        start = time.perf_counter()
        row["bytes"] = sum(bare_read(p) for p in paths)
        row.setdefault("floors", []).append(time.perf_counter() - start)


# -- the parent: repeats, fresh stores, the report -----------------------------------------
def run_child(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{tmp}/bench.sqlite"
        if args.db:
            from pressurepoint.store import Store
            from pressurepoint.store.schema import metadata

            wipe = Store(args.db)
            metadata.drop_all(wipe.engine)
            wipe.close()
        command = [sys.executable, __file__, "--child", "--mirror", str(args.mirror),
                   "--db", db_url, "--data-dir", str(Path(tmp) / "data")]
        for source in args.source or []:
            command += ["--source", source]
        if args.sequential:
            command.append("--sequential")
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
        if done.returncode != 0:
            sys.exit(f"benchmark child failed:\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "sqlite": sqlite3.sqlite_version}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def summarise(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Totals per source and overall ("all")."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in runs:
        for key in (row["source"], "all"):
            total = sums[key]
            total["runs"] += 1
            total["failed"] += 1 if "failed" in row else 0
            for field in ("bytes", "floor", "load", "records", "statements"):
                total[field] += row.get(field, 0)
            for step, seconds in row.get("steps", {}).items():
                total[f"step_{step}"] += seconds
    return {k: dict(v) for k, v in sums.items()}


def report(repeats: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = []
    info = machine()
    lines.append(f"date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
                 f"store: {'SQLite (fresh temporary file)' if not args.db else 'given URL'}")
    lines.append(f"machine: {info.get('nproc')} CPUs ({info.get('cpu', '?')}), "
                 f"{info.get('ram_gb', '?')} GB RAM; Python {info['python']}, "
                 f"SQLite {info['sqlite']}; load average at the end "
                 f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    sums = [summarise(r["runs"]) for r in repeats]
    last = sums[-1]
    lines.append("")
    lines.append("per source (last repeat; `work s` is the seconds of each run's steps, which "
                 "overlap in the pipelined loader):")
    lines.append(f"  {'source':18} {'runs':>4} {'MB':>6} {'records':>8} {'stmts':>8} "
                 f"{'floor s':>8} {'work s':>7} {'parse':>6} {'stmts':>6} {'write':>6} "
                 f"{'ratio':>6}")
    for source in [*sorted(k for k in last if k != "all"), "all"]:
        s = last[source]
        lines.append(
            f"  {source:18} {int(s['runs']):>4} {s['bytes'] / MB:>6.1f} "
            f"{int(s['records']):>8} {int(s['statements']):>8} {s['floor']:>8.1f} "
            f"{s['load']:>7.1f} {s.get('step_parse', 0):>6.1f} "
            f"{s.get('step_statements', 0):>6.1f} {s.get('step_write', 0):>6.1f} "
            f"{s['load'] / max(s['floor'], 1e-9):>5.1f}x")
    lines.append("")
    lines.append("whole load, each repeat:")
    ratios = []
    for number, (result, s) in enumerate(zip(repeats, sums, strict=True), start=1):
        total = s["all"]
        wall = result["wall"]
        ratio = wall / total["floor"]
        ratios.append(ratio)
        lines.append(
            f"  #{number} ({result['mode']}): load {wall:.1f} s wall, "
            f"{total['bytes'] / MB / wall:.2f} MB/s, {total['records'] / wall:.0f} records/s, "
            f"{total['statements'] / wall:.0f} statements/s, peak RSS loader "
            f"{result.get('peak_rss_loader', 0) / 2**20:.0f} MB + parser "
            f"{result.get('peak_rss_parser', 0) / 2**20:.0f} MB, peak PSS of both "
            f"{result.get('peak_pss', 0) / 2**20:.0f} MB; floor {total['floor']:.1f} s; "
            f"load/floor {ratio:.2f}x; failed runs {int(total['failed'])}")
    total = last["all"]
    lines.append(f"input: {int(total['runs'])} runs, {total['bytes'] / MB:.1f} MB, "
                 f"{int(total['records'])} records, {int(total['statements'])} statements")
    lines.append(f"load/floor median {statistics.median(ratios):.2f}x over {len(ratios)} "
                 f"repeat(s) (target <= 3x); peak RSS max, loader + parser "
                 f"{max(r['peak_rss'] for r in repeats) / 2**20:.0f} MB (an upper bound: "
                 f"pages the forked parser shares with the loader count twice); peak PSS "
                 f"max {max(r.get('peak_pss', 0) for r in repeats) / 2**20:.0f} MB (shared "
                 f"pages counted once, sampled every 0.2 s; target < 1024 MB)")
    for row in repeats[-1]["runs"]:
        if "failed" in row:
            lines.append(f"  FAILED {row['failed']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--db", help="store URL (default: a fresh SQLite file); the "
                                     "database is emptied first")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--source", action="append", help="only this source (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--sequential", action="store_true",
                        help="parse and write one file after the other in one process "
                             "(default: the pipelined loader of `update`)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.mirror.is_dir():
        sys.exit(f"mirror not found: {args.mirror}")
    if args.child:
        child(args.mirror, args.db, args.data_dir, set(args.source) if args.source else None,
              args.sequential)
        return
    repeats = []
    for _ in range(args.repeat):
        repeats.append(run_child(args))
    print(report(repeats, args))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "repeats": repeats}, indent=1))


if __name__ == "__main__":
    main()
