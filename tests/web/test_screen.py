"""The screening page: a CSV in, the screened CSV (or XLSX) out; bad uploads answered with
the form and a one-line error."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

NAMES = ("full name,birth date,note\n"
         "Sergei Viktorovich Lavrov,1950-03-21,minister\n"
         "Анна Иванова Нетакая,,nobody\n"
         ",,empty name row\n")


def _upload(client: TestClient, content: bytes, filename: str = "donors.csv",
            **fields: str) -> object:
    return client.post("/web/screen", files={"file": (filename, content, "text/csv")},
                       data=fields)


def test_form_page(client: TestClient) -> None:
    page = client.get("/web/screen")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'for="file"' in page.text


def test_screened_csv_keeps_every_row_and_finds_lavrov(client: TestClient) -> None:
    response = _upload(client, NAMES.encode(), threshold="0.7")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="donors-screened.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["note"] for r in rows] == ["minister", "nobody", "empty name row"]
    lavrov = rows[0]
    assert lavrov["matched"] == "yes" and "Lavrov" in lavrov["match_1_name"].title()
    assert {"CA", "CH", "JP"} <= set(lavrov["match_1_listed_by"].split(","))
    assert rows[1]["matched"] == "no"
    assert rows[2]["screened"] == "no" and "empty name" in rows[2]["issues"]
    assert "3 rows, 1 with a match" in response.headers["x-screening-summary"]


def test_xlsx_result(client: TestClient) -> None:
    response = _upload(client, NAMES.encode(), output="xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].values)
    assert rows[0][:3] == ("full name", "birth date", "note") and len(rows) == 4


def test_bad_uploads_say_what_is_wrong(client: TestClient) -> None:
    empty = _upload(client, b"")
    assert empty.status_code == 400 and "the file is empty" in empty.text
    binary = _upload(client, bytes(range(256)) * 40, filename="photo.csv")
    assert binary.status_code == 400 and "a binary file" in binary.text
    missing = _upload(client, NAMES.encode(), name_col="nom")
    assert missing.status_code == 400
    assert "no column &#39;nom&#39;" in missing.text and "full name" in missing.text
    threshold = _upload(client, NAMES.encode(), threshold="2")
    assert threshold.status_code == 400 and "between 0 and 1" in threshold.text
    nothing = client.post("/web/screen", data={"name_col": "x"})
    assert nothing.status_code == 400 and "choose a file" in nothing.text


def test_hostile_file_name_and_column_are_escaped(client: TestClient) -> None:
    response = _upload(client, b"", filename="<script>alert(1)</script>.csv",
                       name_col="<img src=x onerror=alert(1)>")
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.text and "<img src=x" not in response.text


def test_oversized_upload_is_413(client: TestClient) -> None:
    big = b"name\n" + b"Ivan Ivanovich Petrov\n" * 60_000  # 1.3 MB
    response = _upload(client, big)
    assert response.status_code == 413
    assert "Traceback" not in response.text


def test_too_many_rows_are_refused_before_screening(client: TestClient) -> None:
    many = b"name\n" + b"Ivan Petrov\n" * 5001  # 60 KB: within the size limit
    response = _upload(client, many)
    assert response.status_code == 400
    assert "the file has 5,001 rows; this page screens at most 5,000" in response.text


def test_xlsx_upload(client: TestClient) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Date of birth"])
    sheet.append(["Lavrov, Sergei", "21.03.1950"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, buffer.getvalue(), filename="board.xlsx")
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1 and rows[0]["matched"] == "yes"
    assert rows[0]["Date of birth"] == "21.03.1950"
