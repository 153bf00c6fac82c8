"""The gap matrix over a real, full list (Canada's, 2025-09-22) agrees with the raw
records: a sample of records, each listed by CA with the file's listing date and regime,
and the number of Russia-regime entities equal to the file's."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from pressurepoint.analysis.designations import load_designations
from pressurepoint.analysis.gaps import Query, matrix
from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import SHARED_DATA, needs_shared

FILE = SHARED_DATA / "sanctions" / "ca_sema" / "2025-09-22" / "sema-lmes.xml.gz"


def _text(record: ET.Element, tag: str) -> str:
    return (record.findtext(tag) or "").strip()


@needs_shared
def test_matrix_agrees_with_raw_canadian_records(store: Store,
                                                 store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ca_sema", FILE, published="2025-09-22"))
    with gzip.open(FILE) as handle:
        records = ET.parse(handle).getroot().findall("record")
    data = load_designations(store)
    by_record = {d.record_id: d for d in data.items}
    rows = {r.target.id: r for r in matrix(data, Query(include_all=True))}
    sample = records[::97]
    assert len(sample) > 40
    for record in sample:
        schedule = f" Schedule {_text(record, 'Schedule')};" if _text(record, "Schedule") \
            else ""
        key = f"{_text(record, 'Country')};{schedule} Item {_text(record, 'Item')}"
        designation = by_record[key]
        assert designation.status == "listed", key
        assert designation.programs == [_text(record, "Country")]
        if _text(record, "DateOfListing"):
            assert designation.since == _text(record, "DateOfListing")[:10], key
        cell = rows[designation.canonical].cells["CA"]
        assert cell.status == "listed" and designation in cell.designations
    russia = {d.record_id for d in data.items if d.programs == ["Russia / Russie"]}
    assert len(russia) == 2737  # MANIFEST: 2737 records with Country 'Russia / Russie'
    listed = matrix(data, Query(regimes=["russia / russie"], include_all=True))
    assert sum(len(r.cells["CA"].designations) for r in listed) == len(russia)
