"""Turning publishers' raw values into FtM-typed values.

Dates come in every shape (dd/mm/yyyy, 07 Apr 1981, 2022.3.1, Excel serials, "circa 1960",
"1960 to 1962"); FtM's date type only takes ISO prefixes, so we convert here. Partial dates
stay partial: "Apr 1981" becomes "1981-04", never an invented day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janvier", "ene", "enero"),
            ("feb", "february", "fevrier", "février", "febrero"),
            ("mar", "march", "mars", "marzo"),
            ("apr", "april", "avril", "abr", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "junio"),
            ("jul", "july", "juillet", "julio"),
            ("aug", "august", "aout", "août", "ago", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "decembre", "décembre", "dic", "diciembre"),
        ],
        start=1,
    )
    for name in names
}

_NUMERIC_DMY = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})$")
_NUMERIC_YMD = re.compile(r"^(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[./\-](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_TEXT_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-zéû]+)\.?,?\s+(\d{4})$")
_TEXT_MDY = re.compile(r"^([A-Za-zéû]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_TEXT_MY = re.compile(r"^([A-Za-zéû]+)\.?\s+(\d{4})$")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
_DD_MM_XXXX = re.compile(r"^(?:dd|00|xx)[./\-](?:mm|00|xx)[./\-](\d{4})$", re.I)
_XX_MM_YYYY = re.compile(r"^(?:dd|00|xx)[./\-](\d{1,2})[./\-](\d{4})$", re.I)
_TIMEZONE = re.compile(r"^(Z|[+-]\d{2}:?\d{2})$")  # XSD dates such as 2015-04-07-04:00
EXCEL_EPOCH = date(1899, 12, 30)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """An ISO prefix if the parts make a real date, else None."""
    if not 1000 <= year <= 2200:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_text_match(text: str) -> str | None:
    # Unknown day/month ("00/00/1963", "dd/mm/1945", "00/05/1970") before full dates:
    # _NUMERIC_DMY also matches them and would call them impossible days.
    if m := _DD_MM_XXXX.match(text):
        return _iso(int(m[1]))
    if m := _XX_MM_YYYY.match(text):
        return _iso(int(m[2]), int(m[1]))
    if m := _NUMERIC_DMY.match(text):
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    if m := _NUMERIC_YMD.match(text):
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    if m := _YEAR_MONTH.match(text):
        return _iso(int(m[1]), int(m[2]))
    if m := _MONTH_YEAR.match(text):
        return _iso(int(m[2]), int(m[1]))
    if m := _YEAR.match(text):
        return _iso(int(m[1]))
    if (m := _TEXT_DMY.match(text)) and m[2].lower() in MONTHS:
        return _iso(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if (m := _TEXT_MDY.match(text)) and m[1].lower() in MONTHS:
        return _iso(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    if (m := _TEXT_MY.match(text)) and m[1].lower() in MONTHS:
        return _iso(int(m[2]), MONTHS[m[1].lower()])
    return None


def parse_date(raw: object) -> str | None:
    """One date as an ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD), or None if unreadable.

    Accepts datetime/date objects, Excel serial numbers, and the text forms above. A
    leading "circa"/"c."/"approximately" is dropped (the year is what the publisher states).
    """
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _excel_serial(float(raw))
    text = str(raw).strip().rstrip(".")
    text = re.sub(r"^(circa|ca\.?|c\.|approximately|approx\.?|about)\s*", "", text, flags=re.I)
    if not text:
        return None
    if (found := _from_text_match(text)) is not None:
        return found
    if m := _ISO_PREFIX.match(text):
        rest = text[m.end():]
        if not rest or rest[0] in "T " or _TIMEZONE.match(rest):
            parts = [int(p) for p in m[0].split("-")]
            return _iso(*parts)
    return None


def _excel_serial(serial: float) -> str | None:
    if 1000 <= serial <= 2200 and serial == int(serial):  # a bare year typed as a number
        return f"{int(serial):04d}"
    if 1 <= serial < 100000:
        return (EXCEL_EPOCH + timedelta(days=int(serial))).isoformat()
    return None


def parse_dates(raw: object) -> list[str] | None:
    """Several dates in one cell: "1960 to 1962", "1960; 1961", "1958 or 1959".

    Returns None when any part is unreadable, so the caller records one issue for the cell.
    A range "A to B" yields both ends (FtM has no range type; both are publisher-stated).
    """
    if raw is None or isinstance(raw, date | int | float):
        single = parse_date(raw)
        return [single] if single else None
    text = str(raw).strip()
    parts = [p.strip() for p in re.split(r"\s*(?:;|\bto\b|\bor\b|\band\b|\s-\s|,(?=\s*\d{4}$))\s*",
                                        text) if p and p.strip()]
    found: list[str] = []
    for part in parts or [text]:
        value = parse_date(part)
        if value is None:
            return None
        if value not in found:
            found.append(value)
    return found or None


def split_list(raw: str | None, separators: str = ";") -> list[str]:
    """Split a cell on any of the separator characters, dropping empty parts."""
    if not raw:
        return []
    parts = re.split("[" + re.escape(separators) + "]", raw)
    return [p.strip() for p in parts if p.strip()]


_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")


def split_numbered(raw: str | None) -> list[str]:
    """Split OFSI-style packed lists "(1) A (2) B" into ["A", "B"]."""
    if not raw:
        return []
    if not _NUMBERED.search(raw):
        return [raw.strip()] if raw.strip() else []
    return [p.strip(" ,;") for p in _NUMBERED.split(raw) if p.strip(" ,;")]


def collapse(raw: object) -> str:
    """A cell as one line of text: whitespace runs (incl. newlines) become one space."""
    if raw is None:
        return ""
    return " ".join(str(raw).split())
