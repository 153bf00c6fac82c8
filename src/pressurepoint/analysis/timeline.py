"""Designations over time: per jurisdiction and month, entities newly listed (by listing
date) and lifted (by end date, or the last file that stated them); per run of each source,
how many entities its file listed; and the overlap of jurisdictions today (how many
entities are listed by exactly which combination)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.analysis.designations import Designation, Designations
from pressurepoint.analysis.gaps import LISTED, cell_of, selected


@dataclass
class Timeline:
    listed: Counter[tuple[str, str]] = field(default_factory=Counter)  # (jurisdiction, month)
    lifted: Counter[tuple[str, str]] = field(default_factory=Counter)
    in_file: list[tuple[str, str, str, int]] = field(default_factory=list)  # j, src, date, n
    overlap: Counter[tuple[str, ...]] = field(default_factory=Counter)

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows: section, jurisdiction, source, period, count."""
        out: list[dict[str, Any]] = []
        for section, counter in (("listed", self.listed), ("lifted", self.lifted)):
            for (juris, month), count in sorted(counter.items()):
                out.append({"section": section, "jurisdiction": juris, "source": None,
                            "period": month, "count": count})
        for juris, source, day, count in self.in_file:
            out.append({"section": "in_file", "jurisdiction": juris, "source": source,
                        "period": day, "count": count})
        for combo, count in sorted(self.overlap.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append({"section": "overlap", "jurisdiction": "+".join(combo), "source": None,
                        "period": None, "count": count})
        return out


def timeline(data: Designations, regimes: Sequence[str] = ()) -> Timeline:
    """The timeline of the designations under the wanted regimes (all without a filter)."""
    items = selected(data, regimes)
    out = Timeline()
    per_cell: dict[tuple[str, str], list[Designation]] = {}
    for item in items:
        per_cell.setdefault((item.canonical, item.jurisdiction), []).append(item)
    current: dict[str, list[str]] = {}
    for (canonical, juris), group in per_cell.items():
        cell = cell_of(group)
        first = min((d.since for d in group if d.since_basis == "listingDate" and d.since),
                    default=None)
        if first:
            out.listed[(juris, first[:7])] += 1
        if cell.status != LISTED and cell.until:
            out.lifted[(juris, cell.until[:7])] += 1
        if cell.status == LISTED:
            current.setdefault(canonical, []).append(juris)
    for jurisdictions in current.values():
        out.overlap[tuple(sorted(jurisdictions))] += 1
    out.in_file = _in_file(data, items)
    return out


def _in_file(data: Designations, items: list[Designation]) -> list[tuple[str, str, str, int]]:
    """Per run of each source: the entities its file stated a designation of (a designation
    is taken as present in every file between the first and the last that stated it)."""
    spans: dict[str, list[tuple[str, str, str]]] = {}
    for item in items:
        spans.setdefault(item.source, []).append((item.first_seen, item.last_seen,
                                                  item.canonical))
    out = []
    for source, history in sorted(data.runs.items()):
        for published, _run in history:
            present = {c for first, last, c in spans.get(source, [])
                       if first <= published <= last}
            out.append((data.source_jurisdiction[source], source, published[:10],
                        len(present)))
    return out
