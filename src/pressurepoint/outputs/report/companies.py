"""The company section: a filterable table of every company with its normalised status
and each tracker's own newest grade, the movements between the first and the newest
snapshots, and one page per company with its status timeline and evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.outputs.report.charts import Point, status_timeline
from pressurepoint.outputs.report.progress import Progress
from pressurepoint.outputs.report.site import Site, page_name
from pressurepoint.store import Store
from pressurepoint.trackers.changes import Change, changes_between
from pressurepoint.trackers.companies import CompanyView, load_companies
from pressurepoint.trackers.status import IMPROVED, SLID_BACK, STATUSES


@dataclass
class CompanySummary:
    companies: int = 0
    trackers: list[str] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)


def company_file(company_id: str) -> str:
    return f"companies/{page_name(company_id)}"


def write_company_section(site: Site, store: Store, progress: Progress) -> CompanySummary:
    """companies.html and one page per company; an explanatory page when no tracker is
    loaded."""
    found = load_companies(store)
    views = found.views
    trackers = [s for s in found.data.snapshots
                if any(m.source == s for v in views for m in v.members)]
    summary = CompanySummary(len(views), trackers, {
        s: n for s, n in Counter(v.status for v in views).most_common()})
    since = min((d for days in found.data.snapshots.values() for d in days), default=None)
    moves: list[Change] = []
    if views and since:
        moves = [c for c in changes_between(found.data, views, since).changes
                 if c.kind in (IMPROVED, SLID_BACK)]
    site.page("companies.html", "companies.html", rows=[_table_row(v, trackers) for v in views],
              trackers=trackers, summary=summary, statuses=STATUSES, moves=moves,
              since=since, snapshots=found.data.snapshots,
              countries=sorted({c for v in views for c in v.countries}))
    advance = progress.step("company pages", len(views))
    for view in views:
        points = [Point(a.date, a.source, a.grade.status, a.grade.code)
                  for a in view.assessments]
        site.page(company_file(view.id), "company.html", view=view,
                  timeline=status_timeline(points) if points else None)
        advance(1)
    return summary


def _table_row(view: CompanyView, trackers: list[str]) -> dict[str, Any]:
    grades = {}
    for source in trackers:
        current = [a for a in view.trackers if a.source == source]
        grades[source] = {
            "grade": ", ".join(dict.fromkeys(a.grade.code for a in current)),
            "status": ", ".join(dict.fromkeys(a.grade.status for a in current)),
            "date": max((a.date for a in current), default=""),
            "listed": view.listed_by(source),
        }
    search = " | ".join([view.name, *view.aliases, view.id]).lower()
    return {"view": view, "file": company_file(view.id), "grades": grades, "search": search}
