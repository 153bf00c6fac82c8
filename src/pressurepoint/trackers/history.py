"""Company-tracker records and their dated assessments, read from the statement store.

Every tracker file loads as runs of its source; each company listing is a ``Company``
record (stable id across snapshots) and a ``Risk`` (the assessment) of its own per
snapshot (see `pressurepoint.ingest.parsers.tracker_records`). So the history of a
company in a tracker is simply the list of its Risks, each dated:

* by the date the file or row states (KSE's ``fetchedAt``, the generic CSV's ``date``);
* else by the publication date of the run that loaded it (the ``first_seen`` of its
  statements). A Risk seen in two runs (the same content loaded under two dates) counts
  at both dates.

A record is *listed* by its tracker now when its ``id`` statement was stated by the
tracker's newest run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from pressurepoint.sources import available_sources
from pressurepoint.store import Store
from pressurepoint.store import schema as t
from pressurepoint.trackers.status import Grade, grade_for

_COMPANY_PROPS = ("id", "name", "alias", "abbreviation", "country", "sector", "sourceUrl")
_RISK_PROPS = ("id", "entity", "authority", "status", "reason", "date",
               "sourceUrl")


@dataclass(frozen=True, slots=True)
class Assessment:
    """One tracker's grade of one company on one date, with the tracker's own words."""

    record_id: str  # the Company record
    risk_id: str
    source: str
    tracker: str  # who assessed (the Risk's authority)
    grade: Grade
    date: str  # YYYY-MM-DD (or a partial date from a generic CSV)
    words: str | None = None
    source_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"tracker": self.source, "authority": self.tracker, "grade": self.grade.code,
                "label": self.grade.label, "status": self.grade.status, "date": self.date,
                "words": self.words, "source_url": self.source_url, "record": self.record_id}


@dataclass
class TrackerRecord:
    """One company as one tracker lists it, over all snapshots."""

    id: str
    source: str
    schema: str = "Company"
    first_seen: str = ""
    last_seen: str = ""
    listed: bool = False  # stated by the tracker's newest run
    # value -> (first_seen, last_seen), per property
    values: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    assessments: list[Assessment] = field(default_factory=list)

    def newest(self, prop: str) -> list[str]:
        """Values of a property, the most recently stated first."""
        found = self.values.get(prop, {})
        return sorted(found, key=lambda v: (found[v][1], found[v][0], v), reverse=True)

    def current(self, prop: str) -> list[str]:
        """Values stated by the record's last snapshot (else the newest ones)."""
        found = self.values.get(prop, {})
        now = [v for v, (_, last) in found.items() if last == self.last_seen]
        return sorted(now) or self.newest(prop)[:1]

    @property
    def name(self) -> str:
        names = self.current("name")
        return names[0] if names else self.id

    def all_names(self) -> list[str]:
        return [*self.newest("name"), *self.newest("alias")]


@dataclass
class TrackerData:
    """Every tracker record, and each tracker's snapshot dates."""

    records: dict[str, TrackerRecord]
    snapshots: dict[str, list[str]]  # source -> sorted publication days of its runs

    def newest_day(self, source: str) -> str | None:
        days = self.snapshots.get(source)
        return days[-1] if days else None


def tracker_sources() -> list[str]:
    """The ids of the sources of kind "tracker"."""
    return [spec.id for spec in available_sources() if spec.kind == "tracker"]


def load_tracker_data(store: Store, sources: Iterable[str] | None = None) -> TrackerData:
    """Read every tracker record with its full history (one query per source)."""
    wanted = list(sources) if sources is not None else tracker_sources()
    runs = {source: store.runs(source) for source in wanted}
    snapshots = {s: sorted({r["published_at"][:10] for r in rows}) for s, rows in runs.items()
                 if rows}
    newest = {s: rows[0]["published_at"] for s, rows in runs.items() if rows}
    records: dict[str, TrackerRecord] = {}
    risks: dict[str, dict[str, Any]] = {}
    columns = (t.statement.c.entity_id, t.statement.c.schema, t.statement.c.prop,
               t.statement.c.value, t.statement.c.source, t.statement.c.first_seen,
               t.statement.c.last_seen)
    query = select(*columns).where(
        t.statement.c.source.in_(list(snapshots)),
        t.statement.c.prop.in_(sorted({*_COMPANY_PROPS, *_RISK_PROPS})),
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    for entity_id, schema, prop, value, source, first, last in rows:
        if schema == "Risk":
            risk = risks.get(entity_id)
            if risk is None:
                risk = risks[entity_id] = {"source": source}
            if prop == "id":
                risk["seen"] = (first, last)
            else:
                risk[prop] = value
        elif prop in _COMPANY_PROPS:
            _record_value(records, (entity_id, schema, source), prop, value, (first, last))
    for record in records.values():
        record.listed = record.last_seen == newest.get(record.source)
    for risk_id, risk in risks.items():
        target = records.get(risk.get("entity", ""))
        if target is not None:
            target.assessments.extend(_assessments(risk_id, target, risk))
    for record in records.values():
        record.assessments.sort(key=lambda a: (a.date, a.tracker, a.risk_id))
    return TrackerData(records, snapshots)


def _record_value(records: dict[str, TrackerRecord], ident: tuple[str, str, str], prop: str,
                  value: str, seen: tuple[str, str]) -> None:
    entity_id, schema, source = ident
    record = records.get(entity_id)
    if record is None:
        record = records[entity_id] = TrackerRecord(entity_id, source, schema)
    if prop == "id":
        record.first_seen, record.last_seen = seen
        record.schema = schema
        return
    record.values.setdefault(prop, {})[value] = seen


def _assessments(risk_id: str, record: TrackerRecord, risk: dict[str, Any]
                 ) -> list[Assessment]:
    first, last = risk.get("seen", (record.first_seen, record.last_seen))
    days = [risk["date"]] if risk.get("date") else sorted({first[:10], last[:10]})
    grade = grade_for(record.source, risk.get("status"))
    return [Assessment(record.id, risk_id, record.source, risk.get("authority", record.source),
                       grade, day, risk.get("reason"), risk.get("sourceUrl")) for day in days]
