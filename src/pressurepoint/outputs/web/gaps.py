"""The gap explorer: the gap matrix with the filters of `pressurepoint gaps` (regime,
schema, listed by, not listed by, since, all), paged."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from pressurepoint.analysis.designations import Designations
from pressurepoint.analysis.gaps import Query as GapQuery
from pressurepoint.analysis.gaps import (
    Row,
    check_jurisdictions,
    iso_day,
    jurisdictions,
    matrix,
    split_codes,
)
from pressurepoint.analysis.regimes import FAMILIES
from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.web.rendering import html_errors, page
from pressurepoint.outputs.web.service import service

router = APIRouter()
PAGE_SIZE = 50
MAX_TEXT = 200


@dataclass
class GapForm:
    """The explorer's filters, as the form sends them."""

    regime: str = ""
    schema: list[str] = field(default_factory=list)
    listed_by: list[str] = field(default_factory=list)
    not_listed_by: list[str] = field(default_factory=list)
    since: str = ""
    include_all: bool = False

    def query(self, loaded: list[str]) -> GapQuery:
        """The analysis query; unknown jurisdictions and bad dates are InvalidInput."""
        if len(self.regime) > MAX_TEXT:
            raise InvalidInput(f"regime: at most {MAX_TEXT} characters")
        query = GapQuery(regimes=split_codes(self.regime, upper=False), schema=self.schema,
                         listed_by=self.listed_by, not_listed_by=self.not_listed_by,
                         since=iso_day(self.since, "since"), include_all=self.include_all)
        check_jurisdictions(query, loaded)
        return query

    @classmethod
    def from_params(cls, params: QueryParams) -> GapForm:
        def codes(name: str) -> list[str]:
            return [j.strip().upper() for j in params.getlist(name) if j.strip()]

        return cls(params.get("regime", "").strip(), [s for s in params.getlist("schema") if s],
                   codes("listed_by"), codes("not_listed_by"), params.get("since", "").strip(),
                   bool(params.get("all")))

    def api_url(self, offset: int, limit: int) -> str:
        """The same rows from the JSON API (`GET /gaps`, comma-separated lists)."""
        params = [(key, ",".join(values)) for key, values in (
            ("regime", [self.regime]), ("schema", self.schema),
            ("listed_by", self.listed_by), ("not_listed_by", self.not_listed_by),
            ("since", [self.since])) if any(values)]
        params += [("all", "true")] if self.include_all else []
        return "/gaps?" + urlencode([*params, ("offset", str(offset)), ("limit", str(limit))])

    def params(self) -> list[tuple[str, str]]:
        out = [("regime", self.regime)] if self.regime else []
        out += [("schema", s) for s in self.schema]
        out += [("listed_by", j) for j in self.listed_by]
        out += [("not_listed_by", j) for j in self.not_listed_by]
        out += [("since", self.since)] if self.since else []
        return out + ([("all", "1")] if self.include_all else [])


class MatrixCache:
    """The rows of recent queries over one Designations: paging through a result must
    not recompute the matrix. Dropped when the service loads new data."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.data: Designations | None = None
        self.rows: dict[tuple[object, ...], list[Row]] = {}
        self.lock = threading.Lock()

    def get(self, data: Designations, query: GapQuery) -> list[Row]:
        key = (tuple(query.regimes), tuple(query.schema), tuple(query.listed_by),
               tuple(query.not_listed_by), query.since, query.include_all)
        with self.lock:
            if self.data is not data:
                self.data, self.rows = data, {}
            found = self.rows.get(key)
        if found is None:
            found = matrix(data, query)
            with self.lock:
                if len(self.rows) >= self.size:
                    self.rows.pop(next(iter(self.rows)))
                self.rows[key] = found
        return found


CACHE = MatrixCache()


@router.get("/web/gaps", name="web_gaps")
@html_errors("gaps")
def gaps(request: Request) -> Response:
    form = GapForm.from_params(request.query_params)
    data = service(request).designations()
    query = form.query(data.jurisdictions)  # bad input: html_errors answers a 400 page
    number = _page_number(request.query_params.get("page", "1"))
    rows = CACHE.get(data, query)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    number = min(number, pages)
    shown = rows[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    base = form.params()
    return page(request, "gaps.html", section="gaps", form=form, rows=shown, total=len(rows),
                page_no=number, pages=pages, codes=jurisdictions(data, query.regimes),
                loaded=data.jurisdictions, families=FAMILIES,
                schemata=sorted({t.schema for t in data.targets.values()}),
                page_url=lambda n: "/web/gaps?" + urlencode([*base, ("page", str(n))]),
                api_url=form.api_url((number - 1) * PAGE_SIZE, PAGE_SIZE))


def _page_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError as exc:
        raise InvalidInput(f"page: {text[:20]!r} is not a number") from exc
    if number < 1:
        raise InvalidInput("page: pages count from 1")
    return number
