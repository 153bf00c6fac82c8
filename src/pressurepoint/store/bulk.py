"""Fast statement upserts. SQLAlchemy's executemany costs more per row than the database
itself, and a full load writes millions of statements, so this module speaks to the
driver directly. The rows of a run go into a temporary table (SQLite: one prepared INSERT
run with executemany; PostgreSQL: COPY), and one INSERT ... SELECT ... ON CONFLICT per batch
moves them into `statement`, with the run's publication stamp and id bound once.

A stored statement is rewritten only where the run widens its seen-range or brings the
first original spelling; no statement index holds a column that a reload changes (see
schema.py), so such a rewrite touches the row alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection

# The columns a run states; the seen-range columns come from the run.
ROW_COLUMNS = ("id", "entity_id", "schema", "prop", "value", "lang", "original_value",
               "source")
COLUMNS = (*ROW_COLUMNS, "first_seen", "last_seen", "first_run", "last_run")
# Rows per temporary-table fill: bounds the memory of the temporary table.
BATCH = 50000
LOAD_TABLE = "statement_load"

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
WHERE excluded.last_seen > statement.last_seen OR excluded.first_seen < statement.first_seen
   OR (statement.original_value IS NULL AND excluded.original_value IS NOT NULL)
"""
_ROW_COLS = ", ".join(ROW_COLUMNS)
_LOAD_DDL = (f"CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} (id TEXT, entity_id TEXT, "
             "schema TEXT, prop TEXT, value TEXT, lang TEXT, original_value TEXT, source TEXT)")


def _move_sql(mark: str, least: str, greatest: str) -> str:
    """INSERT ... SELECT from the load table; `mark` is the driver's parameter style."""
    return (f"INSERT INTO statement ({', '.join(COLUMNS)}) "
            f"SELECT {_ROW_COLS}, {mark}, {mark}, {mark}, {mark} FROM {LOAD_TABLE} "
            "WHERE true ON CONFLICT (id) DO UPDATE SET "
            + _UPDATE.format(least=least, greatest=greatest))


def upsert_statements(conn: Connection, rows: Iterable[Sequence[Any]], published: str,
                      run_id: int) -> int:
    """Insert rows (tuples in ROW_COLUMNS order) stated by the run `run_id` of publication
    `published`, or widen the stored seen-range; returns the number of rows."""
    if conn.dialect.name == "postgresql":
        return _upsert_postgres(conn, rows, published, run_id)
    return _upsert_sqlite(conn, rows, published, run_id)


def _upsert_sqlite(conn: Connection, rows: Iterable[Sequence[Any]], published: str,
                   run_id: int) -> int:
    fill = f"INSERT INTO {LOAD_TABLE} VALUES ({', '.join('?' for _ in ROW_COLUMNS)})"
    move = _move_sql("?", "min", "max")
    params = (published, published, run_id, run_id)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    count = 0
    try:
        cursor.execute(_LOAD_DDL)
        iterator = iter(rows)
        while chunk := list(islice(iterator, BATCH)):
            cursor.execute(f"DELETE FROM {LOAD_TABLE}")
            cursor.executemany(fill, chunk)
            cursor.execute(move, params)
            count += len(chunk)
        cursor.execute(f"DELETE FROM {LOAD_TABLE}")
    finally:
        cursor.close()
    return count


def _upsert_postgres(conn: Connection, rows: Iterable[Sequence[Any]], published: str,
                     run_id: int) -> int:
    driver = conn.connection.driver_connection
    assert driver is not None
    count = 0
    with driver.cursor() as cursor:
        cursor.execute(_LOAD_DDL + " ON COMMIT DELETE ROWS")
        cursor.execute(f"TRUNCATE {LOAD_TABLE}")
        with cursor.copy(f"COPY {LOAD_TABLE} ({_ROW_COLS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        cursor.execute(_move_sql("%s", "LEAST", "GREATEST"),
                       (published, published, run_id, run_id))
    return count
