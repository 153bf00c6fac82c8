"""Docs that tests keep complete: the sources page is generated from the specs, and every
issue code the code can record is explained in docs/issues.md."""

from __future__ import annotations

import re
from pathlib import Path

from pressurepoint.sources.docs import sources_markdown

REPO = Path(__file__).resolve().parents[2]
ISSUE_CALL = re.compile(r"""\bissue\(\s*["']([a-z_]+)["']""")


def test_sources_page_is_current() -> None:
    page = (REPO / "docs" / "sources.md").read_text(encoding="utf-8")
    assert page == sources_markdown(), (
        "docs/sources.md is stale: python -m pressurepoint.sources.docs > docs/sources.md")


def test_every_issue_code_is_documented() -> None:
    codes: set[str] = set()
    for path in (REPO / "src" / "pressurepoint").rglob("*.py"):
        codes.update(ISSUE_CALL.findall(path.read_text(encoding="utf-8")))
    documented = (REPO / "docs" / "issues.md").read_text(encoding="utf-8")
    missing = sorted(code for code in codes if f"`{code}`" not in documented)
    assert not missing, f"issue codes missing from docs/issues.md: {missing}"
