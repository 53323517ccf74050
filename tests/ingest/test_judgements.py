"""Judgement rows (indexer/judgements.py) on the seeds: every framework's areas in the same
columns, null where the framework makes no such judgement."""
from __future__ import annotations

from indexer.judgements import (AREAS, COLUMNS, column_for, csv_text, graded_points,
                                judgement_row, judgement_rows)
from tests.seeds import (CALDERDALE_2015, HALTON_2015, HALTON_FV_2018, HALTON_JAR_2008, SEEDS,
                         ST_HELENS_2012, report)


def row(name: str) -> dict:
    return judgement_row(report(name).summary())


def grades(r: dict) -> dict:
    return {a: r[a] for a in AREAS if r[a]}


def test_a_single_inspection_fills_the_five_areas_adoption_and_the_lscb():
    r = row(HALTON_2015)
    assert grades(r) == {"overall_effectiveness": "Requires improvement",
                         "impact_of_leaders": "Requires improvement",
                         "help_and_protection": "Requires improvement",
                         "children_in_care": "Good", "care_leavers": "Good", "adoption": "Good",
                         "lscb": "Requires improvement"}
    assert r["other_judgements"] == [] and r["care_leavers_with_children_in_care"] is False
    assert (r["urn"], r["la_code"], r["gss_code"], r["region"]) == \
        ("80471", "876", "E06000006", "North West")
    assert (r["inspection_start"], r["inspection_end"], r["published"]) == \
        ("2014-11-18", "2014-12-10", "2015-02-03")
    assert row(CALDERDALE_2015)["adoption"] == "Inadequate"


def test_a_2012_inspection_has_no_overall_judgement_and_keeps_its_other_areas():
    r = row(ST_HELENS_2012)
    assert r["overall_effectiveness"] is None  # two overall judgements, one per group
    assert r["help_and_protection"] == "Good"  # Safeguarding services: Overall effectiveness
    assert r["children_in_care"] == "Good"     # Services for looked after children: Overall
    assert r["care_leavers"] is None and r["impact_of_leaders"] is None
    other = {j["area"]: j["grade"] for j in r["other_judgements"]}
    assert other["Safeguarding services: Quality of provision"] == "Adequate"
    assert other["Services for looked after children: Enjoying and achieving"] == "Adequate"
    assert len(other) == len(report(ST_HELENS_2012).judgements) - 2


def test_a_joint_area_review_fills_its_own_areas():
    r = row(HALTON_JAR_2008)
    assert grades(r) == {"help_and_protection": "Outstanding", "children_in_care": "Good",
                         "learning_difficulties_and_disabilities": "Good",
                         "leadership_and_management": "Good",
                         "capacity_to_improve": "Outstanding"}
    assert r["inspection_end"] is None and r["published"] == "2008-07-22"


def test_only_graded_reports_are_rows_and_latest_is_each_authority_s_newest():
    summaries = [report(n).summary() for n in SEEDS]
    rows = judgement_rows(summaries)
    assert report(HALTON_FV_2018).report_id not in {r["report_id"] for r in rows}
    assert len(rows) == 4 and all(set(r) == set(COLUMNS) for r in rows)
    latest = judgement_rows(summaries, latest=True)
    assert [(r["authority"], r["report_type"]) for r in latest] == [
        ("Calderdale", "Single inspection (SIF)"), ("Halton", "Single inspection (SIF)"),
        ("St Helens", "Safeguarding and looked after children inspection")]
    assert {r["authority"] for r in judgement_rows(summaries, ["north west"])} == \
        {"Halton", "St Helens"}
    assert judgement_rows(summaries, ["Nowhere"]) == []


def test_ilacs_areas_as_printed_map_to_their_columns():
    ilacs = "ILACS standard inspection"
    assert column_for(ilacs, "The experiences and progress of children in care and care "
                             "leavers") == "children_in_care"
    assert column_for(ilacs, "The experiences and progress of children care leavers") == \
        "care_leavers"  # as 2025 reports print it, beside a row for children in care
    assert column_for(ilacs, "The impact of leaders on social work practice with children "
                             "and families.") == "impact_of_leaders"
    assert column_for("Looked after children inspection", "Overall effectiveness") == \
        "children_in_care"
    joint = judgement_row({"report_type": ilacs, "judgements": [
        {"area": "The experiences and progress of children in care and care leavers",
         "grade": "Good"}]})
    assert joint["children_in_care"] == "Good" and joint["care_leavers"] is None
    assert joint["care_leavers_with_children_in_care"] is True


def test_csv_and_points_carry_the_same_grades():
    rows = judgement_rows([report(n).summary() for n in SEEDS])
    lines = csv_text(rows).splitlines()
    assert lines[0].split(",")[:3] == ["report_id", "source", "url"]
    assert len(lines) == 1 + len(rows)
    points = graded_points(rows)
    # The JAR prints no inspection dates: it is drawn at its publication date.
    assert {(p["date"], p["area"], p["grade"]) for p in points
            if p["report_id"] == report(HALTON_JAR_2008).report_id} >= \
        {("2008-07-22", "help_and_protection", "Outstanding")}
    assert sum(len(grades(r)) for r in rows) == len(points)
