"""The store: one class that writes runs atomically and answers the read queries."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from pressurepoint.errors import StoreError
from pressurepoint.model import Issue, RunInfo
from pressurepoint.model.statement import StatementTuple
from pressurepoint.store import schema as t
from pressurepoint.store.bulk import upsert_statements
from pressurepoint.store.dialects import configure

BATCH = 5000


class Store:
    """A statement store at a SQLAlchemy URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
            if parsed.drivername.startswith("sqlite") and parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url, future=True)
            configure(self.engine)
            t.metadata.create_all(self.engine)
            self._stamp_version()
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open store {safe_url(url)}: {exc}") from exc

    def _stamp_version(self) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "schema")).first()
            if found is None:
                conn.execute(t.meta.insert().values(key="schema", value=t.SCHEMA_VERSION))
            elif found[0] != t.SCHEMA_VERSION:
                raise StoreError(f"store schema {found[0]} is not {t.SCHEMA_VERSION}")

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ------------------------------------------------------------------------
    def write_run(
        self,
        info: RunInfo,
        statements: Iterable[StatementTuple],
        issues: Sequence[Issue],
        files: Sequence[dict[str, Any]],
    ) -> int:
        """Write one run in one transaction: all of it, or nothing. Returns the run id."""
        try:
            with self.engine.begin() as conn:
                run_id = self._insert_run(conn, info)
                self._upsert_statements(conn, run_id, info.published_at, statements)
                if files:
                    conn.execute(t.run_file.insert(), [dict(f, run_id=run_id) for f in files])
                if issues:
                    rows = [dict(asdict(i), run_id=run_id, source=info.source) for i in issues]
                    for chunk in _chunks(rows, BATCH):
                        conn.execute(t.issue.insert(), chunk)
                return run_id
        except SQLAlchemyError as exc:
            raise StoreError(f"{info.source}: {info.file_name}: store write failed, "
                             f"nothing was changed ({type(exc).__name__}: {exc})") from exc

    def _insert_run(self, conn: Connection, info: RunInfo) -> int:
        values = asdict(info)
        values["records_by_schema"] = json.dumps(info.records_by_schema, sort_keys=True)
        values["loaded_at"] = datetime.now(UTC).replace(microsecond=0).isoformat()
        result = conn.execute(t.run.insert().values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    def _upsert_statements(
        self, conn: Connection, run_id: int, published: str, statements: Iterable[StatementTuple]
    ) -> None:
        upsert_statements(conn, statements, published, run_id)

    # -- runs and sources ---------------------------------------------------------------
    def has_loaded(self, source: str, sha256: str) -> int | None:
        """The id of an earlier good run of the same bytes, if any."""
        query = select(t.run.c.id).where(t.run.c.source == source, t.run.c.sha256 == sha256)
        with self.engine.connect() as conn:
            found = conn.execute(query).first()
        return int(found[0]) if found else None

    def runs(self, source: str | None = None) -> list[dict[str, Any]]:
        """Every good run, newest publication first."""
        query = select(t.run).order_by(t.run.c.published_at.desc(), t.run.c.id.desc())
        if source:
            query = query.where(t.run.c.source == source)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        for row in rows:
            row["records_by_schema"] = json.loads(row["records_by_schema"])
        return rows

    def newest_runs(self) -> dict[str, dict[str, Any]]:
        """Per source, the run of the newest publication (the current data)."""
        newest: dict[str, dict[str, Any]] = {}
        for row in self.runs():
            newest.setdefault(row["source"], row)
        return newest

    def issue_counts(self) -> dict[int, int]:
        query = select(t.issue.c.run_id, func.count()).group_by(t.issue.c.run_id)
        with self.engine.connect() as conn:
            return {int(r[0]): int(r[1]) for r in conn.execute(query)}

    def issues(self, source: str | None = None, run_id: int | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        query = select(t.issue).order_by(t.issue.c.id)
        if source:
            query = query.where(t.issue.c.source == source)
        if run_id is not None:
            query = query.where(t.issue.c.run_id == run_id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    # -- entities -----------------------------------------------------------------------
    def statements_for(self, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Every statement (all history) of the given entities."""
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(iter(entity_ids), 500):
                query = select(t.statement).where(t.statement.c.entity_id.in_(chunk))
                out.extend(dict(r._mapping) for r in conn.execute(query))
        return out

    def entities_referring_to(self, entity_ids: Sequence[str]) -> list[str]:
        """Ids of entities (designations, links) whose `entity`-like values point at these."""
        query = select(t.statement.c.entity_id).distinct().where(
            t.statement.c.value.in_(list(entity_ids)),
            t.statement.c.prop.in_(["entity", "owner", "asset", "subject", "object"]),
        )
        with self.engine.connect() as conn:
            return [str(r[0]) for r in conn.execute(query)]

    def find_by_name(self, query_text: str, limit: int = 20) -> list[str]:
        """Entity ids whose name or alias contains the text (case-insensitive)."""
        needle = f"%{query_text.strip().lower()}%"
        query = (
            select(t.statement.c.entity_id).distinct()
            .where(t.statement.c.prop.in_(["name", "alias", "weakAlias", "previousName"]))
            .where(func.lower(t.statement.c.value).like(needle))
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [str(r[0]) for r in conn.execute(query)]

    def entity_exists(self, entity_id: str) -> bool:
        query = select(t.statement.c.id).where(t.statement.c.entity_id == entity_id).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def current_statements(self, source: str | None = None) -> Iterator[dict[str, Any]]:
        """Statements stated by the newest publication of each source, ordered by entity."""
        newest = self.newest_runs()
        for source_id, run_row in sorted(newest.items()):
            if source and source_id != source:
                continue
            query = (
                select(t.statement)
                .where(t.statement.c.source == source_id,
                       t.statement.c.last_seen == run_row["published_at"])
                .order_by(t.statement.c.entity_id)
            )
            with self.engine.connect() as conn:
                for row in conn.execution_options(yield_per=BATCH).execute(query):
                    yield dict(row._mapping)

    def dump(self) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """Every row of every table in a stable order (for before/after comparisons)."""
        out = []
        with self.engine.connect() as conn:
            for table in t.metadata.sorted_tables:
                keys = list(table.primary_key.columns) or list(table.columns)
                rows = [tuple(r) for r in conn.execute(select(table).order_by(*keys))]
                out.append((table.name, rows))
        return out


def _chunks(rows: Iterator[Any] | Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # only used to render a message
        return "<store>"
