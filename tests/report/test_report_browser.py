"""The report in a real headless Chromium, opened from file:// with no server: no console
error and no failed request on any kind of page, and the gap matrix's filters, sorting
and the company table filter work (read back from the rendered rows)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressurepoint.outputs.report import ReportSummary
from tests.conftest import needs_chromium

pytestmark = needs_chromium

Built = tuple[Path, ReportSummary]


@pytest.fixture
def page(chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page that records console errors, page errors and failed requests."""
    context = chromium.new_context()
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
              if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    opened.on("request", lambda r: problems.append(f"network: {r.url}")
              if not r.url.startswith("file://") else None)
    yield opened, problems
    context.close()


def _names(page: Any) -> list[str]:
    return list(page.locator("#matrix tbody tr td:first-child").all_inner_texts())


def _column(page: Any, code: str) -> list[str]:
    heads = page.locator("#matrix thead th").all_inner_texts()
    index = [h.strip(" ▲▼") for h in heads].index(code) + 1
    return list(page.locator(f"#matrix tbody tr td:nth-child({index})").all_inner_texts())


def test_pages_open_without_errors(built: Built, page: tuple[Any, list[str]]) -> None:
    site, _ = built
    browser_page, problems = page
    entity = sorted((site / "entities").glob("*.html"))[0]
    company = sorted((site / "companies").glob("*.html"))[0]
    for path in (site / "index.html", site / "gaps.html", site / "sources.html",
                 site / "companies.html", entity, company):
        browser_page.goto(path.as_uri())
        browser_page.wait_for_load_state("load")
        assert browser_page.title().endswith("pressurepoint report"), path
    assert problems == []


def test_gap_matrix_filters_and_sorts(built: Built, page: tuple[Any, list[str]]) -> None:
    site, _ = built
    browser, problems = page
    browser.goto((site / "gaps.html").as_uri())
    browser.wait_for_selector("#matrix[data-ready=true]")
    assert len(_names(browser)) == 85
    assert browser.inner_text("#matrix-count") == "85 of 85 entities"
    # text filter: a name, an alias in Cyrillic
    browser.fill("#f-text", "lavrov")
    assert _names(browser) == ["Lavrov Sergei Viktorovich"]
    browser.fill("#f-text", "Лавров")
    assert _names(browser) == ["Lavrov Sergei Viktorovich"]
    browser.fill("#f-text", "")
    # listed by CA, not listed by the US
    browser.select_option("select.f-code[data-code=CA]", "listed")
    browser.select_option("select.f-code[data-code=US]", "not")
    names = _names(browser)
    assert "Lavrov Sergei Viktorovich" in names and 0 < len(names) < 85
    assert all(cell.startswith("✓") for cell in _column(browser, "CA"))
    assert all(cell == "—" for cell in _column(browser, "US"))
    browser.select_option("select.f-code[data-code=CA]", "")
    browser.select_option("select.f-code[data-code=US]", "")
    # sorting by name, both ways
    browser.click("#matrix thead button[data-key=name]")
    ascending = _names(browser)
    assert ascending == sorted(ascending, key=str.lower) and len(ascending) == 85
    browser.click("#matrix thead button[data-key=name]")
    assert _names(browser) == ascending[::-1]
    # sorting by a jurisdiction: listed first, oldest listing first
    browser.click("#matrix thead button[data-key=CA]")
    column = _column(browser, "CA")
    listed = [c for c in column if c.startswith("✓")]
    assert listed and column[:len(listed)] == listed and listed == sorted(listed)
    # the schema and regime filters: Russia-related designations drop the UN column
    browser.select_option("#f-schema", "Vessel")
    assert _names(browser) and all(
        t == "Vessel" for t in browser.locator("#matrix tbody td:nth-child(2)").all_inner_texts())
    browser.select_option("#f-schema", "")
    browser.select_option("#f-regime", "russia")
    heads = [h.strip(" ▲▼") for h in browser.locator("#matrix thead th").all_inner_texts()]
    assert "UN" not in heads and "CA" in heads
    assert browser.is_disabled("select.f-code[data-code=UN]")
    assert "Pushkov Alexei Konstantinovich" in _names(browser)
    browser.check("#f-gaps")
    assert "Pushkov Alexei Konstantinovich" not in _names(browser)  # lifted everywhere
    # a cell leads to the entity page's row of that jurisdiction
    browser.fill("#f-text", "lavrov")
    browser.click("#matrix tbody td.listed a >> nth=0")
    browser.wait_for_load_state("load")
    assert "#j-" in browser.url and browser.title().startswith("Lavrov")
    assert problems == []


def test_company_table_filters(built: Built, page: tuple[Any, list[str]]) -> None:
    site, _ = built
    browser, problems = page
    browser.goto((site / "companies.html").as_uri())
    browser.wait_for_selector("#company-table[data-ready=true]")
    visible = "#company-table tbody tr:not([hidden]) td:first-child"
    assert browser.locator(visible).count() == 34
    browser.fill("#c-text", "merck")
    assert browser.locator(visible).all_inner_texts() == ["Merck Group", "Merck KGaA"]
    browser.fill("#c-text", "stihl")
    assert browser.locator(visible).all_inner_texts() == ["STIHL"]
    browser.fill("#c-text", "")
    browser.select_option("#c-country", "de")
    browser.select_option("#c-status", "staying")
    assert sorted(browser.locator(visible).all_inner_texts()) == ["Merck KGaA", "STIHL"]
    assert browser.inner_text("#c-count") == "2 of 34 companies"
    browser.click("text=STIHL")
    browser.wait_for_load_state("load")
    assert browser.locator("svg.chart circle").count() >= 2  # the status timeline
    assert problems == []


def test_gap_matrix_pages(built: Built, page: tuple[Any, list[str]], tmp_path: Path) -> None:
    """Paging, on a copy of the report whose page holds 20 rows (the fixtures have fewer
    rows than the real page size)."""
    site = tmp_path / "site"
    shutil.copytree(built[0], site)
    html = (site / "gaps.html").read_text(encoding="utf-8")
    (site / "gaps.html").write_text(html.replace('data-page-size="100"',
                                                 'data-page-size="20"'), encoding="utf-8")
    browser, problems = page
    browser.goto((site / "gaps.html").as_uri())
    browser.wait_for_selector("#matrix[data-ready=true]")
    ids = "rows => rows.map(row => row.dataset.id)"
    first = browser.locator("#matrix tbody tr").evaluate_all(ids)
    assert len(first) == 20 and browser.inner_text("#page-info") == "rows 1–20"
    assert browser.is_disabled("#page-prev")
    seen = list(first)
    while not browser.is_disabled("#page-next"):
        browser.click("#page-next")
        seen += browser.locator("#matrix tbody tr").evaluate_all(ids)
    # every entity once, over five pages
    assert browser.inner_text("#page-info") == "rows 81–85" and len(set(seen)) == 85
    browser.click("#page-prev")
    assert browser.inner_text("#page-info") == "rows 61–80"
    browser.fill("#f-text", "a")  # a filter starts again at the first page
    assert browser.inner_text("#page-info").startswith("rows 1–")
    assert problems == []


def test_without_javascript_the_first_page_shows(built: Built, chromium: Any) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((built[0] / "gaps.html").as_uri())
        rows = page.locator("#matrix tbody tr")
        assert rows.count() == 85
        assert "Lavrov Sergei Viktorovich" in page.locator(
            "#matrix tbody td:first-child").all_inner_texts()
    finally:
        context.close()
