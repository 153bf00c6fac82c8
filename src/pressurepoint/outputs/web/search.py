"""The home page and name search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pressurepoint.outputs.web.rendering import page
from pressurepoint.outputs.web.service import service
from pressurepoint.outputs.web.sources import source_rows

router = APIRouter()


@router.get("/", name="web_home")
def home(request: Request) -> Response:
    rows = [r for r in source_rows(service(request).store) if r["run"] is not None]
    return page(request, "search.html", section="search", q="", results=None, sources=rows)
