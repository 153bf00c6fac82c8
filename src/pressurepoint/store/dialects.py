"""Engine set-up where SQLite and PostgreSQL differ (the bulk upsert lives in bulk.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def configure(engine: Engine) -> None:
    """Per-connection settings: SQLite gets WAL (readers never block the loader) and a
    sensible busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Statement ids are hashes, so inserts land on random pages of the primary key:
        # a page cache of up to 256 MB (used only as it fills) halves the load time of a
        # large list compared with SQLite's 2 MB default.
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.execute("PRAGMA temp_store=MEMORY")
        # A run's transaction writes tens of thousands of pages, and the next run rewrites
        # most of them (last-seen stamps). Checkpointing the write-ahead log only once it
        # holds about 400 MB copies each page back once rather than once per run (a full
        # load's writes take about 15% less); the file is cut back to 64 MB afterwards.
        cursor.execute("PRAGMA wal_autocheckpoint=100000")
        cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.close()
        # SQLite's own lower() folds ASCII only; searches must fold Cyrillic too.
        dbapi_connection.create_function("lower", 1, _fold, deterministic=True)


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value
