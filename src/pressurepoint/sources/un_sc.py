"""UN Security Council Consolidated List."""

from pressurepoint.ingest.parsers import un_xml
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="un_sc",
    title="UN Security Council Consolidated List",
    publisher="United Nations Security Council",
    authority_country="zz",
    jurisdiction="UN",
    urls=("https://scsanctions.un.org/resources/xml/en/consolidated.xml",),
    licence="United Nations material; UN website terms of use apply",
    formats=(FileFormat("un_xml", ("consolidated.xml", "un*.xml"), un_xml.parse),),
    min_records=500,
    homepage="https://www.un.org/securitycouncil/content/un-sc-consolidated-list",
)
