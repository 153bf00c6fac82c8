"""The registry's table of jurisdictions and kinds says what each source's spec says."""

from __future__ import annotations

from pressurepoint.sources import SOURCE_JURISDICTIONS, SOURCE_MODULES, get_source


def test_every_source_has_its_jurisdiction_and_kind_as_in_its_spec() -> None:
    assert set(SOURCE_JURISDICTIONS) == set(SOURCE_MODULES)
    for source_id, (jurisdiction, kind) in SOURCE_JURISDICTIONS.items():
        spec = get_source(source_id)
        assert (spec.jurisdiction, spec.kind) == (jurisdiction, kind), source_id
