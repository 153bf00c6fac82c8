"""`build_report`: the whole static report, written into one folder.

    DIR/index.html          overview: counts, charts of designations over time, overlap
    DIR/gaps.html           the gap matrix (data embedded; sorted, filtered, paged by JS)
    DIR/entities/*.html     one page per canonical entity with a designation
    DIR/companies.html      company trackers: table, movements
    DIR/companies/*.html    one page per company with its status timeline
    DIR/sources.html        sources, runs, record counts
    DIR/static/             the CSS and JS every page uses

Everything is local: the pages open from file:// with no network.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pressurepoint import __version__
from pressurepoint.analysis.designations import load_designations
from pressurepoint.analysis.regimes import RUSSIA
from pressurepoint.analysis.timeline import timeline
from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.report import charts
from pressurepoint.outputs.report.companies import write_company_section
from pressurepoint.outputs.report.entities import write_entity_pages
from pressurepoint.outputs.report.matrix import FIRST_PAGE, build_matrix
from pressurepoint.outputs.report.progress import Progress, Silent
from pressurepoint.outputs.report.site import Site
from pressurepoint.outputs.report.sources import source_infos
from pressurepoint.store import Store

MARKER = ".pressurepoint-report"  # written into DIR: a later run may replace its pages


@dataclass
class ReportSummary:
    out: Path
    entities: int
    companies: int
    files: int
    bytes: int
    seconds: float


def build_report(store: Store, out: Path, *, as_of: date | None = None,
                 progress: Progress | None = None) -> ReportSummary:
    """Write the report into `out` (created if missing; a folder holding anything but an
    earlier report is refused, so that nothing of the user's is overwritten)."""
    started = time.monotonic()
    steps = progress or Silent()
    day = as_of or date.today()
    _prepare(out)
    steps.step("reading designations")(0)
    data = load_designations(store)
    if not data.items and not store.runs():
        raise NotFound("the store holds no data: load sources first (pressurepoint update)")
    steps.step("gap matrix and timelines")(0)
    grid = build_matrix(data, day)
    line, russia = timeline(data), timeline(data, [RUSSIA])
    site = Site(out, {"version": __version__, "generated": datetime.now(UTC).isoformat(
        timespec="seconds"), "as_of": day.isoformat(), "as_of_date": day, "codes": grid.codes})
    site.write_static()
    counts = charts.YearCounts(line.listed, line.lifted)
    russia_counts = charts.YearCounts(russia.listed, russia.lifted)
    sources = source_infos(store, line.in_file, data.runs)
    site.page("index.html", "index.html", grid=grid, sources=sources, charts={
        "cumulative": charts.cumulative_lines(counts, grid.codes),
        "yearly": [charts.yearly_bars(counts, c, grid.codes) for c in grid.codes],
        "overlap": charts.overlap_chart(line.overlap, grid.codes),
        "russia_cumulative": charts.cumulative_lines(russia_counts, grid.codes),
        "russia_overlap": charts.overlap_chart(russia.overlap, grid.codes),
    }, overlap_total=sum(line.overlap.values()))
    site.page("gaps.html", "gaps.html", grid=grid, first_page=grid.rows[:FIRST_PAGE],
              page_size=FIRST_PAGE)
    site.page("sources.html", "sources.html", sources=sources)
    entities = write_entity_pages(site, store, grid.rows, day,
                                  steps.step("entity pages", len(grid.rows)))
    steps.step("reading company trackers")(0)
    companies = write_company_section(site, store, steps)
    (out / MARKER).write_text(f"pressurepoint {__version__} report\n", encoding="utf-8")
    return ReportSummary(out, entities, companies.companies, site.written, site.bytes,
                         time.monotonic() - started)


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise InvalidInput(f"{out} is not empty and holds no pressurepoint report: "
                               "choose a new or empty folder")
        for folder in ("entities", "companies", "static"):  # pages of vanished ids go too
            shutil.rmtree(out / folder, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
