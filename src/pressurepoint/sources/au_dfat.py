"""Australia: DFAT Consolidated List (autonomous and UN Security Council sanctions)."""

from pressurepoint.ingest.parsers import au_dfat
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="au_dfat",
    title="Australian Consolidated List (Autonomous and UN Security Council sanctions)",
    publisher="Australian Government Department of Foreign Affairs and Trade (DFAT)",
    authority_country="au",
    jurisdiction="AU",
    urls=("https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",),
    licence="Creative Commons Attribution 4.0 International (CC BY 4.0), "
            "© Commonwealth of Australia",
    formats=(
        FileFormat("au_dfat_xlsx", ("regulation8_consolidated*.xlsx", "regulation8*.xlsx"),
                   au_dfat.parse),
    ),
    min_records=1000,
    homepage="https://www.dfat.gov.au/international-relations/security/sanctions/"
             "consolidated-list",
    notes=(
        "One row per name; a record is the rows sharing the number at the start of "
        "Reference (2680, 2680a, 2680b...). Entity ids are au-dfat-<that number>.",
        "Sanction program is the Committees value (e.g. 'Autonomous (Russia)', "
        "'1988 (Taliban)'); one designation per committee; Control Date is modifiedAt; "
        "Listing Information is the summary, and its 'Listed ... on <date>' the listingDate.",
        "Publication date: docProps/core.xml dcterms:modified (the file has no date cell).",
    ),
)
