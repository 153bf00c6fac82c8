"""Where the report builder says what it is doing (the CLI shows it as progress bars)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def step(self, description: str, total: int | None = None) -> Callable[[int], None]:
        """Start a step (of `total` items, if known); the returned function advances it
        by n items."""
        ...


class Silent:
    """No progress shown (library use, tests)."""

    def step(self, description: str, total: int | None = None) -> Callable[[int], None]:
        return lambda n: None
