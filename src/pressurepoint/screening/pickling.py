"""Pickles of the screening index that load fast (a server's start waits for the load).

The prepared records are ~230,000 frozen, slotted dataclasses (`Prepared`, `NameForm`,
`Token`, `NameSet`, `Vocabulary`), holding some three million strings, tuples and
frozensets. Pickle's default way back for a frozen slotted dataclass is Python code that
calls `dataclasses.fields()` for every object; about half of the load. `IndexPickler`
writes them instead as `rebuild(cls, slot names, values)`, where `rebuild` fills the
slots through setters made once per class: the records load about twice as fast. The
slot names (written once per class) are checked against the class: a file written
before a field was added, removed or renamed is refused, never read into the wrong
slots.

It also writes equal strings, and equal tuples and frozensets of plain values, once: the
names engine makes a fresh object for every word key and key set of every record, and
pickle keeps only objects that are the same object. Fewer objects load faster and take
less memory (one shared copy for all the records that hold it).

What it writes is read back by plain `pickle.load`: `rebuild` is found by its name, so the
reader needs nothing but this module importable.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import operator
import pickle
import threading
import types
from collections.abc import Callable, Iterable
from typing import IO, Any

#: What dataclasses gives a frozen dataclass with slots (the reducer replaces exactly it:
#: a class that pickles itself in its own way is left alone). None where dataclasses no
#: longer has it: every class is then pickled the default way.
_DATACLASS_GETSTATE = getattr(dataclasses, "_dataclass_getstate", None)

SLOTTED, PLAIN, OTHER = "slotted", "plain", "other"  # how IndexPickler writes a class
Builder = Callable[[tuple[Any, ...]], Any]
_builders: dict[tuple[type, tuple[str, ...]], Builder] = {}
_builders_lock = threading.Lock()


def dump(body: object, out: IO[bytes]) -> None:
    """Pickle `body` to `out` (see the module docstring)."""
    IndexPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(body)


def dumps(body: object) -> bytes:
    buffer = io.BytesIO()
    dump(body, buffer)
    return buffer.getvalue()


class IndexPickler(pickle.Pickler):
    """A pickler that writes frozen slotted dataclasses as `rebuild` calls and shares
    equal immutable values (see the module docstring). One per file: the values it shares
    are kept until it is dropped."""

    def __init__(self, out: IO[bytes], protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        super().__init__(out, protocol=protocol)
        self._share = _Sharing()
        self._kinds: dict[type, str] = {}
        self._readers: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
        self._names: dict[type, tuple[str, ...]] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        kind = self._kinds.get(cls)
        if kind is None:
            kind = self._kinds[cls] = (SLOTTED if _is_slotted_dataclass(cls) else
                                       PLAIN if _is_plain_dataclass(cls) else OTHER)
        share = self._share
        if kind is SLOTTED:
            read = self._readers.get(cls)
            if read is None:
                read = self._readers[cls] = _reader(cls)
                # one tuple object per class: pickled once, then referred to
                self._names[cls] = slot_names(cls)
            try:
                values = read(obj)
            except AttributeError:  # a slot never set: it stays unset
                names = tuple(n for n in slot_names(cls) if hasattr(obj, n))
                return rebuild_some, (cls, names, tuple(share.values(
                    getattr(obj, n) for n in names)))
            return rebuild, (cls, self._names[cls], tuple(share.values(values)))
        if kind is PLAIN:
            # the default reduction (object's NEWOBJ and a dict loaded by C code), with its
            # values shared
            state = dict(zip(vars(obj), share.values(vars(obj).values()), strict=True))
            return copyreg.__newobj__, (cls,), state  # type: ignore[attr-defined]
        return NotImplemented


def rebuild(cls: type, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """An object of the slotted class `cls` with `values` in its slots `names` (all of
    them, in `slot_names` order: else the class changed since it was written, and
    UnpicklingError says so), made without calling its `__init__` (as pickle does)."""
    builder = _builders.get((cls, names))
    if builder is None:
        builder = _builder(cls, names)
    return builder(values)


def rebuild_some(cls: type, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """An object of `cls` of which only the slots `names` were set."""
    if not _is_slotted_dataclass(cls):
        raise pickle.UnpicklingError(f"not a class the index pickles: {cls!r}")
    obj: Any = object.__new__(cls)
    for name, value in zip(names, values, strict=True):
        _member(cls, name).__set__(obj, value)
    return obj


def slot_names(cls: type) -> tuple[str, ...]:
    """Every slot of `cls`, its bases' first (not __dict__ nor __weakref__)."""
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("__slots__", ())
        for name in (declared,) if isinstance(declared, str) else declared:
            if name not in ("__dict__", "__weakref__") and name not in names:
                names.append(name)
    return tuple(names)


def _reader(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function of an object of `cls` that gives the values of its slots (`slot_names`
    order); AttributeError if one is not set."""
    names = slot_names(cls)
    if len(names) == 1:
        return lambda obj: (getattr(obj, names[0]),)
    if not names:
        return lambda obj: ()
    read: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
    return read


def _member(cls: type, name: str) -> types.MemberDescriptorType:
    """The descriptor that stores slot `name` of `cls` (a frozen class's own setattr
    refuses; the descriptor does not)."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if isinstance(found, types.MemberDescriptorType):
            return found
    raise pickle.UnpicklingError(f"{cls.__qualname__} has no slot {name!r} (any more)")


def _builder(cls: type, names: tuple[str, ...]) -> Builder:
    """A function of `values` that makes the object, its slots set one by one, made once
    per class: unrolled code (as dataclasses writes `__init__`) runs ~30% faster than a
    loop over the slots, on the 230,000 objects of a full index."""
    if not _is_slotted_dataclass(cls):
        raise pickle.UnpicklingError(f"not a class the index pickles: {cls!r}")
    if names != slot_names(cls):
        raise pickle.UnpicklingError(f"the slots of {cls.__qualname__} changed since the "
                                     "file was written")
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = ["def build(values):", "    obj = new(cls)"]
    if names:
        lines.append("    " + "".join(f"v{n}, " for n in range(len(names))) + "= values")
    for n, name in enumerate(names):
        scope[f"set{n}"] = _member(cls, name).__set__
        lines.append(f"    set{n}(obj, v{n})")
    lines.append("    return obj")
    exec("\n".join(lines), scope)  # the code names nothing but numbered locals
    builder: Builder = scope["build"]
    with _builders_lock:
        return _builders.setdefault((cls, names), builder)


def _is_slotted_dataclass(cls: type) -> bool:
    """A frozen dataclass with slots that pickles the dataclasses way."""
    return (_DATACLASS_GETSTATE is not None and "__slots__" in cls.__dict__
            and dataclasses.is_dataclass(cls)
            and getattr(cls, "__getstate__", None) is _DATACLASS_GETSTATE
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__)


def _is_plain_dataclass(cls: type) -> bool:
    """A dataclass with a __dict__ that pickles the default way."""
    return (dataclasses.is_dataclass(cls) and "__slots__" not in cls.__dict__
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and cls.__getstate__ is object.__getstate__
            and not hasattr(cls, "__setstate__"))


#: The scalar types a shared tuple may hold (not floats: -0.0 equals 0.0 and would be
#: shared as it).
_SCALARS = frozenset({str, int, bool, type(None)})
_STRINGS = frozenset({str})


class _Sharing:
    """One object per distinct value: strings, frozensets of strings, and tuples of
    strings, whole numbers, booleans and None (nested too), among the values of the
    dataclasses' fields. Tuples are told apart by the types of what they hold, so that
    (1,) and (True,), which are equal, stay what they were. Anything else (mutable, or
    not plain) is kept as it is."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self._texts: dict[tuple[str, ...], tuple[str, ...]] = {}  # tuples of strings
        self._tuples: dict[tuple[object, tuple[Any, ...]], tuple[Any, ...]] = {}

    def values(self, values: Iterable[Any]) -> list[Any]:
        """`values`, each shared (what the pickler calls for each object: the loop is
        written out, as it runs for some three million values of a full index)."""
        strings, sets, texts = self._strings, self._sets, self._texts
        out = []
        for value in values:
            kind = type(value)
            if kind is str:
                value = strings.setdefault(value, value)
            elif kind is frozenset:
                value = sets.get(value) or self._set(value)
            elif kind is tuple:
                value = texts.get(value) or self._tuple(value)
            out.append(value)
        return out

    def _set(self, value: frozenset[Any]) -> frozenset[Any]:
        # the first of equal sets is kept as it is: its strings are mostly the same
        # objects as those of the others already (made once by the names engine)
        if not value or not _STRINGS.issuperset(map(type, value)):
            return value
        return self._sets.setdefault(value, value)

    def _tuple(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if value and _STRINGS.issuperset(map(type, value)):  # most: nothing to tell apart
            texts = self._strings
            return self._texts.setdefault(value, tuple([texts.setdefault(v, v)
                                                        for v in value]))
        shape = _shape(value)
        if shape is None:
            return value
        key = (shape, value)
        found = self._tuples.get(key)
        if found is None:
            found = self._tuples[key] = tuple(self.values(value))
        return found


def _shape(value: tuple[Any, ...]) -> tuple[object, ...] | None:
    """The types of what a tuple holds (nested tuples by their own shape); None if it
    holds anything else."""
    kinds = tuple(map(type, value))
    if _SCALARS.issuperset(kinds):
        return kinds
    shape: list[object] = []
    for member, kind in zip(value, kinds, strict=True):
        if kind is tuple:
            inner = _shape(member)
            if inner is None:
                return None
            shape.append(inner)
        elif kind in _SCALARS:
            shape.append(kind)
        else:
            return None
    return tuple(shape)
