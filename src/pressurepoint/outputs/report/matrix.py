"""The gap matrix as the report's page reads it: one compact array per canonical entity
(the page's script renders, sorts, filters and pages them), and per regime family
(russia, belarus) the same cells counted over that family's designations only, so the
page's regime filter shows what `pressurepoint gaps --regime russia` shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pressurepoint.analysis.designations import Designations
from pressurepoint.analysis.gaps import LISTED, NOT_LISTED, Cell, Query, Row, jurisdictions, matrix
from pressurepoint.analysis.regimes import FAMILIES
from pressurepoint.outputs.report.site import page_name

STATUS_CODES = {LISTED: "L", "lifted": "X"}  # not listed: 0 (the most common cell)
FIRST_PAGE = 100  # rows rendered into the HTML itself (no script needed to see them)


@dataclass
class MatrixData:
    """Everything the gap-matrix page needs."""

    codes: list[str]
    rows: list[Row]  # every canonical entity with a designation, most glaring gaps first
    compact: list[list[Any]] = field(default_factory=list)
    families: dict[str, list[str]] = field(default_factory=dict)  # family -> its codes
    schemata: list[str] = field(default_factory=list)

    def per_code(self) -> dict[str, dict[str, int]]:
        """Per jurisdiction: entities it lists, has lifted, and does not list (gaps)."""
        out = {code: {"listed": 0, "lifted": 0, "gaps": 0} for code in self.codes}
        for row in self.rows:
            for code, cell in row.cells.items():
                if cell.status != NOT_LISTED:
                    out[code][cell.status] += 1
            for code in row.gaps:
                out[code]["gaps"] += 1
        return out

    def payload(self) -> dict[str, Any]:
        """The JSON embedded in the page."""
        return {"codes": self.codes, "families": self.families, "rows": self.compact}


def entity_file(canonical_id: str) -> str:
    return f"entities/{page_name(canonical_id)}"


def build_matrix(data: Designations, as_of: date) -> MatrixData:
    rows = matrix(data, Query(include_all=True))
    codes = list(data.jurisdictions)
    out = MatrixData(codes, rows, schemata=sorted({r.target.schema for r in rows}))
    per_family: dict[str, dict[str, Row]] = {}
    for family in FAMILIES:
        family_rows = matrix(data, Query(regimes=[family], include_all=True))
        if family_rows:
            per_family[family] = {r.target.id: r for r in family_rows}
            out.families[family] = jurisdictions(data, [family])
    for row in rows:
        item = _compact(row, codes, as_of)
        families = {f: [_cells(found[row.target.id], codes), found[row.target.id].gap_age(as_of)]
                    for f, found in per_family.items() if row.target.id in found}
        item.append(families)
        out.compact.append(item)
    return out


def _compact(row: Row, codes: list[str], as_of: date) -> list[Any]:
    target = row.target
    search = " | ".join([*target.names, target.id]).lower()
    return [target.id, entity_file(target.id), target.name, target.schema,
            target.birth_dates[0] if target.birth_dates else "", search,
            _cells(row, codes), row.gap_age(as_of)]


def _cells(row: Row, codes: list[str]) -> list[Any]:
    """Per jurisdiction: 0 when it does not list (and never did), else [L|X, since, until]."""
    out: list[Any] = []
    for code in codes:
        cell: Cell | None = row.cells.get(code)
        if cell is None or cell.status == NOT_LISTED:
            out.append(0)
        else:
            out.append([STATUS_CODES[cell.status], cell.since or "", cell.until or ""])
    return out
