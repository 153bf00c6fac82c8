"""A campaign group's own company research in pressurepoint's generic CSV format."""

from pressurepoint.ingest.parsers import company_tracker_csv
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="company_tracker_csv",
    title="Company tracker (generic CSV: own research)",
    publisher="Campaign research",
    authority_country="zz",
    jurisdiction="CSV",
    urls=(),  # local files only: `pressurepoint update --source company_tracker_csv --file`
    licence="as stated by the group that publishes the file",
    formats=(FileFormat("tracker_csv", ("*.csv", "*.tsv", "*.txt"), company_tracker_csv.parse),),
    min_records=1,
    # A group's own list may legitimately shrink (companies dropped, a file per topic).
    min_share_of_previous=0.0,
    homepage="",
    notes=("Columns company, country, industry, status, date, source_url, evidence "
           "(and optional id, tracker); see docs/companies.md.",
           "The newest file loaded is the current list: keep one file per group and "
           "update it (several groups: one file with a tracker column).",),
    kind="tracker",
)
