"""Japan Ministry of Finance: list of persons subject to asset freezes under the Foreign
Exchange and Foreign Trade Act (shisantouketsu<YYYYMMDD>.xlsx).

The workbook has an index sheet (一覧) and one sheet per regime, named "<number>.<regime>",
e.g. `29.ロシア連邦(個人)`. A regime sheet has one or more title/note rows, a header row
(found by its labels 告示日付 / 告示番号 / 日本語表記 / 英語表記, not by its position) and one
row per designation. Columns differ between sheets; they are mapped by label (COLUMNS).

Which rows become records:
- a row with a notice number (告示番号) is one designation; its id is
  jp-mof-<sheet number>-<notice number> ("1(*186)" and "*1" are number 1: the marks refer
  to the same target's number in another regime sheet and are kept as a note);
- a row whose notice date says 削除 (deleted) is a designation lifted on that date: the
  publisher keeps the number but blanks the name; we keep a target with the same id, so
  its earlier versions in the store get their end date;
- rows with neither notice date, number nor name but other text continue the record above
  (the Somalia sheet spreads one record's remarks over many rows): joined to it;
- title rows above the header, blank rows, and sheets marked 【解除】 (regime abolished,
  holding only a title and the date of abolition) are not data and are skipped silently;
- any other row without a notice number is a broken record: an Issue.

Whether a target is a person or an organisation comes from the sheet (個人 = individuals,
団体 = entities, 特定銀行 = specified banks); sheets covering both (Taliban, terrorists,
Somalia...) decide per row: a row with a birth date, birthplace, nationality, passport,
title or position is a Person, else a LegalEntity.

The publication date is the date in the file name under which MOF serves the file
(shisantouketsu20260305.xlsx -> 2026-03-05); docProps/core.xml is the fallback.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse, parse_date
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.identifiers import extract_identifiers
from pressurepoint.ingest.parsers.au_dfat import (
    add_identifier,
    core_modified,
    free_text_dates,
    russian_code,
)
from pressurepoint.ingest.xlsx import open_workbook
from pressurepoint.model import Entity, Value

SOURCE_URL = ("https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/"
              "economic_sanctions/list.html")
JAPANESE = "jpn"
INDEX_SHEET = "一覧"
HEADER_SEARCH_ROWS = 8

# Field -> its header labels (NFKC, whitespace removed; space-separated here).
_FIELD_LABELS = {
    "notice_dates": "告示日付", "number": "告示番号", "name_jpn": "日本語表記",
    "name_en": "英語表記",
    "alias": "別名 別称 別名・別称 別称・別名 別称・旧称 確定可能な別名",
    "previousName": "旧称 旧称・以前の呼称 以前の別名 過去の別名",
    "weakAlias": "確定に十分でない別名", "title": "称号", "position": "肩書 肩書等 役職",
    "dob": "生年月日", "dob_pob": "生年月日・出生地", "pob": "出生地 出生地・出身地",
    "nationality": "国籍", "passport": "旅券番号", "id": "ID番号 身分登録番号 身分証番号",
    "address": "住所 住所・所在地 所在地 住所等 活動地域・住所 所在地・住所登録された事務所の住所",
    "un_date": "国連制裁員会による指定日 国連制裁委員会による指定日 リスト掲載日",
    "un_ref": "国連参照番号", "notes": "その他の情報 詳細", "reason": "決議1483上の根拠 指定の根拠",
    "phone": "電話 電話番号", "fax": "FAX",
}
COLUMNS = {label: key for key, labels in _FIELD_LABELS.items() for label in labels.split()}
REQUIRED = {"notice_dates": "告示日付", "number": "告示番号", "name_jpn": "日本語表記",
            "name_en": "英語表記"}
NOTE_FIELDS = ("phone", "fax")  # kept as "<label>: <value>" notes
PERSON_FIELDS = ("dob", "dob_pob", "pob", "nationality", "passport", "title", "position")
UNKNOWN = {"", "不明", "なし", "無し", "-", "－", "—"}

_JP_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SHEET_NUMBER = re.compile(r"^\s*(\d+)\s*[.．]")
_NOTICE_NUMBER = re.compile(r"^[*#]?(\d+)")
_FILE_DATE = re.compile(r"(20\d{2})(\d{2})(\d{2})")
_LETTERED = re.compile(r"[(（]\s*[a-zA-Z©]\s*[)）]|©")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_ORIGINAL_SCRIPT = re.compile(r"[(（]\s*original script\s*[：:]\s*([^()（）]*)[)）]", re.I)
_ALIAS_LABEL = re.compile(r"[(（]\s*(別称|別名\d*|旧称)\s*[)）、,]?|\b([af])\.k\.a\.?\s*:?", re.I)
_JP_AND_LATIN = re.compile(r"^(.*?[\u3040-\u30ff\u3400-\u9fff].*?)\s*\(([^()]*[A-Za-z][^()]*)\)$")
_JP_DATE = re.compile(r"(?:(?P<era>明治|大正|昭和|平成|令和)\s*(?P<ey>\d{1,2}|元)|(?P<y>\d{4}))"
                      r"\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?")
_YMD = re.compile(r"(?<!\d)(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?!\d)")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_BARE_YEAR = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)")
_ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
_ID_TOKEN = re.compile(r"\b(?:[A-Z]{1,3}[ -]?)?\d[\dA-Z./-]{3,}\b", re.ASCII)
_GENDER = re.compile(r"性別\s*[:：・]\s*(男|女)")
_JP_IDENTIFIERS = [
    (re.compile(r"IMO(?:番号)?\s*[:：]?\s*(\d{7})"), "imoNumber"),
    (re.compile(r"(?:ロシア)?国家登録番号\s*[:：]?\s*(\d{13,15})"), "registrationNumber"),
    (re.compile(r"(?:納税者番号|納税番号)\s*[:：]?\s*([A-Z0-9]{6,20})"), "taxNumber"),
    (re.compile(r"(?:パスポート|旅券)番号\s*[:：]?\s*([A-Z0-9][A-Z0-9 -]{4,15}[0-9])"),
     "passportNumber"),
    (re.compile(r"(?:IDカード|ID|身分証)番号\s*[:：]?\s*([A-Z0-9][A-Z0-9-]{4,20})"), "idNumber"),
]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _lang(text: str) -> str | None:
    """Japanese for text with kana or kanji; others are left unmarked (Latin, Arabic...)."""
    return JAPANESE if _JP_CHAR.search(text) else None


def _text(raw: object) -> str:
    """A cell as stripped text ("" for empty or unknown)."""
    if raw is None:
        return ""
    text = str(raw).strip()
    return "" if collapse(text) in UNKNOWN else text


@dataclass
class _Sheet:
    name: str
    number: str
    schema: str | None  # None: decided per row
    columns: dict[int, str]  # column index -> field
    labels: dict[str, str]  # field -> header label as published


@dataclass
class _Record:
    row: int
    values: dict[str, list[Any]] = field(default_factory=dict)

    def texts(self, name: str) -> list[str]:
        return [t for t in (_text(v) for v in self.values.get(name, [])) if t]


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield a target and its Sanction for each designation row of every regime sheet."""
    workbook = open_workbook(path)
    try:
        names = workbook.sheetnames
        if INDEX_SHEET not in names:
            raise FormatError(f"no index sheet {INDEX_SHEET!r} (sheets: {', '.join(names)})")
        for worksheet in workbook.worksheets:
            if worksheet.title == INDEX_SHEET:
                continue
            yield from _sheet_records(ctx, worksheet)
    finally:
        workbook.close()
    found, stamp = _FILE_DATE.search(path.name), None
    if found:
        ctx.set_published("-".join(found.groups()), f"file name ({path.name})")
    elif stamp := core_modified(path):
        ctx.set_published(stamp, "docProps/core.xml dcterms:modified (no date in file name)")


def _label(cell: object) -> str:
    return re.sub(r"\s+", "", nfkc(str(cell))) if cell is not None else ""


def _header(ctx: ParseContext, worksheet: Any) -> tuple[_Sheet, int] | None:
    """The sheet's layout and header row number; None for an abolished regime's sheet."""
    title: list[str] = []
    for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        labels = [_label(c) for c in row]
        if "告示日付" in labels and "告示番号" in labels:
            return _sheet(ctx, worksheet.title, labels, row, " ".join(title)), number
        if number >= HEADER_SEARCH_ROWS:
            break
        title.extend(str(c) for c in row if c is not None)
    if "【解除】" in worksheet.title:
        return None  # regime abolished: the sheet holds only its title and the date
    raise FormatError(f"sheet {worksheet.title!r}: no header row with 告示日付 and "
                      f"告示番号 in the first {HEADER_SEARCH_ROWS} rows")


def _sheet_records(ctx: ParseContext, worksheet: Any) -> Iterator[Entity]:
    found = _header(ctx, worksheet)
    if found is None:
        return
    sheet, header_row = found
    width = max(sheet.columns) + 1
    record: _Record | None = None
    for number, row in enumerate(worksheet.iter_rows(min_row=header_row + 1, max_col=width,
                                                     values_only=True), start=header_row + 1):
        values: dict[str, list[Any]] = {}
        for index, value in enumerate(row):
            if index in sheet.columns and value is not None and str(value).strip():
                values.setdefault(sheet.columns[index], []).append(value)
        if not values:
            continue
        if values.keys() & {"number", "notice_dates"}:
            if record is not None:
                yield from _designation(ctx, sheet, record)
            record = _Record(number, values)
        elif record is not None and not (values.keys() & {"name_jpn", "name_en"}):
            for key, cells in values.items():  # a continuation row of the record above
                record.values.setdefault(key, []).extend(cells)
        else:
            ctx.issue("missing_number", "row without notice date or number (告示日付 / "
                      "告示番号); left out", value=collapse(next(iter(values.values()))[0])[:80],
                      location=f"row {number} of sheet {sheet.name}")
    if record is not None:
        yield from _designation(ctx, sheet, record)


def _sheet(ctx: ParseContext, name: str, labels: list[str], row: tuple[Any, ...],
           title: str) -> _Sheet:
    columns: dict[int, str] = {}
    published: dict[str, str] = {}
    for index, label in enumerate(labels):
        if not label:
            continue
        key = COLUMNS.get(label)
        if key is None:
            ctx.issue("unknown_column", f"column {label!r} is not known; its values are kept "
                      "as notes", value=label, location=f"sheet {name}")
            key = f"other:{label}"
        columns.setdefault(index, key)
        published.setdefault(key, collapse(row[index]))
    missing = [label for key, label in REQUIRED.items() if key not in published]
    if missing:
        raise FormatError(f"sheet {name!r}: header lacks column(s) {', '.join(missing)} "
                          f"(found: {', '.join(repr(c) for c in row if c)})")
    found = _SHEET_NUMBER.match(name)
    if found is None:
        raise FormatError(f"sheet {name!r}: name does not start with its number (\"29.\")")
    return _Sheet(name, found.group(1), _sheet_schema(name, title), columns, published)


def _sheet_schema(name: str, title: str) -> str | None:
    if "個人" in name:
        return "Person"
    if "特定銀行" in name and "除く" not in name:
        return "Company"
    if "団体" in name:
        return "Organization"
    person, entity = "個人" in title, "団体" in title
    if person != entity:
        return "Person" if person else "Organization"
    return None


# -- one designation ----------------------------------------------------------------------
def _designation(ctx: ParseContext, sheet: _Sheet, record: _Record) -> Iterator[Entity]:
    where = f"row {record.row} of sheet {sheet.name}"
    raw_number = nfkc(" ".join(record.texts("number")))
    found = _NOTICE_NUMBER.match(raw_number)
    if found is None:
        ctx.issue("missing_number", f"row without a usable notice number {raw_number!r}; "
                  "left out", value=raw_number, location=where)
        return
    schema = sheet.schema
    if schema is None:
        schema = "Person" if any(record.texts(f) for f in PERSON_FIELDS) else "LegalEntity"
    entity = ctx.entity(schema, sheet.number, found.group(1))
    deleted = "削除" in " ".join(record.texts("notice_dates"))
    if not _names(ctx, entity, record, where) and not deleted:
        ctx.issue("missing_name", "designation without a name", record_id=entity.id,
                  prop="name", location=where)
    for key, values in record.values.items():
        handler = _DETAILS.get(key) if schema == "Person" or key not in PERSON_FIELDS else None
        for value in values:
            if handler is not None:
                handler(ctx, entity, value, where)
            elif _text(value) and (key.startswith("other:") or key in NOTE_FIELDS
                                   or key in PERSON_FIELDS):
                label = sheet.labels.get(key, key.removeprefix("other:"))
                ctx.add(entity, "notes", f"{label}: {collapse(value)}", location=where)
    if raw_number != found.group(1):
        ctx.add(entity, "notes", f"告示番号 {raw_number}", location=where)
    yield entity
    yield _sanction(ctx, sheet, record, entity, (raw_number, where))


def _names(ctx: ParseContext, entity: Entity, record: _Record, where: str) -> bool:
    named = False
    for text in record.texts("name_jpn"):
        named = ctx.add(entity, "name", text, lang=JAPANESE, location=where) or named
    for text in record.texts("name_en"):
        for original in _ORIGINAL_SCRIPT.findall(nfkc(text)):
            if _text(original):
                ctx.add(entity, "name", original, location=where)
        english = collapse(_ORIGINAL_SCRIPT.sub(" ", nfkc(text)))
        named = ctx.add(entity, "name", english, location=where) or named
        plain = collapse(_PARENS.sub(" ", english))
        if plain and plain != english:  # "Sergey(Sergei) AKSYONOV(AKSENOV)" as written, and
            ctx.add(entity, "alias", plain, location=where)  # without the variants
    for prop in ("alias", "previousName", "weakAlias"):
        for text in record.texts(prop):
            for label_prop, name in alias_items(text, prop):
                ctx.add(entity, label_prop, name, lang=_lang(name), location=where)
    return named


_NOT_A_NAME = re.compile(r"(?:born|issued|passport|false|linked|the following)\b", re.I)
_LEGAL_FORM = re.compile(r"^(?:LTD|LLC|JSC|AO|OAO|OOO|INC|CO|PLC|SA|AG|GMBH)\.?\)?$", re.I)


def _comma_list(text: str) -> list[str]:
    """A Latin line listing several names with commas ("Abu Brays, Abu Ahmad"), but not
    one name written "SURNAME, Given" or "Company, LTD"."""
    if _JP_CHAR.search(text) or ", " not in text:
        return [text]
    parts = [p.strip() for p in text.split(", ")]
    if len(parts) == 2 and (" " not in parts[0] or " " not in parts[1]):
        return [text]
    names: list[str] = []
    for part in parts:
        if names and _LEGAL_FORM.match(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _strip_brackets(text: str) -> str:
    """Punctuation around a name, and brackets left unbalanced by splitting a list."""
    text = text.strip(" ,;、.:\u3000")
    while text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].rstrip(" ,;、.:")
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip(" ,;、.:")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text


def _split_items(text: str) -> list[str]:
    """Items of a list cell: "(a)X (b)Y", or lines, or "X; Y", or "X、Y"."""
    if _LETTERED.search(text):
        items = _LETTERED.split(text)
        return [line for item in items for line in item.split("\n")]
    return re.split(r"[\n;；、]", text)


def alias_items(text: str, prop: str) -> list[tuple[str, str]]:
    """(property, name) for each name in an alias cell; Japanese names followed by their
    Latin spelling in brackets give both; "(旧称)" sections are previous names."""
    found: list[tuple[str, str]] = []
    section = prop
    pieces = _ALIAS_LABEL.split(nfkc(text))
    # re.split with two groups: text, Japanese label, a/f of a.k.a./f.k.a., text...
    for index in range(0, len(pieces), 3):
        if index:
            label, aka = pieces[index - 2], pieces[index - 1]
            former = label == "旧称" or (aka or "").lower() == "f"
            section = "previousName" if former else prop
        piece = pieces[index]
        if not piece:
            continue
        lettered = _LETTERED.search(piece) is not None
        for item in _split_items(piece):
            name = item.strip(" ,;、.:\u3000")
            pair = _JP_AND_LATIN.match(name)
            names = [pair.group(1), pair.group(2)] if pair else [name]
            if not lettered and not pair:
                names = _comma_list(name)
            for each in (_strip_brackets(n) for n in names):
                if _text(each) and re.search(r"\w", each) and not _NOT_A_NAME.match(each):
                    found.append((section, each))
    return found


# -- details ------------------------------------------------------------------------------
def _lines(raw: object) -> list[str]:
    text = _text(raw)
    return [t for t in (collapse(i).strip(" ,;、") for i in _split_items(nfkc(text))) if _text(t)]


def _add_lines(prop: str) -> Any:
    def handler(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
        for line in _lines(raw):
            ctx.add(entity, prop, line, lang=_lang(line),
                    location=where)
    return handler


def _birth_dates(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    text = _text(raw) if isinstance(raw, str) else ""
    if isinstance(raw, str) and not text:
        return
    dates = japanese_dates(raw)
    if dates is None:
        ctx.issue("invalid_date", f"birthDate: cannot read {collapse(raw)[:80]!r} as a date",
                  record_id=entity.id, prop="birthDate", value=collapse(raw), location=where)
        return
    original = collapse(raw) if text and [collapse(text)] != dates else None
    known = entity.get("birthDate")
    for value in dates:
        if value not in known:
            entity.put("birthDate", Value(value, None, original))


def japanese_dates(raw: object) -> list[str] | None:
    """Dates in a cell: Excel dates and serials, "1963年頃", "(a)1955年-1958年頃",
    "1974年3月14日又は1974年4月13日", "1991年7月14日又は6月14日" (same year), "昭和45年1月1日",
    "1966/2/2"; Hijri dates left out; a cell without Japanese dates is read as English text
    ("Born on 10 July 1942")."""
    if not isinstance(raw, str):
        return free_text_dates(raw)
    text = nfkc(raw)
    items = _LETTERED.split(text) if _LETTERED.search(text) else text.split("\n")
    items = [collapse(i) for i in items if not re.search(r"ヒジュラ|hijri", i, re.I)]
    japanese = [i for i in items if _JP_DATE.search(i) or _YMD.search(i)]
    if not japanese:
        return free_text_dates(" ; ".join(i for i in items if i))
    found: list[str | None] = []
    for item in japanese:
        year = 0
        for match in _JP_DATE.finditer(item):
            year = int(match["y"]) if match["y"] else _ERAS[match["era"]] + (
                1 if match["ey"] == "元" else int(match["ey"]))
            found.append(_iso(year, match["m"], match["d"]))
        found.extend(parse_date("-".join(ymd.groups())) for ymd in _YMD.finditer(item))
        rest = _PARENS.sub(" ", _YMD.sub(" ", _JP_DATE.sub(" ", item)))
        if year:  # "又は6月14日", "から9月": another day or month of the same year
            found.extend(_iso(year, m[0], m[1]) for m in _MONTH_DAY.findall(rest))
            rest = _MONTH_DAY.sub(" ", rest)
        found.extend(parse_date(y) for y in _BARE_YEAR.findall(rest))
        if re.search(r"\d", _BARE_YEAR.sub(" ", rest)):
            return None
    if None in found:
        return None
    return list(dict.fromkeys(d for d in found if d))


def _iso(year: int, month: str | None, day: str | None) -> str | None:
    parts = [f"{year:04d}"] + [f"{int(p):02d}" for p in (month, day) if p]
    return parse_date("-".join(parts))


def _dob_and_place(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    """"1941年8月20日セルビア共和国ポジャレヴァッツ生\nBorn at Pozarevac, Republic of Serbia,
    on 20 August 1941": the dates, and the place in both languages."""
    _birth_dates(ctx, entity, raw, where)
    for line in nfkc(_text(raw)).split("\n"):
        if _JP_CHAR.search(line):
            place = _JP_DATE.sub("", line).strip().removesuffix("生").strip(" 、,")
            ctx.add(entity, "birthPlace", place, lang=JAPANESE, location=where)
        elif found := re.search(r"\bBorn at (.+?),?\s+(?:on|in)\b", line):
            ctx.add(entity, "birthPlace", found.group(1), location=where)


@cache
def _country_variant(text: str) -> str | None:
    """The text, or a spelling of it FtM knows: without "共和国" (republic) or "・"."""
    from followthemoney.types import registry

    for variant in (text, text.removesuffix("共和国"), text.replace("・", "")):
        if variant and registry.country.clean(variant) is not None:
            return variant
    return None


def _nationality(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    for line in _lines(raw):
        plain = collapse(_PARENS.sub(" ", line))
        parts = [p for p in re.split(r"(?<=[\u3040-\u30ff\u3400-\u9fff])\s*(?=[A-Za-z])",
                                     plain) if p.strip()]
        readable = [c for c in (_country_variant(p) for p in parts) if c]
        for part in readable or [line]:
            ctx.add(entity, "nationality", part, location=where)


def _documents(prop: str) -> Any:
    def handler(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
        if isinstance(raw, int):  # a bare number cell ("983")
            ctx.add(entity, prop, str(raw), location=where)
            return
        numbers = [token.rstrip("./-") for line in _lines(raw) for token in _ID_TOKEN.findall(
            _JP_DATE.sub(" ", _PARENS.sub(" ", line.replace("ー", "-"))))]
        if not numbers and _text(raw):
            ctx.issue(f"invalid_{prop}", f"{prop}: no number in {collapse(raw)[:80]!r}",
                      record_id=entity.id, prop=prop, value=collapse(raw), location=where)
        for number in numbers:
            ctx.add(entity, prop, number, location=where)
    return handler


def _notes(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    text = _text(raw)
    if not text:
        return
    ctx.add(entity, "notes", text, location=where)
    flat = collapse(nfkc(text))
    if (gender := _GENDER.search(flat)) and entity.schema == "Person":
        ctx.add(entity, "gender", "male" if gender.group(1) == "男" else "female",
                location=where)
    seen: set[str] = set()
    for pattern, prop in _JP_IDENTIFIERS:
        for match in pattern.finditer(flat):
            seen.add(match.group(1))
            add_identifier(ctx, entity, russian_code(prop, match.group(1), None),
                           match.group(1), where)
    for ident in extract_identifiers(flat):
        if not any(ident.value in known or known in ident.value for known in seen):
            add_identifier(ctx, entity, ident.prop, ident.value, where)


def _address(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    text = nfkc(_text(raw))
    parts = _LETTERED.split(text) if _LETTERED.search(text) else [text]
    for part in (p for item in parts for p in re.split(r"[;；]", item)):
        line = collapse(part).strip(" ,、")
        if _text(line):
            ctx.add(entity, "address", line, lang=_lang(line),
                    location=where)


_DETAILS: dict[str, Any] = {
    "title": _add_lines("title"), "position": _add_lines("position"),
    "dob": _birth_dates, "dob_pob": _dob_and_place, "pob": _add_lines("birthPlace"),
    "nationality": _nationality, "passport": _documents("passportNumber"),
    "id": _documents("idNumber"), "address": _address, "notes": _notes,
}


# -- the designation ----------------------------------------------------------------------
def _sanction(ctx: ParseContext, sheet: _Sheet, record: _Record, entity: Entity,
              number_where: tuple[str, str]) -> Entity:
    raw_number, where = number_where
    notice = nfkc("\n".join(record.texts("notice_dates")))
    sanction = ctx.sanction(
        entity, "jp",
        program=_SHEET_NUMBER.sub("", sheet.name).strip(),
        recordId=entity.id.removeprefix(f"{ctx.id_prefix}-"), authorityId=raw_number,
        unscId=record.texts("un_ref"), reason=record.texts("reason"), sourceUrl=SOURCE_URL,
        location=where,
    )
    for line in (collapse(x) for x in notice.split("\n")):
        if not line:
            continue
        day = re.match(r"[\d.]+", line)
        prop = "endDate" if "削除" in line else "modifiedAt" if "改訂" in line else "listingDate"
        if day is None:
            ctx.add(sanction, "summary", f"告示日付: {line}", location=where)
            continue
        ctx.add(sanction, prop, day.group(0).strip("."), location=where)
        rest = line[day.end():].replace("削除", "").replace("改訂", "").strip()
        if rest:  # "（27．と同一人物）": merged into another number
            ctx.add(sanction, "summary", f"告示日付: {line}", location=where)
    for raw in record.values.get("un_date", []):
        text = parse_date(raw) if not isinstance(raw, str) else collapse(raw)
        ctx.add(sanction, "summary", f"{sheet.labels['un_date']}: {text}", location=where)
    return sanction
