"""KSE Institute #LeaveRussia company database (company tracker)."""

from pressurepoint.ingest.parsers import kse_leave_russia
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="kse_leave_russia",
    title="KSE Institute #LeaveRussia company database",
    publisher="KSE Institute",
    authority_country="ua",
    jurisdiction="KSE",
    # KSE publishes no export; this is the listing copy kept by the Stop-Sponsor-UA project
    # (slug, name, status class), dated by its fetchedAt field.
    urls=("https://raw.githubusercontent.com/Reveno/Stop-Sponsor-UA/HEAD/tools/"
          "kse_companies.json",),
    licence="KSE Institute (leave-russia.org); the copy states no licence",
    formats=(FileFormat("kse_json", ("*.json",), kse_leave_russia.parse),),
    min_records=2000,
    homepage=kse_leave_russia.SITE,
    notes=(
        "Status classes continue, holdoff, scalingback, suspension, withdrawal, transfer; "
        "see docs/companies.md for the normalised status.",
    ),
    kind="tracker",
)
