"""`resolve`: cross-reference every loaded source and build the canonical entities.

    records -> fingerprints -> (changed records only) blocking -> scoring -> pairs
    all pairs + judgements -> clusters -> stable canonical ids

A re-run after new data only blocks and scores the records that are new or changed (their
fingerprint of matching-relevant values differs, or the scorer version changed);
clustering always runs over every stored pair, since it is cheap and judgements may have
changed.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import math
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pressurepoint.processes import can_fork, collector_paused, usable_cpus
from pressurepoint.resolve.cluster import canonical_ids, cluster
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
# Pairs scored at a time (by one worker process), and the most worker processes.
CHUNK = 5000
MAX_WORKERS = 4

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
            *, full: bool = False, workers: int | None = None) -> ResolveReport:
    """Bring the resolution up to date with the store; returns what was done. Pairs are
    scored by `workers` processes (default: `default_workers()`; 1 scores in this
    process); the outcome is the same whatever their number."""
    tick = progress or (lambda _phase, _done, _total: None)
    report = ResolveReport()
    records = load_records(store)
    report.records = len(records)
    marks = {e: (r.fingerprint(matcher.version), matcher.version) for e, r in records.items()}
    previous = {} if full else rs.fingerprints(store)
    changed = [e for e, mark in marks.items() if previous.get(e) != mark]
    report.changed = len(changed)
    if changed:
        with collector_paused():
            prepared = _prepare(records, matcher, tick)
            pairs = _candidates(records, prepared, matcher, set(changed), tick)
            report.candidate_pairs = len(pairs)
            count = default_workers() if workers is None else workers
            kept = list(_score(pairs, prepared, matcher, tick, workers=count))
            report.kept_pairs = len(kept)
            del prepared
        rs.save_resolution(store, changed, kept, marks)
    _cluster(store, records, matcher, report)
    return report


def default_workers() -> int:
    """The processes `resolve` scores with: the CPUs this process may use, at most
    MAX_WORKERS; 1 where a process cannot be forked (the workers read the prepared
    records from the parent's memory, and only the parent touches the store)."""
    if not can_fork():
        return 1
    return max(1, min(usable_cpus(), MAX_WORKERS))


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
    ids = sorted(prepared)
    number = {entity_id: n for n, entity_id in enumerate(ids)}  # ids in order: ties alike
    sources: dict[str, int] = {}
    source_of = [sources.setdefault(records[e].source, len(sources)) for e in ids]
    postings: dict[str, list[int]] = {}
    keys_of: list[list[str]] = []
    for n, entity_id in enumerate(ids):
        keys = sorted(set(matcher.block_keys(prepared[entity_id])))
        keys_of.append(keys)
        for key in keys:
            postings.setdefault(key, []).append(n)
    blocks = _blocks(postings, source_of, len(records))
    pairs: set[tuple[int, int]] = set()
    total = len(changed)
    for done, entity_id in enumerate(sorted(changed), 1):
        n = number[entity_id]
        for other in _best_candidates(n, keys_of[n], blocks, source_of[n]):
            pairs.add((n, other) if n < other else (other, n))  # = pair_key order
        if done % 2000 == 0 or done == total:
            tick("finding candidate pairs", done, total)
    return [(ids[a], ids[b]) for a, b in sorted(pairs)]


#: key -> (weight, is an identifier, members by source)
Block = tuple[float, bool, tuple[tuple[int, tuple[int, ...]], ...]]


def _blocks(postings: Mapping[str, list[int]], source_of: Sequence[int], count: int
            ) -> dict[str, Block]:
    """The keys shared by at most MAX_BLOCK records, with their inverse document
    frequency and their records grouped by source."""
    blocks: dict[str, Block] = {}
    for key, members in postings.items():
        if len(members) > MAX_BLOCK or len(members) < 2:
            continue
        by_source: dict[int, list[int]] = {}
        for n in members:
            by_source.setdefault(source_of[n], []).append(n)
        if len(by_source) < 2:
            continue  # pairs are proposed only across sources
        blocks[key] = (math.log(count / len(members)), key.startswith("id:"),
                       tuple((s, tuple(m)) for s, m in by_source.items()))
    return blocks


def _best_candidates(n: int, keys: Sequence[str], blocks: Mapping[str, Block],
                     source: int) -> set[int]:
    """The records to score record n against: those sharing an identifier, and the
    TOP_PER_SOURCE of each other source by summed key weight (ties to the larger id)."""
    found: set[int] = set()
    summed: dict[int, dict[int, float]] = {}
    for key in keys:
        block = blocks.get(key)
        if block is None:
            continue
        weight, is_id, by_source = block
        for other_source, members in by_source:
            if other_source == source:
                continue
            if is_id:
                found.update(members)
            sums = summed.get(other_source)
            if sums is None:
                sums = summed[other_source] = {}
            get = sums.get
            for other in members:
                sums[other] = get(other, 0.0) + weight
    for sums in summed.values():
        if len(sums) <= TOP_PER_SOURCE:
            found.update(sums)
            continue
        cutoff = sorted(sums.values())[-TOP_PER_SOURCE]
        best = [(total, other) for other, total in sums.items() if total >= cutoff]
        found.update(other for _, other in heapq.nlargest(TOP_PER_SOURCE, best))
    return found


def _score(pairs: Sequence[tuple[str, str]], prepared: Mapping[str, Any], matcher: Matcher,
           tick: Progress, *, workers: int = 1) -> Iterator[dict[str, Any]]:
    """The pairs scoring at least KEEP_FLOOR, with their explanations, in the order of
    `pairs`; scored in chunks by `workers` forked processes when there is more than one."""
    total = len(pairs)
    spans = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    if workers <= 1 or len(spans) < 2 or not can_fork():
        for start, end in spans:
            yield from _kept(pairs[start:end], prepared, matcher)
            tick("scoring pairs", end, total)
        return
    global _JOB
    _JOB = (pairs, prepared, matcher)
    gc.freeze()  # the workers' collectors leave the parent's objects (and pages) alone
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(spans))) as pool:
            for (_, end), kept in zip(spans, pool.imap(_score_span, spans), strict=True):
                yield from kept
                tick("scoring pairs", end, total)
    finally:
        _JOB = None
        gc.unfreeze()


# What the scoring workers read, inherited from the parent when they are forked.
_JOB: tuple[Sequence[tuple[str, str]], Mapping[str, Any], Matcher] | None = None


def _score_span(span: tuple[int, int]) -> list[dict[str, Any]]:
    assert _JOB is not None, "scoring worker without a job"
    pairs, prepared, matcher = _JOB
    return list(_kept(pairs[span[0]:span[1]], prepared, matcher))


def _kept(pairs: Sequence[tuple[str, str]], prepared: Mapping[str, Any], matcher: Matcher
          ) -> Iterator[dict[str, Any]]:
    floored = getattr(matcher, "score_floor", None)
    for left, right in pairs:
        a, b = prepared[left], prepared[right]
        score = floored(a, b, KEEP_FLOOR) if floored else matcher.score(a, b)
        if score >= KEEP_FLOOR:  # explanations are built only for the pairs kept
            yield {"left_id": left, "right_id": right, "score": round(score, 4),
                   "scorer": matcher.version,
                   "explanation": json.dumps(matcher.explain(a, b), ensure_ascii=False,
                                             default=str)}


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
