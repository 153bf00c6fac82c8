"""Ingest benchmark: load everything in a sanctions mirror into a fresh store and compare
with the floor, a bare read of the same files by the same libraries.

    python benchmarks/ingest.py [--mirror ../shared/data/sanctions] [--db URL]

Prints, for the whole load: seconds, input MB/s (decompressed bytes), records/s and the
peak RSS of the loading process; and, in the same run, the seconds of a bare
lxml.etree.iterparse / csv / openpyxl / odfpy read of the same files. Target: the load
within 3x the floor and under 1 GB RSS.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = REPO.parent / "shared" / "data" / "sanctions"


def _bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.lower().endswith(".gz") else data


def bare_read(path: Path) -> int:
    """Read a file the cheapest way its format allows; returns the decompressed size."""
    data = _bytes(path)
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inner = archive.read(archive.namelist()[0])
        _iterparse(inner)
    elif name.endswith(".xml"):
        _iterparse(data)
    elif name.endswith(".csv"):
        text = data.decode("latin-1")
        for _row in csv.reader(io.StringIO(text)):
            pass
    elif name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _values in sheet.iter_rows(values_only=True):
                pass
        book.close()
    elif name.endswith(".ods"):
        from odf.opendocument import load

        load(io.BytesIO(data))
    return len(data)


def _iterparse(data: bytes) -> None:
    from lxml import etree

    for _event, element in etree.iterparse(io.BytesIO(data), huge_tree=True):
        element.clear(keep_tail=True)


def floor(mirror: Path) -> tuple[float, int, int]:
    files = sorted(p for p in mirror.rglob("*") if p.is_file() and p.suffix != ".md")
    start = time.perf_counter()
    size = sum(bare_read(p) for p in files)
    return time.perf_counter() - start, size, len(files)


def load(mirror: Path, db_url: str, data_dir: Path) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "pressurepoint", "--db", db_url,
               "--data-dir", str(data_dir), "update", "--from", str(mirror)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=str(REPO / "src")))
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb, done.stderr


def records(db_url: str) -> int:
    """Records of every run loaded (all versions of every list)."""
    from pressurepoint.store import Store

    store = Store(db_url)
    total = sum(r["records"] for r in store.runs())
    store.close()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--db", help="store URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    if not args.mirror.is_dir():
        sys.exit(f"mirror not found: {args.mirror}")
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{tmp}/bench.sqlite"
        load_s, peak_kb, log = load(args.mirror, db_url, Path(tmp) / "data")
        floor_s, size, files = floor(args.mirror)
        total = records(db_url)
    failed = [line for line in log.splitlines() if line.startswith("FAILED")]
    mb = size / 1e6
    print(f"files: {files}, decompressed input: {mb:.1f} MB, runs' records: {total}")
    print(f"load:  {load_s:.1f} s, {mb / load_s:.2f} MB/s, {total / load_s:.0f} records/s, "
          f"peak RSS {peak_kb / 1024:.0f} MB")
    print(f"floor: {floor_s:.1f} s (bare iterparse/csv/openpyxl/odfpy read of the same files)")
    print(f"ratio: {load_s / floor_s:.2f}x the floor (target <= 3x); failed runs: {len(failed)}")
    for line in failed:
        print("  " + line)


if __name__ == "__main__":
    main()
