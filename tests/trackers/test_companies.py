"""One entity per real company across Yale snapshots, KSE and own research (on fixtures),
with its status history; filters; counts per snapshot against a direct count of the CSV."""

from __future__ import annotations

import csv
from collections import Counter

from followthemoney.types import registry

from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.trackers.companies import CompanyView, Filters, load_companies, snapshot_counts
from pressurepoint.trackers.grouping import group_records
from pressurepoint.trackers.history import load_tracker_data
from tests.conftest import FIXTURES

NEWEST_CSV = (FIXTURES / "yale_celi" / "2025-05-21" /
              "Yale_CELI_List_of_Companies_Leaving_and_Staying_in_Russia.csv")


def members(view: CompanyView | None) -> set[str]:
    assert view is not None
    return {m.id for m in view.members}


def test_one_company_per_real_company(tracker_store: Store) -> None:
    found = load_companies(tracker_store)
    assert len(found.views) == 34
    assert members(found.find("Merck KGaA")) == {
        "yale-celi-merck-kgaa", "yale-celi-merck-de", "kse-leave-russia-merck-kgaa"}
    assert members(found.find("Merck Group")) == {
        "yale-celi-merck-group", "yale-celi-merck-us", "kse-leave-russia-merck-group"}
    assert members(found.find("JCB")) == {"yale-celi-jcb", "yale-celi-jcb-gb",
                                          "kse-leave-russia-jcb"}
    assert members(found.find("Japan Credit Bureau (JCB)")) == {
        "yale-celi-japan-credit-bureau-jcb", "yale-celi-jcb-jp"}
    assert members(found.find("Exxonmobil")) == {
        "yale-celi-exxon", "yale-celi-exxonmobil", "kse-leave-russia-exxonmobil"}
    assert members(found.find("British Petroleum (BP)")) == {
        "yale-celi-bp", "yale-celi-british-petroleum-bp", "kse-leave-russia-bp"}
    assert members(found.find("Raiffeisen Bank International")) == {
        "yale-celi-raiffeisen-bank-international", "kse-leave-russia-raiffeisen-bank",
        "company-tracker-csv-raiffeisen-bank-international-ag"}
    assert members(found.find("MOL Group | MOL Plc.")) == {"yale-celi-molgroup",
                                                           "yale-celi-mol-group-mol-plc"}
    # look-alike names stay apart; so do two entries one tracker lists at the same time
    assert members(found.find("Phillips 66")) == {"kse-leave-russia-phillips-66",
                                                  "company-tracker-csv-phillips-66"}
    assert "kse-leave-russia-apple-maps" not in members(found.find("Apple"))


def test_no_company_holds_two_records_a_tracker_lists_at_once(tracker_store: Store) -> None:
    found = load_companies(tracker_store)
    for view in found.views:
        for a in view.members:
            for b in view.members:
                if a.id < b.id and a.source == b.source:
                    assert a.last_seen < b.first_seen or b.last_seen < a.first_seen, view.name


def test_status_history_and_every_trackers_grade(tracker_store: Store) -> None:
    valeo = load_companies(tracker_store).find("Valeo")
    assert valeo is not None
    assert (valeo.status, valeo.country, valeo.industry) == ("exited", "fr",
                                                              "Consumer Discretionary")
    yale = [(a.date, a.grade.code) for a in valeo.assessments if a.source == "yale_celi"]
    assert yale == [("2022-07-30", "F"), ("2022-12-24", "F"), ("2023-08-23", "F"),
                    ("2024-02-25", "F"), ("2025-05-21", "A")]
    current = {(a.source, a.grade.code, a.grade.status) for a in valeo.trackers}
    assert current == {("yale_celi", "A", "exited"), ("kse_leave_russia", "withdrawal", "exited"),
                       ("company_tracker_csv", "exited", "exited")}
    body = valeo.to_json()
    assert {"id", "name", "country", "industry", "status", "assessments"} <= set(body)
    assert body["assessments"][0] == {
        "tracker": "yale_celi", "authority": "Yale Chief Executive Leadership Institute",
        "grade": "F", "label": "Digging In", "status": "staying", "date": "2022-07-30",
        "words": "still operating in Russia",
        "source_url": "https://som.yale.edu/story/2022/"
                      "over-1000-companies-have-curtailed-operations-russia-some-remain",
        "record": "yale-celi-valeo"}


def test_judgements_split_and_join(tracker_store: Store) -> None:
    data = load_tracker_data(tracker_store)
    judged = {("yale-celi-exxon", "yale-celi-exxonmobil"): "different",
              ("yale-celi-adeo-leroy-merlin", "yale-celi-leroy-merlin"): "same"}
    grouping = group_records(data, judged)
    assert grouping.group_of["yale-celi-exxon"] != grouping.group_of["yale-celi-exxonmobil"]
    assert grouping.group_of["yale-celi-adeo-leroy-merlin"] == \
        grouping.group_of["yale-celi-leroy-merlin"]
    rs.add_judgement(tracker_store, "yale-celi-exxonmobil", "yale-celi-exxon", "different")
    try:
        found = load_companies(tracker_store)
        assert "yale-celi-exxon" not in members(found.find("Exxonmobil"))
    finally:
        rs.add_judgement(tracker_store, "yale-celi-exxonmobil", "yale-celi-exxon", "unsure")


def test_filters(tracker_store: Store) -> None:
    views = load_companies(tracker_store).views

    def names(filters: Filters) -> set[str]:
        checked = filters.check()
        return {v.name for v in views if checked.match(v)}

    german_staying = names(Filters(country="DE", status="staying"))
    assert german_staying == {"Merck KGaA", "STIHL"}
    assert names(Filters(country="Germany", status="staying")) == german_staying
    assert names(Filters(industry="health")) == {"Merck KGaA", "Merck Group"}
    assert "Ocean Network Express" in names(Filters(tracker="kse_leave_russia",
                                                    status="exiting"))
    assert names(Filters(name="leroy")) == {"ADEO | Leroy Merlin", "Leroy Merlin"}


def test_snapshot_counts_match_a_direct_count_of_the_csv(tracker_store: Store) -> None:
    data = load_tracker_data(tracker_store)
    counts = snapshot_counts(data, "yale_celi")
    with NEWEST_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert counts["date"] == "2025-05-21"
    assert counts["assessments"] == len(rows) == 27 and counts["companies"] == 26
    assert counts["by_grade"] == dict(Counter(r["yaleGrade"] for r in rows))
    direct_countries = Counter(registry.country.clean(r["country"].strip()) or "(none)"
                               for r in rows)
    assert counts["by_country"] == dict(direct_countries)
    assert counts["by_status"] == {"exited": 8, "exiting": 7, "reduced": 2, "staying": 10}
