"""Companies across trackers: one view per company, filters, and counts per snapshot.

`company_views` joins the pieces: tracker records and assessments (`history`), grouped
into companies (`grouping`). A company's ``status`` is the normalised status of its most
recent assessment by any tracker (ties: the tracker listed first in the registry, then the
lower grade of a company listed twice); each tracker's newest grades are kept in
``trackers`` and every dated grade in ``assessments``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from followthemoney.types import registry

from pressurepoint.errors import InvalidInput
from pressurepoint.sources import SOURCE_MODULES
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.trackers.grouping import Grouping, group_records
from pressurepoint.trackers.history import Assessment, TrackerData, TrackerRecord
from pressurepoint.trackers.history import load_tracker_data as _load
from pressurepoint.trackers.status import STATUSES, UNKNOWN

_ORDER = {source: n for n, source in enumerate(SOURCE_MODULES)}


@dataclass
class CompanyView:
    """One company as all trackers see it."""

    id: str
    name: str
    countries: list[str]
    industries: list[str]
    status: str
    members: list[TrackerRecord]
    assessments: list[Assessment]
    trackers: list[Assessment] = field(default_factory=list)  # newest per tracker
    aliases: list[str] = field(default_factory=list)

    @property
    def country(self) -> str | None:
        return self.countries[0] if self.countries else None

    @property
    def industry(self) -> str | None:
        return self.industries[0] if self.industries else None

    def listed_by(self, source: str) -> bool:
        return any(m.source == source and m.listed for m in self.members)

    def to_json(self, *, history: bool = True) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "country": self.country,
            "countries": self.countries, "industry": self.industry,
            "status": self.status, "aliases": self.aliases,
            "current": [dict(a.to_json(), listed=self.listed_by(a.source))
                        for a in self.trackers],
            "assessments": [a.to_json() for a in (self.assessments if history
                                                  else self.trackers)],
            "records": [{"id": m.id, "tracker": m.source, "name": m.name,
                         "listed": m.listed, "first_seen": m.first_seen[:10],
                         "last_seen": m.last_seen[:10]} for m in self.members],
        }


@dataclass
class Companies:
    """Everything the company commands read: the data, the grouping, the views."""

    data: TrackerData
    grouping: Grouping
    views: list[CompanyView]

    def find(self, key: str) -> CompanyView | None:
        """A company by its id, a member record's id, or its exact name (any case)."""
        group = self.grouping.group_of.get(key)
        lowered = key.strip().casefold()
        for view in self.views:
            if view.id == group or view.id == key or view.name.casefold() == lowered:
                return view
        return None


def load_companies(store: Store) -> Companies:
    """Read the trackers from the store and group them into companies."""
    data = _load(store)
    grouping = group_records(data, rs.judgements(store))
    views = [company_view(data, members) for members in grouping.groups.values()]
    views.sort(key=lambda v: (v.name.casefold(), v.id))
    return Companies(data, grouping, views)


def company_view(data: TrackerData, member_ids: list[str]) -> CompanyView:
    members = [data.records[m] for m in member_ids]
    assessments = sorted((a for m in members for a in m.assessments),
                         key=lambda a: (a.date, _ORDER.get(a.source, 99), a.risk_id))
    newest_day: dict[tuple[str, str], str] = {}
    for assessment in assessments:
        newest_day[(assessment.source, assessment.tracker)] = assessment.date
    trackers = sorted((a for a in assessments if newest_day[(a.source, a.tracker)] == a.date),
                      key=lambda a: (_ORDER.get(a.source, 99), a.tracker, a.grade.rank))
    # the newest assessment; of two on one day (a company listed twice), the lower grade
    latest = max(trackers, key=lambda a: (a.date, -_ORDER.get(a.source, 99), -a.grade.rank),
                 default=None)
    primary = members[0]
    names = [primary.name, *(n for m in members for n in m.all_names())]
    return CompanyView(
        id=primary.id, name=primary.name,
        countries=_merged(members, "country"), industries=_merged(members, "sector"),
        status=latest.grade.status if latest else UNKNOWN, members=members,
        assessments=assessments, trackers=trackers,
        aliases=[n for n in dict.fromkeys(names) if n != primary.name],
    )


def _merged(members: list[TrackerRecord], prop: str) -> list[str]:
    found: list[str] = []
    for member in members:
        for value in member.current(prop):
            if value not in found:
                found.append(value)
    return found


@dataclass(frozen=True)
class Filters:
    """What `pressurepoint companies` narrows the list to."""

    country: str | None = None
    industry: str | None = None
    status: str | None = None
    tracker: str | None = None
    name: str | None = None

    def check(self) -> Filters:
        """Normalise the country to its code; refuse unknown statuses and countries."""
        country = self.country
        if country:
            country = registry.country.clean(country.strip())
            if country is None:
                raise InvalidInput(f"unknown country {self.country!r} (use a name or an "
                                   "ISO code such as DE)")
        if self.status and self.status not in STATUSES:
            raise InvalidInput(f"unknown status {self.status!r} (use one of "
                               f"{', '.join(STATUSES)})")
        return Filters(country, self.industry, self.status, self.tracker, self.name)

    def match(self, view: CompanyView) -> bool:
        if self.country and self.country not in view.countries:
            return False
        if self.industry and not any(self.industry.casefold() in i.casefold()
                                     for i in view.industries):
            return False
        if self.status and view.status != self.status:
            return False
        if self.tracker and not any(m.source == self.tracker for m in view.members):
            return False
        return not self.name or any(self.name.casefold() in n.casefold()
                                    for n in [view.name, *view.aliases])


def snapshot_counts(data: TrackerData, source: str, day: str | None = None
                    ) -> dict[str, Any]:
    """Assessments of one tracker snapshot counted by normalised status, by the tracker's
    own grade and by home country (as the tracker states them at that date)."""
    days = data.snapshots.get(source)
    if not days:
        raise InvalidInput(f"no snapshot of {source!r} is loaded")
    day = day or days[-1]
    if day not in days:
        raise InvalidInput(f"{source} has no snapshot on {day} (snapshots: {', '.join(days)})")
    rows = [(record, a) for record in data.records.values() if record.source == source
            for a in record.assessments if a.date == day]
    return {
        "tracker": source, "date": day, "assessments": len(rows),
        "companies": len({record.id for record, _ in rows}),
        "by_status": dict(Counter(a.grade.status for _, a in rows).most_common()),
        "by_grade": dict(sorted(Counter(a.grade.code for _, a in rows).items())),
        "by_country": dict(Counter(_country_at(record, day) or "(none)"
                                   for record, _ in rows).most_common()),
    }


def _country_at(record: TrackerRecord, day: str) -> str | None:
    found = record.values.get("country", {})
    stated = sorted(v for v, (first, last) in found.items() if first[:10] <= day <= last[:10])
    return stated[0] if stated else None
