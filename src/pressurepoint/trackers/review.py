"""Close calls between tracker records, for a human to judge.

Records of different companies that share a distinctive name word are scored with the
resolver's pp-v2 scorer (names, and home countries where both trackers state one). Pairs
scoring at least `REVIEW_FLOOR` are close calls: names such as "Citadele Bank" / "Citadele
Banka" or "Axis Communication" / "Axis Communications" are one company, "Phillips 66" /
"Philips" or "SC Johnson" / "Johnson & Johnson" are not, and no score tells them apart.
Pairs whose companies the rules of `grouping` keep apart anyway (other home countries,
both listed at once by one tracker) are not proposed. Close calls are never joined
automatically; a "same" judgement (stored with every other
judgement, see `pressurepoint judge`) joins them at the next read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from pressurepoint.resolve.features import Prepared, prepare
from pressurepoint.resolve.scorer import score
from pressurepoint.trackers.grouping import Grouping, Pair
from pressurepoint.trackers.history import TrackerData, TrackerRecord
from pressurepoint.trackers.matching import company_keys

REVIEW_FLOOR = 0.7
MAX_POSTING = 30  # a word shared by more records than this proposes no pairs
MIN_WORD = 3
PREFIX = 5


@dataclass(frozen=True)
class ClosePair:
    score: float
    left: str
    right: str
    explanation: dict[str, Any]


def close_pairs(data: TrackerData, grouping: Grouping, judgements: Mapping[Pair, str],
                floor: float = REVIEW_FLOOR) -> list[ClosePair]:
    """Unjudged pairs of records in different groups scoring at least `floor`, most
    uncertain (lowest) last."""
    prepared: dict[str, Prepared] = {}
    found: list[ClosePair] = []
    for left, right in sorted(_candidates(data, grouping)):
        if (left, right) in judgements or (right, left) in judgements:
            continue
        a = prepared.get(left) or prepared.setdefault(left, _prepare(data.records[left]))
        b = prepared.get(right) or prepared.setdefault(right, _prepare(data.records[right]))
        result = score(a, b)
        if result.score >= floor:
            found.append(ClosePair(round(result.score, 4), left, right,
                                   dict(result.explanation)))
    found.sort(key=lambda p: (-p.score, p.left, p.right))
    return found


def _prepare(record: TrackerRecord) -> Prepared:
    props = {"name": record.newest("name"), "alias": record.newest("alias"),
             "country": record.newest("country")}
    return prepare(record.schema, {k: v for k, v in props.items() if v})


def _group_facts(data: TrackerData, grouping: Grouping
                 ) -> dict[str, tuple[set[str], list[TrackerRecord]]]:
    """Per group: its home countries and its records."""
    facts: dict[str, tuple[set[str], list[TrackerRecord]]] = {}
    for gid, members in grouping.groups.items():
        records = [data.records[m] for m in members]
        facts[gid] = ({c for r in records for c in r.values.get("country", {})}, records)
    return facts


def _joinable(a: tuple[set[str], list[TrackerRecord]],
              b: tuple[set[str], list[TrackerRecord]]) -> bool:
    """Whether grouping's rules allow the two groups to be one company (else a pair of
    them is no open question: the trackers already tell them apart)."""
    if a[0] and b[0] and a[0].isdisjoint(b[0]):
        return False
    return not any(_coexist(x, y) for x in a[1] for y in b[1])


def _candidates(data: TrackerData, grouping: Grouping) -> set[Pair]:
    posting: dict[str, list[str]] = defaultdict(list)
    for rid, record in data.records.items():
        words: set[str] = set()
        for name in record.all_names():
            keys = company_keys(name)
            if keys is not None:
                words |= {w for w in keys.tokens if len(w) >= MIN_WORD}
                # the beginning of a long word, so that "Exxon Mobil" meets "ExxonMobil"
                words |= {f"{w[:PREFIX]}…" for w in keys.tokens if len(w) > PREFIX}
        for word in words:
            posting[word].append(rid)
    facts = _group_facts(data, grouping)
    pairs: set[Pair] = set()
    for holders in posting.values():
        if len(holders) > MAX_POSTING:
            continue
        for left, right in combinations(sorted(holders), 2):
            a, b = grouping.group_of[left], grouping.group_of[right]
            if a != b and _joinable(facts[a], facts[b]):
                pairs.add((left, right))
    return pairs


def _coexist(a: TrackerRecord, b: TrackerRecord) -> bool:
    """Two records of one tracker listed at the same time are two companies."""
    return a.source == b.source and a.first_seen <= b.last_seen and b.first_seen <= a.last_seen
