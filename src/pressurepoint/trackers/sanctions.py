"""Sanctions records linked to a tracked company: is the company, a subsidiary or an owner
designated somewhere?

Two kinds of link, reported with how they were found:

* ``resolved`` — `pressurepoint resolve` put a tracker record and a sanctions record into
  one canonical entity (automatic match or human judgement);
* ``same name`` / ``name contains`` — a sanctions record (company, organisation, legal
  entity) whose name, without legal forms, equals the company's, or holds every word of
  it ("OOO Siemens" for Siemens): a Russian subsidiary, a former one, or a namesake. These
  are leads for a human to check, not matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.names import ascii_fold
from pressurepoint.sources import available_sources
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.store.views import RecordView, record_views
from pressurepoint.trackers.companies import CompanyView
from pressurepoint.trackers.matching import NOISE_WORDS, company_keys

ORG_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity"})
SEARCH_LIMIT = 400
_WORD = re.compile(r"[a-z0-9]{3,}")


@dataclass
class SanctionsLink:
    """One sanctions record linked to a tracked company."""

    record: RecordView
    relation: str
    designations: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.record.id, "source": self.record.source,
                "schema": self.record.schema, "names": self.record.prop("name")[:5],
                "countries": sorted(set(self.record.prop("country"))),
                "relation": self.relation, "designations": self.designations}


def sanctions_sources() -> set[str]:
    return {spec.id for spec in available_sources() if spec.kind == "sanctions"}


def sanctions_links(store: Store, view: CompanyView, *, search: bool = True
                    ) -> list[SanctionsLink]:
    """The sanctions records linked to one company (see the module docstring)."""
    sources = sanctions_sources()
    relation: dict[str, str] = {}
    canonical = rs.canonical_map(store)
    for member in view.members:
        target = canonical.get(member.id)
        if target is None:
            continue
        for other in rs.members_of(store, target):
            relation.setdefault(other, "resolved")
    if search:
        for rid, how in _name_leads(store, view).items():
            relation.setdefault(rid, how)
    ids = sorted(relation)
    links = []
    for record in record_views(store, ids):
        if record.source not in sources or record.schema not in ORG_SCHEMATA | {"Person"}:
            continue
        if relation[record.id] != "resolved" and record.schema == "Person":
            continue
        links.append(SanctionsLink(record, relation[record.id], _designations(record)))
    order = {"resolved": 0, "same name": 1, "name contains": 2}
    links.sort(key=lambda link: (order.get(link.relation, 3), link.record.source,
                                 link.record.id))
    return links


def _designations(record: RecordView) -> list[dict[str, Any]]:
    out = []
    for designation in record.designations:
        out.append({
            "authority": next(iter(designation.prop("authority")), record.source),
            "program": sorted(set(designation.prop("program")))[:3],
            "status": next(iter(designation.prop("status")), None),
            "listing_date": min(designation.prop("listingDate"), default=None),
            "current": designation.current,
        })
    return out


def _name_leads(store: Store, view: CompanyView) -> dict[str, str]:
    """Sanctions records whose names hold the company's name (see the module docstring)."""
    cores = [k for n in [view.name, *view.aliases] if (k := company_keys(n)) is not None]
    if not cores:
        return {}
    word = _search_word(view.name) or _search_word(" ".join(view.aliases))
    if word is None:
        return {}
    candidates = store.find_by_name(word, SEARCH_LIMIT)
    rows = store.statements_for(candidates)
    names: dict[str, list[str]] = {}
    for row in rows:
        if row["schema"] in ORG_SCHEMATA and row["prop"] in ("name", "alias", "previousName"):
            names.setdefault(row["entity_id"], []).append(row["value"])
    leads: dict[str, str] = {}
    for rid, texts in names.items():
        for text in texts:
            keys = company_keys(text)
            if keys is None:
                continue
            if any(keys.core == c.core for c in cores):
                leads[rid] = "same name"
                break
            if any(c.tokens <= keys.tokens for c in cores):
                leads.setdefault(rid, "name contains")
    return leads


def _search_word(name: str) -> str | None:
    """The longest distinctive word of a name, for a substring search."""
    words = [w for w in _WORD.findall(ascii_fold(name)) if w not in NOISE_WORDS]
    return max(words, key=len) if words else None
