from datetime import date, datetime

import pytest

from pressurepoint.ingest.cleaning import parse_date, parse_dates, split_numbered


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("24/10/1966", "1966-10-24"),
        ("1966-10-24", "1966-10-24"),
        ("2015-04-07-04:00", "2015-04-07"),
        ("07 Apr 1981", "1981-04-07"),
        ("Apr 1981", "1981-04"),
        ("1981", "1981"),
        ("2022.3.1", "2022-03-01"),
        ("dd/mm/1945", "1945"),
        ("circa 1960", "1960"),
        ("1966-13-45", None),
        ("unknown", None),
        (datetime(2024, 11, 11, 1, 1), "2024-11-11"),
        (date(1970, 1, 2), "1970-01-02"),
        (25569, "1970-01-01"),
        (1966, "1966"),
        ("00/00/1963", "1963"),
        ("00/05/1970", "1970-05"),
        ("31/02/1964", None),
    ],
)
def test_parse_date(raw: object, expected: str | None) -> None:
    assert parse_date(raw) == expected


def test_parse_dates_range_keeps_both_ends() -> None:
    assert parse_dates("1960 to 1962") == ["1960", "1962"]
    assert parse_dates("1958; 1959") == ["1958", "1959"]
    assert parse_dates("1958; nonsense") is None


def test_split_numbered() -> None:
    assert split_numbered("(1) 123456 (2) 654321") == ["123456", "654321"]
    assert split_numbered("plain") == ["plain"]
    assert split_numbered(None) == []
