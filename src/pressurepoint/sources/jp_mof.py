"""Japan: Ministry of Finance list of persons subject to asset freezes and other measures
under the Foreign Exchange and Foreign Trade Act (Excel version)."""

from pressurepoint.ingest.parsers import jp_mof
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="jp_mof",
    title="Japan MOF list of persons subject to asset freezes (Foreign Exchange Act)",
    publisher="Ministry of Finance, Japan",
    authority_country="jp",
    jurisdiction="JP",
    # The workbook's URL carries its date (shisantouketsu<YYYYMMDD>.xlsx) and changes with
    # every update; it is linked from the homepage below. Download it by hand into the
    # mirror (jp_mof/<date>/) until the fetcher can follow a link on a page.
    urls=(),
    licence="Government of Japan Standard Terms of Use (version 2.0), compatible with "
            "CC BY 4.0",
    formats=(FileFormat("jp_mof_xlsx", ("shisantouketsu*.xlsx",), jp_mof.parse),),
    min_records=1000,
    homepage="https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/"
             "economic_sanctions/list.html",
    notes=(
        "Entity ids are jp-mof-<sheet number>-<notice number (告示番号)>; the sheet number is "
        "the number before the dot in the sheet name (29.ロシア連邦(個人) -> 29).",
        "Program is the sheet name without its number; listingDate is the first notice "
        "date (告示日付), modifiedAt the 改訂 dates, endDate the 削除 date of a deleted row.",
        "Deleted rows keep their number but no name; they are kept as lifted designations "
        "of the same id so the store records the end of earlier listings.",
        "The index sheet states the file is provisional; Ministry of Foreign Affairs "
        "notices are authoritative.",
        "Publication date: the date in the file name (shisantouketsu20260305.xlsx).",
    ),
)
