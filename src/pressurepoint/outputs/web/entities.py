"""The entity page (a canonical entity across every list) and the record page (one source
record with its full history, the runs that stated it and its designations)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from pressurepoint.errors import NotFound
from pressurepoint.outputs.web.entity_view import canonical_for, entity_page, record_views_of
from pressurepoint.outputs.web.rendering import error_page, html_errors, page
from pressurepoint.outputs.web.service import service
from pressurepoint.sources import available_sources
from pressurepoint.store.views import RecordView

router = APIRouter()
MAX_ID = 255  # the store's id column


@router.get("/web/entities/{entity_id:path}", name="web_entity")
@html_errors("search")
def entity(request: Request, entity_id: str) -> Response:
    if len(entity_id) > MAX_ID:
        return error_page(request, 404, "no entity with such a long id", section="search")
    pp = service(request)
    try:
        canonical, members = canonical_for(pp.store, entity_id)
        if canonical != entity_id:  # a merged id or a member record: the canonical page
            return RedirectResponse(f"/web/entities/{quote(canonical, safe='')}", 307)
        view = entity_page(pp.store, pp.designations(), canonical, members)
    except NotFound as exc:
        return error_page(request, 404, str(exc), section="search")
    return page(request, "entity.html", section="search", entity=view,
                gap_days=view.gap_days(date.today()), titles=_titles())


@router.get("/web/records/{record_id:path}", name="web_record")
@html_errors("search")
def record(request: Request, record_id: str) -> Response:
    pp = service(request)
    sanction_ids = [d.id for d in pp.designations().items if d.target == record_id]
    views = record_views_of(pp.store, [record_id], sanction_ids) \
        if len(record_id) <= MAX_ID else []
    view = views[0] if views else None
    if view is None:
        return error_page(request, 404, f"no source record with id {record_id!r}",
                          section="search")
    canonical, _ = canonical_for(pp.store, record_id)
    return page(request, "record.html", section="search", record=view, canonical=canonical,
                runs=_runs_of(pp.store.runs(view.source), view), titles=_titles(),
                spec=next((s for s in available_sources() if s.id == view.source), None))


def _runs_of(runs: list[dict[str, Any]], view: RecordView) -> dict[int, dict[str, Any]]:
    """The runs that first or last stated a value of the record or of its designations."""
    wanted: set[int] = set()
    for item in (view, *view.designations):
        for value in item.values:
            wanted.update((int(value["first_run"]), int(value["last_run"])))
    return {int(r["id"]): r for r in runs if int(r["id"]) in wanted}


def _titles() -> dict[str, str]:
    return {spec.id: spec.title for spec in available_sources()}
