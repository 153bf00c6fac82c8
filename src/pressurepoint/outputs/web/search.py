"""The home page and name search: names in any script, facets by schema, country and
jurisdiction (the screening index's full-text search)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.web.rendering import html_errors, page
from pressurepoint.outputs.web.service import service
from pressurepoint.outputs.web.sources import source_rows

router = APIRouter()
PAGE_SIZE = 20
MAX_QUERY = 200
MAX_PAGE = 500  # deeper pages say nothing a narrower search would not say better


@dataclass(frozen=True)
class SearchForm:
    q: str = ""
    schema: str = ""
    country: str = ""
    jurisdiction: str = ""

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchForm:
        return cls(*(params.get(key, "").strip() for key in ("q", "schema", "country",
                                                              "jurisdiction")))

    def params(self, **changes: str) -> list[tuple[str, str]]:
        values = {"q": self.q, "schema": self.schema, "country": self.country,
                  "jurisdiction": self.jurisdiction, **changes}
        return [(k, v) for k, v in values.items() if v]

    def url(self, **changes: str) -> str:
        return "/web/search?" + urlencode(self.params(**changes))


@router.get("/", name="web_home")
@html_errors("search")
def home(request: Request) -> Response:
    rows = [r for r in source_rows(service(request).store) if r["run"] is not None]
    return page(request, "search.html", section="search", form=SearchForm(), result=None,
                sources=rows)


@router.get("/web/search", name="web_search")
@html_errors("search")
def search(request: Request) -> Response:
    form = SearchForm.from_params(request.query_params)
    if not form.q:
        return home(request)
    if len(form.q) > MAX_QUERY:  # bad input: html_errors answers a 400 page
        raise InvalidInput(f"the search text is longer than {MAX_QUERY} characters")
    number = _page_number(request.query_params.get("page", "1"))
    result = service(request).index().search(
        form.q, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE, schema=form.schema or None,
        countries=[form.country.lower()] if form.country else [],
        datasets=[form.jurisdiction] if form.jurisdiction else None)
    pages = max(1, min(MAX_PAGE, math.ceil(result.total / PAGE_SIZE)))
    return page(request, "search.html", section="search", form=form, result=result,
                page_no=number, pages=pages, sources=[],
                page_url=lambda n: form.url(page=str(n)))


def _page_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidInput(f"page: {text[:20]!r} is not a page number (1 to {MAX_PAGE})")
    return int(text)
