"""Canada: Consolidated Canadian Autonomous Sanctions List (SEMA and JVCFOA regulations)."""

from pressurepoint.ingest.parsers import ca_sema
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="ca_sema",
    title="Consolidated Canadian Autonomous Sanctions List",
    publisher="Global Affairs Canada",
    authority_country="ca",
    jurisdiction="CA",
    urls=(ca_sema.SOURCE_URL,),
    licence="Government of Canada website terms: may be reproduced for personal or public "
            "non-commercial purposes without further permission unless otherwise specified",
    formats=(FileFormat("ca_sema_xml", ("sema-lmes.xml", "sema*.xml"), ca_sema.parse),),
    min_records=3000,
    homepage="https://www.international.gc.ca/world-monde/international_relations-"
             "relations_internationales/sanctions/consolidated-consolide.aspx",
    notes=(
        "The file states no publication date: the date comes from the caller (mirror "
        "folder) or the time of fetching.",
        "No record id in the file: ids are made from (regime, Schedule, Item).",
        "Country is the regime (program), not the nationality of the listed person.",
    ),
)
