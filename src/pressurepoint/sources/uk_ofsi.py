"""HM Treasury OFSI Consolidated List of Financial Sanctions Targets in the UK."""

from pressurepoint.ingest.parsers import ofsi_conlist
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="uk_ofsi",
    title="UK Consolidated List of Financial Sanctions Targets (OFSI)",
    publisher="HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
    authority_country="gb",
    jurisdiction="UK",
    urls=(
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx",
    ),
    licence="Open Government Licence v3.0",
    formats=(
        FileFormat("ofsi_csv", ("conlist.csv", "*conlist*.csv"), ofsi_conlist.parse_csv),
        FileFormat("ofsi_xlsx", ("conlist.xlsx", "*conlist*.xlsx"), ofsi_conlist.parse_xlsx),
    ),
    min_records=1000,
    homepage=ofsi_conlist.SOURCE_URL,
    notes=(
        "One row per name variation; rows are grouped by Group ID into one target.",
        "The ConList.xml edition is not read yet; the CSV and XLSX carry the same fields.",
    ),
)
