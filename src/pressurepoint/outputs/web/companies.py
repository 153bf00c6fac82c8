"""The company tracker pages: a filterable table of companies with charts of their status
by home country, by industry and over time, and one page per company with its status
timeline across trackers, the evidence, and the sanctions records linked to it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.web import charts
from pressurepoint.outputs.web.charts import Mark, Series
from pressurepoint.outputs.web.rendering import country_name, error_page, html_errors, page
from pressurepoint.outputs.web.service import service
from pressurepoint.sources import available_sources
from pressurepoint.trackers.companies import CompanyView, Filters
from pressurepoint.trackers.sanctions import sanctions_links
from pressurepoint.trackers.status import STATUSES, UNKNOWN, status_order

router = APIRouter()
PAGE_SIZE = 100
TOP = 12  # bars in a chart by country or industry
MAX_TEXT = 200
FILTERS = ("country", "industry", "status", "tracker", "name")


def _filters(params: QueryParams) -> Filters:
    values = {key: params.get(key, "").strip() or None for key in FILTERS}
    if any(v and len(v) > MAX_TEXT for v in values.values()):
        raise InvalidInput(f"a filter is longer than {MAX_TEXT} characters")
    return Filters(**values).check()


@router.get("/web/companies", name="web_companies")
@html_errors("companies")
def companies(request: Request) -> Response:
    data = service(request).companies()
    filters = _filters(request.query_params)  # bad input: html_errors answers a 400 page
    number = _page_number(request.query_params.get("page", "1"))
    views = [v for v in data.views if filters.match(v)]
    pages = max(1, math.ceil(len(views) / PAGE_SIZE))
    number = min(max(number, 1), pages)
    params = [(k, str(getattr(filters, k))) for k in FILTERS if getattr(filters, k)]
    countries = sorted({c for v in data.views for c in v.countries}, key=country_name)
    return page(
        request, "companies.html", section="companies", filters=filters, total=len(views),
        views=views[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], page_no=number, pages=pages,
        page_url=lambda n: "/web/companies?" + urlencode([*params, ("page", str(n))]),
        countries=countries, statuses=STATUSES, trackers=_tracker_titles(),
        industries=sorted({i for v in data.views for i in v.industries}, key=str.casefold),
        by_country=_by(views, "countries", country_name),
        by_industry=_by(views, "industries", str), over_time=_over_time(views),
        filtered=bool(params))


@router.get("/web/companies/{company_id:path}", name="web_company")
@html_errors("companies")
def company(request: Request, company_id: str) -> Response:
    pp = service(request)
    view = pp.companies().find(company_id) if len(company_id) <= MAX_TEXT else None
    if view is None:
        return error_page(request, 404, f"no company with id or name {company_id!r}",
                          section="companies")
    leads = request.query_params.get("leads") == "1"
    titles = _tracker_titles()
    marks = [Mark(titles.get(a.source, a.source), a.date, a.grade.status, a.grade.code,
                  a.grade.label) for a in view.assessments]
    return page(request, "company.html", section="companies", company=view, leads=leads,
                trackers=titles, links=sanctions_links(pp.store, view, search=leads),
                chart=charts.timeline("timeline-chart", f"Status of {view.name} over time",
                                      marks))


def _severity(status: str) -> int:
    """How far from exited (unknown below everything: a known grade wins)."""
    return -1 if status == UNKNOWN else status_order(status)


# Short names for tables and charts (the full titles are on the sources page).
SHORT_NAMES = {"yale_celi": "Yale CELI", "kse_leave_russia": "KSE Institute",
               "company_tracker_csv": "Own research"}


def _page_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(f"page: {text[:20]!r} is not a page number")
    return int(text)


def _tracker_titles() -> dict[str, str]:
    return {spec.id: SHORT_NAMES.get(spec.id, spec.title) for spec in available_sources()
            if spec.kind == "tracker"}


def _by(views: list[CompanyView], attribute: str, label: Callable[[str], str]
        ) -> dict[str, object]:
    """The chart and its numbers: companies per value (first TOP), split by status."""
    counts: dict[str, Counter[str]] = {}
    unstated = 0  # a tracker without the field (KSE states no home country): not a bar,
    for view in views:  # which would dwarf all others, but said under the chart
        values = getattr(view, attribute)
        if not values:
            unstated += 1
        for value in values[:1]:
            counts.setdefault(value, Counter())[view.status] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:TOP]
    series = [Series(label(key), dict(c)) for key, c in ranked]
    what = "home country" if attribute == "countries" else "industry"
    return {"series": series, "others": max(len(counts) - TOP, 0), "unstated": unstated,
            "svg": charts.stacked_bars(f"by-{what.replace(' ', '-')}",
                                       f"Companies by {what} and status", series)}


def _over_time(views: list[CompanyView]) -> list[dict[str, object]]:
    """Per tracker, the status of the shown companies at each date it assessed them (a
    company listed twice on one day counts once, with its lower grade)."""
    titles = _tracker_titles()
    per: dict[str, dict[str, dict[str, str]]] = {}
    for view in views:
        for item in view.assessments:
            day = per.setdefault(item.source, {}).setdefault(item.date, {})
            known = day.get(view.id)
            if known is None or _severity(item.grade.status) > _severity(known):
                day[view.id] = item.grade.status
    out: list[dict[str, object]] = []
    order = list(titles)
    for source, days in sorted(per.items(), key=lambda kv: (
            order.index(kv[0]) if kv[0] in order else len(order), kv[0])):
        series = [Series(day, dict(Counter(days[day].values())))
                  for day in sorted(days)[-TOP:]]
        title = f"{titles.get(source, source)}: status of these companies at each date"
        out.append({"source": source, "title": titles.get(source, source), "series": series,
                    "svg": charts.stacked_columns(f"over-time-{source}", title, series)})
    return out
