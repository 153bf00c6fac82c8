"""Organisation names: legal forms, quotes, stop-words and generic words.

Legal forms are recognised by rigour's organisation-type database (ISO 20275 plus OCCRP's
list), which knows the Russian, Ukrainian and Belarusian forms in Cyrillic and in
transliteration: "ООО", "OOO", "Obshchestvo s Ogranichennoi Otvetstvennostyu", "TOV",
"Limited Liability Company" and "LLC" all become the generic form ``llc``; АО, ПАО, ЗАО,
OAO, PJSC and "Joint Stock Company" become ``jsc``. Companies change between such forms
(ZAO → AO, OAO → PAO) without becoming other companies, so the generic form is what is
compared.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.names import extract_org_types, remove_org_prefixes, remove_org_types

from pressurepoint.names.skeleton import skeleton
from pressurepoint.names.text import ascii_fold

#: Words that carry no identity in an organisation name, in the languages of the lists
#: (as skeletons): dropped before comparison.
#: Single letters are not in the list: "V. Shipping" holds an initial.
STOPWORDS = frozenset(skeleton(ascii_fold(w)) for w in (
    "the", "of", "and", "for", "in", "on", "at", "to", "by", "an", "und", "der", "die",
    "das", "fur", "für", "et", "de", "la", "le", "les", "des", "du", "del", "los", "las",
    "po", "na", "pri", "im", "imeni",
))
#: Cyrillic stop-words, dropped before transliteration (after it, "и" and "в" would look
#: like initials).
CYRILLIC_STOPWORDS = frozenset(("и", "в", "с", "к", "у", "о", "по", "на", "при", "им", "имени",
                                "та", "з", "і"))
#: Words common to thousands of company names: kept, but weigh like an initial, so that
#: "Caribbean Trading Ltd" and "Pacific Trading Ltd" are told apart by what differs.
GENERIC_WORDS = frozenset(skeleton(ascii_fold(w)) for w in (
    "company", "co", "corp", "corporation", "group", "holding", "holdings", "trading", "trade",
    "shipping", "international", "industries", "industrial", "services", "service",
    "enterprise", "enterprises", "investments", "investment", "management", "logistics",
    "solutions", "technologies", "technology", "global", "general", "partners", "airlines",
    "limited", "firm", "kompaniia", "gruppa", "predpriiatie", "obedinenie", "zavod",
    "kombinat", "tovarystvo", "organization", "organisation",
))

#: Abbreviations of organisation words, read as the word ("KOREAN POLISH SHPG CO LTD" is
#: "Korean Polish Shipping Company Limited").
ABBREVIATIONS = {
    "co": "company", "cos": "companies", "corp": "corporation", "shpg": "shipping",
    "intl": "international", "natl": "national", "mfg": "manufacturing", "assn": "association",
    "assoc": "association", "dept": "department", "univ": "university", "inst": "institute",
    "ind": "industries", "inds": "industries", "bros": "brothers", "tech": "technology",
    "svcs": "services", "mgmt": "management", "invest": "investment", "grp": "group",
}


@lru_cache(maxsize=50_000)
def split_legal_forms(name: str) -> tuple[str, tuple[str, ...]]:
    """The name without its legal forms, and their generic forms in order.

    "ООО «Ромашка»" → ("«ромашка»", ("llc",)). The name is case-folded (rigour matches on
    case-folded text). If removing the forms would leave nothing, the name is kept whole.
    """
    folded = name.casefold()
    found = tuple(generic for _, generic in extract_org_types(folded, generic=True))
    if not found:
        return folded, ()
    rest = " ".join(str(remove_org_types(folded, replacement=" ")).split())
    if not any(ch.isalnum() for ch in rest):
        return folded, ()
    return rest, found


def strip_legal_forms(name: str) -> str:
    """The name with legal forms removed, case kept: "SAI ADVISORS INC." → "SAI ADVISORS"."""
    return " ".join(str(remove_org_types(name, replacement=" ")).split())


def remove_article(name: str) -> str:
    """A leading article removed ("The Charitable Trust" → "Charitable Trust"), via rigour."""
    return str(remove_org_prefixes(name))
