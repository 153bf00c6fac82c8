"""OFAC remarks text -> facts, aliases, links and notes (items as OFAC writes them)."""

from __future__ import annotations

from pathlib import Path

from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers.ofac_remarks import (
    Fact,
    OfacRecord,
    address_line,
    label_key,
    make_fact,
    parse_remarks,
    split_person_name,
    split_programs,
)
from pressurepoint.ingest.parsers.ofac_xml import OfacBuilder
from pressurepoint.model import Entity
from pressurepoint.sources import get_source


def test_person_remarks_become_typed_facts() -> None:
    text = ("DOB 07 Apr 1981; POB St. Petersburg, Russia; nationality Russia; citizen Russia; "
            "Gender Male; Passport 640848350 (Russia); alt. Passport 2006801524 (Russia); "
            "Tax ID No. 366110340670 (Russia); a.k.a. 'LOCKBITSUPP'.")
    remarks = parse_remarks(text)
    assert remarks.facts == [
        Fact("Birthdate", "07 Apr 1981"),
        Fact("Place of Birth", "St. Petersburg, Russia"),
        Fact("Nationality Country", "Russia"),
        Fact("Citizenship Country", "Russia"),
        Fact("Gender", "Male"),
        Fact("Passport", "640848350", "Russia"),
        Fact("Passport", "2006801524", "Russia"),
        Fact("Tax ID No.", "366110340670", "Russia"),
    ]
    assert remarks.aliases == [("a.k.a.", "LOCKBITSUPP")]
    assert remarks.notes == [] and remarks.linked == []


def test_document_value_with_dates_and_two_brackets() -> None:
    remarks = parse_remarks("Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001; "
                            "Business Registration Number 0582030 (Connecticut) (United "
                            "States); Registration Number HRA 738077 (Stuttgart)")
    assert remarks.facts == [
        Fact("Passport", "L 191609", None, "28 Feb 1996", "27 Feb 2001"),
        Fact("Business Registration Number", "0582030 (Connecticut)", "United States"),
        Fact("Registration Number", "HRA 738077 (Stuttgart)"),  # Stuttgart is no country
    ]


def test_sanction_facts_links_wallets_and_notes() -> None:
    text = ("Executive Order 14024 Directive Information - For more information on directives, "
            "please visit the following link: https://example.org/x#directives; "
            "Listing Date (EO 14024 Directive 2): 24 Feb 2022; "
            "Secondary sanctions risk: See Section 11 of Executive Order 14024.; "
            "Digital Currency Address - XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz; "
            "Member of the State Duma; HAMAS - Hebron; Linked To: D'S SUPERMARKET COMPANY LTD.")
    remarks = parse_remarks(text, title="Member of the State Duma")
    labels = [f.label for f in remarks.facts]
    assert labels == ["Executive Order 14024 Directive Information -",
                      "Listing Date (EO 14024 Directive 2):", "Secondary sanctions risk:",
                      "Digital Currency Address - XBT"]
    assert remarks.facts[1].value == "24 Feb 2022"
    assert remarks.linked == ["D'S SUPERMARKET COMPANY LTD"]
    assert remarks.notes == ["HAMAS - Hebron"]  # the title item is not a note


def test_legacy_xml_remarks_keep_links_in_brackets() -> None:
    remarks = parse_remarks("For more information on directives, please visit the following "
                            "link: http://example.org/ukraine.aspx#directives.; "
                            "(Linked To: PUBLIC JOINT STOCK COMPANY GAZPROM)")
    assert remarks.linked == ["PUBLIC JOINT STOCK COMPANY GAZPROM"]
    assert remarks.notes == ["For more information on directives, please visit the following "
                             "link: http://example.org/ukraine.aspx#directives"]


def test_weak_aliases_keep_apostrophes_and_kinds() -> None:
    remarks = parse_remarks("a.k.a. 'NU'MAN, Mohammed'; f.k.a. 'OLD NAME LLC'; n.k.a. 'NEW'")
    assert remarks.aliases == [("a.k.a.", "NU'MAN, Mohammed"), ("f.k.a.", "OLD NAME LLC"),
                               ("n.k.a.", "NEW")]


def test_unknown_label_stays_a_note_and_empty_remarks() -> None:
    assert parse_remarks("Frobnication Code 12345 (Russia)").notes == [
        "Frobnication Code 12345 (Russia)"]
    assert parse_remarks("-0- ").facts == []
    assert parse_remarks(None).notes == []


def test_label_keys_meet_across_formats() -> None:
    assert label_key("DOB") == label_key("Birthdate") == "birthdate"
    assert label_key("Organization Type:") == "organization type"
    assert label_key("Executive Order 13662 Directive Determination -") == \
        "executive order 13662 directive determination"
    assert label_key("Aircraft Manufacturer\u2019s Serial Number (MSN)") == \
        "aircraft manufacturer's serial number (msn)"


def test_make_fact_splits_a_country_written_into_the_number() -> None:
    assert make_fact("Registration Number", "1027700070518(Russia)") == Fact(
        "Registration Number", "1027700070518", "Russia")
    assert make_fact("Website", "www.example.org (mirror)").value == "www.example.org (mirror)"
    assert make_fact("Passport", "123", "Turkey") == Fact("Passport", "123", "Turkey")


def test_programs_names_and_addresses() -> None:
    assert split_programs("RUSSIA-EO14024] [UKRAINE-EO13662") == [
        "RUSSIA-EO14024", "UKRAINE-EO13662"]
    assert split_programs("-0- ") == []
    assert split_person_name("LOGAN MOREY, Elvis Angus") == ("LOGAN MOREY", "Elvis Angus")
    assert split_person_name("MORENO, Jr., Daniel") is None
    assert split_person_name("GAZPROMBANK") is None
    assert address_line(["16 Nametkina Street", "Bldg. 1", None], "Moscow", None,
                        "117420") == "16 Nametkina Street, Bldg. 1, Moscow 117420"
    assert address_line([], "Miami", "FL", "33130") == "Miami, FL 33130"
    assert address_line(["-0- "], None, None, None) == ""


def _build(record: OfacRecord) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(source=get_source("ofac_sdn"), path=Path("sdn.csv"))
    builder = OfacBuilder(ctx)
    return [*builder.build(record), *builder.finish()], ctx


def test_prose_after_a_document_label_is_a_note_not_a_number() -> None:
    record = OfacRecord(ent_num="11968", kind="individual", name="SELEK, Atilla",
                        location="line 1")
    record.add_remarks(parse_remarks(
        "Passport 702142921 (Germany) expires 03 Dec 2011; Passport and National ID were "
        "issued in Ulm, Germany.  Currently incarcerated at JVA Bruchsal prison."))
    entities, ctx = _build(record)
    person = entities[0]
    assert person.get("passportNumber") == ["702142921"]
    assert person.get("notes") == ["Passport and National ID were issued in Ulm, Germany. "
                                   "Currently incarcerated at JVA Bruchsal prison"]
    passport = next(e for e in entities if e.schema == "Passport")
    assert passport.get("endDate") == ["2011-12-03"] and passport.get("country") == ["de"]
    assert ctx.issues == []


def test_placeholders_and_regions() -> None:
    record = OfacRecord(ent_num="15047", kind="vessel", name="A SHIP", location="line 1",
                        facts=[Fact("Vessel Flag", "None Identified")])
    record.add_address("", "undetermined")
    record.add_address("Simferopol", "Region: Crimea")
    entities, ctx = _build(record)
    vessel = entities[0]
    assert vessel.get("flag") == []
    assert vessel.get("country") == ["ua-cri"]
    assert vessel.get("address") == ["Simferopol, Region: Crimea"]
    assert ctx.issues == []


def test_links_resolve_by_name_within_the_file() -> None:
    ctx = ParseContext(source=get_source("ofac_sdn"), path=Path("sdn.csv"))
    builder = OfacBuilder(ctx)
    owner = OfacRecord(ent_num="1", kind="entity", name="PARENT CO.", location="line 1")
    child = OfacRecord(ent_num="2", kind="entity", name="CHILD LLC", location="line 2")
    child.add_remarks(parse_remarks("Linked To: PARENT CO.; Linked To: ELSEWHERE LTD."))
    builder.build(owner)
    built = builder.build(child)
    links = list(builder.finish())
    assert [(e.id, e.get("subject"), e.get("object")) for e in links] == [
        ("ofac-sdn-2-unknownlink-1", ["ofac-sdn-2"], ["ofac-sdn-1"])]
    assert built[0].get("notes") == ["Linked To: PARENT CO", "Linked To: ELSEWHERE LTD"]
