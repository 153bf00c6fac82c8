"""One ingest of one source file (or one set of companion files)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What the store records about a completed run."""

    source: str
    file_name: str
    sha256: str
    fetched_at: str
    published_at: str
    published_basis: str
    records: int
    records_by_schema: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    statements: int = 0
    issues: int = 0
    outcome: str = "ok"
    format: str = ""
