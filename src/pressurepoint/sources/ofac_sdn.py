"""OFAC Specially Designated Nationals and Blocked Persons List (SDN).

Three published formats, read into the same entities (ids `ofac-sdn-<ent_num>`): the legacy
delimited CSV set (sdn.csv with add.csv, alt.csv, sdn_comments.csv), the legacy XML
(sdn.xml, sdnList schema) and the Enhanced XML (SDN_ENHANCED.XML, also zipped). The CSV
states no publication date: a run of it takes the date the caller gives (mirror folder).
"""

from pressurepoint.ingest.parsers import ofac_csv, ofac_enhanced, ofac_xml
from pressurepoint.sources.spec import FileFormat, SourceSpec

PUBLISHER = "US Department of the Treasury, Office of Foreign Assets Control (OFAC)"
LICENCE = ("US federal government work: public domain in the United States "
           "(17 U.S.C. § 105)")

SPEC = SourceSpec(
    id="ofac_sdn",
    title="OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
    publisher=PUBLISHER,
    authority_country="us",
    jurisdiction="US",
    urls=(
        "https://www.treasury.gov/ofac/downloads/sdn.csv",
        "https://www.treasury.gov/ofac/downloads/add.csv",
        "https://www.treasury.gov/ofac/downloads/alt.csv",
        "https://www.treasury.gov/ofac/downloads/sdn_comments.csv",
        "https://www.treasury.gov/ofac/downloads/sdn.xml",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
        "SDN_ENHANCED.ZIP",
    ),
    licence=LICENCE,
    formats=(
        FileFormat("ofac_csv", ("sdn.csv",), ofac_csv.parse, ofac_csv.COMPANION_PATTERNS),
        FileFormat("ofac_xml", ("sdn.xml",), ofac_xml.parse),
        FileFormat("ofac_enhanced", ("sdn_enhanced.xml", "sdn_enhanced.zip"),
                   ofac_enhanced.parse),
    ),
    # The SDN list held 8,976 entries in mid-2021 and has grown since; far fewer means a
    # truncated download.
    min_records=5000,
    homepage="https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-"
             "list-sdn-human-readable-lists",
    notes=(
        "Entities (OFAC type 'Entity', CSV '-0-') are Organization, or Company when the "
        "record carries a company-only fact (ISIN, equity ticker, BIK).",
        "OFAC's SDN and consolidated lists share the entry-number space.",
    ),
)
