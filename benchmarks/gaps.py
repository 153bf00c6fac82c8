"""Gap matrix benchmark: the matrix over everything in a sanctions mirror, after resolve.

    python benchmarks/gaps.py --db sqlite:///PATH      # a store already loaded and resolved
    python benchmarks/gaps.py [--mirror ../shared/data/sanctions]   # build one first

Without --db, loads the mirror into a fresh store and resolves it (not timed), then runs
the measurement in a fresh process. Prints the wall and CPU seconds (CPU: robust on a
busy machine) and the peak RSS of reading the designations and building the whole
matrix, the Russia-regime matrix and its JSON.
Target: under 10 s and under 1 GB RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "sanctions"


def measure(db_url: str) -> None:
    """Time the matrix in this process and print one JSON line."""
    start = time.perf_counter()
    from pressurepoint.analysis.designations import load_designations
    from pressurepoint.analysis.gaps import Query, matrix
    from pressurepoint.store import Store

    store = Store(db_url)
    data = load_designations(store)
    loaded = time.perf_counter()
    every = matrix(data, Query(include_all=True))
    russia = matrix(data, Query(regimes=["russia"]))
    today = date.today()
    text = json.dumps([r.to_json(today) for r in russia], ensure_ascii=False)
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    print(json.dumps({
        "designations": len(data.items), "entities": len(every),
        "russia_gap_rows": len(russia), "json_mb": round(len(text) / 1e6, 1),
        "read_s": round(loaded - start, 2), "total_s": round(done - start, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "peak_rss_mb": round(peak_mb),
    }))


def build(mirror: Path, folder: Path) -> str:
    """A store in `folder` with every file of `mirror` loaded and resolved; its URL."""
    db_url = f"sqlite:///{folder / 'pp.sqlite'}"
    base = [sys.executable, "-m", "pressurepoint", "--db", db_url,
            "--data-dir", str(folder / "data")]
    subprocess.run([*base, "update", "--from", str(mirror)], check=False)
    subprocess.run([*base, "resolve"], check=True)
    return db_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="A loaded and resolved store (SQLAlchemy URL).")
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.db)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or build(args.mirror, Path(tmp))
        subprocess.run([sys.executable, __file__, "--measure", "--db", db_url], check=True)


if __name__ == "__main__":
    main()
