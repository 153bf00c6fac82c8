"""FCDO UK Sanctions List: every designation under the UK's sanctions regulations."""

from pressurepoint.ingest.parsers import fcdo
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="uk_fcdo",
    title="UK Sanctions List (FCDO)",
    publisher="Foreign, Commonwealth & Development Office (FCDO)",
    authority_country="gb",
    jurisdiction="UK",
    urls=(
        "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.ods",
        "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.csv",
    ),
    licence="Open Government Licence v3.0",
    formats=(
        FileFormat("fcdo_xml", ("uk*sanctions*list*.xml", "*uk_sanctions*.xml"), fcdo.parse_xml),
        FileFormat("fcdo_csv", ("uk*sanctions*list*.csv", "*uk_sanctions*.csv"), fcdo.parse_csv),
        FileFormat("fcdo_ods", ("uk*sanctions*list*.ods", "fcdo_sl*.ods", "*uk_sanctions*.ods"),
                   fcdo.parse_ods),
    ),
    min_records=1000,
    homepage=fcdo.SOURCE_URL,
    notes=(
        "One entity per target: designations sharing an OFSI Group ID are merged; each "
        "designation (Unique ID) is one Sanction.",
        "Sanction.authorityId holds the Unique ID and the OFSI Group ID, which joins this "
        "list to the OFSI Consolidated List (uk_ofsi).",
    ),
)
