"""What a source is: who publishes it, where, under which licence, and how to read it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pressurepoint.ingest.context import ParseContext
    from pressurepoint.model import Entity

# A parser reads one main file (and its companions, found through the context) and yields
# entities. It raises FormatError for a file it cannot read at all and records an Issue
# (ctx.issue) for each bad row.
Parser = Callable[["ParseContext", Path], Iterator["Entity"]]


@dataclass(frozen=True)
class FileFormat:
    """One published file format of a source.

    `main` are lower-case glob patterns for the file that starts a run (".gz" is stripped
    before matching); `companions` are files in the same folder that belong to the same run
    (OFAC's add.csv / alt.csv beside sdn.csv).
    """

    name: str
    main: tuple[str, ...]
    parser: Parser
    companions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceSpec:
    """One official list."""

    id: str
    title: str
    publisher: str
    authority_country: str  # ISO 3166 alpha-2 of the authority, lower case ("us", "gb", "eu")
    jurisdiction: str  # short code used in reports: US, EU, UK, UN, CA, CH, AU, JP
    urls: tuple[str, ...]
    licence: str
    formats: tuple[FileFormat, ...]
    # Data assertions: a run that violates them fails and leaves the store as it was.
    min_records: int = 1
    # A run whose record count falls below this share of the previous good run fails
    # (a truncated or half-written file).
    min_share_of_previous: float = 0.5
    homepage: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # "sanctions" for official lists; "tracker" for company trackers (Yale CELI, KSE...),
    # which load through the same runs/statements/issues but are no designations.
    kind: str = "sanctions"

    def format_for(self, file_name: str) -> FileFormat | None:
        """The format whose main pattern matches a file name, if any."""
        from fnmatch import fnmatch

        name = plain_name(file_name)
        for fmt in self.formats:
            if any(fnmatch(name, pattern) for pattern in fmt.main):
                return fmt
        return None

    def is_companion(self, file_name: str) -> bool:
        from fnmatch import fnmatch

        name = plain_name(file_name)
        return any(fnmatch(name, p) for fmt in self.formats for p in fmt.companions)


def plain_name(file_name: str) -> str:
    """Lower-case file name without a trailing .gz."""
    name = Path(file_name).name.lower()
    return name[:-3] if name.endswith(".gz") else name
