"""Names of persons, organisations and vessels: clean-up, scripts, romanisation, name parts,
legal forms, and comparison.

- `analyse_name(text, kind)` → `Analysis` with a `NameForm` (skeleton tokens, key, roles);
  `name_keys(text, kind)` gives blocking keys; `compare_names(a, b)` scores two forms.
- `romanise(text, system)` spells Cyrillic under ICAO 9303, BGN/PCGN, ISO 9 (GOST 7.79 A),
  the Ukrainian 2010 system, the Belarusian systems, or the French and German conventions.
- `skeleton(token)` is the spelling-independent form of one Latin word.
"""

from pressurepoint.names.compare import Alignment, compare_names
from pressurepoint.names.cyrillic import SYSTEMS, cyrillic_language, romanise
from pressurepoint.names.forms import (
    ANY,
    KINDS,
    OBJECT,
    ORG,
    PERSON,
    Analysis,
    NameForm,
    analyse_name,
    name_keys,
)
from pressurepoint.names.orgs import split_legal_forms, strip_legal_forms
from pressurepoint.names.persons import reorder_name
from pressurepoint.names.skeleton import skeleton
from pressurepoint.names.text import (
    MAX_NAME_LENGTH,
    ascii_fold,
    clean_name,
    fold_confusables,
    is_latin,
    lower_and_remove_punctuation,
    scripts_of,
)

__all__ = [
    "ANY",
    "KINDS",
    "MAX_NAME_LENGTH",
    "OBJECT",
    "ORG",
    "PERSON",
    "SYSTEMS",
    "Alignment",
    "Analysis",
    "NameForm",
    "analyse_name",
    "ascii_fold",
    "clean_name",
    "compare_names",
    "cyrillic_language",
    "fold_confusables",
    "is_latin",
    "lower_and_remove_punctuation",
    "name_keys",
    "reorder_name",
    "romanise",
    "scripts_of",
    "skeleton",
    "split_legal_forms",
    "strip_legal_forms",
]
