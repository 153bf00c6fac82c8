"""The statement store: SQLAlchemy Core over SQLite (default) or PostgreSQL."""

from pressurepoint.store.store import Store

__all__ = ["Store"]
