"""Vessel and aircraft names, and IMO numbers.

IMO numbers are checked and normalised by rigour (`rigour.ids.IMO`: seven digits with the
ship or company check digit, "IMO 9126819" → "IMO9126819"). Publishers often put the
number into the vessel's name ("NS LEADER (IMO 9339301)"); `split_imo` takes it out so the
name compares as a name and the number as an identifier.
"""

from __future__ import annotations

import re

from rigour.ids import IMO
from rigour.names import remove_obj_prefixes

_IMO_IN_TEXT = re.compile(r"\(?\s*\bIMO\b[\s.:#-]*(?:n[or]\.?\s*)?(\d{7})\s*\)?", re.I)


def normalize_imo(value: str) -> str | None:
    """"IMO 9126819", "9126819" → "IMO9126819"; None unless the check digit is right."""
    normalized = IMO.normalize(value)
    return str(normalized) if normalized else None


def split_imo(name: str) -> tuple[str, list[str]]:
    """The name without "IMO nnnnnnn" mentions, and the valid IMO numbers found in it."""
    found: list[str] = []

    def take(match: re.Match[str]) -> str:
        imo = normalize_imo(match.group(1))
        if imo is None:
            return match.group(0)
        found.append(imo)
        return " "

    rest = _IMO_IN_TEXT.sub(take, name)
    return " ".join(rest.split()), found


def remove_vessel_prefix(name: str) -> str:
    """"M/V Oceanic", "MT Ocean" → "Oceanic", "Ocean" (via rigour)."""
    return str(remove_obj_prefixes(name))
