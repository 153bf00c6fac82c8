"""OFAC's vocabulary: the remarks text of the legacy CSV, and the facts all three formats share.

The legacy CSV packs almost everything OFAC knows about a record into one remarks cell:
"DOB 07 Apr 1981; POB St. Petersburg, Russia; nationality Russia; Gender Male; Passport
640848350 (Russia); Tax ID No. 7707083893 (Russia); Linked To: X; a.k.a. 'Y'." The legacy
XML carries the same facts as typed lists (idList: idType / idNumber / idCountry,
dateOfBirthList...) and keeps only the rest as remarks; the Enhanced XML as features and
identity documents. Here every one of them becomes the same `Fact(label, value, country)`,
so that one record yields the same statements whichever format it came in.

Items are recognised by their label (OFAC's feature and document type names, longest
first). An item with no known label is kept as a note, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from followthemoney.types import registry

from pressurepoint.ingest.cleaning import collapse

EMPTY = "-0-"


@dataclass(frozen=True, slots=True)
class Fact:
    """One typed fact: OFAC's label for it, the value, and what a document states with it."""

    label: str
    value: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None

    @property
    def key(self) -> str:
        return label_key(self.label)

    def render(self) -> str:
        """The fact as the legacy CSV writes it ("Passport 123 (Russia) issued 2001")."""
        text = f"{self.label} {self.value}".strip()
        if self.country:
            text += f" ({self.country})"
        if self.issued:
            text += f" issued {self.issued}"
        if self.expires:
            text += f" expires {self.expires}"
        return text


@dataclass
class Remarks:
    """A remarks text split into typed facts, aliases, "Linked To" names and free notes."""

    facts: list[Fact] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (a.k.a./f.k.a./n.k.a., name)
    linked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Identity document types: OFAC's "ID DOCUMENT TYPE" reference values, plus older labels
# seen in the legacy files. Their values may end in "(Country)", "issued DATE", "expires DATE".
DOCUMENT_LABELS = (
    "Afghan Money Service Provider License Number", "Aircraft Serial Identification",
    "Birth Certificate Number", "Bosnian Personal ID No.", "Branch Unit Number",
    "British National Overseas Passport", "Business Number",
    "Business Registration Document #", "Business Registration Number", "C.I.F.", "C.I.N.",
    "C.R. No.", "C.U.I.", "C.U.I.P.", "C.U.I.T.", "C.U.R.P.", "C.U.R.P. #", "CNP (Personal "
    "Numerical Code)", "Cartilla de Servicio Militar Nacional", "Cedula No.",
    "Central Registration System Number", "Certificate of Incorporation Number",
    "Chamber of Commerce Number", "Chinese Commercial Code", "Citizen's Card Number",
    "Commercial Registry Number", "Company Number", "Credencial electoral", "D.N.I.",
    "Diplomatic Passport", "Driver's License No.", "Dubai Chamber of Commerce Membership No.",
    "Economic Register Number (CBLS)", "Electoral Registry No.", "Enterprise Number",
    "File Number", "Fiscal Code", "Folio Mercantil No.",
    "Global Intermediary Identification Number", "Government Gazette Number", "I.F.E.",
    "Identification Number", "Immigration No.", "Istanbul Chamber of Comm. No.",
    "Italian Fiscal Code", "Kenyan ID No.", "LE Number", "Legal Entity Number", "License",
    "MMSI", "MSB Registration Number", "Matricula Mercantil No", "Military Registration Number",
    "Moroccan Personal ID No.", "N.I.E.", "N.I.F.", "NIT #", "National Foreign ID Number",
    "National ID No.", "Numero Unico de Identificacao Tributaria (NUIT)", "Numero de Identidad",
    "Organization Code", "Paraguayan tax identification number", "Passport", "Permit Number",
    "Personal ID Card", "Pilot License Number", "Public Registration Number",
    "Public Security and Immigration No.", "R.F.C.", "R.F.C. #", "RFC", "RIF #", "RSIN",
    "RTN", "RUC #", "Refugee ID Card", "Registered Charity No.",
    "Registration Certificate Number (Dubai)", "Registration ID", "Registration Number",
    "Residency Number", "Romanian C.R.", "Romanian Permanent Resident",
    "Romanian Tax Registration", "Russian State Individual Business Registration Number "
    "Pattern (OGRNIP)", "SRE Permit No.", "SSN", "Seafarer's Identification Document",
    "Serial No.", "Stateless Person ID Card", "Stateless Person Passport", "Tarjeta Profesional",
    "Tax ID No.", "Tazkira National ID Card", "Tourism License No.", "Trade License No.",
    "Trademark number", "Travel Document Number", "Turkish Identification Number",
    "UAE Identification", "UK Company Number", "US FEIN", "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)", "V.A.T. Number", "Vessel Registration "
    "Identification", "VisaNumberID",
)

# Feature labels as the legacy CSV writes them (publishDescription where OFAC has one).
FEATURE_LABELS = (
    "DOB", "POB", "nationality", "citizen", "Gender", "Website", "Email Address", "Email",
    "Phone Number", "Phone No.", "Phone", "Telephone", "Telephone No.", "Fax", "Fax No.",
    "SWIFT/BIC", "BIK (RU)",
    "D-U-N-S Number", "ISIN", "Equity Ticker", "Issuer Name", "Target Type",
    "Organization Type:", "Organization Established Date", "Nationality of Registration",
    "Vessel Call Sign", "Other Vessel Call Sign", "Other Vessel Type", "Vessel Flag",
    "Other Vessel Flag", "Former Vessel Flag", "Vessel Owner", "Vessel Tonnage",
    "Vessel Gross Registered Tonnage", "Vessel Year of Build",
    "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Manufacture Date",
    "Aircraft Model", "Aircraft Operator", "Aircraft Tail Number",
    "Previous Aircraft Tail Number", "Aircraft Mode S Transponder Code", "UN/LOCODE",
    "MICEX Code", "Additional Sanctions Information -", "Secondary sanctions risk:",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
    "CAATSA Section 235 Information:", "IFCA Determination -", "PEESA Information:",
    "Executive Order 13846 information:", "Executive Order 14059 information:",
    "Executive Order 14014 Directive Information:", "Linked To:",
)

# Label families whose wording carries a number or a code.
_PATTERN_LABELS = (
    r"Executive Order \d+ Directive Determination -",
    r"Executive Order \d+ Directive Information(?: -|:)?",
    r"(?:Listing|Effective) Date \([^()]*\):?",
    r"Purchase/Sales For Divestment Date \([^()]*\):?",
    r"Digital Currency Address - [A-Za-z0-9]+",
)

_ALIAS_ITEM = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*,?\s*'(.*)'$", re.I | re.S)
_ALT = re.compile(r"^alt\.\s+", re.I)
_SEPARATOR = re.compile(r";\s*")
_LABEL_RE = re.compile(
    "^(?P<label>"
    + "|".join([*_PATTERN_LABELS, *(re.escape(lb) for lb in sorted(
        {*DOCUMENT_LABELS, *FEATURE_LABELS}, key=len, reverse=True))])
    + r")(?=\s|$)\s*(?P<value>.*)$",
    re.I | re.S,
)
_DOCUMENT_KEYS = frozenset(lb.lower() for lb in DOCUMENT_LABELS)
_DATE = r"(?:\d{1,2}\s+)?(?:[A-Za-z]{3,9}\.?\s+)?\d{4}"
_DOC_TAIL = re.compile(
    rf"^(?P<number>.*?)(?:\s*\((?P<country>[^()]*)\))?"
    rf"(?:\s+issued\s+(?P<issued>{_DATE}))?(?:\s+expires\s+(?P<expires>{_DATE}))?$",
    re.S,
)
_PROSE = re.compile(r"\b[a-z]{3,}\b")
# Values OFAC writes where it knows nothing: no fact.
PLACEHOLDERS = frozenset({"undetermined", "none identified", "unknown", "not known"})
# Canonical keys: the CSV's short forms and the XML formats' full type names meet here.
_KEY_ALIASES = {
    "dob": "birthdate",
    "pob": "place of birth",
    "nationality": "nationality country",
    "citizen": "citizenship country",
    "c.u.r.p. #": "c.u.r.p.",
    "r.f.c. #": "r.f.c.",
}
_CANONICAL_LABEL = {
    "dob": "Birthdate", "pob": "Place of Birth", "nationality": "Nationality Country",
    "citizen": "Citizenship Country",
}


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """The canonical lower-case key of an OFAC label ("Organization Type:" -> "organization
    type", "DOB" -> "birthdate")."""
    key = re.sub(r"[\s:\-]+$", "", collapse(label).replace("\u2019", "'")).lower()
    return _KEY_ALIASES.get(key, key)


@lru_cache(maxsize=4096)
def is_country(text: str) -> bool:
    """True if FtM reads the text as a country ("Russia", "Korea, North")."""
    return registry.country.clean(text) is not None


@lru_cache(maxsize=4096)
def is_document(label: str) -> bool:
    key = collapse(label).lower()
    return key in _DOCUMENT_KEYS


def is_number_like(value: str) -> bool:
    """A document number has a digit and no prose in it ("and National ID were issued in
    Ulm" after "Passport" is a remark, not a passport number)."""
    return any(ch.isdigit() for ch in value) and _PROSE.search(value) is None


def clean_text(value: str | None) -> str:
    """Free text as compared across formats: one line, without a closing full stop."""
    return collapse(value).rstrip(" .;").strip()


def is_empty(value: str | None) -> bool:
    return value is None or value.strip() in ("", EMPTY)


def split_items(text: str) -> list[str]:
    """Remarks items: the text split at "; " (OFAC's separator)."""
    return [item.strip() for item in _SEPARATOR.split(text) if item.strip(" ;.")]


# Remarks already read, by (text, title). Most records of a list are the same in the next
# version (the SDN CSV: 90% of the rows between two files of the mirror), and reading a
# remarks text is about a tenth of the time of a whole OFAC CSV parse. Bounded: cleared
# when it holds more than a few versions' worth.
_REMARKS_MEMO: dict[tuple[str | None, str | None], Remarks] = {}
_REMARKS_MEMO_SIZE = 60_000


def parse_remarks(text: str | None, title: str | None = None) -> Remarks:
    """Split a remarks text into facts, aliases, linked names and notes.

    `title` is the record's title column: OFAC repeats it as a bare remarks item, which is
    then not a note. A closing "." of the whole text (the CSV adds one) is not part of the
    last value. The result is shared by every call with the same text: read it, never
    change it.
    """
    key = (text, title)
    found = _REMARKS_MEMO.get(key)
    if found is None:
        if len(_REMARKS_MEMO) >= _REMARKS_MEMO_SIZE:
            _REMARKS_MEMO.clear()
        found = _REMARKS_MEMO[key] = _read_remarks(text, title)
    return found


def _read_remarks(text: str | None, title: str | None) -> Remarks:
    result = Remarks()
    if is_empty(text):
        return result
    body = collapse(text)
    body = body[:-1] if body.endswith(".") else body
    skip = clean_text(title).lower() if title else None
    for raw in split_items(body):
        _read_item(raw, result, skip)
    return result


def _read_item(raw: str, result: Remarks, skip: str | None) -> None:
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1].strip()  # legacy XML remarks: "(Linked To: X)"
    item = _ALT.sub("", raw)
    if alias := _ALIAS_ITEM.match(item):
        name = collapse(alias.group(2))
        if name:
            result.aliases.append((alias.group(1).lower(), name))
        return
    match = _LABEL_RE.match(item)
    if match is None:
        note = clean_text(item)
        if note and note.lower() != skip:
            result.notes.append(note)
        return
    label, value = match.group("label"), match.group("value").strip()
    if label_key(label) == "linked to":
        name = clean_text(value)
        if name:
            result.linked.append(name)
        return
    if not value:
        result.notes.append(clean_text(item))
        return
    result.facts.append(make_fact(_CANONICAL_LABEL.get(label.lower(), label), value))


def make_fact(label: str, value: str, country: str | None = None, issued: str | None = None,
              expires: str | None = None, *, split: bool = True) -> Fact:
    """A fact from a label and its text. With `split`, a document's text is split into number,
    country and dates (the CSV writes "L 191609 (Lebanon) issued 28 Feb 1996" in one value);
    a bracketed word that is no country stays in the number ("HRA 738077 (Stuttgart)")."""
    value = collapse(value)
    if split and is_document(label) and country is None and issued is None and expires is None:
        match = _DOC_TAIL.match(value)
        if match and match.group("number"):
            number, country = match.group("number").strip(), _opt(match.group("country"))
            if country and not is_country(country):
                number, country = f"{number} ({country})", None
            return Fact(label, number, country, _opt(match.group("issued")),
                        _opt(match.group("expires")))
    return Fact(label, value, _opt(country), _opt(issued), _opt(expires))


def _opt(value: str | None) -> str | None:
    value = collapse(value)
    return value or None


def split_programs(raw: str | None) -> list[str]:
    """"RUSSIA-EO14024] [UKRAINE-EO13662" -> ["RUSSIA-EO14024", "UKRAINE-EO13662"]."""
    if is_empty(raw):
        return []
    assert raw is not None
    parts = re.split(r"\]\s*\[", raw.strip().strip("[]"))
    return [collapse(p) for p in parts if collapse(p)]


def split_person_name(name: str) -> tuple[str, str] | None:
    """(last name, first names) of "LAST, First Middle" when the split is clear: exactly one
    comma with text on both sides."""
    parts = name.split(",")
    if len(parts) != 2:
        return None
    last, first = collapse(parts[0]), collapse(parts[1])
    if not last or not first:
        return None
    return last, first


# -- what each label means ------------------------------------------------------------
# Canonical key -> FtM property of the listed party. A schema without the property keeps
# the fact as a note ("Birthdate 1990" on a company), or uses PROP_FALLBACK.
FEATURE_PROPS: dict[str, str] = {
    "birthdate": "birthDate", "place of birth": "birthPlace",
    "nationality country": "nationality", "citizenship country": "citizenship",
    "gender": "gender", "title": "position", "website": "website", "email address": "email",
    "email": "email", "phone": "phone", "phone number": "phone", "phone no.": "phone",
    "telephone": "phone",
    "telephone no.": "phone", "fax": "phone",
    "fax no.": "phone", "swift/bic": "swiftBic", "bik (ru)": "bikCode",
    "d-u-n-s number": "dunsCode", "isin": "isinCode", "equity ticker": "ticker",
    "issuer name": "alias", "target type": "classification", "organization type": "sector",
    "organization established date": "incorporationDate",
    "nationality of registration": "jurisdiction",
    "vessel call sign": "callSign", "other vessel call sign": "callSign",
    "vessel type": "type", "other vessel type": "type", "vessel flag": "flag",
    "other vessel flag": "flag", "former vessel flag": "pastFlags",
    "vessel tonnage": "tonnage", "vessel gross registered tonnage": "grossRegisteredTonnage",
    "vessel year of build": "buildDate", "aircraft manufacture date": "buildDate",
    "aircraft model": "model", "aircraft manufacturer's serial number (msn)": "serialNumber",
    "aircraft construction number (also called l/n or s/n or f/n)": "serialNumber",
    "aircraft tail number": "registrationNumber",
    "previous aircraft tail number": "registrationNumber",
}
PROP_FALLBACK = {"nationality": "country", "citizenship": "country", "jurisdiction": "country",
                 "flag": "country"}
# Facts FtM has no property for (a vessel owner or aircraft operator is named, not linked,
# here): kept as notes in the form the CSV writes them.
NOTE_KEYS = frozenset({
    "vessel owner", "aircraft operator", "aircraft mode s transponder code", "un/locode",
    "micex code", "location",
})
# Document type key -> FtM property; every other document type is an idNumber.
DOCUMENT_PROPS: dict[str, str] = {
    **dict.fromkeys((
        "passport", "diplomatic passport", "british national overseas passport",
        "stateless person passport", "travel document number"), "passportNumber"),
    "ssn": "socialSecurityNumber",
    **dict.fromkeys((
        "tax id no.", "r.f.c.", "rfc", "ruc #", "c.i.f.", "c.u.i.t.", "italian fiscal code",
        "fiscal code", "paraguayan tax identification number", "romanian tax registration",
        "nit #", "rif #", "us fein", "n.i.f.", "rtn",
        "numero unico de identificacao tributaria (nuit)"), "taxNumber"),
    "v.a.t. number": "vatCode",
    **dict.fromkeys((
        "registration number", "registration id", "business registration number",
        "business registration document #", "company number", "uk company number",
        "public registration number", "commercial registry number",
        "certificate of incorporation number", "chamber of commerce number", "c.r. no.",
        "romanian c.r.", "le number", "enterprise number", "business number",
        "istanbul chamber of comm. no.", "dubai chamber of commerce membership no.",
        "registered charity no.", "folio mercantil no.", "matricula mercantil no",
        "central registration system number", "economic register number (cbls)",
        "registration certificate number (dubai)", "branch unit number", "organization code",
        "msb registration number", "rsin", "government gazette number"),
        "registrationNumber"),
    **dict.fromkeys((
        "license", "trade license no.", "tourism license no.", "pilot license number",
        "afghan money service provider license number", "driver's license no.",
        "permit number", "sre permit no."), "licenseNumber"),
    "legal entity number": "leiCode",
    "unified social credit code (uscc)": "uscCode",
    "united social credit code certificate (usccc)": "uscCode",
    "vessel registration identification": "imoNumber",
    "mmsi": "mmsi",
    "aircraft serial identification": "serialNumber",
    "global intermediary identification number": "giiNumber",
    "russian state individual business registration number pattern (ogrnip)": "ogrnCode",
}
# Facts about the designation rather than the party: Sanction provisions (as written), and
# the dates OFAC states for a list or directive.
_PROVISION_PREFIXES = (
    "secondary sanctions risk", "additional sanctions information",
    "transactions prohibited for persons owned or controlled", "caatsa section",
    "ifca determination", "peesa information", "executive order",
    "purchase/sales for divestment date", "listing date", "effective date",
)
SANCTION_DATES = {"listing date": "listingDate", "effective date": "startDate"}


def is_provision(key: str) -> bool:
    return key.startswith(_PROVISION_PREFIXES)


def sanction_date_prop(key: str) -> str | None:
    """listingDate / startDate for "Listing Date (...)" / "Effective Date (...)" facts."""
    for prefix, prop in SANCTION_DATES.items():
        if key.startswith(prefix):
            return prop
    return None


def alias_prop(kind: str, weak: bool = False) -> str:
    """FtM property of an alias: "fka" -> previousName, weak -> weakAlias, else alias."""
    plain = re.sub(r"[^a-z]", "", kind.lower())
    if plain == "fka":
        return "previousName"
    return "weakAlias" if weak else "alias"


# -- one record, whatever the format ----------------------------------------------------
@dataclass
class OfacRecord:
    """One OFAC entry as read from any of the three formats, before it becomes entities."""

    ent_num: str
    kind: str  # individual / entity / vessel / aircraft (any case; CSV "-0-" = entity)
    name: str
    location: str
    first_name: str | None = None
    last_name: str | None = None
    titles: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    names: list[tuple[str, str, str | None]] = field(default_factory=list)  # prop, name, lang
    addresses: list[tuple[str, str | None]] = field(default_factory=list)  # line, country
    facts: list[Fact] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # type, ent_num, name
    notes: list[str] = field(default_factory=list)
    sanction: dict[str, list[str]] = field(default_factory=dict)  # extra Sanction values

    def add_alias(self, kind: str, name: str, weak: bool = False) -> None:
        if collapse(name):
            self.names.append((alias_prop(kind, weak), collapse(name), None))

    def add_address(self, line: str, country: str | None) -> None:
        """An address as "line, country"; a bare country is only a country, no address."""
        country = None if is_empty(country) else collapse(country)
        if country and country.lower() in PLACEHOLDERS:
            country = None
        if line or country:
            self.addresses.append((", ".join(p for p in (line, country) if p) if line else "",
                                   country))

    def add_remarks(self, remarks: Remarks) -> None:
        """Facts, weak aliases, links and notes from a remarks text."""
        self.facts.extend(remarks.facts)
        for kind, name in remarks.aliases:
            self.add_alias(kind, name, weak=True)
        self.linked.extend(remarks.linked)
        self.notes.extend(remarks.notes)


def address_line(street: list[str | None], city: str | None, state: str | None,
                 postal: str | None) -> str:
    """An address without its country, in the legacy CSV's form: "street1, street2, city,
    state postal" (add.csv holds "street1, street2" and "city, state postal")."""
    parts = [collapse(p) for p in street if not is_empty(p)]
    place = ", ".join(collapse(p) for p in (city, state) if not is_empty(p))
    place = " ".join(p for p in (place, collapse(postal) if not is_empty(postal) else "") if p)
    return ", ".join(p for p in (*parts, place) if p)
