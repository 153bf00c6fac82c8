"""Switzerland: SECO sanctions list (all targets of the Embargo Act ordinances)."""

from pressurepoint.ingest.parsers import ch_seco
from pressurepoint.sources.spec import FileFormat, SourceSpec

SPEC = SourceSpec(
    id="ch_seco",
    title="Swiss sanctions list (SECO)",
    publisher="State Secretariat for Economic Affairs (SECO)",
    authority_country="ch",
    jurisdiction="CH",
    urls=(
        "https://www.sesam.search.admin.ch/sesam-search-web/pages/downloadXmlGesamtliste."
        "xhtml?lang=en&action=downloadXmlGesamtlisteAction",
    ),
    licence="Swiss federal government data; free use per the terms of use of admin.ch "
            "(source must be acknowledged)",
    formats=(
        FileFormat("ch_seco_xml", ("swiss-sanctions-list*.xml", "*gesamtliste*.xml",
                                   "*gesamtliste*", "consolidated-list*.xml"), ch_seco.parse),
    ),
    min_records=3000,
    homepage="https://www.seco.admin.ch/seco/en/home/Aussenwirtschaftspolitik_Wirtschaftliche_"
             "Zusammenarbeit/Wirtschaftsbeziehungen/exportkontrollen-und-sanktionen/"
             "sanktionen-embargos.html",
    notes=(
        "The whole list keeps de-listed targets: their designation gets an endDate and "
        "status lifted (rule: latest modification is de-listed).",
        "Ids are ch-seco-<target ssid>.",
    ),
)
