"""EU consolidated list of persons, groups and entities subject to EU financial sanctions."""

from pressurepoint.ingest.parsers import eu_fsf
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="eu_fsf",
    title="EU Consolidated Financial Sanctions List (Financial Sanctions Files)",
    publisher="European Commission (Financial Sanctions Files)",
    authority_country="eu",
    jurisdiction="EU",
    urls=(
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
        "content?token=dG9rZW4tMjAxNw",
    ),
    licence="Reuse authorised provided the source is acknowledged "
            "(Commission Decision 2011/833/EU on the reuse of Commission documents)",
    formats=(
        # The download is served as "content" or under a Content-Disposition name such as
        # 20250101-FULL-1_1(xsd).xml.
        FileFormat("eu_fsf_xml", ("*full*1_1*.xml", "xmlfullsanctionslist*", "content",
                                  "*fsf*.xml", "export*.xml"), eu_fsf.parse_fsf),
        # Legacy EU XML (root WHOLE), published as global.xml until the FSF formats.
        FileFormat("eu_legacy_xml", ("global.xml", "data.xml", "*legacy*.xml"),
                   eu_fsf.parse_legacy),
    ),
    min_records=1000,
    homepage="https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-"
             "entities-subject-to-eu-financial-sanctions",
    notes=(
        "Entity ids are eu-fsf-<logicalId>; the legacy ENTITY Id is the same logical id.",
        "program is the EU programme code (RUS, UKR, BLR...); description holds the "
        "regulation's numberTitle.",
    ),
)
