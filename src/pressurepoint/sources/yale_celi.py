"""Yale CELI list of companies leaving and staying in Russia (company tracker)."""

from pressurepoint.ingest.parsers import yale_celi
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="yale_celi",
    title="Yale CELI list of companies leaving and staying in Russia",
    publisher="Yale Chief Executive Leadership Institute",
    authority_country="us",
    jurisdiction="YALE",
    # Yale publishes its list as web pages; this is the CSV parse kept by the
    # Yale_CELI_List_Parser project (name, action, industry, country, yaleGrade).
    urls=("https://raw.githubusercontent.com/donBarbos/Yale_CELI_List_Parser/HEAD/"
          "Yale_CELI_List_of_Companies_Leaving_and_Staying_in_Russia.csv",),
    licence="Yale CELI; the parsed CSV is published under CC BY-NC-SA 4.0",
    formats=(
        FileFormat("yale_csv", ("*.csv",), yale_celi.parse_csv),
        FileFormat("yale_json", ("*.json",), yale_celi.parse_json),
    ),
    min_records=1000,
    homepage=yale_celi.SOURCE_URL,
    notes=(
        "Grades A (withdrawal), B (suspension), C (scaling back), D (buying time), "
        "F (digging in); see docs/companies.md for the normalised status.",
        "The files state no date: the publication date is the mirror folder's or --published.",
    ),
    kind="tracker",
)
