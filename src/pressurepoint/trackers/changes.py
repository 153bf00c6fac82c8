"""Who moved between two dates, per tracker: improved, slid back, new, no longer listed.

For each company and each tracker, the grade *before* is the tracker's newest assessment
on or before `since`, the grade *after* its newest on or before `until`. A tracker that
has nothing on or before `since` is compared from its first snapshot instead (the report
says so), otherwise every company it lists would count as new.

* ``improved`` / ``slid back`` — the grade's rank (1 business as usual … 5 left, see
  `status`) went up / down;
* ``regraded`` — another grade of the same rank, or a move from or to an unknown grade;
* ``new`` — first assessed by the tracker after `since`;
* ``no longer listed`` — assessed before, absent from the tracker's newest snapshot up to
  `until`.

Each change carries the path: every assessment in between, so a company that went from
F to A and back to F shows both moves even though its endpoints are equal (such a round
trip is reported only when asked for, as ``moved and returned``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.trackers.companies import CompanyView
from pressurepoint.trackers.history import Assessment, TrackerData
from pressurepoint.trackers.status import (
    CHANGE_KINDS,
    DROPPED,
    IMPROVED,
    NEW,
    REGRADED,
    RETURNED,
    SLID_BACK,
)

KINDS = CHANGE_KINDS


@dataclass
class Change:
    """One company's move in one tracker between two dates."""

    company: CompanyView
    source: str
    tracker: str
    kind: str
    before: Assessment | None
    after: Assessment | None
    path: list[Assessment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def side(a: Assessment | None) -> dict[str, Any] | None:
            return None if a is None else {"grade": a.grade.code, "status": a.grade.status,
                                           "date": a.date, "words": a.words}
        return {"id": self.company.id, "name": self.company.name,
                "country": self.company.country, "industry": self.company.industry,
                "tracker": self.source, "authority": self.tracker, "change": self.kind,
                "before": side(self.before), "after": side(self.after),
                "path": [{"grade": a.grade.code, "date": a.date} for a in self.path]}


@dataclass
class ChangeReport:
    since: str
    until: str
    changes: list[Change]
    notes: list[str]


def changes_between(data: TrackerData, views: list[CompanyView], since: str,
                    until: str | None = None, *, round_trips: bool = False) -> ChangeReport:
    """Every change between `since` and `until` (default: the newest data)."""
    until = until or "9999-12-31"
    notes: list[str] = []
    baseline = _baselines(data, views, since, notes)
    changes: list[Change] = []
    for view in views:
        by_tracker: dict[tuple[str, str], list[Assessment]] = defaultdict(list)
        for assessment in view.assessments:
            if assessment.date <= until:
                by_tracker[(assessment.source, assessment.tracker)].append(assessment)
        for (source, tracker), seq in by_tracker.items():
            start = baseline.get(source, since)
            change = _change(data, view, (source, tracker), seq, (start, until))
            if change is not None and (change.kind != RETURNED or round_trips):
                changes.append(change)
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.company.name.casefold(), c.source))
    return ChangeReport(since, until if until != "9999-12-31" else "", changes, notes)


def _baselines(data: TrackerData, views: list[CompanyView], since: str,
               notes: list[str]) -> dict[str, str]:
    first: dict[str, str] = {}
    for view in views:
        for assessment in view.assessments:
            known = first.get(assessment.source)
            if known is None or assessment.date < known:
                first[assessment.source] = assessment.date
    baseline = {}
    for source, day in sorted(first.items()):
        if day > since:
            baseline[source] = day
            notes.append(f"{source}: nothing on or before {since}; compared from its first "
                         f"snapshot {day}")
    return baseline


def _change(data: TrackerData, view: CompanyView, tracker: tuple[str, str],
            seq: list[Assessment], window: tuple[str, str]) -> Change | None:
    start, until = window
    source, authority = tracker
    before = _representative([a for a in seq if a.date <= start])
    after = _representative(seq)
    path = [a for a in seq if a.date > start]
    if after is None:
        return None
    if before is None:
        return Change(view, source, authority, NEW, None, after, path)
    if not _listed_at(data, view, source, until):
        if not _listed_at(data, view, source, start):
            return None  # gone before the window opened
        return Change(view, source, authority, DROPPED, before, after, path)
    kind = _direction(before, after)
    if kind is None:
        moves = {a.grade.rank for a in path} - {before.grade.rank}
        return Change(view, source, authority, RETURNED, before, after, path) if moves else None
    return Change(view, source, authority, kind, before, after, path)


def _representative(seq: list[Assessment]) -> Assessment | None:
    """The newest assessment; of two on one day (a company listed twice), the lower rank."""
    if not seq:
        return None
    day = seq[-1].date
    return min((a for a in seq if a.date == day), key=lambda a: (a.grade.rank, a.grade.code))


def _direction(before: Assessment, after: Assessment) -> str | None:
    if before.grade.code == after.grade.code:
        return None
    if not before.grade.rank or not after.grade.rank or before.grade.rank == after.grade.rank:
        return REGRADED
    return IMPROVED if after.grade.rank > before.grade.rank else SLID_BACK


def _listed_at(data: TrackerData, view: CompanyView, source: str, until: str) -> bool:
    """Whether the tracker's newest snapshot up to `until` lists the company."""
    days = [d for d in data.snapshots.get(source, []) if d <= until]
    if not days:
        return True
    day = days[-1]
    return any(m.source == source and m.first_seen[:10] <= day <= m.last_seen[:10]
               for m in view.members)
