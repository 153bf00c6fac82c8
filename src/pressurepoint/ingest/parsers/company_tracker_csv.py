"""The generic company-tracker CSV: a campaign group's own research, one assessment a row.

Columns (header names, any order, case and spaces ignored; documented in
docs/companies.md):

====================  ========  ===========================================================
column                needed    meaning
====================  ========  ===========================================================
``company``           yes       the company's name
``status``            yes       exited / exiting / reduced / staying / unknown, or a Yale
                                grade (A–F) or name, a KSE class, or a common synonym
``country``                     home country (name or ISO code)
``industry``                    sector
``date``                        date of the assessment (YYYY-MM-DD, or YYYY-MM, YYYY)
``source_url``                  where the evidence is published
``evidence``                    the group's own words: what the company did
``id``                          the group's own stable id of the company
``tracker``                     who assessed (default: "Campaign research")
====================  ========  ===========================================================

Several rows may assess one company at different dates: a whole history in one file.
The delimiter may be a comma, a semicolon or a tab (as spreadsheet programs save CSV).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import parse_date
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import read_bytes
from pressurepoint.ingest.parsers.tracker_records import (
    Listing,
    Tracker,
    build_entities,
    content_stamp,
)
from pressurepoint.model import Entity
from pressurepoint.trackers.status import generic_grade

TRACKER = Tracker("Campaign research", "Company tracker (pressurepoint generic CSV)")
REQUIRED = ("company", "status")
OPTIONAL = ("country", "industry", "date", "source_url", "evidence", "id", "tracker")


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    data = read_bytes(path)
    text = data.decode("utf-8-sig")
    listings = list(_listings(ctx, text))
    return build_entities(ctx, TRACKER, listings, content_stamp(data))


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(ctx: ParseContext, cells: list[str]) -> dict[str, int]:
    names = [" ".join(c.strip().lower().replace("_", " ").split()).replace(" ", "_")
             for c in cells]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FormatError(f"line 1: header lacks column(s) {', '.join(missing)} (needed: "
                          f"{', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)})")
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in REQUIRED or name in OPTIONAL:
            index.setdefault(name, position)
        elif name:
            ctx.issue("unknown_column", f"column {cells[position]!r} is not part of the "
                      "format (ignored)", value=cells[position], location="line 1",
                      level="info")
    return index


def _listings(ctx: ParseContext, text: str) -> Iterator[Listing]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    index = _header(ctx, next(reader, []))
    width = max(index.values()) + 1
    ends_cleanly = text.endswith(("\n", "\r"))
    for cells in reader:
        where = f"line {reader.line_num}"
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width and not ends_cleanly and reader.line_num >= _last_line(text):
            raise FormatError(f"{where}: last row has {len(cells)} of {width} cells "
                              "(truncated file?)")
        row = {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}
        yield _listing(ctx, row, where)


def _last_line(text: str) -> int:
    return text.rstrip("\r\n").count("\n") + 1


def _listing(ctx: ParseContext, row: dict[str, str], where: str) -> Listing:
    status = " ".join(row.get("status", "").split())
    grade = generic_grade(status) if status else None
    if not status:
        ctx.issue("missing_status", "no status", value=row.get("company"), location=where)
    elif grade is None:
        ctx.issue("unknown_status", f"unknown status {status!r} (use exited, exiting, "
                  "reduced, staying or unknown)", prop="status", value=status, location=where)
    day = None
    if raw_date := row.get("date"):
        day = parse_date(raw_date)
        if day is None:
            ctx.issue("invalid_date", f"date: cannot read {raw_date!r} as a date",
                      prop="date", value=raw_date, location=where)
    return Listing(
        name=row.get("company", ""), location=where, grade=status or None,
        label=grade.label if grade else None, words=row.get("evidence") or None,
        country=row.get("country") or None, industry=row.get("industry") or None,
        date=day, source_url=row.get("source_url") or None, key=row.get("id") or None,
        record_id=row.get("id") or None, authority=row.get("tracker") or None,
    )
