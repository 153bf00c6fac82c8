"""Fast statement upserts. SQLAlchemy's executemany costs more per row than the database
itself, and a full load writes millions of statements, so this module speaks to the
driver directly: SQLite gets one prepared INSERT ... ON CONFLICT run with executemany,
PostgreSQL gets COPY into a temporary table and one INSERT ... SELECT ... ON CONFLICT."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection

COLUMNS = ("id", "entity_id", "schema", "prop", "value", "lang", "original_value", "source",
           "first_seen", "last_seen", "first_run", "last_run")
BATCH = 20000

_UPDATE = """
  first_seen = {least}(statement.first_seen, excluded.first_seen),
  last_seen = {greatest}(statement.last_seen, excluded.last_seen),
  first_run = CASE WHEN excluded.first_seen < statement.first_seen
                   THEN excluded.first_run ELSE statement.first_run END,
  last_run = CASE WHEN excluded.last_seen > statement.last_seen
                  THEN excluded.last_run ELSE statement.last_run END,
  schema = CASE WHEN excluded.last_seen > statement.last_seen
                THEN excluded.schema ELSE statement.schema END,
  original_value = COALESCE(statement.original_value, excluded.original_value)
"""
_COLS = ", ".join(COLUMNS)


def upsert_statements(conn: Connection, rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (tuples in COLUMNS order) or widen the stored seen-range; returns count."""
    if conn.dialect.name == "postgresql":
        return _upsert_postgres(conn, rows)
    return _upsert_sqlite(conn, rows)


def _upsert_sqlite(conn: Connection, rows: Iterable[Sequence[Any]]) -> int:
    marks = ", ".join("?" for _ in COLUMNS)
    sql = (f"INSERT INTO statement ({_COLS}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET "
           + _UPDATE.format(least="min", greatest="max"))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    count = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, BATCH)):
        cursor.executemany(sql, chunk)
        count += len(chunk)
    cursor.close()
    return count


def _upsert_postgres(conn: Connection, rows: Iterable[Sequence[Any]]) -> int:
    driver = conn.connection.driver_connection
    assert driver is not None
    count = 0
    with driver.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS statement_load "
                       "(LIKE statement INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
        cursor.execute("TRUNCATE statement_load")
        with cursor.copy(f"COPY statement_load ({_COLS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        cursor.execute(
            f"INSERT INTO statement ({_COLS}) SELECT {_COLS} FROM statement_load "
            "ON CONFLICT (id) DO UPDATE SET " + _UPDATE.format(least="LEAST",
                                                                greatest="GREATEST")
        )
    return count
