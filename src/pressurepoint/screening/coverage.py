"""Coverage of a target list: for each row of a user's list of names (members of a
parliament, a civil-society list of people recommended for sanctions...), the canonical
entity it most likely is, and that entity's status in every loaded jurisdiction.

A row is one of:
- matched: one entity stands out above the review band;
- ambiguous: flagged, not guessed: the best score is uncertain (from just below the
  threshold up to the top of the resolver's review band, `resolve.matcher.REVIEW_BAND`,
  the scores a human is asked to judge), or another entity scores above the threshold
  within `AMBIGUITY_MARGIN` of the best;
- unmatched: nothing scores even the bottom of that band, so no jurisdiction lists it as
  far as the data can tell (its cells say not_listed; its near candidates are still
  shown);
- invalid: the row has no name to match (its issues say why).

Statuses per jurisdiction are those of the gap matrix (`analysis.gaps`): listed, lifted or
not_listed; several sources of one jurisdiction fold into one status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.analysis.gaps import LIFTED, LISTED, NOT_LISTED
from pressurepoint.resolve.matcher import REVIEW_BAND
from pressurepoint.screening.batch import RowResult, hits_json
from pressurepoint.screening.engine import MatchHit

MATCHED, AMBIGUOUS, UNMATCHED, INVALID = "matched", "ambiguous", "unmatched", "invalid"
# Two different entities within this much of each other, both above the threshold: the
# list's row could be either.
AMBIGUITY_MARGIN = 0.05
# Candidates asked of the index per row: enough to see a close second.
CANDIDATES = 3
# Below the threshold, only near misses are uncertain. The resolver's review band starts
# at 0.5, but on the ACF list (6,694 people) against the full data, the 491 rows whose
# best score was 0.50-0.65 were, in a sample, all people sharing only a given name and
# patronymic with a listed person: noise, not doubt. `--review-from` lowers it.
NEAR_MISS = 0.05


@dataclass(frozen=True)
class Verdict:
    """What a row is, and why."""

    status: str
    reason: str
    best: MatchHit | None = None
    rivals: tuple[MatchHit, ...] = ()


def review_band(threshold: float, low: float | None = None) -> tuple[float, float]:
    """The scores of an uncertain best candidate: from `low` (default: NEAR_MISS below
    the threshold) up to the top of the resolver's review band (or the threshold)."""
    low = max(threshold - NEAR_MISS, REVIEW_BAND[0]) if low is None else low
    return min(low, threshold), max(REVIEW_BAND[1], threshold)


def judge(result: RowResult, threshold: float, band: tuple[float, float] | None = None,
          margin: float = AMBIGUITY_MARGIN) -> Verdict:
    """Decide a row from its candidates (best first)."""
    if not result.screened:
        return Verdict(INVALID, "no name to match")
    low, high = band or review_band(threshold)
    hits = sorted(result.hits, key=lambda h: -h.score)
    if not hits or hits[0].score < low:
        return Verdict(UNMATCHED, f"no candidate scores {low:.2f} or more")
    best = hits[0]
    rivals = tuple(h for h in hits[1:] if h.id != best.id and h.score >= threshold
                   and best.score - h.score <= margin)
    if rivals:
        return Verdict(AMBIGUOUS, f"{len(rivals) + 1} entities score within {margin:.2f} of "
                       f"each other ({best.score:.2f}, "
                       f"{', '.join(f'{h.score:.2f}' for h in rivals)})", best, rivals)
    if best.score < high:
        return Verdict(AMBIGUOUS, f"best score {best.score:.2f} is in the review band "
                       f"{low:.2f}-{high:.2f}", best)
    return Verdict(MATCHED, f"score {best.score:.2f}", best)


def statuses(verdict: Verdict, codes: Sequence[str]) -> dict[str, str | None]:
    """The row's status in each jurisdiction: the matched entity's; not_listed for an
    unmatched row; unknown (None) for an ambiguous or invalid one."""
    if verdict.status == MATCHED and verdict.best is not None:
        listing = verdict.best.jurisdictions
        return {c: listing.get(c, NOT_LISTED) for c in codes}
    if verdict.status == UNMATCHED:
        return dict.fromkeys(codes, NOT_LISTED)
    return dict.fromkeys(codes, None)


@dataclass(frozen=True)
class CoverageRow:
    """One row of the report."""

    number: int
    query: dict[str, list[str]]  # what the row asked: names, birth dates, countries
    verdict: Verdict
    jurisdictions: dict[str, str | None]
    candidates: tuple[MatchHit, ...]
    issues: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        best = self.verdict.best
        return {
            "row": self.number, "query": self.query, "status": self.verdict.status,
            "reason": self.verdict.reason,
            "best": hits_json([best])[0] if best else None,
            "jurisdictions": self.jurisdictions,
            "listed_by": [c for c, s in self.jurisdictions.items() if s == LISTED],
            "candidates": hits_json(self.candidates), "issues": list(self.issues),
        }

    def flat(self, codes: Sequence[str]) -> list[object]:
        """A CSV/XLSX row: see `flat_headers`."""
        import json

        best = self.verdict.best
        return [
            self.number, " | ".join(self.query.get("name", [])),
            ", ".join(self.query.get("birthDate", [])), self.verdict.status,
            self.verdict.reason, best.id if best else "", best.caption if best else "",
            round(best.score, 3) if best else "",
            *[self.jurisdictions[c] or "" for c in codes],
            json.dumps(best.explanation, ensure_ascii=False, separators=(",", ":"),
                       default=str) if best else "",
            " | ".join(f"{h.caption} ({h.id}, {h.score:.2f})" for h in self.candidates),
            "; ".join(self.issues),
        ]


def flat_headers(codes: Sequence[str]) -> list[str]:
    return ["row", "name", "birth_date", "status", "reason", "match_id", "match_name",
            "match_score", *codes, "explanation", "candidates", "issues"]


def coverage_row(result: RowResult, threshold: float, codes: Sequence[str],
                 band: tuple[float, float] | None = None) -> CoverageRow:
    """The report's row for one screened row."""
    verdict = judge(result, threshold, band)
    query = {k: list(v) for k, v in result.query.properties.items()} if result.query else {}
    return CoverageRow(result.row.number, query, verdict, statuses(verdict, codes),
                       result.hits, result.issues)


@dataclass
class CoverageSummary:
    """The counts of the summary line."""

    codes: Sequence[str]
    rows: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)
    lifted: Counter[str] = field(default_factory=Counter)

    def add(self, row: CoverageRow) -> None:
        self.rows += 1
        self.by_status[row.verdict.status] += 1
        for code, status in row.jurisdictions.items():
            if status == LISTED:
                self.listed[code] += 1
            elif status == LIFTED:
                self.lifted[code] += 1

    def line(self) -> str:
        counts = ", ".join(f"{self.by_status[s]} {s}" for s in
                           (MATCHED, AMBIGUOUS, UNMATCHED, INVALID) if s != INVALID
                           or self.by_status[s])
        listed = ", ".join(f"{c} {self.listed[c]}" for c in self.codes)
        return f"{self.rows} rows: {counts}; listed by {listed}"

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, **{s: self.by_status[s] for s in
                                      (MATCHED, AMBIGUOUS, UNMATCHED, INVALID)},
                "listed_by": {c: self.listed[c] for c in self.codes},
                "lifted_by": {c: self.lifted[c] for c in self.codes}}
