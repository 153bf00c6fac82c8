"""The static report built from the fixtures of nine sanctions publishers and three
company trackers: its files, the facts it shows (who lists Lavrov and who does not, a
de-listed target shown lifted with its end date, the source record behind every cell),
links that all resolve, escaping, and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from pressurepoint.config import Settings
from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import cli
from pressurepoint.outputs.report import ReportSummary, build_report
from pressurepoint.outputs.report.site import page_name
from pressurepoint.store import Store

Built = tuple[Path, ReportSummary]


class _Links(HTMLParser):
    """hrefs, srcs and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append((tag, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def payload(site: Path) -> dict[str, object]:
    """The gap matrix rows embedded in gaps.html."""
    html = (site / "gaps.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="gap-data">(.*?)</script>', html,
                      re.S)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def _row(site: Path, needle: str) -> tuple[list[str], list[object]]:
    data = payload(site)
    codes, rows = data["codes"], data["rows"]
    assert isinstance(codes, list) and isinstance(rows, list)
    found = [r for r in rows if needle in r[5]]
    assert len(found) == 1, [r[2] for r in found]
    return codes, found[0]


def _entity_page(site: Path, needle: str) -> str:
    _, row = _row(site, needle)
    return (site / str(row[1])).read_text(encoding="utf-8")


def test_files_and_summary(built: Built) -> None:
    site, summary = built
    for name in ("index.html", "gaps.html", "sources.html", "companies.html",
                 "static/report.css", "static/report.js"):
        assert (site / name).is_file(), name
    assert summary.entities == len(list((site / "entities").glob("*.html"))) == 85
    assert summary.companies == len(list((site / "companies").glob("*.html"))) == 34
    assert summary.files == len([p for p in site.rglob("*") if p.is_file()]) - 1  # + marker
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count("<svg") >= 12  # cumulative x2, overlap x2, one per jurisdiction x8
    assert "Lavrov" not in index and "AU+JP+UK" in index  # the overlap chart's combinations


def test_lavrov_listed_by_canada_not_by_the_us(built: Built) -> None:
    site, _ = built
    codes, row = _row(site, "lavrov")
    cells = dict(zip(codes, row[6], strict=True))
    assert cells["CA"] == ["L", "2022-02-28", ""] and cells["CH"][0] == "L"
    assert cells["US"] == 0 and cells["UK"] == 0
    assert row[7] == 1675  # days from 2022-02-28 to the report's as-of date 2026-09-30
    page = _entity_page(site, "lavrov")
    assert re.search(r"not listed by [A-Z, ]*US", page)
    us_row = re.search(r'<tr id="j-US" class="not_listed gap">.*?</tr>', page, re.S)
    assert us_row is not None and "not listed (gap)" in us_row.group(0)
    ca_row = re.search(r'<tr id="j-CA" class="listed">.*?</tr>', page, re.S)
    assert ca_row is not None and "2022-02-28" in ca_row.group(0)
    assert "Russia / Russie; Schedule 1, Part 1; Item 505" in ca_row.group(0)
    # the record behind the CA cell: its source, record id, run, names and birth dates
    anchor = re.search(r'href="#(rec-[^"]+)">ca_sema · record', ca_row.group(0))
    assert anchor is not None
    record = page[page.index(f'id="{anchor.group(1)}"'):]
    record = record[:record.index("</section>")]
    assert "ca_sema" in record and "run" in record and "Сергей Викторович Лавров" in record
    assert "1950" in record
    assert "ch_seco" in page and "72081" in page and "1950-03-21" in page


def test_lifted_listing_shows_its_end_date(built: Built) -> None:
    site, _ = built
    codes, row = _row(site, "pushkov")
    cells = dict(zip(codes, row[6], strict=True))
    assert cells["CH"] == ["X", "2022-03-16", "2022-09-27"]
    assert row[7] is None  # nobody lists him today: no gap
    page = _entity_page(site, "pushkov")
    ch_row = re.search(r'<tr id="j-CH" class="lifted">.*?</tr>', page, re.S)
    assert ch_row is not None and "2022-09-27" in ch_row.group(0)
    assert "de-listed" in ch_row.group(0)  # the rule that decided the status
    assert "every listing lifted" in page


def test_first_page_is_rendered_without_script(built: Built) -> None:
    site, _ = built
    html = (site / "gaps.html").read_text(encoding="utf-8")
    table = html[html.index('<table id="matrix"'):html.index("</table>")]
    assert table.count("<tr>") == 85 + 1  # every fixture row (< one page) and the head
    assert 'class="none gap"' in table and "<noscript>" in html


def test_every_link_resolves(built: Built) -> None:
    site, _ = built
    pages = sorted(site.rglob("*.html"))
    ids = {page: _parse(page).ids for page in pages}
    checked = 0
    for page in pages:
        for tag, url in _parse(page).links:
            parts = urlsplit(url)
            if parts.scheme:  # only evidence links to the trackers' own pages leave
                assert tag == "a" and parts.scheme == "https", (page, url)
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page, url)
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], (page, url)
            checked += 1
    assert checked > 1000


def test_companies_section(built: Built) -> None:
    site, _ = built
    html = (site / "companies.html").read_text(encoding="utf-8")
    merck = re.search(r'<tr data-search="merck kgaa[^"]*" data-status="staying"'
                      r' data-countries="de">.*?</tr>', html, re.S)
    assert merck is not None and "Germany" in merck.group(0)
    assert "D <span" in merck.group(0) and "holdoff" in merck.group(0)
    valeo = re.search(r"<tr><td>improved</td><td><a [^>]*>Valeo</a>.*?</tr>", html, re.S)
    assert valeo is not None and "F 2022" in valeo.group(0) and "A 2025" in valeo.group(0)
    page = (site / "companies" / page_name("yale-celi-merck-kgaa")).read_text("utf-8")
    assert "<svg" in page and "Status over time" in page
    assert re.search(r"<td>2025-05-21</td><td>yale_celi</td><td>D</td>", page)
    assert re.search(r"<td>2026-08-24</td><td>kse_leave_russia</td><td>holdoff</td>", page)


def test_sources_page(built: Built, report_store: tuple[Settings, Store]) -> None:
    site, _ = built
    html = (site / "sources.html").read_text(encoding="utf-8")
    runs = report_store[1].runs()
    for run in runs:
        assert f'id="run-{run["id"]}"' in html
    assert 'id="src-ca_sema"' in html and 'id="src-yale_celi"' in html
    newest = report_store[1].newest_runs()["yale_celi"]
    assert newest["published_at"][:10] == "2025-05-21" and "2025-05-21" in html


def test_names_are_escaped(tmp_path: Path, store: Store, store_settings: Settings) -> None:
    from pressurepoint.ingest.runner import LoadRequest, load
    from pressurepoint.resolve.matcher import default_matcher
    from pressurepoint.resolve.pipeline import resolve
    from tests.conftest import FIXTURES

    nasty = "</script><img src=x onerror=alert(1)>"
    escaped = nasty.replace("<", "&lt;").replace(">", "&gt;")
    text = (FIXTURES / "ca_sema" / "sema-lmes.xml").read_text(encoding="utf-8")
    ca_file = tmp_path / "sema-lmes.xml"
    ca_file.write_text(text.replace("<LastName>LAVROV</LastName>",
                                    f"<LastName>{escaped} LAVROV</LastName>"), "utf-8")
    csv_file = tmp_path / "own.csv"
    csv_file.write_text("company,country,industry,status,date,source_url,evidence\n"
                        f'"{nasty} Oy",Finland,Energy,staying,2026-01-05,'
                        f'javascript:alert(1),"{nasty}"\n', encoding="utf-8")
    load(store, store_settings, LoadRequest("ca_sema", ca_file, published="2025-09-01"))
    load(store, store_settings, LoadRequest("company_tracker_csv", csv_file,
                                            published="2026-01-05"))
    resolve(store, default_matcher())
    site = tmp_path / "site"
    build_report(store, site)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<img" not in html and "javascript:" not in html.replace(
            "javascript:alert(1)</td>", ""), page  # shown as text, never as a link
    assert "onerror" in (site / "gaps.html").read_text(encoding="utf-8")  # kept, as data
    assert "&lt;/script&gt;&lt;img" in (site / "companies.html").read_text(encoding="utf-8")


def test_refuses_a_folder_of_other_files_and_rebuilds_its_own(
        tmp_path: Path, report_store: tuple[Settings, Store]) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not empty"):
        build_report(report_store[1], other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
    site = tmp_path / "site"
    first = build_report(report_store[1], site)
    stale = site / "entities" / "gone.html"
    stale.write_text("an entity of an older build", encoding="utf-8")
    again = build_report(report_store[1], site)
    assert again.files == first.files and not stale.exists()


def test_cli(tmp_path: Path, report_store: tuple[Settings, Store]) -> None:
    settings, _ = report_store
    runner = CliRunner()
    out = tmp_path / "site"
    result = runner.invoke(cli, ["--db", settings.db_url, "report", "--out", str(out),
                                 "--as-of", "2026-09-30"])
    assert result.exit_code == 0, result.output
    assert "85 entity pages, 34 companies" in result.stderr
    assert "entity pages" in result.stderr  # the progress bar's step
    assert (out / "index.html").is_file()
    result = runner.invoke(cli, ["--db", settings.db_url, "report", "--out", str(out),
                                 "--as-of", "soon"])
    assert result.exit_code == 2 and "not a date" in result.stderr
    empty = tmp_path / "empty.sqlite"
    result = runner.invoke(cli, ["--db", str(empty), "report", "--out", str(tmp_path / "e")])
    assert result.exit_code == 1 and "no data" in result.stderr


def test_trackers_only(tmp_path: Path, store: Store, store_settings: Settings) -> None:
    """A store with company trackers and no sanctions list still makes a whole report."""
    from tests.trackers.conftest import load_tracker_fixtures

    load_tracker_fixtures(store, store_settings)
    summary = build_report(store, tmp_path / "site")
    assert summary.entities == 0 and summary.companies == 34
    site = tmp_path / "site"
    assert '<span id="matrix-count">0 entities</span>' in (site / "gaps.html").read_text("utf-8")
    assert "<p>0 entities (people" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "companies" / page_name("yale-celi-merck-kgaa")).is_file()
