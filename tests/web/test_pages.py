"""Every page served in process over the fixture store: status, real facts from the
fixture files, and escaping of hostile input."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from pressurepoint.config import Settings
from pressurepoint.outputs.api.app import create_app

LAVROV_CA = "ca-sema-russia-1-part-1-505"


def _entity_url(client: TestClient, record_id: str) -> str:
    response = client.get(f"/web/entities/{record_id}", follow_redirects=False)
    assert response.status_code == 307
    return str(response.headers["location"])


def test_home(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert 'for="q"' in response.text and "/static/style.css" in response.text


def test_entity_page_lavrov(client: TestClient) -> None:
    url = _entity_url(client, LAVROV_CA)
    assert url.startswith("/web/entities/")
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    assert "Сергей Викторович Лавров" in html and "Cyrillic" in html
    # listed by CA, CH, JP; the US and the UK are gaps, highlighted
    assert re.search(r'<tr class="gap" id="j-US">', html)
    assert re.search(r'<tr class="listed" id="j-CA">', html)
    assert "2022-02-28" in html
    assert "/web/records/ch-seco-72081#d-" in html
    assert "record 72081" in html


def test_record_page_with_designation_anchor(client: TestClient) -> None:
    page = client.get("/web/records/ch-seco-72081")
    assert page.status_code == 200
    assert 'id="d-' in page.text and "Files that stated it" in page.text


def test_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/web/entities/no-such-thing")
    assert response.status_code == 404
    assert "no entity or record with id" in response.text


def test_sources_page(client: TestClient) -> None:
    page = client.get("/web/sources")
    assert page.status_code == 200
    assert 'id="source-ca_sema"' in page.text and "2025-09-01" in page.text


def test_gaps_filters(client: TestClient) -> None:
    page = client.get("/web/gaps", params=[("regime", "russia"), ("listed_by", "CA"),
                                           ("listed_by", "CH"), ("not_listed_by", "US")])
    assert page.status_code == 200
    assert "Lavrov" in page.text
    api = re.search(r'These rows as JSON: <a href="([^"]+)"', page.text)[1].replace("&amp;", "&")
    assert api.startswith("/gaps?regime=russia&listed_by=CA%2CCH&not_listed_by=US")
    rows = client.get(api).json()["results"]
    assert any("Lavrov" in r["name"] or "LAVROV" in r["name"] for r in rows)
    assert len(rows) == page.text.count("/web/entities/")
    bad = client.get("/web/gaps", params={"listed_by": "XX"})
    assert bad.status_code == 400 and "no loaded sanctions source of jurisdiction XX" in bad.text


def test_companies(client: TestClient) -> None:
    page = client.get("/web/companies", params={"country": "DE", "status": "staying"})
    assert page.status_code == 200
    assert "Merck KGaA" in page.text and "STIHL" in page.text
    assert "<svg" in page.text
    company = client.get("/web/companies/yale-celi-merck-kgaa")
    assert company.status_code == 200
    assert "holdoff" in company.text and 'id="timeline-chart"' in company.text
    # every dated assessment is a row: Yale's five snapshots (D each time) and KSE's one
    assert company.text.count("<strong>D</strong> Buying Time") == 5
    assert "still operating and actively hiring in Russia" in company.text  # the evidence
    leads = client.get("/web/companies/yale-celi-merck-kgaa", params={"leads": "1"})
    assert leads.status_code == 200 and "named like it" in leads.text


def test_hostile_input_is_escaped(client: TestClient) -> None:
    hostile = "<script>alert(1)</script>"
    for url, params in (("/web/gaps", {"regime": hostile}),
                        ("/web/companies", {"name": hostile}),
                        ("/web/entities/" + hostile, {})):
        response = client.get(url, params=params)
        assert "<script>alert(1)" not in response.text, url


def test_search_in_cyrillic_with_facets(client: TestClient) -> None:
    page = client.get("/web/search", params={"q": "Лавров"})
    assert page.status_code == 200
    assert "Lavrov" in page.text or "LAVROV" in page.text
    assert 'class="facets"' in page.text and "Person" in page.text
    katakana = client.get("/web/search", params={"q": "ラヴロフ"})  # Japan's list writes it so
    assert "1 entity named" in katakana.text and "Lavrov" in katakana.text
    narrowed = client.get("/web/search", params={"q": "Лавров", "jurisdiction": "CH"})
    assert narrowed.status_code == 200 and "Remove all filters" in narrowed.text


def test_search_bad_input(client: TestClient) -> None:
    assert client.get("/web/search", params={"q": "x" * 300}).status_code == 400
    assert client.get("/web/search", params={"q": "lavrov", "page": "0"}).status_code == 400
    hostile = client.get("/web/search", params={"q": "<script>alert(1)</script>"})
    assert hostile.status_code == 200
    assert "<script>alert(1)" not in hostile.text and "&lt;script&gt;" in hostile.text


def test_bad_ids_and_parameters_are_4xx_pages(client: TestClient) -> None:
    for url in ("/web/entities/..%2F..%2Fetc%2Fpasswd", "/web/entities/" + "x" * 5000,
                "/web/records/../../etc/passwd", "/web/companies/" + "y" * 5000,
                "/web/companies/no-such-company", "/web/sources/../../etc/issues",
                "/web/sources/nope/issues", "/static/../pyproject.toml"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Traceback" not in response.text
    for url, params in (("/web/gaps", {"since": "2024-13-45"}), ("/web/gaps", {"page": "x"}),
                        ("/web/companies", {"status": "gone"}),
                        ("/web/companies", {"country": "Atlantis"}),
                        ("/web/companies", {"page": "-"})):
        response = client.get(url, params=params)
        assert response.status_code == 400, (url, params)
        assert 'role="alert"' in response.text
    assert "not a date" in client.get("/web/gaps", params={"since": "2024-13-45"}).text
    assert "unknown status" in client.get("/web/companies", params={"status": "gone"}).text


def test_security_headers_on_every_page(client: TestClient) -> None:
    for url in ("/", "/web/gaps", "/web/sources", "/web/companies", "/web/screen",
                "/web/entities/nope"):
        headers = client.get(url).headers
        assert headers.get_list("content-security-policy") == [
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ], url
        assert headers.get_list("x-content-type-options") == ["nosniff"]
        assert headers.get_list("x-frame-options") == ["DENY"]


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/app.js").status_code == 200


def test_source_issues_page(client: TestClient) -> None:
    sources = client.get("/web/sources").text
    linked = re.findall(r'href="/web/sources/(\w+)/issues"', sources)
    assert linked, "no fixture source has issues"
    page = client.get(f"/web/sources/{linked[0]}/issues")
    assert page.status_code == 200 and "<code>" in page.text


def test_gap_pages(client: TestClient) -> None:
    first = client.get("/web/gaps", params={"all": "1"})
    assert first.status_code == 200
    total = int(re.search(r'id="results-h"[^>]*>([\d,]+) ', first.text)[1].replace(",", ""))
    assert total > 50 and 'rel="next"' in first.text
    last = client.get("/web/gaps", params={"all": "1", "page": "999"})
    assert last.status_code == 200 and 'rel="next"' not in last.text


def test_pages_while_the_index_loads(web_settings: Settings) -> None:
    """Before the service has its index (no lifespan run: never started), the pages that
    need it answer a 503 HTML page saying so; the others work."""
    waiting = TestClient(create_app(web_settings, refresh_seconds=3600))
    for url in ("/web/gaps", "/web/search?q=lavrov", "/web/companies",
                "/web/entities/ca-sema-russia-1-part-1-505"):
        response = waiting.get(url)
        assert response.status_code == 503, url
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["retry-after"] == "5"
        assert "loading" in response.text
    assert waiting.get("/web/sources").status_code == 200


def _statuses_in_table(html: str) -> dict[str, int]:
    body = html.split('<table class="companies', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'data-label="Status" data-sort="\d+"><span class="badge status-(\w+)"',
                       body)
    return {s: found.count(s) for s in set(found)}


def test_company_charts_agree_with_the_table(client: TestClient) -> None:
    everything = client.get("/web/companies").text
    # the chart's bar for Germany, as its marks' titles state it
    germany = dict((status, int(n)) for status, n in re.findall(
        r"<title>Germany: (\w+) (\d+)</title>", everything))
    filtered = client.get("/web/companies", params={"country": "Germany"}).text
    assert germany == _statuses_in_table(filtered)
    assert germany == {"staying": 2, "exited": 1}  # Merck KGaA, STIHL; Siemens Energy
    # status over time: every Yale snapshot is a column
    for day in ("2022-07-30", "2022-12-24", "2023-08-23", "2024-02-25", "2025-05-21"):
        assert f"<title>{day}: " in everything


def test_entity_identifiers(client: TestClient) -> None:
    """A vessel listed by Canada and Switzerland under one IMO number, and a Russian bank
    with its INN and OGRN."""
    vessel = client.get(_entity_url(client, "ch-seco-72141"))
    assert vessel.status_code == 200
    assert '<tr class="identifier"><th scope="row">IMO Number</th><td><code>IMO7612448</code>' \
        in vessel.text
    bank = client.get(_entity_url(client, "ch-seco-72121"), follow_redirects=True)
    assert "<code>7831000122</code>" in bank.text and "<code>1027800000084</code>" in bank.text
