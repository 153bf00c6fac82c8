"""A local mirror laid out as DIR/<source id>/<YYYY-MM-DD>/<files>: which runs it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pressurepoint.errors import InvalidInput
from pressurepoint.ingest.runner import LoadRequest
from pressurepoint.sources import SOURCE_MODULES, get_source

_DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class MirrorPlan:
    """The load requests found in a mirror, oldest first, and the files nobody claims."""

    requests: list[LoadRequest] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def plan_mirror(root: Path, only: set[str] | None = None) -> MirrorPlan:
    """Every run in the mirror, ordered by folder date then source id."""
    if not root.is_dir():
        raise InvalidInput(f"{root}: not a folder")
    plan = MirrorPlan()
    found: list[tuple[str, str, LoadRequest]] = []
    for source_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if source_dir.name not in SOURCE_MODULES:
            plan.skipped.append((source_dir, "not a known source id"))
            continue
        if only and source_dir.name not in only:
            continue
        for date_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            if not _DATE_DIR.match(date_dir.name):
                plan.skipped.append((date_dir, "folder name is not YYYY-MM-DD"))
                continue
            for request in requests_in_folder(source_dir.name, date_dir, plan):
                found.append((date_dir.name, source_dir.name, request))
    found.sort(key=lambda item: (item[0], item[1], item[2].path.name))
    plan.requests = [request for _, _, request in found]
    return plan


def requests_in_folder(source_id: str, date_dir: Path, plan: MirrorPlan) -> list[LoadRequest]:
    """The runs held by one folder of one source: a main file each, with its companions."""
    spec = get_source(source_id)
    files = sorted(p for p in date_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    mains = [p for p in files if spec.format_for(p.name) is not None]
    companions = [p for p in files if spec.is_companion(p.name)]
    requests = []
    for main in mains:
        fmt = spec.format_for(main.name)
        assert fmt is not None
        own = [c for c in companions if _matches(c, fmt.companions)]
        requests.append(LoadRequest(source=source_id, path=main, companions=own,
                                    published=date_dir.name))
    claimed = set(mains) | set(companions)
    for path in files:
        if path not in claimed:
            plan.skipped.append((path, f"not a file of {source_id}"))
    if companions and not mains:
        plan.skipped.extend((c, "companion file without its main file") for c in companions)
    return requests


def _matches(path: Path, patterns: tuple[str, ...]) -> bool:
    from fnmatch import fnmatch

    from pressurepoint.sources.spec import plain_name

    return any(fnmatch(plain_name(path.name), p) for p in patterns)
