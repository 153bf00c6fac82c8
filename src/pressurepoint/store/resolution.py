"""Store access for entity resolution: judgements, scored pairs, fingerprints, clusters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update

from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.model import TARGET_SCHEMATA
from pressurepoint.store import schema as t
from pressurepoint.store.store import Store

VERDICTS = ("same", "different", "unsure")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


# -- judgements ----------------------------------------------------------------------------
def add_judgement(store: Store, a: str, b: str, verdict: str, author: str = "cli",
                  note: str | None = None) -> None:
    """Append one human judgement on a pair of source records."""
    if verdict not in VERDICTS:
        raise InvalidInput(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if a == b:
        raise InvalidInput("a record cannot be judged against itself")
    for entity_id in (a, b):
        if not store.entity_exists(entity_id):
            raise NotFound(f"no record with id {entity_id!r}")
    left, right = _ordered(a, b)
    with store.engine.begin() as conn:
        conn.execute(insert(t.judgement).values(
            left_id=left, right_id=right, verdict=verdict, author=author,
            created_at=_now(), note=note))


def judgements(store: Store) -> dict[tuple[str, str], str]:
    """The newest verdict per pair."""
    query = select(t.judgement.c.left_id, t.judgement.c.right_id, t.judgement.c.verdict
                   ).order_by(t.judgement.c.id)
    with store.engine.connect() as conn:
        return {(r[0], r[1]): r[2] for r in conn.execute(query)}


def judgement_history(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.judgement).order_by(t.judgement.c.id))
        return [dict(r._mapping) for r in rows]


# -- records for matching ------------------------------------------------------------------
def target_statements(store: Store, props: Sequence[str]) -> Iterator[tuple[str, str, str, str,
                                                                           str]]:
    """(entity_id, schema, source, prop, value) of every target record of the sanctions
    sources ever loaded, ordered by entity id: all spellings a record ever had help to match
    it. Company trackers are grouped by their own rules (pressurepoint.trackers)."""
    from pressurepoint.sources import available_sources

    trackers = sorted(s.id for s in available_sources() if s.kind != "sanctions")
    query = (
        select(t.statement.c.entity_id, t.statement.c.schema, t.statement.c.source,
               t.statement.c.prop, t.statement.c.value)
        .where(t.statement.c.schema.in_(sorted(TARGET_SCHEMATA)),
               t.statement.c.prop.in_(list(props)),
               t.statement.c.source.not_in(trackers))
        .order_by(t.statement.c.entity_id)
    )
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=20000).execute(query):
            yield row[0], row[1], row[2], row[3], row[4]


def fingerprints(store: Store) -> dict[str, tuple[str, str]]:
    """entity id -> (fingerprint, scorer version) of the last resolve."""
    query = select(t.resolve_record.c.entity_id, t.resolve_record.c.fingerprint,
                   t.resolve_record.c.scorer)
    with store.engine.connect() as conn:
        return {r[0]: (r[1], r[2]) for r in conn.execute(query)}


# -- pairs ---------------------------------------------------------------------------------
def scored_pairs(store: Store, min_score: float = 0.0) -> list[tuple[str, str, float]]:
    query = select(t.resolver_pair.c.left_id, t.resolver_pair.c.right_id,
                   t.resolver_pair.c.score).where(t.resolver_pair.c.score >= min_score)
    with store.engine.connect() as conn:
        return [(r[0], r[1], float(r[2])) for r in conn.execute(query)]


def pair_details(store: Store, low: float, high: float, limit: int | None = None
                 ) -> list[dict[str, Any]]:
    """Scored pairs in [low, high), most uncertain first (closest to the middle)."""
    query = select(t.resolver_pair).where(t.resolver_pair.c.score >= low,
                                          t.resolver_pair.c.score < high)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    middle = (low + high) / 2
    rows.sort(key=lambda r: (abs(r["score"] - middle), r["left_id"], r["right_id"]))
    for row in rows:
        row["explanation"] = json.loads(row["explanation"])
    return rows[:limit] if limit else rows


def save_resolution(store: Store, changed: Iterable[str], new_pairs: Iterable[dict[str, Any]],
                    records: Mapping[str, tuple[str, str]]) -> None:
    """Replace the pairs of changed records and record the fingerprints, in one transaction."""
    changed_ids = sorted(set(changed))
    with store.engine.begin() as conn:
        for chunk in _chunks(changed_ids, 500):
            conn.execute(delete(t.resolver_pair).where(or_(
                t.resolver_pair.c.left_id.in_(chunk), t.resolver_pair.c.right_id.in_(chunk))))
            conn.execute(delete(t.resolve_record).where(
                t.resolve_record.c.entity_id.in_(chunk)))
        rows = [dict(p, updated_at=_now()) for p in new_pairs]
        for part in _chunks(rows, 5000):
            conn.execute(insert(t.resolver_pair), part)
        marks = [{"entity_id": e, "fingerprint": records[e][0], "scorer": records[e][1]}
                 for e in changed_ids if e in records]
        for part in _chunks(marks, 5000):
            conn.execute(insert(t.resolve_record), part)


def forget_records(store: Store, entity_ids: Iterable[str]) -> None:
    """Drop the resolver's memory of records (e.g. a scorer version change)."""
    with store.engine.begin() as conn:
        for chunk in _chunks(sorted(set(entity_ids)), 500):
            conn.execute(delete(t.resolve_record).where(t.resolve_record.c.entity_id.in_(chunk)))


# -- clusters ------------------------------------------------------------------------------
def canonical_map(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.canonical.c.entity_id, t.canonical.c.canonical_id))
        return {r[0]: r[1] for r in rows}


def save_clusters(store: Store, assignment: Mapping[str, str],
                  redirects: Mapping[str, str]) -> None:
    """Replace the record -> canonical mapping, add redirects, stamp statements."""
    with store.engine.begin() as conn:
        conn.execute(delete(t.canonical))
        rows = [{"entity_id": e, "canonical_id": c} for e, c in sorted(assignment.items())]
        for part in _chunks(rows, 5000):
            conn.execute(insert(t.canonical), part)
        known = {r[0] for r in conn.execute(select(t.canonical_redirect.c.old_id))}
        fresh = [{"old_id": o, "new_id": n, "created_at": _now()}
                 for o, n in sorted(redirects.items()) if o not in known]
        if fresh:
            conn.execute(insert(t.canonical_redirect), fresh)
        for old, new in redirects.items():  # an older redirect to a now-merged id follows
            conn.execute(update(t.canonical_redirect)
                         .where(t.canonical_redirect.c.new_id == old).values(new_id=new))
        conn.execute(
            update(t.statement).values(canonical_id=select(t.canonical.c.canonical_id)
                                       .where(t.canonical.c.entity_id == t.statement.c.entity_id)
                                       .scalar_subquery())
        )


def canonical_of(store: Store, entity_ids: Sequence[str]) -> dict[str, str]:
    """entity id -> canonical id, for the given records that the resolver has seen."""
    found: dict[str, str] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(list(entity_ids), 500):
            query = select(t.canonical.c.entity_id, t.canonical.c.canonical_id).where(
                t.canonical.c.entity_id.in_(chunk))
            found.update({r[0]: r[1] for r in conn.execute(query)})
    return found


def members_of(store: Store, canonical_id: str) -> list[str]:
    """The source records of a canonical entity (following a redirect of a merged id)."""
    target = resolve_redirect(store, canonical_id)
    query = select(t.canonical.c.entity_id).where(t.canonical.c.canonical_id == target)
    with store.engine.connect() as conn:
        return sorted(str(r[0]) for r in conn.execute(query))


def resolve_redirect(store: Store, canonical_id: str) -> str:
    query = select(t.canonical_redirect.c.new_id).where(
        and_(t.canonical_redirect.c.old_id == canonical_id))
    with store.engine.connect() as conn:
        found = conn.execute(query).first()
    return str(found[0]) if found else canonical_id


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
