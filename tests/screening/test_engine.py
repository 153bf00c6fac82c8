"""The screening engine over real fixture records of nine publishers: a name in another
spelling finds the canonical entity with every jurisdiction listing it, filters by
dataset, lifted listings, bad queries refused, full-text search with facets, rebuilds
that reuse prepared records, and an index read back from disk by another process."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from pressurepoint.analysis.designations import Designations
from pressurepoint.config import Settings
from pressurepoint.errors import InvalidInput
from pressurepoint.screening import cache
from pressurepoint.screening.building import build_parts
from pressurepoint.screening.engine import MatchQuery, ScreeningIndex
from pressurepoint.screening.version import data_version
from pressurepoint.store import Store

LAVROV = MatchQuery("Person", {"name": ["Sergey Lavrov"], "birthDate": ["1950-03-21"]})


def test_a_spelling_variant_finds_the_canonical_entity(index: ScreeningIndex) -> None:
    hits = index.match(LAVROV)
    best = hits[0]
    assert best.id.startswith("pp-") and "lavrov" in best.caption.lower()
    assert best.match and best.score >= 0.9
    assert best.jurisdictions == {"CA": "listed", "CH": "listed", "JP": "listed"}
    assert best.sources == ("ca_sema", "ch_seco", "jp_mof")
    assert set(best.records) == {"ca-sema-russia-1-part-1-505", "ch-seco-72081", "jp-mof-29-2"}
    assert best.explanation["name"] > 0.8 and best.explanation["birth_date"] > 0
    assert best.explanation["scorer"] == "pp-v2"
    assert all(h.id != best.id for h in hits[1:])  # one hit per canonical entity


def test_cyrillic_name_and_wrong_birth_year(index: ScreeningIndex) -> None:
    hits = index.match(MatchQuery("Person", {"name": ["Сергей Лавров"]}))
    assert "lavrov" in hits[0].caption.lower() and hits[0].match
    worse = index.match(MatchQuery("Person", {"name": ["Sergey Lavrov"],
                                              "birthDate": ["1971"]}), cutoff=0.0)
    assert worse[0].score < hits[0].score and worse[0].explanation["birth_date"] < 0


def test_datasets_are_sources_or_jurisdictions(index: ScreeningIndex) -> None:
    assert index.match(LAVROV, datasets={"CH"})[0].record == "ch-seco-72081"
    assert index.match(LAVROV, datasets={"jp_mof"})[0].record == "jp-mof-29-2"
    assert index.match(LAVROV, datasets={"US", "EU"}) == []
    assert index.match(LAVROV, exclude={"CA", "CH", "JP"}) == []
    with pytest.raises(InvalidInput, match="unknown dataset 'XX'"):
        index.match(LAVROV, datasets={"XX"})


def test_a_lifted_listing_is_reported_as_lifted(index: ScreeningIndex) -> None:
    hit = index.match(MatchQuery("Person", {"name": ["Alexei Pushkov"]}))[0]
    assert hit.jurisdictions == {"CH": "lifted"}


def test_threshold_limit_and_cutoff(index: ScreeningIndex) -> None:
    query = MatchQuery("Person", {"name": ["Patrushev"]})
    hits = index.match(query, limit=2, cutoff=0.0)
    assert len(hits) == 2 and hits[0].score >= hits[1].score
    assert all("patrushev" in h.caption.lower() for h in hits)
    strict = index.match(query, threshold=0.99, cutoff=0.0)
    assert not any(h.match for h in strict)
    assert all(h.score >= 0.6 for h in index.match(query, cutoff=0.6))


def test_a_company_is_not_a_person(index: ScreeningIndex) -> None:
    company = index.match(MatchQuery("Company", {"name": ["Promsvyazbank PJSC"]}))
    assert company[0].caption == "Promsvyazbank" and company[0].schema == "Company"
    assert index.match(MatchQuery("Person", {"name": ["Promsvyazbank"]})) == []


@pytest.mark.parametrize(("query", "message"), [
    (MatchQuery("Spaceship", {"name": ["x"]}), "unknown schema 'Spaceship'"),
    (MatchQuery("Person", {"shoeSize": ["44"]}), "unknown property 'shoeSize'"),
    (MatchQuery("Person", {"name": ["Ivan Petrov"], "birthDate": ["1950-02-30"]}),
     "is not a date"),
    (MatchQuery("Person", {"name": ["x" * 501]}), "longer than 500"),
    (MatchQuery("Person", {"name": ["a"] * 51}), "more than 50 values"),
    (MatchQuery("Person", {"birthDate": ["1950"]}), "no usable name"),
])
def test_bad_queries_are_refused(index: ScreeningIndex, query: MatchQuery,
                                 message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        index.match(query)


def test_search_with_facets(index: ScreeningIndex) -> None:
    result = index.search("mordashov")
    assert result.total == 4
    assert {h.caption.split()[0] for h in result.hits} == {"Alexei", "Ilya", "Kirill",
                                                           "Nikita"}
    assert result.facets["jurisdiction"] == {"CA": 4}
    assert result.facets["schema"] == {"Person": 4}
    assert index.search("mordashov", limit=1, offset=2).hits[0].id == result.hits[2].id
    assert index.search("alexei mordashov").total == 1
    assert index.search("sergei lavrov").hits[0].jurisdictions["CH"] == "listed"
    assert index.search("mordashov", datasets={"US"}).total == 0
    with pytest.raises(InvalidInput):
        index.search("   ")


def test_a_rebuild_reuses_unchanged_records(screening_store: Store,
                                            index: ScreeningIndex) -> None:
    again = ScreeningIndex.build(screening_store, previous=index)
    assert all(a is b for a, b in zip(again.records, index.records, strict=True))
    assert again.version == index.version == data_version(screening_store)
    assert again.match(LAVROV)[0] == index.match(LAVROV)[0]
    copied = pickle.loads(pickle.dumps(index))
    assert copied.match(LAVROV)[0] == index.match(LAVROV)[0]


def test_a_cached_index_serves_another_process(screening_store: Store,
                                               screening_settings: Settings,
                                               tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_url=screening_settings.db_url)
    built, designations = build_parts(ScreeningIndex, screening_store)
    cache.save(settings, built, designations)
    assert cache.load_fresh(settings) is None  # this process has matched names already
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from pressurepoint.config import Settings\n"
        "from pressurepoint.screening import cache\n"
        "from pressurepoint.screening.engine import MatchQuery\n"
        "settings = Settings(data_dir=Path(sys.argv[1]), db_url=sys.argv[2])\n"
        "index, designations = cache.load_fresh(settings, sys.argv[3])\n"
        "hits = index.match(MatchQuery('Person', {'name': ['Sergey Lavrov'], "
        "'birthDate': ['1950-03-21']}))\n"
        "print(json.dumps([[h.id, h.score, h.explanation['name']] for h in hits]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), settings.db_url,
                           built.version], capture_output=True, text=True, check=True)
    here = built.match(LAVROV)
    assert json.loads(done.stdout) == [[h.id, h.score, h.explanation["name"]] for h in here]


def test_a_cached_index_brings_the_words_it_read(screening_store: Store,
                                                 screening_settings: Settings,
                                                 tmp_path: Path) -> None:
    """The process that loads a cached index knows the words of the lists: screening a
    name of the lists in it makes no new token."""
    settings = Settings(data_dir=tmp_path, db_url=screening_settings.db_url)
    built, designations = build_parts(ScreeningIndex, screening_store)
    cache.save(settings, built, designations)
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from pressurepoint.config import Settings\n"
        "from pressurepoint.names import forms\n"
        "from pressurepoint.screening import cache\n"
        "from pressurepoint.screening.engine import MatchQuery\n"
        "settings = Settings(data_dir=Path(sys.argv[1]), db_url=sys.argv[2])\n"
        "index, _ = cache.load_fresh(settings, sys.argv[3])\n"
        "known = dict(forms._TOKENS)\n"
        "hits = index.match(MatchQuery('Thing', {'name': ['Sergey Lavrov']}))\n"
        "print(json.dumps({'known': len(known), 'below': all(\n"
        "    t.uid < index.numbers_below for t in known.values()),\n"
        "    'new': len(set(forms._TOKENS) - set(known)), 'hit': hits[0].caption}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), settings.db_url,
                           built.version], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found["known"] > 0 and found["below"]
    assert found["new"] == 0  # a query of any type reads its words as a person's
    assert "lavrov" in found["hit"].lower()


def test_names_of_any_type_share_the_words_of_persons() -> None:
    from pressurepoint.names import ANY, ORG, PERSON, analyse_name

    person, thing = analyse_name("Sergey Lavrov", PERSON), analyse_name("Sergey Lavrov", ANY)
    assert person.form is not None and thing.form is not None
    assert [t.uid for t in person.form.toks] == [t.uid for t in thing.form.toks]
    company = analyse_name("Lavrov Holding", ORG).form
    assert company is not None
    assert company.info["lavrov"].uid != person.form.info["lavrov"].uid  # read as an org's


def test_load_or_build_caches_the_index(screening_store: Store, screening_settings: Settings,
                                        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_url=screening_settings.db_url)
    built = cache.load_or_build(settings, screening_store)
    assert built.version == data_version(screening_store)
    assert (cache.folder(settings) / f"index-{built.version}.pickle").is_file()
    assert built.match(LAVROV)[0].id.startswith("pp-")


def _tracked_build(store: Store, refs: list[weakref.ref[ScreeningIndex]]
                   ) -> Callable[[], tuple[ScreeningIndex, Designations]]:
    def build() -> tuple[ScreeningIndex, Designations]:
        index, designations = build_parts(ScreeningIndex, store)
        refs.append(weakref.ref(index))
        return index, designations
    return build


def _answers(index: ScreeningIndex) -> list[list[tuple[str, float, str]]]:
    queries = [LAVROV, MatchQuery("Person", {"name": ["Alexei Mordashov"]}),
               MatchQuery("Company", {"name": ["Sberbank"]})]
    return [[(h.id, h.score, h.record) for h in index.match(q, cutoff=0.0)]
            for q in queries]


def test_a_built_index_is_served_as_read_back_from_its_cache(
        screening_store: Store, screening_settings: Settings, index: ScreeningIndex,
        tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_url=screening_settings.db_url)
    refs: list[weakref.ref[ScreeningIndex]] = []
    served = cache.build_and_cache(settings, _tracked_build(screening_store, refs))
    assert len(refs) == 1 and refs[0]() is None  # the built copy is gone, not kept
    assert cache._path(settings, served.version).is_file()
    assert _answers(served) == _answers(index)


def test_an_index_that_cannot_be_cached_or_read_back_is_still_served(
        screening_store: Store, screening_settings: Settings, index: ScreeningIndex,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    refs: list[weakref.ref[ScreeningIndex]] = []
    unwritable = Settings(data_dir=not_a_folder, db_url=screening_settings.db_url)
    served = cache.build_and_cache(unwritable, _tracked_build(screening_store, refs))
    assert refs[0]() is served  # not cached: the built index itself
    # written, but unreadable when read back: built again
    monkeypatch.setattr(cache, "_read", lambda path: None)
    settings = Settings(data_dir=tmp_path / "data", db_url=screening_settings.db_url)
    served = cache.build_and_cache(settings, _tracked_build(screening_store, refs))
    assert len(refs) == 3 and refs[2]() is served
    assert _answers(served) == _answers(index)


def test_candidates_rank_by_weight_then_lower_record_number() -> None:
    """`_best` (sorted by the dict's own lookup) ranks exactly as weight first, then the
    lower record number, whether it sorts or takes the heap."""
    import random

    from pressurepoint.screening.engine import _best

    rng = random.Random(7)
    for size in (5, 50, 500):
        # few distinct weights: many ties
        summed = {rng.randrange(10_000): rng.choice((0.5, 1.25, 2.0, 3.5))
                  for _ in range(size)}
        expected = [n for n, _ in sorted(summed.items(), key=lambda i: (-i[1], i[0]))]
        for wanted in (1, 3, 24):
            assert _best(summed, wanted) == expected[:wanted]


def test_explanations_are_written_as_json_dumps_writes_them(index: ScreeningIndex) -> None:
    import json

    from pressurepoint.screening.batch import explanation_json

    hits = index.match(MatchQuery("Person", {"name": ["Лавров Сергей Викторович"],
                                             "birthDate": ["1950-03-21"]}), limit=3)
    assert hits
    for hit in hits:
        written = explanation_json(hit.explanation)
        assert written == json.dumps(hit.explanation, ensure_ascii=False,
                                     separators=(",", ":"), default=str)
        assert "Лавров" in written


def test_hits_are_explained_as_a_full_score_explains_them(index: ScreeningIndex) -> None:
    """`match` hands the explanation the pair of names its scoring found; the
    explanation is the one a score looking for the best pair again gives."""
    from pressurepoint.screening.engine import prepare_query

    queries = [LAVROV, MatchQuery("Person", {"name": ["Лавров Сергей"]}),
               MatchQuery("Thing", {"name": ["Mordashov Alexey"]}),
               MatchQuery("Person", {"name": ["Sergei Lavroff"], "birthDate": ["1950-03-22"]})]
    explained = 0
    for query in queries:
        prepared = prepare_query(index.matcher, query)
        for hit in index.match(query, limit=5):
            number = index._record_number(hit.record)
            assert number is not None
            record = index.records[number]
            assert hit.explanation == {**index.matcher.explain(prepared, record),
                                       "threshold": hit.explanation["threshold"]}
            explained += 1
    assert explained >= len(queries)
