"""Yale CELI list of companies leaving and staying in Russia: the published CSV
(``name, action, industry, country, yaleGrade``) and the older JSON form (an object keyed
``withdrawal``, ``suspension``, ``scalingback``, ``buyingtime``, ``diggingin``, each with
``description``, ``grade`` and ``records[] {name, action, industry, country}``).

Neither form states its date: the run's publication date is the caller's (the mirror
folder's). Every row becomes a Company and a Risk (see `tracker_records`). Yale's "action"
is kept as the Risk's ``reason``: it is Yale's own words on what the company did.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import read_bytes
from pressurepoint.ingest.parsers.tracker_records import (
    Listing,
    Tracker,
    build_entities,
    content_stamp,
)
from pressurepoint.model import Entity
from pressurepoint.trackers.status import YALE_GRADES

SOURCE_URL = ("https://som.yale.edu/story/2022/"
              "over-1000-companies-have-curtailed-operations-russia-some-remain")
TRACKER = Tracker("Yale Chief Executive Leadership Institute",
                  "Yale CELI list of companies leaving and staying in Russia", SOURCE_URL)
CSV_COLUMNS = ("name", "action", "industry", "country", "yaleGrade")
JSON_BUCKETS = {"withdrawal": "A", "suspension": "B", "scalingback": "C", "buyingtime": "D",
                "diggingin": "F"}


def parse_csv(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """The published CSV, one company per row."""
    data = read_bytes(path)
    text = data.decode("utf-8-sig")
    listings = list(_csv_listings(ctx, text))
    return build_entities(ctx, TRACKER, listings, content_stamp(data))


def _csv_listings(ctx: ParseContext, text: str) -> Iterator[Listing]:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise FormatError(f"line 1: header lacks column(s) {', '.join(missing)} "
                          f"(expected {', '.join(CSV_COLUMNS)})")
    index = {name: header.index(name) for name in CSV_COLUMNS}
    width = max(index.values()) + 1
    last_line = text.rstrip("\r\n").count("\n") + 1
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            if line >= last_line and not text.endswith(("\n", "\r")):
                raise FormatError(f"line {line}: last row has {len(cells)} of {width} "
                                  f"cells (truncated file?)")
            ctx.issue("short_row", f"row has {len(cells)} cells, expected {len(header)}",
                      value=",".join(cells)[:200], location=f"line {line}")
            continue
        yield _listing(ctx, {c: cells[i] for c, i in index.items()}, f"line {line}")


def _listing(ctx: ParseContext, row: dict[str, Any], where: str) -> Listing:
    grade = str(row.get("yaleGrade") or "").strip()
    found = YALE_GRADES.get(grade.upper())
    if not grade:
        ctx.issue("missing_status", "no Yale grade", value=str(row.get("name")), location=where)
    elif found is None:
        ctx.issue("unknown_status", f"unknown Yale grade {grade!r} (expected A, B, C, D "
                  "or F)", prop="status", value=grade, location=where)
    return Listing(
        name=str(row.get("name") or ""), location=where, grade=grade or None,
        label=found.label if found else None, words=_text(row.get("action")),
        country=_text(row.get("country")), industry=_text(row.get("industry")),
        record_id=None,
    )


def _text(raw: object) -> str | None:
    text = " ".join(str(raw).split()) if raw is not None else ""
    return text or None


def parse_json(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """The older JSON form, grouped by grade."""
    data = read_bytes(path)
    try:
        root = json.loads(data.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                          ) from exc
    if not isinstance(root, dict) or not any(k in root for k in JSON_BUCKETS):
        raise FormatError("top-level object has none of the grade keys "
                          f"{', '.join(JSON_BUCKETS)}")
    listings = list(_json_listings(ctx, root))
    return build_entities(ctx, TRACKER, listings, content_stamp(data))


def _json_listings(ctx: ParseContext, root: dict[str, Any]) -> Iterator[Listing]:
    for bucket, body in root.items():
        where = f"{bucket}"
        if bucket not in JSON_BUCKETS or not isinstance(body, dict):
            ctx.issue("unknown_element", f"unknown grade key {bucket!r} (skipped)",
                      value=bucket, location=where)
            continue
        grade = str(body.get("grade") or "").strip()
        if grade != JSON_BUCKETS[bucket]:
            ctx.issue("unknown_status", f"{bucket}: grade {grade!r}, expected "
                      f"{JSON_BUCKETS[bucket]!r}; the grade key decides", value=grade,
                      location=where)
        records = body.get("records")
        if not isinstance(records, list):
            raise FormatError(f"{bucket}: no 'records' list")
        for n, record in enumerate(records):
            here = f"{bucket}.records[{n}]"
            if not isinstance(record, dict):
                ctx.issue("bad_record", "record is not an object", value=str(record)[:200],
                          location=here)
                continue
            yield _listing(ctx, dict(record, yaleGrade=JSON_BUCKETS[bucket]), here)
