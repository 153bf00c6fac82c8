"""The status scale and the mapping of each tracker's categories, in code and in the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressurepoint.trackers.status import KSE_CLASSES, YALE_GRADES, grade_for

DOCS = Path(__file__).resolve().parents[2] / "docs" / "companies.md"
ROW = re.compile(r"^\| (yale_celi|kse_leave_russia) \| (\S+) \| ([^|]+) \| (\w+) \| (\d) \|$")


def test_docs_table_equals_the_code() -> None:
    documented = {(m[1], m[2]): (m[3].strip(), m[4], int(m[5]))
                  for line in DOCS.read_text(encoding="utf-8").splitlines()
                  if (m := ROW.match(line))}
    in_code = {**{("yale_celi", g.code): (g.label, g.status, g.rank) for g in YALE_GRADES.values()},
               **{("kse_leave_russia", g.code): (g.label, g.status, g.rank)
                  for g in KSE_CLASSES.values()}}
    assert documented == in_code


@pytest.mark.parametrize(("source", "code", "status", "rank"), [
    ("yale_celi", "a", "exited", 5),
    ("yale_celi", " F ", "staying", 1),
    ("kse_leave_russia", "transfer", "exited", 5),
    ("kse_leave_russia", "holdoff", "staying", 2),
    ("company_tracker_csv", "Scaling back", "reduced", 3),
    ("company_tracker_csv", "business_as_usual", "staying", 1),
    ("company_tracker_csv", "B", "exiting", 4),
    ("company_tracker_csv", "perhaps", "unknown", 0),
    ("yale_celi", "E", "unknown", 0),
    ("kse_leave_russia", None, "unknown", 0),
])
def test_grades(source: str, code: str | None, status: str, rank: int) -> None:
    grade = grade_for(source, code)
    assert (grade.status, grade.rank) == (status, rank)
