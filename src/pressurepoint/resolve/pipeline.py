"""`resolve`: cross-reference every loaded source and build the canonical entities.

    records -> fingerprints -> (changed records only) blocking -> scoring -> pairs
    all pairs + judgements -> clusters -> stable canonical ids

A re-run after new data only blocks and scores the records that are new or changed (their
fingerprint of matching-relevant values differs, or the scorer version changed);
clustering always runs over every stored pair, since it is cheap and judgements may have
changed.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pressurepoint.resolve.cluster import canonical_ids, cluster, pair_key
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs

# Values the matcher reads. Anything else (notes, addresses...) does not change a match.
MATCH_PROPS = (
    "name", "alias", "weakAlias", "previousName", "firstName", "lastName", "middleName",
    "fatherName", "secondName", "birthDate", "gender", "nationality", "citizenship",
    "country", "jurisdiction", "mainCountry", "flag", "passportNumber", "idNumber", "innCode",
    "ogrnCode", "taxNumber", "registrationNumber", "imoNumber", "mmsi", "swiftBic", "leiCode",
    "kppCode", "okpoCode", "callSign", "buildDate", "incorporationDate",
)
# Pairs scoring below this are not kept (they are neither matches nor worth reviewing).
KEEP_FLOOR = 0.5
# A blocking key shared by more records than this is too common to propose pairs alone.
MAX_BLOCK = 400
# Each record is scored against at most this many candidates of each other source: the
# ones sharing the rarest keys (summed inverse document frequency), plus every record that
# shares an identifier. Scoring everything that shares any word would be millions of pairs.
TOP_PER_SOURCE = 3

Progress = Callable[[str, int, int], None]


class Matcher(Protocol):
    """What the pipeline needs from a scorer."""

    version: str
    threshold: float

    def prepare(self, schema: str, props: Mapping[str, Sequence[str]]) -> Any: ...

    def block_keys(self, prepared: Any) -> Iterable[str]: ...

    def score(self, left: Any, right: Any) -> float: ...

    def explain(self, left: Any, right: Any) -> dict[str, Any]: ...


@dataclass
class Record:
    id: str
    schema: str
    source: str
    props: dict[str, list[str]] = field(default_factory=dict)

    def fingerprint(self, version: str) -> str:
        body = json.dumps([self.schema, version, sorted((p, sorted(v)) for p, v in
                                                         self.props.items())])
        return hashlib.sha1(body.encode()).hexdigest()


@dataclass
class ResolveReport:
    records: int = 0
    changed: int = 0
    candidate_pairs: int = 0
    kept_pairs: int = 0
    clusters: int = 0
    merged_records: int = 0
    conflicts: list[str] = field(default_factory=list)


def load_records(store: Store) -> dict[str, Record]:
    records: dict[str, Record] = {}
    for entity_id, schema, source, prop, value in rs.target_statements(store, MATCH_PROPS):
        record = records.get(entity_id)
        if record is None:
            record = records[entity_id] = Record(entity_id, schema, source)
        record.schema = schema
        values = record.props.setdefault(prop, [])
        if value not in values:
            values.append(value)
    return records


def resolve(store: Store, matcher: Matcher, progress: Progress | None = None,
            *, full: bool = False) -> ResolveReport:
    """Bring the resolution up to date with the store; returns what was done."""
    tick = progress or (lambda _phase, _done, _total: None)
    report = ResolveReport()
    records = load_records(store)
    report.records = len(records)
    marks = {e: (r.fingerprint(matcher.version), matcher.version) for e, r in records.items()}
    previous = {} if full else rs.fingerprints(store)
    changed = [e for e, mark in marks.items() if previous.get(e) != mark]
    report.changed = len(changed)
    if changed:
        prepared = _prepare(records, matcher, tick)
        pairs = _candidates(records, prepared, matcher, set(changed), tick)
        report.candidate_pairs = len(pairs)
        kept = list(_score(pairs, prepared, matcher, tick))
        report.kept_pairs = len(kept)
        rs.save_resolution(store, changed, kept, marks)
    _cluster(store, records, matcher, report)
    return report


def _prepare(records: Mapping[str, Record], matcher: Matcher, tick: Progress) -> dict[str, Any]:
    prepared: dict[str, Any] = {}
    total = len(records)
    for n, (entity_id, record) in enumerate(records.items(), 1):
        prepared[entity_id] = matcher.prepare(record.schema, record.props)
        if n % 2000 == 0 or n == total:
            tick("preparing records", n, total)
    return prepared


def _candidates(records: Mapping[str, Record], prepared: Mapping[str, Any], matcher: Matcher,
                changed: set[str], tick: Progress) -> list[tuple[str, str]]:
    """Pairs of records of different sources worth scoring, where at least one side is
    new or changed: for each such record, every record sharing an identifier key and the
    TOP_PER_SOURCE records of each other source sharing the rarest name keys."""
    index: dict[str, list[str]] = {}
    keys_of: dict[str, set[str]] = {}
    for entity_id, item in prepared.items():
        keys = set(matcher.block_keys(item))
        keys_of[entity_id] = keys
        for key in keys:
            index.setdefault(key, []).append(entity_id)
    weight = {k: math.log(len(records) / len(p)) for k, p in index.items()
              if len(p) <= MAX_BLOCK}
    pairs: set[tuple[str, str]] = set()
    total = len(changed)
    for n, entity_id in enumerate(sorted(changed), 1):
        pairs.update(pair_key(entity_id, o)
                     for o in _best_candidates(entity_id, records, keys_of, index, weight))
        if n % 2000 == 0 or n == total:
            tick("finding candidate pairs", n, total)
    return sorted(pairs)


def _best_candidates(entity_id: str, records: Mapping[str, Record],
                     keys_of: Mapping[str, set[str]], index: Mapping[str, list[str]],
                     weight: Mapping[str, float]) -> set[str]:
    source = records[entity_id].source
    found: set[str] = set()
    summed: dict[str, float] = {}
    for key in keys_of[entity_id]:
        key_weight = weight.get(key)
        if key_weight is None:
            continue
        for other in index[key]:
            if other == entity_id or records[other].source == source:
                continue
            if key.startswith("id:"):
                found.add(other)
            summed[other] = summed.get(other, 0.0) + key_weight
    by_source: dict[str, list[tuple[float, str]]] = {}
    for other, total in summed.items():
        by_source.setdefault(records[other].source, []).append((total, other))
    for scored in by_source.values():
        found.update(other for _, other in heapq.nlargest(TOP_PER_SOURCE, scored))
    return found


def _score(pairs: Sequence[tuple[str, str]], prepared: Mapping[str, Any], matcher: Matcher,
           tick: Progress) -> Iterator[dict[str, Any]]:
    total = len(pairs)
    for n, (left, right) in enumerate(pairs, 1):
        score = matcher.score(prepared[left], prepared[right])
        if score >= KEEP_FLOOR:  # explanations are built only for the pairs kept
            explanation = matcher.explain(prepared[left], prepared[right])
            yield {"left_id": left, "right_id": right, "score": round(score, 4),
                   "scorer": matcher.version,
                   "explanation": json.dumps(explanation, ensure_ascii=False, default=str)}
        if n % 20000 == 0 or n == total:
            tick("scoring pairs", n, total)


def _cluster(store: Store, records: Mapping[str, Record], matcher: Matcher,
             report: ResolveReport) -> None:
    source_of = {e: r.source for e, r in records.items()}
    scored = [p for p in rs.scored_pairs(store, matcher.threshold)
              if p[0] in source_of and p[1] in source_of]
    judged = {pair: verdict for pair, verdict in rs.judgements(store).items()
              if pair[0] in source_of and pair[1] in source_of}
    clusters = cluster(source_of, scored, judged, matcher.threshold)
    groups = clusters.groups(source_of)
    assignment, redirects = canonical_ids(groups, rs.canonical_map(store))
    rs.save_clusters(store, assignment, redirects)
    report.clusters = len(groups)
    report.merged_records = sum(len(g) for g in groups if len(g) > 1)
    report.conflicts = [f"{a} / {b}: {why}" for (a, b), why in clusters.conflicts]
