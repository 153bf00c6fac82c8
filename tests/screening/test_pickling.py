"""The cached index's pickles (`pressurepoint.screening.pickling`): every slot of every
prepared record comes back, values keep their types, equal values are written once, and a
cached index read back by another process scores exactly as the index it was built as."""

from __future__ import annotations

import gc
import json
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pressurepoint.config import Settings
from pressurepoint.names.forms import NameForm, Token
from pressurepoint.resolve.features import Prepared
from pressurepoint.screening import cache, pickling
from pressurepoint.screening.building import build_parts
from pressurepoint.screening.engine import MatchQuery, ScreeningIndex
from pressurepoint.store import Store

QUERIES = [
    MatchQuery("Person", {"name": ["Sergey Lavrov"], "birthDate": ["1950-03-21"]}),
    MatchQuery("Person", {"name": ["Сергей Лавров"]}),
    MatchQuery("Person", {"name": ["Alexei Mordashov"], "nationality": ["ru"]}),
    MatchQuery("Person", {"name": ["Alexei Pushkov"]}),
    MatchQuery("Company", {"name": ["Sberbank"]}),
    MatchQuery("Company", {"name": ["Rosneft Oil Company"], "country": ["ru"]}),
    MatchQuery("Vessel", {"name": ["Ocean Star"]}),
]
SEARCHES = ["mordashov", "sergei lavrov", "bank"]


@dataclass(frozen=True, slots=True)
class Sample:
    word: str
    keys: frozenset[str] = frozenset()
    pair: tuple[int, ...] = (1, 1)
    rate: float = 0.0
    notes: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Derived(Sample):
    extra: tuple[str, ...] = ("x",)


def slots_of(obj: Any) -> Any:
    """`obj` as nested plain values with the type of each, slot by slot (compare=False
    fields included): equal only if everything came back, with its type."""
    kind = type(obj)
    if kind in (tuple, list):
        return kind.__name__, [slots_of(v) for v in obj]
    if kind is frozenset:
        return "frozenset", sorted(map(repr, obj))
    if kind is dict:
        return "dict", sorted((repr(k), slots_of(v)) for k, v in obj.items())
    if hasattr(kind, "__slots__") and not isinstance(obj, str | int | float):
        return kind.__qualname__, [(name, slots_of(getattr(obj, name)))
                                   for name in pickling.slot_names(kind)]
    return kind.__name__, repr(obj)


def test_prepared_records_come_back_whole(index: ScreeningIndex) -> None:
    back = pickle.loads(pickling.dumps(index.records))
    assert len(back) == len(index.records) > 50
    for mine, theirs in zip(index.records, back, strict=True):
        assert type(theirs) is Prepared
        assert theirs == mine and slots_of(theirs) == slots_of(mine)
    # the nested objects too, with the fields equality leaves out (NameForm.info)
    form = next(r.names[0] for r in back if r.names)
    assert isinstance(form, NameForm) and form.info
    assert all(isinstance(t, Token) for t in form.info.values())


def test_slots_with_defaults_inherited_and_unset(tmp_path: Path) -> None:
    plain = Sample("a")
    full = Derived("b", frozenset({"k", "l"}), (True, False), -0.0, {"n": 1}, ("y", "z"))
    partial = object.__new__(Sample)  # a slot never set (as a class may leave one)
    pickling._member(Sample, "word").__set__(partial, "c")
    back = pickle.loads(pickling.dumps([plain, full, partial]))
    assert slots_of(back[:2]) == slots_of([plain, full])
    assert back[1].notes == {"n": 1} and str(back[1].rate) == "-0.0"
    assert back[2].word == "c" and not hasattr(back[2], "keys")


def test_equal_values_are_written_once() -> None:
    words = ["".join(chars) for chars in (["w", "o", "r", "d"], ["w", "o", "r", "d"])]
    assert words[0] is not words[1]
    samples = [Sample(w, frozenset({w + "s", "k"}), (1, 1)) for w in words]
    samples.append(Sample("other", pair=(True, True)))  # equal to (1, 1), not the same
    back = pickle.loads(pickling.dumps(samples))
    assert back[0].word is back[1].word and back[0].keys is back[1].keys
    assert back[0].pair is back[1].pair and back[2].pair is not back[0].pair
    assert [type(v) for v in back[2].pair] == [bool, bool]
    assert [type(v) for v in back[0].pair] == [int, int]


def test_only_dataclasses_are_rebuilt() -> None:
    with pytest.raises(pickle.UnpicklingError, match="not a class the index pickles"):
        pickle.loads(pickle.dumps(_Forged(pickling.rebuild, (dict, (), ()))))


def test_a_class_whose_slots_changed_is_refused() -> None:
    """As if `Sample` had had other fields when the file was written."""
    names = pickling.slot_names(Sample)
    assert pickle.loads(pickle.dumps(_Forged(pickling.rebuild, (
        Sample, names, ("a", frozenset(), (1, 1), 0.0, {}))))) == Sample("a")
    for written in (names[:-1], (*names, "gone"), ("word", "pair", "keys", "rate", "notes")):
        values = ("a",) * len(written)
        with pytest.raises(pickle.UnpicklingError, match="slots of Sample changed"):
            pickle.loads(pickle.dumps(_Forged(pickling.rebuild, (Sample, written, values))))
    with pytest.raises(pickle.UnpicklingError, match="no slot 'gone'"):
        pickle.loads(pickle.dumps(_Forged(pickling.rebuild_some, (Sample, ("gone",), (1,)))))


@dataclass
class _Forged:
    """Pickled as the reduction it is given (as a file written by other code would be)."""

    call: Any
    args: tuple[Any, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return self.call, self.args


def test_a_cached_index_scores_as_the_built_one(screening_store: Store,
                                                 screening_settings: Settings,
                                                 tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, db_url=screening_settings.db_url)
    built, designations = build_parts(ScreeningIndex, screening_store)
    written = cache.save(settings, built, designations)
    assert pickling.rebuild.__name__.encode() in written.read_bytes()
    script = (
        "import gc, json, sys\n"
        "from pathlib import Path\n"
        "from pressurepoint.config import Settings\n"
        "from pressurepoint.screening import cache\n"
        "from tests.screening.test_pickling import answers\n"
        "settings = Settings(data_dir=Path(sys.argv[1]), db_url=sys.argv[2])\n"
        "index, designations = cache.load_fresh(settings, sys.argv[3])\n"
        "frozen = gc.get_freeze_count()\n"
        "print(json.dumps({'answers': answers(index), 'frozen': frozen,\n"
        "                  'designations': len(designations.items)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path), settings.db_url,
                           built.version], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    found = json.loads(done.stdout)
    assert found["answers"] == answers(built)
    assert found["designations"] == len(designations.items)
    # the loaded objects are out of the collector's walks
    assert found["frozen"] > len(built.records) * 5
    assert gc.isenabled()


def answers(index: ScreeningIndex) -> list[Any]:
    """Everything the queries return (ids, exact scores, explanations), as JSON values."""
    out: list[Any] = []
    for query in QUERIES:
        out.append([[h.id, h.score, h.match, h.explanation, list(h.records), h.record,
                     h.jurisdictions] for h in index.match(query, cutoff=0.0)])
    for text in SEARCHES:
        result = index.search(text)
        out.append([result.total, [[h.id, h.score] for h in result.hits], result.facets])
    return json.loads(json.dumps(out))
