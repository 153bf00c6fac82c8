"""The few places where SQLite and PostgreSQL differ: upserts and engine set-up."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, case, event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def insert_for(engine: Engine, table: Table) -> Any:
    """The dialect's INSERT that supports ON CONFLICT."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def statement_upsert(engine: Engine, table: Table) -> Insert:
    """INSERT a statement, or widen the seen-range of the one already stored.

    first_seen becomes the earliest publication, last_seen the latest; the schema follows
    the newest publication (a record may move from LegalEntity to Company).
    """
    stmt = insert_for(engine, table)
    excluded = stmt.excluded
    least, greatest = (
        (func.least, func.greatest) if engine.dialect.name == "postgresql" else (func.min, func.max)
    )
    newer = excluded.last_seen > table.c.last_seen
    older = excluded.first_seen < table.c.first_seen
    result: Insert = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={
            "first_seen": least(table.c.first_seen, excluded.first_seen),
            "last_seen": greatest(table.c.last_seen, excluded.last_seen),
            "first_run": case((older, excluded.first_run), else_=table.c.first_run),
            "last_run": case((newer, excluded.last_run), else_=table.c.last_run),
            "schema": case((newer, excluded.schema), else_=table.c.schema),
            "original_value": func.coalesce(table.c.original_value, excluded.original_value),
        },
    )
    return result


def configure(engine: Engine) -> None:
    """Per-connection settings: SQLite gets WAL (readers never block the loader),
    foreign-key enforcement and a sensible busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's own lower() folds ASCII only; searches must fold Cyrillic too.
        dbapi_connection.create_function("lower", 1, _fold, deterministic=True)


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value
