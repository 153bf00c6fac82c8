"""Tables. Plain SQLAlchemy Core so that one definition serves SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

SCHEMA_VERSION = "1"

metadata = MetaData()

meta = Table(
    "pp_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# One value of one property of one source record; history in first_seen / last_seen,
# which are publication stamps ("YYYY-MM-DDTHH:MM:SS") of the earliest and latest file
# that stated it, and the runs that loaded those files.
statement = Table(
    "statement", metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(255), nullable=False),
    Column("canonical_id", String(255), nullable=True),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("lang", String(16), nullable=True),
    Column("original_value", Text, nullable=True),
    Column("source", String(64), nullable=False),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    Column("first_run", Integer, nullable=False),
    Column("last_run", Integer, nullable=False),
    # No index holds first_seen / last_seen / *_run: a reload moves them on most rows, and
    # an indexed column would make each of those moves an index delete and insert.
    Index("ix_statement_entity", "entity_id", "prop"),
    Index("ix_statement_source_entity", "source", "entity_id"),
    # Statements are stamped with a canonical id only when the resolver runs; a new
    # statement has none and costs this index nothing.
    Index("ix_statement_canonical", "canonical_id",
          sqlite_where=text("canonical_id IS NOT NULL"),
          postgresql_where=text("canonical_id IS NOT NULL")),
)

run = Table(
    "run", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False, index=True),
    Column("file_name", Text, nullable=False),
    Column("format", String(64), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("fetched_at", String(32), nullable=False),
    Column("published_at", String(32), nullable=False),
    Column("published_basis", Text, nullable=False),
    Column("records", Integer, nullable=False),
    Column("records_by_schema", Text, nullable=False),
    Column("entities", Integer, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("issues", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("loaded_at", String(32), nullable=False),
)

run_file = Table(
    "run_file", metadata,
    Column("run_id", Integer, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("archive_path", Text, nullable=False),
)

issue = Table(
    "issue", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, nullable=False, index=True),
    Column("source", String(64), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("record_id", String(255), nullable=True),
    Column("prop", String(64), nullable=True),
    Column("value", Text, nullable=True),
    Column("message", Text, nullable=False),
    Column("location", Text, nullable=True),
)

# -- entity resolution ---------------------------------------------------------------------

# Human judgements on pairs of source records; append-only, the newest per pair counts.
judgement = Table(
    "judgement", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left_id", String(255), nullable=False),
    Column("right_id", String(255), nullable=False),
    Column("verdict", String(16), nullable=False),  # same | different | unsure
    Column("author", String(128), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("note", Text, nullable=True),
    Index("ix_judgement_pair", "left_id", "right_id"),
)

# Candidate pairs the resolver scored (left_id < right_id), with the explanation.
resolver_pair = Table(
    "resolver_pair", metadata,
    Column("left_id", String(255), primary_key=True),
    Column("right_id", String(255), primary_key=True),
    Column("score", Float, nullable=False),
    Column("scorer", String(32), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_resolver_pair_score", "score"),
)

# The records the resolver has seen, with a fingerprint of what matching reads, so that a
# re-run only does the work for new or changed records.
resolve_record = Table(
    "resolve_record", metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("scorer", String(32), nullable=False),
)

# Source record -> canonical entity (cluster). Canonical ids are stable across runs.
canonical = Table(
    "canonical", metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("canonical_id", String(255), nullable=False, index=True),
)

# Canonical ids that were merged into another: old -> new, so links keep working.
canonical_redirect = Table(
    "canonical_redirect", metadata,
    Column("old_id", String(255), primary_key=True),
    Column("new_id", String(255), nullable=False),
    Column("created_at", String(32), nullable=False),
)
