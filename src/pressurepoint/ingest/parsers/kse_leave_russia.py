"""KSE Institute "Leave Russia" (leave-russia.org) company list, as a JSON file:
``{"companies": {slug: {name, slug, status_class, status_bucket}}, "count", "fetchedAt"}``.

``status_class`` is KSE's status (continue, holdoff, scalingback, suspension, withdrawal,
transfer). ``status_bucket`` is not KSE's: the copier's own grouping of the classes; it is
only checked against the class (a disagreement is an issue), pressurepoint's own mapping
replaces it. ``fetchedAt`` is the date of the snapshot: it becomes the publication date.
Company ids are KSE's slugs (also the address of the company's page on leave-russia.org).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
from pressurepoint.trackers.status import KSE_CLASSES

SITE = "https://leave-russia.org"
TRACKER = Tracker("KSE Institute", "KSE Institute #LeaveRussia company database", SITE)
# The copier's grouping of KSE's classes, checked for consistency only.
EXPECTED_BUCKET = {"continue": "stay", "scalingback": "reduced", "suspension": "reduced",
                   "withdrawal": "left", "transfer": "left", "holdoff": "unknown"}


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    data = read_bytes(path)
    try:
        root = json.loads(data.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                          ) from exc
    if not isinstance(root, dict) or not isinstance(root.get("companies"), dict):
        raise FormatError("no 'companies' object at the top level")
    companies: dict[str, Any] = root["companies"]
    day = _snapshot_day(ctx, root)
    count = root.get("count")
    if count is not None and count != len(companies):
        ctx.issue("count_mismatch", f"file says count {count!r}, holds {len(companies)} "
                  "companies", value=str(count), location="count")
    listings = [listing for key, record in companies.items()
                if (listing := _listing(ctx, key, record, day)) is not None]
    return build_entities(ctx, TRACKER, listings, content_stamp(data))


def _snapshot_day(ctx: ParseContext, root: dict[str, Any]) -> str | None:
    fetched = root.get("fetchedAt")
    if fetched is None:
        return None
    ctx.set_published(fetched, "fetchedAt field")
    day = parse_date(str(fetched))
    return day if day and len(day) == 10 else None


def _listing(ctx: ParseContext, key: str, record: object, day: str | None) -> Listing | None:
    where = f"companies[{key!r}]"
    if not isinstance(record, dict):
        ctx.issue("bad_record", "company is not an object", value=str(record)[:200],
                  location=where)
        return None
    slug = str(record.get("slug") or key).strip()
    if slug != key:
        ctx.issue("slug_mismatch", f"key {key!r} holds slug {slug!r}; the slug is used",
                  value=slug, location=where)
    status = str(record.get("status_class") or "").strip()
    grade = KSE_CLASSES.get(status)
    if not status:
        ctx.issue("missing_status", "no status_class", value=slug, location=where)
    elif grade is None:
        ctx.issue("unknown_status", f"unknown KSE status class {status!r}", prop="status",
                  value=status, location=where)
    bucket = record.get("status_bucket")
    if bucket is not None and grade is not None and bucket != EXPECTED_BUCKET.get(status):
        ctx.issue("status_bucket_mismatch", f"status_bucket {bucket!r} does not belong to "
                  f"class {status!r}; the class is used", value=str(bucket), location=where)
    url = f"{SITE}/{slug}"
    return Listing(
        name=str(record.get("name") or ""), location=where, grade=status or None,
        label=grade.label if grade else None, date=day, source_url=url, company_url=url,
        key=slug, record_id=slug,
    )
