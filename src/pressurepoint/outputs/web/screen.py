"""The screening page: upload a CSV (or XLSX) of names, download it back with the best
matches of every row (pressurepoint.screening.batch, as `pressurepoint screen` does).

The upload goes to a private temporary folder, is screened in this process (one worker:
a web server does not fork), and the folder is removed once the result is sent. Bad
files (empty, binary, no such column) come back as the form with a one-line error."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile

from pressurepoint.errors import InvalidInput, PressurepointError
from pressurepoint.outputs.web.rendering import html_errors, page, status_of
from pressurepoint.outputs.web.service import service
from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD

router = APIRouter()
# The API refuses request bodies over 1 MiB (api.errors.MAX_BODY); the file must fit in one
# with the form's other fields. Larger lists: `pressurepoint screen`, on every core.
MAX_UPLOAD_BYTES = 1024 * 1024 - 16 * 1024
CHUNK = 64 * 1024
# One request screens in one process (~100-1,000 names a second, by the names): a longer
# list would keep the browser waiting for minutes.
MAX_ROWS = 5000
MATCHES_PER_ROW = 3
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".gz")
SCHEMA_CHOICES = (("", "Of any type (people when a birth date is given)"),
                  ("Person", "People"), ("Company", "Companies"),
                  ("Organization", "Organisations"), ("Vessel", "Vessels"),
                  ("Airplane", "Aircraft"))


@dataclass(frozen=True)
class ScreenForm:
    name_col: str = ""
    birth_date_col: str = ""
    country_col: str = ""
    schema: str = ""
    threshold: str = str(DEFAULT_THRESHOLD)
    output: str = "csv"

    @classmethod
    def from_form(cls, data: FormData) -> ScreenForm:
        def text(key: str, default: str = "") -> str:
            value = data.get(key)
            return value.strip()[:200] if isinstance(value, str) and value.strip() \
                else default

        return cls(text("name_col"), text("birth_date_col"), text("country_col"),
                   text("schema"), text("threshold", str(DEFAULT_THRESHOLD)),
                   "xlsx" if text("output") == "xlsx" else "csv")

    def threshold_value(self) -> float:
        try:
            value = float(self.threshold)
        except ValueError as exc:
            raise InvalidInput(f"threshold {self.threshold!r} is not a number") from exc
        if not 0 < value <= 1:
            raise InvalidInput(f"threshold {self.threshold} is not between 0 and 1")
        return value


def _form_page(request: Request, form: ScreenForm, error: str | None = None,
               status_code: int = 200) -> Response:
    return page(request, "screen.html", section="screen", form=form, error=error,
                schemata=SCHEMA_CHOICES, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_ROWS,
                status_code=status_code)


@router.get("/web/screen", name="web_screen")
@html_errors("screen")
def screen_form(request: Request) -> Response:
    return _form_page(request, ScreenForm())


@router.post("/web/screen", name="web_screen_upload")
async def screen_upload(request: Request) -> Response:
    try:
        data = await request.form(max_files=1, max_fields=20)
    except Exception as exc:  # a malformed multipart body: say so, never a stack trace
        return _form_page(request, ScreenForm(), f"the upload could not be read ({exc})", 400)
    form = ScreenForm.from_form(data)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _form_page(request, form, "choose a file to upload", 400)
    folder = Path(tempfile.mkdtemp(prefix="pp-screen-"))
    try:
        source = folder / _safe_name(upload.filename)
        await _save(upload, source)
        target = folder / f"{source.name.split('.')[0]}-screened.{form.output}"
        summary = await _run_in_thread(request, source, target, form)
    except PressurepointError as exc:  # a bad file or column; the index still loading
        shutil.rmtree(folder, ignore_errors=True)
        status = 413 if str(exc).startswith("the file is larger") else status_of(exc)
        return _form_page(request, form, str(exc), status)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    media = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             if form.output == "xlsx" else "text/csv; charset=utf-8")
    headers = {"X-Screening-Summary": _header_safe(summary)}
    return FileResponse(target, media_type=media, filename=target.name, headers=headers,
                        background=BackgroundTask(shutil.rmtree, folder, True))


async def _save(upload: UploadFile, path: Path) -> None:
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise InvalidInput(f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KB; "
                                   "screen it with `pressurepoint screen` instead")
            out.write(chunk)


async def _run_in_thread(request: Request, source: Path, target: Path, form: ScreenForm
                         ) -> str:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(screen_file, request, source, target, form)


def screen_file(request: Request, source: Path, target: Path, form: ScreenForm) -> str:
    """Screen the rows of `source` into `target`; the summary line."""
    from pressurepoint.screening.batch import (
        Screener,
        ScreenOptions,
        Tally,
        output_headers,
        output_row,
    )
    from pressurepoint.screening.tabular import open_table, select_columns, table_writer

    options = ScreenOptions(threshold=form.threshold_value(), limit=MATCHES_PER_ROW,
                            schema=form.schema or None, workers=1)
    tally = Tally()
    with open_table(source) as table:  # read once to count: refuse before any work
        rows = sum(1 for _ in table.rows())
    if rows > MAX_ROWS:
        raise InvalidInput(f"the file has {rows:,} rows; this page screens at most "
                           f"{MAX_ROWS:,} (use `pressurepoint screen`, on every core)")
    with open_table(source) as table:
        columns = select_columns(table.headers, [form.name_col] if form.name_col else [],
                                 form.birth_date_col or None, form.country_col or None)
        index = service(request).index()
        width = len(table.headers)
        with Screener(index, columns, options) as screener, \
                table_writer(target, output_headers(table.headers, MATCHES_PER_ROW)) as out:
            for result in screener.screen(table.rows()):
                tally.add(result)
                out.write(output_row(result, width, MATCHES_PER_ROW))
    return tally.describe()


def _safe_name(filename: str) -> str:
    """The upload's own name (for messages), reduced to harmless characters."""
    name = re.sub(r"[^\w.\- ]", "_", Path(filename.replace("\\", "/")).name).strip(". ")
    name = name[:100] or "upload.csv"
    return name if name.lower().endswith(SUFFIXES) else name + ".csv"


def _header_safe(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")[:300]
