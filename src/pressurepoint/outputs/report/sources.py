"""The sources page: each loaded source, its newest run (the current data), its record
counts and issues, every run it has had, and how many entities each sanctions file
listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pressurepoint.errors import NotFound
from pressurepoint.sources import get_source
from pressurepoint.store import Store


@dataclass
class SourceInfo:
    id: str
    title: str
    kind: str
    jurisdiction: str
    publisher: str
    newest: dict[str, Any]
    runs: list[dict[str, Any]]
    issues: int
    in_file: dict[int, int] = field(default_factory=dict)  # run id -> entities listed


def source_infos(store: Store, in_file: list[tuple[str, str, str, int]],
                 run_ids: dict[str, list[tuple[str, int]]]) -> list[SourceInfo]:
    """Every source that has a run, newest publication first within each source.
    `in_file` and `run_ids` come from the timeline (entities per file) and the
    designations (each source's runs by publication date)."""
    issue_counts = store.issue_counts()
    per_run: dict[int, int] = {}
    for _juris, source, day, count in in_file:
        for published, run in run_ids.get(source, []):
            if published[:10] == day:
                per_run[run] = count
    by_source: dict[str, list[dict[str, Any]]] = {}
    for row in store.runs():
        by_source.setdefault(row["source"], []).append(row)
    out = []
    for source, runs in sorted(by_source.items()):
        try:
            spec = get_source(source)
            title, kind, juris, publisher = (spec.title, spec.kind, spec.jurisdiction,
                                             spec.publisher)
        except NotFound:  # a run of a source this version does not know (any more)
            title, kind, juris, publisher = source, "unknown", source.upper(), ""
        out.append(SourceInfo(source, title, kind, juris, publisher, runs[0], runs,
                              issue_counts.get(int(runs[0]["id"]), 0),
                              {int(r["id"]): per_run[int(r["id"])] for r in runs
                               if int(r["id"]) in per_run}))
    return out
