"""Downloading official lists: streamed to disk, size-capped, retried, and conditional.

Every download goes through one `httpx.Client` (made by `make_client`, or passed in by the
caller and by tests, which give it an `httpx.MockTransport`). A body is streamed to a hidden
`.part` file in the destination folder while its SHA-256 is computed; only a complete,
plausible file is renamed into place, so a folder never holds half a list.

The ETag and Last-Modified the server sent for each URL are remembered in
`data_dir/http-state.json`; the next download sends them back as If-None-Match /
If-Modified-Since, and a 304 Not Modified answer becomes `Download(path=None)`.

Every failure is a `FetchError` with one line naming the URL and what went wrong.
"""

from __future__ import annotations

import email.message
import email.utils
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from pressurepoint.config import Settings
from pressurepoint.errors import FetchError
from pressurepoint.sources.spec import SourceSpec

STATE_FILE = "http-state.json"
CHUNK = 1 << 16
_MB = 1024 * 1024
# Answers worth asking again: the server is overloaded, restarting or rate-limiting us.
_RETRY_STATUSES = frozenset({408, 425, 429}) | frozenset(range(500, 600))
_ACCEPTED_STATUSES = frozenset({200, 203})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Enough of the body to tell an HTML error page from a list file.
_SNIFF_BYTES = 512
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


@dataclass(frozen=True)
class Download:
    """The outcome of one successful request for one URL."""

    url: str
    path: Path | None  # the file saved, None when the server said 304 Not Modified
    status: int
    sha256: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str  # UTC "YYYY-MM-DDTHH:MM:SS"


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between tries. The number of retries is `settings.http_retries`.

    The wait before retry n (1-based) is `backoff_base * 2 ** (n - 1)`, at most
    `backoff_max` seconds; a Retry-After header from the server replaces it, bounded by
    `retry_after_max`. Tests pass a tiny base or their own `sleep`.
    """

    backoff_base: float = 1.0
    backoff_max: float = 30.0
    retry_after_max: float = 120.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return max(0.0, min(retry_after, self.retry_after_max))
        return float(min(self.backoff_base * 2 ** (retry - 1), self.backoff_max))


class _TryAgain(Exception):
    """A failure that another try may not have (timeout, broken connection, 5xx, 429)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def make_client(settings: Settings) -> httpx.Client:
    """An HTTP client with pressurepoint's User-Agent, timeout and redirect policy."""
    return httpx.Client(
        timeout=settings.http_timeout,
        headers={"User-Agent": settings.user_agent},
        follow_redirects=True,
    )


def fetch_source(
    settings: Settings,
    spec: SourceSpec,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> list[Download]:
    """Download every URL of a source into `dest_dir`; a failed URL fails the source."""
    own_client = client is None
    http = client if client is not None else make_client(settings)
    downloads: list[Download] = []
    try:
        for url in spec.urls:
            try:
                done = download(settings, url, dest_dir, client=http, retry=retry)
            except FetchError as exc:
                raise FetchError(f"{exc} (source {spec.id})") from exc
            if done.path is not None and any(d.path == done.path for d in downloads):
                raise FetchError(f"{url}: saved under the same name as another URL of "
                                 f"source {spec.id} ({done.path.name})")
            downloads.append(done)
    finally:
        if own_client:
            http.close()
    return downloads


def download(
    settings: Settings,
    url: str,
    dest_dir: Path,
    *,
    client: httpx.Client | None = None,
    conditional: bool = True,
    retry: RetryPolicy | None = None,
) -> Download:
    """Download one URL into `dest_dir`, or learn that it has not changed (304).

    `settings.http_retries` is the number of retries after the first try; timeouts,
    broken connections, 408/425/429 and 5xx answers are retried with exponential backoff.
    `settings.http_timeout` and `settings.user_agent` apply to every request, also on a
    client passed in. With `conditional=False` the remembered ETag is not sent and the file
    is downloaded whatever the server's cache says.
    """
    policy = retry or RetryPolicy()
    remembered = _load_state(settings).get(url, {}) if conditional else {}
    headers = _request_headers(settings, remembered)
    own_client = client is None
    http = client if client is not None else make_client(settings)
    tries = max(0, settings.http_retries) + 1
    try:
        for attempt in range(1, tries + 1):
            try:
                result = _try_once(http, settings, url, dest_dir, headers)
            except _TryAgain as exc:
                if attempt == tries:
                    raise FetchError(f"{url}: {exc.reason} after {_plural(tries, 'try')}") from exc
                policy.sleep(policy.delay(attempt, exc.retry_after))
                continue
            return _remember(settings, result, remembered)
    finally:
        if own_client:
            http.close()
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def forget(settings: Settings, url: str) -> None:
    """Drop the remembered ETag / Last-Modified of a URL, so the next download is full
    (for a caller whose load of the last file failed)."""
    state = _load_state(settings)
    if state.pop(url, None) is not None:
        _save_state(settings, state)


def _is_conditional(headers: dict[str, str]) -> bool:
    return "If-None-Match" in headers or "If-Modified-Since" in headers


def _request_headers(settings: Settings, remembered: dict[str, str]) -> dict[str, str]:
    headers = {"User-Agent": settings.user_agent}
    if remembered.get("etag"):
        headers["If-None-Match"] = remembered["etag"]
    if remembered.get("last_modified"):
        headers["If-Modified-Since"] = remembered["last_modified"]
    return headers


def _try_once(
    http: httpx.Client, settings: Settings, url: str, dest_dir: Path, headers: dict[str, str]
) -> Download:
    """One GET; the body goes to disk. Raises _TryAgain for failures worth retrying."""
    try:
        with http.stream("GET", url, headers=headers, timeout=settings.http_timeout,
                         follow_redirects=True) as response:
            fetched_at = _now()
            _check_status(url, response, conditional=_is_conditional(headers))
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if response.status_code == 304:
                return Download(url, None, 304, None, etag, last_modified, fetched_at)
            _check_headers(url, response, settings.max_download_bytes)
            path, sha256 = _save_body(url, response, dest_dir, settings.max_download_bytes)
            return Download(url, path, response.status_code, sha256, etag, last_modified,
                            fetched_at)
    except httpx.TimeoutException as exc:
        raise _TryAgain("timed out") from exc
    except httpx.ConnectError as exc:
        raise _TryAgain(_connect_reason(exc)) from exc
    except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
        raise _TryAgain(f"connection broken ({_one_line(exc)})") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url}: too many redirects") from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"{url}: not an http(s) URL") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: invalid URL ({_one_line(exc)})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__} ({_one_line(exc)})") from exc


def _check_status(url: str, response: httpx.Response, *, conditional: bool) -> None:
    code = response.status_code
    if code in _ACCEPTED_STATUSES or (code == 304 and conditional):
        return
    label = f"HTTP {code} {response.reason_phrase}".rstrip()
    if code in _RETRY_STATUSES:
        raise _TryAgain(label, _retry_after(response.headers.get("Retry-After")))
    if code in (404, 410):
        raise FetchError(f"{url}: dead URL: HTTP {code}")
    if code in (401, 403):
        raise FetchError(f"{url}: access denied: {label}")
    raise FetchError(f"{url}: unexpected {label}")


def _check_headers(url: str, response: httpx.Response, cap: int) -> None:
    """Reject, before reading a byte, an HTML page or a declared size above the cap."""
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type in _HTML_TYPES:
        raise FetchError(f"{url}: server sent an HTML page ({content_type}), not a list file")
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > cap:
        raise FetchError(f"{url}: larger than {_size_text(cap)} cap "
                         f"(Content-Length {_size_text(int(declared))})")


def _save_body(url: str, response: httpx.Response, dest_dir: Path, cap: int) -> tuple[Path, str]:
    """Stream the body into a hidden .part file, then rename it into place."""
    name = file_name_for(url, response)
    dest_dir.mkdir(parents=True, exist_ok=True)
    handle, part_name = tempfile.mkstemp(dir=dest_dir, prefix=f".{name}.", suffix=".part")
    part = Path(part_name)
    digest = hashlib.sha256()
    size = 0
    start = b""
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in response.iter_bytes(CHUNK):
                size += len(chunk)
                if size > cap:
                    raise FetchError(f"{url}: larger than {_size_text(cap)} cap")
                if len(start) < _SNIFF_BYTES:
                    start = (start + chunk)[:_SNIFF_BYTES]
                    if len(start) == _SNIFF_BYTES:
                        _check_not_html(url, start)
                digest.update(chunk)
                out.write(chunk)
        _check_not_html(url, start)
        if size == 0:
            raise FetchError(f"{url}: server sent an empty file")
        target = dest_dir / name
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target, digest.hexdigest()


def _check_not_html(url: str, start: bytes) -> None:
    probe = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html")):
        raise FetchError(f"{url}: server sent an HTML page, not a list file")


def file_name_for(url: str, response: httpx.Response | None = None) -> str:
    """The name to save a download under: Content-Disposition's filename, else the last
    segment of the URL path (then of the final URL after redirects), else "download"."""
    candidates: list[str] = []
    if response is not None:
        disposition = response.headers.get("Content-Disposition")
        if disposition:
            message = email.message.Message()
            message["Content-Disposition"] = disposition
            candidates.append(message.get_filename() or "")
    candidates.append(unquote(PurePosixPath(urlsplit(url).path).name))
    if response is not None:
        candidates.append(unquote(PurePosixPath(response.url.path).name))
    for candidate in candidates:
        name = _safe_name(candidate)
        if name:
            return name
    return "download"


def _safe_name(raw: str) -> str:
    """A plain file name: no folders, no control characters, not hidden."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".")
    return name[:200]


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in ("name or service not known", "nodename nor servname",
                                  "name resolution", "getaddrinfo failed", "no address")):
        return "host not found"
    return f"cannot connect ({_one_line(exc)})"


def _remember(settings: Settings, result: Download, remembered: dict[str, str]) -> Download:
    """Update the HTTP state after a good answer; a 304 reports what was remembered."""
    if result.status == 304:
        result = Download(
            result.url, None, 304, remembered.get("sha256"),
            result.etag or remembered.get("etag"),
            result.last_modified or remembered.get("last_modified"),
            result.fetched_at,
        )
    entry = {key: value for key, value in (
        ("etag", result.etag), ("last_modified", result.last_modified),
        ("sha256", result.sha256), ("fetched_at", result.fetched_at),
        ("file", result.path.name if result.path else remembered.get("file")),
    ) if value}
    state = _load_state(settings)
    if state.get(result.url) != entry:
        state[result.url] = entry
        _save_state(settings, state)
    return result


def _load_state(settings: Settings) -> dict[str, dict[str, str]]:
    """The remembered validators per URL; a missing or unreadable file is an empty state."""
    path = settings.data_dir / STATE_FILE
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    urls = raw.get("urls") if isinstance(raw, dict) else None
    if not isinstance(urls, dict):
        return {}
    return {
        url: {k: v for k, v in entry.items() if isinstance(v, str)}
        for url, entry in urls.items()
        if isinstance(url, str) and isinstance(entry, dict)
    }


def _save_state(settings: Settings, state: dict[str, dict[str, str]]) -> None:
    """Write the state file atomically (a temporary file renamed over the old one)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": 1, "urls": state}, indent=2, sort_keys=True,
                      ensure_ascii=False)
    handle, tmp_name = tempfile.mkstemp(dir=settings.data_dir, prefix=f".{STATE_FILE}.",
                                        suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        tmp.replace(settings.data_dir / STATE_FILE)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _size_text(size: int) -> str:
    if size >= _MB:
        megabytes = size / _MB
        return f"{megabytes:.0f} MB" if size % _MB == 0 else f"{megabytes:.1f} MB"
    return _plural(size, "byte")


def _plural(count: int, word: str) -> str:
    """'1 try', '3 tries', '1 byte', '100 bytes'."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word == "try" else f"{count} {word}s"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
