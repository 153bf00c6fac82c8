"""OFAC Consolidated (non-SDN) Sanctions List: SSI, NS-MBS, CMIC, PLC, FSE, CAPTA lists.

The same three formats as the SDN list (see `ofac_sdn`): the legacy CSV set (cons_prim.csv
with cons_add.csv, cons_alt.csv, cons_comments.csv), the legacy XML (consolidated.xml) and
the Enhanced XML (CONS_ENHANCED.XML, also zipped). Ids `ofac-consolidated-<ent_num>`.
"""

from pressurepoint.ingest.parsers import ofac_csv, ofac_enhanced, ofac_xml
from pressurepoint.sources.ofac_sdn import LICENCE, PUBLISHER
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="ofac_consolidated",
    title="OFAC Consolidated (non-SDN) Sanctions List",
    publisher=PUBLISHER,
    authority_country="us",
    jurisdiction="US",
    urls=(
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_add.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_alt.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/cons_comments.csv",
        "https://www.treasury.gov/ofac/downloads/consolidated/consolidated.xml",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
        "CONS_ENHANCED.ZIP",
    ),
    licence=LICENCE,
    formats=(
        FileFormat("ofac_csv", ("cons_prim.csv",), ofac_csv.parse,
                   ofac_csv.COMPANION_PATTERNS),
        FileFormat("ofac_xml", ("consolidated.xml",), ofac_xml.parse),
        FileFormat("ofac_enhanced", ("cons_enhanced.xml", "cons_enhanced.zip"),
                   ofac_enhanced.parse),
    ),
    # 442 entries in January 2026 (mostly Russia/Ukraine SSI and Chinese CMIC listings).
    min_records=300,
    homepage="https://ofac.treasury.gov/other-ofac-sanctions-lists",
    notes=(
        "Entities are Organization, or Company with a company-only fact (ISIN, ticker, BIK).",
        "OFAC's SDN and consolidated lists share the entry-number space.",
    ),
)
