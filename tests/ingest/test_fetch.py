"""Downloading official lists: httpx.MockTransport for each server behaviour, and a real
HTTP server on 127.0.0.1 for the whole path through sockets. Never the internet."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import httpx
import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FetchError
from pressurepoint.ingest.fetch import (
    STATE_FILE,
    RetryPolicy,
    download,
    fetch_source,
    file_name_for,
    forget,
    make_client,
)
from pressurepoint.sources import get_source
from pressurepoint.sources.spec import SourceSpec
from tests.conftest import FIXTURES

SDN_URL = "https://lists.example.org/ofac/downloads/sdn.csv"
BODY = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a list of responses and keeps requests."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)


def client_for(recorder: Recorder) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(recorder))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fast(sleeps: list[float]) -> RetryPolicy:
    """Backoff that records its waits instead of sleeping."""
    return RetryPolicy(backoff_base=0.5, sleep=sleeps.append)


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_saves_the_file_under_its_url_name(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    recorder = Recorder(httpx.Response(200, content=BODY, headers={
        "ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2026 10:00:00 GMT",
        "Content-Type": "text/csv"}))
    dest = tmp_path / "out"
    with client_for(recorder) as client:
        result = download(settings, SDN_URL, dest, client=client, retry=fast)
    assert result.path == dest / "sdn.csv"
    assert result.path.read_bytes() == BODY
    assert result.status == 200
    assert result.sha256 == hashlib.sha256(BODY).hexdigest()
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 03 Mar 2026 10:00:00 GMT"
    assert len(result.fetched_at) == 19 and result.fetched_at[10] == "T"
    assert files_in(dest) == ["sdn.csv"]  # no .part file left behind
    sent = recorder.requests[0]
    assert sent.headers["User-Agent"] == settings.user_agent
    assert "If-None-Match" not in sent.headers
    state = json.loads((settings.data_dir / STATE_FILE).read_text())
    assert state["urls"][SDN_URL]["etag"] == '"v1"'
    assert state["urls"][SDN_URL]["sha256"] == result.sha256


def test_304_with_stored_etag_returns_no_path(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    def conditional(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, content=BODY, headers={"ETag": '"v1"'})

    recorder = Recorder(conditional)
    with client_for(recorder) as client:
        first = download(settings, SDN_URL, tmp_path / "day1", client=client, retry=fast)
        second = download(settings, SDN_URL, tmp_path / "day2", client=client, retry=fast)
        forced = download(settings, SDN_URL, tmp_path / "day3", client=client, retry=fast,
                          conditional=False)
    assert recorder.requests[1].headers["If-None-Match"] == '"v1"'
    assert second.status == 304
    assert second.path is None
    assert second.sha256 == first.sha256  # what the unchanged file was
    assert second.etag == '"v1"'
    assert files_in(tmp_path / "day2") == []
    assert "If-None-Match" not in recorder.requests[2].headers
    assert forced.status == 200 and forced.path == tmp_path / "day3" / "sdn.csv"


def test_last_modified_is_sent_back_and_forget_drops_it(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    stamp = "Tue, 03 Mar 2026 10:00:00 GMT"
    recorder = Recorder(httpx.Response(200, content=BODY, headers={"Last-Modified": stamp}),
                        httpx.Response(304), httpx.Response(200, content=BODY))
    with client_for(recorder) as client:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
        again = download(settings, SDN_URL, tmp_path, client=client, retry=fast)
        forget(settings, SDN_URL)
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert recorder.requests[1].headers["If-Modified-Since"] == stamp
    assert again.status == 304 and again.last_modified == stamp
    assert "If-Modified-Since" not in recorder.requests[2].headers


def test_unexpected_304_without_a_conditional_request_is_an_error(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    with client_for(Recorder(httpx.Response(304))) as client, \
            pytest.raises(FetchError, match="unexpected HTTP 304"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)


def test_404_is_a_dead_url_and_is_not_retried(
    settings: Settings, tmp_path: Path, fast: RetryPolicy, sleeps: list[float]
) -> None:
    recorder = Recorder(httpx.Response(404, text="not here"))
    with client_for(recorder) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert str(caught.value) == f"{SDN_URL}: dead URL: HTTP 404"
    assert len(recorder.requests) == 1
    assert sleeps == []


def test_403_names_access_denied(settings: Settings, tmp_path: Path, fast: RetryPolicy) -> None:
    with client_for(Recorder(httpx.Response(403))) as client, \
            pytest.raises(FetchError, match=r"access denied: HTTP 403 Forbidden"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)


def test_500_then_200_is_retried_with_backoff(
    settings: Settings, tmp_path: Path, fast: RetryPolicy, sleeps: list[float]
) -> None:
    recorder = Recorder(httpx.Response(500), httpx.Response(502),
                        httpx.Response(200, content=BODY))
    with client_for(recorder) as client:
        result = download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert result.status == 200
    assert result.path is not None and result.path.read_bytes() == BODY
    assert len(recorder.requests) == 3
    assert sleeps == [0.5, 1.0]  # exponential: base, 2 x base


def test_5xx_on_every_try_fails_naming_the_status(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    recorder = Recorder(httpx.Response(503))
    with client_for(recorder) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert str(caught.value) == f"{SDN_URL}: HTTP 503 Service Unavailable after 4 tries"
    assert len(recorder.requests) == settings.http_retries + 1


def test_429_waits_as_long_as_retry_after_says_within_a_bound(
    settings: Settings, tmp_path: Path, sleeps: list[float]
) -> None:
    policy = RetryPolicy(backoff_base=0.5, retry_after_max=60, sleep=sleeps.append)
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "7"}),
                        httpx.Response(429, headers={"Retry-After": "86400"}),
                        httpx.Response(503, headers={"Retry-After": "soon"}),
                        httpx.Response(200, content=BODY))
    with client_for(recorder) as client:
        download(settings, SDN_URL, tmp_path, client=client, retry=policy)
    assert sleeps == [7.0, 60.0, 2.0]  # a header it cannot read falls back to backoff


def test_timeout_fails_after_all_tries(
    settings: Settings, tmp_path: Path, fast: RetryPolicy, sleeps: list[float]
) -> None:
    settings = replace(settings, http_retries=2)
    recorder = Recorder(lambda request: (_ for _ in ()).throw(
        httpx.ReadTimeout("read timed out", request=request)))
    with client_for(recorder) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert str(caught.value) == f"{SDN_URL}: timed out after 3 tries"
    assert len(recorder.requests) == 3
    assert sleeps == [0.5, 1.0]
    assert files_in(tmp_path) == []


def test_timeout_then_success(settings: Settings, tmp_path: Path, fast: RetryPolicy) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect timed out", request=request)

    recorder = Recorder(timeout, httpx.Response(200, content=BODY))
    with client_for(recorder) as client:
        result = download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert result.status == 200 and len(recorder.requests) == 2


def test_body_broken_midway_is_retried_and_leaves_no_partial_file(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    def broken_body() -> Iterator[bytes]:
        yield BODY[:20]
        raise httpx.ReadError("connection reset by peer")

    recorder = Recorder(httpx.Response(200, content=broken_body()),
                        httpx.Response(200, content=BODY))
    with client_for(recorder) as client:
        result = download(settings, SDN_URL, tmp_path / "out", client=client, retry=fast)
    assert result.path is not None and result.path.read_bytes() == BODY
    assert files_in(tmp_path / "out") == ["sdn.csv"]


def test_size_cap_via_content_length(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    settings = replace(settings, max_download_bytes=100)
    recorder = Recorder(httpx.Response(200, content=b"x" * 101))
    with client_for(recorder) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path / "out", client=client, retry=fast)
    assert str(caught.value) == (f"{SDN_URL}: larger than 100 bytes cap "
                                 "(Content-Length 101 bytes)")
    assert len(recorder.requests) == 1  # not retried
    assert files_in(tmp_path / "out") == []


def test_size_cap_on_a_streamed_body_without_content_length(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    settings = replace(settings, max_download_bytes=1000)

    def endless() -> Iterator[bytes]:
        while True:
            yield b"y" * 300

    response = httpx.Response(200, content=endless())
    assert "Content-Length" not in response.headers
    with client_for(Recorder(response)) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path / "out", client=client, retry=fast)
    assert str(caught.value) == f"{SDN_URL}: larger than 1000 bytes cap"
    assert files_in(tmp_path / "out") == []
    assert not (settings.data_dir / STATE_FILE).exists()


def test_size_cap_message_in_megabytes(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    big = httpx.Response(200, headers={"Content-Length": str(600 * 1024 * 1024)})
    with client_for(Recorder(big)) as client, \
            pytest.raises(FetchError, match=r"larger than 512 MB cap \(Content-Length 600 MB\)"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)


def test_html_content_type_is_not_a_list(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    page = httpx.Response(200, text="<p>Maintenance</p>",
                          headers={"Content-Type": "text/html; charset=utf-8"})
    with client_for(Recorder(page)) as client, pytest.raises(FetchError) as caught:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert str(caught.value) == f"{SDN_URL}: server sent an HTML page (text/html), not a list file"
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("body", [
    b"\xef\xbb\xbf\r\n<!DOCTYPE html><html><body>Error 500</body></html>",
    b"  <HTML><head><title>Request Rejected</title></head></HTML>",
])
def test_html_body_under_a_list_content_type_is_not_a_list(
    settings: Settings, tmp_path: Path, fast: RetryPolicy, body: bytes
) -> None:
    page = httpx.Response(200, content=body, headers={"Content-Type": "application/xml"})
    with client_for(Recorder(page)) as client, \
            pytest.raises(FetchError, match="server sent an HTML page, not a list file"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert files_in(tmp_path) == []


def test_long_html_body_is_caught_from_its_first_bytes(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"<!doctype html>"
        for _ in range(100):
            yield b"<p>" + b"z" * 100 + b"</p>"

    page = httpx.Response(200, content=chunks())
    with client_for(Recorder(page)) as client, pytest.raises(FetchError, match="HTML page"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert files_in(tmp_path) == []


def test_empty_body_is_an_error(settings: Settings, tmp_path: Path, fast: RetryPolicy) -> None:
    with client_for(Recorder(httpx.Response(200, content=b""))) as client, \
            pytest.raises(FetchError, match="empty file"):
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert files_in(tmp_path) == []


def test_content_disposition_names_the_file(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    url = "https://lists.example.org/fsf/public/files/xmlFullSanctionsList_1_1/content?token=n1"
    answer = httpx.Response(200, content=BODY, headers={
        "Content-Disposition": 'attachment; filename="ConList.xlsx"'})
    with client_for(Recorder(answer)) as client:
        result = download(settings, url, tmp_path, client=client, retry=fast)
    assert result.path == tmp_path / "ConList.xlsx"


def test_file_names_are_plain_and_safe() -> None:
    def named(disposition: str) -> str:
        response = httpx.Response(200, headers={"Content-Disposition": disposition},
                                  request=httpx.Request("GET", "https://x.org/a/"))
        return file_name_for("https://x.org/a/", response)

    assert file_name_for("https://x.org/exports/CONSOLIDATED.XML") == "CONSOLIDATED.XML"
    assert file_name_for("https://x.org/files/Liste%20SECO.xml?x=1") == "Liste SECO.xml"
    assert file_name_for("https://x.org/") == "download"
    assert named('attachment; filename="../../etc/passwd"') == "passwd"
    assert named('attachment; filename="..\\evil.xml"') == "evil.xml"
    assert named("attachment; filename*=UTF-8''%D1%81%D0%BF%D0%B8%D1%81%D0%BE%D0%BA.csv") \
        == "список.csv"
    assert named('attachment; filename=".hidden"') == "hidden"


def test_an_unusable_url_fails_in_one_line(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    with make_client(settings) as client, pytest.raises(FetchError) as caught:
        download(settings, "ftp://lists.example.org/sdn.csv", tmp_path, client=client,
                 retry=fast)
    assert str(caught.value) == "ftp://lists.example.org/sdn.csv: not an http(s) URL"


def test_an_unreadable_state_file_is_ignored(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / STATE_FILE).write_text("{not json")
    recorder = Recorder(httpx.Response(200, content=BODY, headers={"ETag": '"v2"'}))
    with client_for(recorder) as client:
        download(settings, SDN_URL, tmp_path, client=client, retry=fast)
    assert "If-None-Match" not in recorder.requests[0].headers
    state = json.loads((settings.data_dir / STATE_FILE).read_text())
    assert state["urls"][SDN_URL]["etag"] == '"v2"'
    assert [p.name for p in settings.data_dir.iterdir()] == [STATE_FILE]


def test_fetch_source_downloads_every_url(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    spec = get_source("un_sc")
    recorder = Recorder(httpx.Response(200, content=b"<?xml version='1.0'?><CONSOLIDATED_LIST/>"))
    with client_for(recorder) as client:
        results = fetch_source(settings, spec, tmp_path, client=client, retry=fast)
    assert [r.url for r in results] == list(spec.urls)
    assert [r.path for r in results] == [tmp_path / "consolidated.xml"]


def two_url_spec() -> SourceSpec:
    un = get_source("un_sc")
    return replace(un, id="two_files", urls=("https://lists.example.org/sdn.csv",
                                             "https://lists.example.org/add.csv"))


def test_fetch_source_failure_names_the_source(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("add.csv"):
            return httpx.Response(404)
        return httpx.Response(200, content=BODY)

    with client_for(Recorder(answer)) as client, pytest.raises(FetchError) as caught:
        fetch_source(settings, two_url_spec(), tmp_path, client=client, retry=fast)
    assert str(caught.value) == ("https://lists.example.org/add.csv: dead URL: HTTP 404 "
                                 "(source two_files)")


def test_fetch_source_refuses_two_urls_saved_under_one_name(
    settings: Settings, tmp_path: Path, fast: RetryPolicy
) -> None:
    answer = httpx.Response(200, content=BODY,
                            headers={"Content-Disposition": "attachment; filename=list.csv"})
    with client_for(Recorder(answer)) as client, \
            pytest.raises(FetchError, match=r"same name as another URL of source two_files"):
        fetch_source(settings, two_url_spec(), tmp_path, client=client, retry=fast)


# --- a real HTTP server on 127.0.0.1 -------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from a folder; /slow sleeps longer than the client waits."""

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.0)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:  # the base class names it so
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on /slow; nothing to report


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "served"
    root.mkdir()
    server = QuietServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_real_local_server_serves_a_small_file_then_says_not_modified(
    settings: Settings, tmp_path: Path, local_server: tuple[str, Path], fast: RetryPolicy
) -> None:
    base, root = local_server
    original = (FIXTURES / "un_sc" / "consolidated.xml").read_bytes()
    (root / "consolidated.xml").write_bytes(original)
    url = f"{base}/consolidated.xml"
    first = download(settings, url, tmp_path / "day1", retry=fast)
    assert first.status == 200
    assert first.path == tmp_path / "day1" / "consolidated.xml"
    assert first.path.read_bytes() == original
    assert first.sha256 == hashlib.sha256(original).hexdigest()
    assert first.last_modified is not None
    # http.server answers If-Modified-Since with 304 when the file has not changed.
    second = download(settings, url, tmp_path / "day2", retry=fast)
    assert second.status == 304 and second.path is None
    assert second.sha256 == first.sha256


def test_real_local_server_404(
    settings: Settings, tmp_path: Path, local_server: tuple[str, Path], fast: RetryPolicy
) -> None:
    base, _ = local_server
    with pytest.raises(FetchError) as caught:
        download(settings, f"{base}/sdn.csv", tmp_path, retry=fast)
    assert str(caught.value) == f"{base}/sdn.csv: dead URL: HTTP 404"


def test_real_local_server_too_slow_times_out(
    settings: Settings, tmp_path: Path, local_server: tuple[str, Path], fast: RetryPolicy
) -> None:
    base, _ = local_server
    settings = replace(settings, http_timeout=0.1, http_retries=1)
    with pytest.raises(FetchError) as caught:
        download(settings, f"{base}/slow", tmp_path, retry=fast)
    assert str(caught.value) == f"{base}/slow: timed out after 2 tries"


def test_connection_refused(settings: Settings, tmp_path: Path, fast: RetryPolicy) -> None:
    with socket.socket() as probe:  # a port that nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = replace(settings, http_retries=1)
    with pytest.raises(FetchError) as caught:
        download(settings, f"http://127.0.0.1:{port}/sdn.csv", tmp_path, retry=fast)
    assert str(caught.value) == f"http://127.0.0.1:{port}/sdn.csv: connection refused after 2 tries"
