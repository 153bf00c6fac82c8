"""The sources page: every official list and tracker, how old its newest file is, the last
run that loaded it, record counts and issues; and the issues of one source."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pressurepoint.outputs.web.rendering import error_page, html_errors, page
from pressurepoint.outputs.web.service import service
from pressurepoint.sources import available_sources
from pressurepoint.store import Store

router = APIRouter()
STALE_DAYS = 14  # a list older than this is flagged: most publishers update weekly or faster
ISSUES_SHOWN = 500


def source_rows(store: Store, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per source: its newest good run, counts, issues and age in days (the same figures
    as `pressurepoint sources`)."""
    newest = store.newest_runs()
    issue_counts = store.issue_counts()
    runs_per_source: dict[str, int] = {}
    for stored in store.runs():
        runs_per_source[stored["source"]] = runs_per_source.get(stored["source"], 0) + 1
    today = (now or datetime.now(UTC)).replace(tzinfo=None)
    rows = []
    for spec in available_sources():
        run = newest.get(spec.id)
        row: dict[str, Any] = {"spec": spec, "run": run, "runs": runs_per_source.get(spec.id, 0),
                               "issues": 0, "age_days": None}
        if run is not None:
            published = datetime.fromisoformat(run["published_at"]).replace(tzinfo=None)
            row.update(issues=issue_counts.get(int(run["id"]), 0),
                       age_days=(today - published).days)
        rows.append(row)
    return rows


@router.get("/web/sources", name="web_sources")
@html_errors("sources")
def sources(request: Request) -> Response:
    rows = source_rows(service(request).store)
    return page(request, "sources.html", section="sources", rows=rows, stale_days=STALE_DAYS)


@router.get("/web/sources/{source_id}/issues", name="web_source_issues")
@html_errors("sources")
def issues(request: Request, source_id: str) -> Response:
    spec = next((s for s in available_sources() if s.id == source_id), None)
    if spec is None:
        return error_page(request, 404, f"no source {source_id!r}", section="sources")
    store = service(request).store
    run = store.newest_runs().get(source_id)
    found = store.issues(source=source_id, run_id=int(run["id"]), limit=ISSUES_SHOWN + 1) \
        if run else []
    return page(request, "issues.html", section="sources", spec=spec, run=run,
                issues=found[:ISSUES_SHOWN], more=len(found) > ISSUES_SHOWN)
