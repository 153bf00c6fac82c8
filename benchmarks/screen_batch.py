"""Batch screening benchmark: 100,000 names through the `screen` pipeline.

    python benchmarks/screen_batch.py --db sqlite:///PATH [--data-dir DIR] [--rows 100000]
        [--workers N] [--keep FILE]

The store must be loaded and resolved. Names come from the store's own sanctions records
(their display names), perturbed the way a user's list differs from the official one:
a typo, words in another order, a middle name left out, another case, a birth date given
or not; half the rows instead join a given name and a surname of two different records
(names that mostly are on no list). The table is written as a CSV to a temporary folder,
then screened by the same code as `pressurepoint screen` (read, fork workers, write the
output CSV), and one JSON line is printed:

- index_s: loading (or building) the screening index, not counted in the rate;
- screen_s, names_per_s: reading, screening and writing the 100,000 rows, wall clock;
- cpu_s, names_per_cpu_s: CPU seconds of this process and its workers (robust on a busy
  machine: names_per_cpu_s x cores is the rate of an idle machine);
- peak_rss_mb (this process) and worker_peak_rss_mb (the largest worker).
Target: >= 2,000 names/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any


def names_of(index: Any) -> list[tuple[str, str]]:
    """(caption, schema) of every record in the index."""
    return [(e.caption, e.schema) for e in index.entries if e.caption]


def perturb(name: str, rng: random.Random) -> str:
    words = name.replace(",", " ").split()
    action = rng.randrange(5)
    if action == 0 and len(words) > 1:
        words.reverse()
    elif action == 1 and len(words) > 2:
        del words[rng.randrange(1, len(words) - 1)]
    elif action == 2:
        word = rng.randrange(len(words))
        text = words[word]
        if len(text) > 3:
            at = rng.randrange(1, len(text) - 1)
            words[word] = text[:at] + rng.choice("aeiouy") + text[at + 1:]
    elif action == 3:
        words = [w.capitalize() for w in words]
    return " ".join(words)


def rows(count: int, seed: int, index: Any) -> list[list[str]]:
    rng = random.Random(seed)
    names = names_of(index)
    people = [n.split() for n, schema in names if schema == "Person" and len(n.split()) >= 2]
    out = []
    for n in range(count):
        if n % 2 == 0:
            name, schema = rng.choice(names)
            name = perturb(name, rng)
        else:  # a given name and a surname of two different people
            name, schema = f"{rng.choice(people)[0]} {rng.choice(people)[-1]}", "Person"
        born = f"{rng.randint(1940, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" \
            if schema == "Person" and rng.random() < 0.3 else ""
        out.append([str(n + 1), name, born])
    return out


def write_input(path: Path, table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "birth date"])
        writer.writerows(table)


def load_index(db_url: str, data_dir: Path) -> tuple[Any, float]:
    from pressurepoint.config import Settings
    from pressurepoint.screening import cache
    from pressurepoint.screening.building import build_parts
    from pressurepoint.screening.engine import ScreeningIndex
    from pressurepoint.screening.version import data_version
    from pressurepoint.store import Store

    started = time.perf_counter()
    settings = Settings(data_dir=data_dir, db_url=db_url)
    store = Store(db_url)
    version = data_version(store)
    cached = cache.load_fresh(settings, version)
    if cached is None:  # as `pressurepoint screen`: built, cached and read back
        index = cache.build_and_cache(
            settings, lambda: build_parts(ScreeningIndex, store, version=version))
    else:
        index = cached[0]
    store.close()
    return index, time.perf_counter() - started


def screen(index: Any, source: Path, target: Path, workers: int) -> dict[str, Any]:
    """The `screen` command's pipeline, without its progress bar."""
    from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD
    from pressurepoint.screening.batch import (
        Screener,
        ScreenOptions,
        Tally,
        output_headers,
        output_row,
    )
    from pressurepoint.screening.tabular import open_table, select_columns, table_writer

    tally = Tally()
    options = ScreenOptions(threshold=DEFAULT_THRESHOLD, limit=1, workers=workers)
    with open_table(source) as table:
        columns = select_columns(table.headers)
        with Screener(index, columns, options) as screener, \
                table_writer(target, output_headers(table.headers, 1)) as out:
            for result in screener.screen(table.rows()):
                out.write(output_row(result, len(table.headers), 1))
                tally.add(result)
    return {"rows": tally.rows, "matched": tally.matched,
            "not_screened": len(tally.not_screened)}


def cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a resolved store")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the screening index is cached (default: a temp folder)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keep", type=Path, help="also copy the output CSV here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pp-screen-bench-") as tmp:
        folder = Path(tmp)
        index, index_s = load_index(args.db, args.data_dir or folder / "data")
        source, target = folder / "names.csv", args.keep or folder / "screened.csv"
        write_input(source, rows(args.rows, args.seed, index))
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        counts = screen(index, source, target, args.workers)
        screen_s = time.perf_counter() - started
        cpu_s = cpu_seconds() - cpu_before
    print(json.dumps({
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", "records": len(index),
        "workers": args.workers, **counts, "index_s": round(index_s, 1),
        "screen_s": round(screen_s, 1), "names_per_s": round(counts["rows"] / screen_s),
        "cpu_s": round(cpu_s, 1), "names_per_cpu_s": round(counts["rows"] / cpu_s),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }))


if __name__ == "__main__":
    main()
