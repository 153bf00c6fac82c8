"""Reading raw files safely: transparent gzip, content hashes, and early sniffing of
files that are not what they claim to be (empty, HTML error pages, truncated gzip)."""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import zipfile
from pathlib import Path
from typing import IO

from pressurepoint.errors import FormatError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """SHA-256 of the bytes stored on disk."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_raw(path: Path) -> IO[bytes]:
    """Open a file for reading bytes, decompressing `.gz` transparently."""
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # GzipFile is an IO[bytes]
    return path.open("rb")


def read_bytes(path: Path) -> bytes:
    """All bytes of a (possibly gzipped) file; a broken gzip is a FormatError."""
    try:
        with open_raw(path) as handle:
            return handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise FormatError(f"{path.name}: cannot decompress ({exc})") from exc


def head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of the decompressed content."""
    try:
        with open_raw(path) as handle:
            return handle.read(size)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise FormatError(f"{path.name}: cannot decompress ({exc})") from exc


def check_not_junk(path: Path) -> bytes:
    """Reject empty files and HTML pages saved under a list's name; return the head."""
    start = head(path)
    if not start.strip(b"\x00\x1a \t\r\n\xef\xbb\xbf"):
        raise FormatError(f"{path.name}: file is empty")
    probe = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html")) or b"<html" in probe[:512]:
        raise FormatError(f"{path.name}: is an HTML page, not a list file (an error page?)")
    return start


def is_zip(start: bytes) -> bool:
    return start.startswith(b"PK\x03\x04")


def open_zip_member(path: Path, suffixes: tuple[str, ...]) -> IO[bytes]:
    """Open the first member of a ZIP archive whose name ends with one of `suffixes`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(read_bytes(path)))
    except zipfile.BadZipFile as exc:
        raise FormatError(f"{path.name}: not a readable ZIP archive ({exc})") from exc
    for info in archive.infolist():
        if info.filename.lower().endswith(suffixes):
            return archive.open(info)
    raise FormatError(f"{path.name}: ZIP holds no file ending in {', '.join(suffixes)}")


def archive_file(path: Path, archive_dir: Path, sha256: str) -> Path:
    """Copy a raw file into the content-addressed archive (idempotent)."""
    suffix = ".gz" if path.name.lower().endswith(".gz") else ""
    target = archive_dir / sha256[:2] / f"{sha256}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return target
