"""Statement ids are FollowTheMoney's statement keys, byte for byte: history in a store
depends on the same value always getting the same id."""

from __future__ import annotations

from followthemoney.statement import Statement

from pressurepoint.model import Entity, Value, statements_of
from pressurepoint.model.statement import statement_id

CASES = [
    ("un_sc", "un-sc-6908402", "name", "ADF", None),
    ("un_sc", "un-sc-6908402", "alias", "Аллайд Демократик Форсез", "rus"),
    ("jp_mof", "jp-mof-29-1", "alias", "セルゲイ・ラブロフ", ""),
    ("ofac_sdn", "ofac-sdn-36", "notes", "a.b@c \u00e9\u0301 \U0001f600", "eng"),
    ("ofac_sdn", "ofac-sdn-36", "id", "ofac-sdn-36", None),
]


def test_statement_id_is_ftm_statement_key() -> None:
    for source, entity_id, prop, value, lang in CASES:
        expected = Statement.make_key(source, entity_id, prop, value, False, lang)
        assert statement_id(source, entity_id, prop, value, lang) == expected


def test_statements_of_keys_and_duplicates() -> None:
    entity = Entity("un-sc-6908402", "Organization")
    entity.put("name", Value("ADF"))
    entity.put("alias", Value("Allied Democratic Forces"))
    entity.put("alias", Value("Allied Democratic Forces", None, "Allied  Democratic Forces"))
    entity.put("alias", Value("Allied Democratic Forces", "eng"))
    rows = list(statements_of("un_sc", [entity]))
    assert [(r.prop, r.value, r.lang, r.original_value) for r in rows] == [
        ("id", "un-sc-6908402", None, None),
        ("name", "ADF", None, None),
        ("alias", "Allied Democratic Forces", None, None),  # the first way it was written
        ("alias", "Allied Democratic Forces", "eng", None),
    ]
    for row in rows:
        assert row.id == Statement.make_key("un_sc", row.entity_id, row.prop, row.value,
                                            False, row.lang)
        assert row.schema == "Organization" and row.source == "un_sc"
