"""Identifiers in publishers' free text, and the check-digit helpers, measured also against
the public rigour test cases (IMO, INN, OGRN) in the shared bench folder."""

from __future__ import annotations

import json

import pytest

from pressurepoint.ingest.identifiers import (
    Identifier,
    extract_identifiers,
    normalize_imo,
    valid_bic,
    valid_inn,
    valid_ogrn,
)
from tests.conftest import SHARED_DATA, needs_shared

BENCH = SHARED_DATA.parent / "bench" / "rigour_identifiers.jsonl"


def _found(text: str) -> list[tuple[str, str, str | None]]:
    return [(i.prop, i.value, i.country) for i in extract_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tax ID No. 7718989383 (Russia)", [("innCode", "7718989383", "Russia")]),
        ("Tax ID No. 100036386 (Serbia)", [("taxNumber", "100036386", "Serbia")]),
        ("Registration Number 1147746803049 (Russia)",
         [("ogrnCode", "1147746803049", "Russia")]),
        ("Registration Number 26740 (Iran)", [("registrationNumber", "26740", "Iran")]),
        ("Registration ID CH-660.0.699.004-7 (Switzerland)",
         [("registrationNumber", "CH-660.0.699.004-7", "Switzerland")]),
        ("Passport 640848350 (Russia); alt. Passport 2006801524 (Russia)",
         [("passportNumber", "640848350", "Russia"), ("passportNumber", "2006801524", "Russia")]),
        ("Vessel Registration Identification IMO 9486910; MMSI 636013272",
         [("imoNumber", "IMO9486910", None), ("mmsi", "636013272", None)]),
        ("Company Number IMO 5055293", [("imoNumber", "IMO5055293", None)]),
        ("IMO 9289519", [("registrationNumber", "9289519", None)]),  # check digit fails
        ("SWIFT/BIC SABRRUMM", [("swiftBic", "SABRRUMM", None)]),
        ("ИНН 7707083893, ОГРН 1027739552642.",
         [("innCode", "7707083893", "Russia"), ("ogrnCode", "1027739552642", None)]),
        ("tax identification number 7707083893", [("innCode", "7707083893", "Russia")]),
        ("OGRN 1027739552643", [("registrationNumber", "1027739552643", None)]),
        ("Legal Entity Number 253400WSS48YWMBUA688 (Russia)",
         [("leiCode", "253400WSS48YWMBUA688", "Russia")]),
        ("the BIC is not known; phone 12345", []),
        ("", []),
    ],
)
def test_extract_identifiers(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert _found(text) == expected


def test_identifier_keeps_the_matched_text_as_label() -> None:
    found = extract_identifiers("DOB 1960; Tax ID No. 7707083893 (Russia); Gender Male")
    assert found == [Identifier("innCode", "7707083893", "Russia",
                                "Tax ID No. 7707083893 (Russia)")]


def test_check_digit_helpers() -> None:
    assert valid_inn("7707083893") and not valid_inn("7707083894")
    assert valid_ogrn("1027739552642") and not valid_ogrn("1027739552643")
    assert normalize_imo("IMO 9126819") == "IMO9126819"
    assert normalize_imo("IMO 9126818") is None
    assert valid_bic("GAZPRUMM") and not valid_bic("GAZPRUM")


@needs_shared
def test_helpers_agree_with_rigour_cases() -> None:
    """Every IMO / INN / OGRN case of rigour's public tests that our helpers cover."""
    if not BENCH.is_file():
        pytest.skip(f"{BENCH} not present")
    functions = {
        "rigour.ids.IMO.normalize": normalize_imo,
        "rigour.ids.IMO.is_valid": lambda v: normalize_imo(v) is not None,
        "rigour.ids.INN.is_valid": valid_inn,
        "rigour.ids.ogrn.OGRN.is_valid": valid_ogrn,
    }
    checked, wrong = 0, []
    for line in BENCH.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        function = functions.get(case["function"])
        if function is None:
            continue
        got = function(*case["args"])
        ok = bool(got) == bool(case["expected"]) if case["op"] == "truthy" else \
            got == case["expected"]
        checked += 1
        if not ok:
            wrong.append((case["id"], case["args"], got, case["expected"]))
    assert checked >= 70
    assert wrong == []
