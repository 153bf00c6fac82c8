"""One immutable Settings object, built once from the environment and the CLI, passed down."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from platformdirs import user_data_dir

ENV_PREFIX = "PRESSUREPOINT_"


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Nothing reads the environment except `from_env`."""

    data_dir: Path
    db_url: str
    http_timeout: float = 60.0
    http_retries: int = 3
    max_download_bytes: int = 512 * 1024 * 1024
    user_agent: str = "pressurepoint (+https://github.com/pressurepoint)"

    @property
    def archive_dir(self) -> Path:
        """Raw files, stored by content hash."""
        return self.data_dir / "archive"

    def with_db(self, db: str | None) -> Settings:
        """A copy that uses `db` (a path or a SQLAlchemy URL) when it is given."""
        if not db:
            return self
        return replace(self, db_url=db_url_for(db))


def db_url_for(db: str) -> str:
    """Turn a `--db` argument into a SQLAlchemy URL: URLs pass, paths become SQLite."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def from_env(environ: Mapping[str, str]) -> Settings:
    """Build Settings from PRESSUREPOINT_* variables, with defaults for a laptop."""
    data_dir = Path(environ.get(ENV_PREFIX + "DATA_DIR") or user_data_dir("pressurepoint"))
    db = environ.get(ENV_PREFIX + "DB") or str(data_dir / "pressurepoint.sqlite")
    return Settings(data_dir=data_dir, db_url=db_url_for(db))
