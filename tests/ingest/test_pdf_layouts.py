"""One real report of each layout in ../shared/ofsted-pdfs, read end to end: metadata,
judgements, whole paragraphs and headings, as checked by hand against the printed PDFs."""
from __future__ import annotations

import pytest

from indexer.ingest.pipeline import parse_file

RI = "Requires improvement"
pytestmark = pytest.mark.shared("ofsted-pdfs")


@pytest.fixture(scope="module")
def report(shared_dir):
    pdfs = shared_dir / "ofsted-pdfs"
    cache = {}

    def parse(rel: str):
        if rel not in cache:
            cache[rel] = parse_file(pdfs / rel, pdfs)
        return cache[rel]
    return parse


def grades(r) -> dict[str, str]:
    return {j.area: j.grade for j in r.judgements}


def paragraph(r, number: str):
    return next(p for p in r.paragraphs if p.para_number == number)


def test_2013_looked_after_children_inspection(report):
    r = report("inspections/80418_norfolk/children's services inspection,  pdf - 16 august 2013.pdf")
    assert (r.report_type, r.authority) == ("Looked after children inspection", "Norfolk")
    assert (r.inspection_start, r.inspection_end, r.published) == ("2013-07-08", "2013-07-12",
                                                                   "2013-08-16")
    assert grades(r) == {"Overall effectiveness": "Inadequate", "Capacity to improve": "Inadequate",
                         "Outcomes for looked after children and young people": "Inadequate",
                         "Quality of provision": "Inadequate",
                         "Leadership and management": "Inadequate"}
    p8 = paragraph(r, "8")
    assert p8.heading == "Overall effectiveness of services for looked after children and young people"
    assert p8.grade == "Inadequate"  # the bold "Grade 4 (inadequate)" under the heading
    assert p8.text.startswith("The local authority is not carrying out its statutory")
    assert p8.text.endswith("the high demand has stretched the service.")


def test_2014_single_inspection_with_lscb_review_and_wrapped_grade_cells(report):
    r = report("inspections/80426_barnsley/children's services inspection - 08 august 2014.pdf")
    assert (r.report_type, r.authority, r.published) == ("Single inspection (SIF)", "Barnsley",
                                                         "2014-08-08")
    assert grades(r) == {"Overall effectiveness": RI, "Children who need help and protection": RI,
                         "Children looked after and achieving permanence": RI,
                         "Adoption performance": RI, "Experiences and progress of care leavers": "Good",
                         "Leadership, management and governance": RI,
                         "Local Safeguarding Children Board": RI}
    # The grade table's numbered rows are not numbered paragraphs.
    assert not any(p.text.startswith("Children who need help and protection") for p in r.paragraphs)


def test_2015_single_inspection_footnotes_are_kept_apart(report):
    r = report("inspections/80418_norfolk/children's services inspection - 20 october 2015.pdf")
    assert grades(r)["Overall effectiveness"] == "Inadequate"
    notes = [p for p in r.paragraphs if p.kind == "footnote"]
    assert [n.text[:40] for n in notes] == ["Ofsted produces this report under its po",
                                            "The local authority was given the opport",
                                            "These are residential special schools th"]
    [bullet] = [p for p in r.paragraphs if p.text.startswith("18 live in residential special")]
    assert bullet.text == "18 live in residential special schools, of whom 55% live out of the " \
                          "authority area"  # marker "schools,3" gone, footnote text not glued in


def test_re_inspection(report):
    r = report("inspections/80462_doncaster/children's services inspection - 19 january 2018.pdf")
    assert r.title.startswith("Re-inspection of services for children in need of help")
    assert r.report_type == "Single inspection (SIF)"
    assert set(grades(r).values()) == {"Good"} and len(r.judgements) == 6


def test_standalone_lscb_review(report):
    r = report("inspections/80567_surrey/children's services inspection - 03 august 2015.pdf")
    assert (r.report_type, r.authority) == ("LSCB review", "Surrey")
    assert grades(r) == {"Local Safeguarding Children Board": RI}


def test_ilacs_2018_prints_no_publication_date(report):
    r = report("inspections/80426_barnsley/children's services inspection - 19 november 2018.pdf")
    assert (r.report_type, r.inspection_start, r.inspection_end, r.published) == (
        "ILACS standard inspection", "2018-10-08", "2018-10-19", None)
    assert grades(r)["Overall effectiveness"] == "Good" and len(r.judgements) == 4
    p1 = paragraph(r, "1")
    assert p1.section == "Help and protection" and p1.grade == "Good"


def test_ilacs_short_inspection_with_five_judgements(report):
    r = report("inspections/80419_isle of wight/children's services inspection - 15 december 2023.pdf")
    assert r.report_type == "ILACS short inspection"
    assert grades(r) == {
        "The impact of leaders on social work practice with children and families": "Good",
        "The experiences and progress of children who need help and protection": RI,
        "The experiences and progress of children in care": "Good",
        "The experiences and progress of care leavers": "Good", "Overall effectiveness": "Good"}


def test_2026_ilacs_has_no_overall_judgement_and_paragraphs_cross_pages_whole(report):
    r = report("inspections/2637539_north northamptonshire/children's services inspection - "
               "07 july 2026.pdf")
    assert "Overall effectiveness" not in grades(r) and len(r.judgements) == 4
    p5 = paragraph(r, "5")  # interrupted by a footnote and a page break
    assert p5.page == 2
    assert p5.text.endswith("key strengths. Assessments are informed by multiple visits and "
                            "incorporate the views of children and families.")
    assert all("local authority children’s services 11 to 22 May" not in p.text
               for p in r.paragraphs)  # the running footer


def test_trust_as_the_inspected_body(report):
    r = report("inspections/80449_bradford/children's services inspection - 21 may 2026.pdf")
    assert (r.report_type, r.authority) == ("ILACS standard inspection", "Bradford")
    assert r.title == "Inspection of Bradford Children and Families Trust"


def test_focused_visit_letter(report):
    r = report("focused-visits/2637539_north northamptonshire/children's services focused visit - "
               "22 november 2023.pdf")
    assert (r.report_type, r.authority, r.published) == ("Focused visit", "North Northamptonshire",
                                                         "2023-11-22")
    assert (r.inspection_start, r.inspection_end, r.judgements) == ("2023-10-18", "2023-10-19", [])
    texts = [p.text for p in r.paragraphs]
    assert not any("Piccadilly Gate" in t or "NN17 1QG" in t for t in texts)  # letterhead, address
    assert [p.text for p in r.paragraphs if p.kind == "bullet"] == [
        "The quality and effectiveness of decision-making and management oversight in the MASH.",
        "Initial responses in the MASH to children who go missing from home and who are at risk "
        "of exploitation.",
        "Responses to children in need of help and protection out of hours."]
    crossing = next(t for t in texts if t.startswith("Leaders are also acutely aware"))
    assert crossing.endswith("help and protection for some children is not provided at the "
                             "earliest opportunity.")


def test_area_send_report_has_an_outcome_not_grades(report):
    r = report("send/80428_bedford/area send full inspection - 04 february 2025.pdf")
    assert (r.report_type, r.authority, r.inspection_start, r.inspection_end) == (
        "Area SEND inspection", "Bedford", "2024-11-18", "2024-11-22")
    assert r.judgements == [] and r.published is None
    outcome = next(p for p in r.paragraphs if p.heading == "Inspection outcome")
    assert outcome.text.startswith("The local area partnership’s special educational needs")


def test_dates_printed_as_numbers(report):
    r = report("inspections/80512_redbridge/children's services inspection - 25 november 2016.pdf")
    assert (r.inspection_start, r.inspection_end, r.published) == ("2016-09-12", "2016-10-06",
                                                                   "2016-11-25")


def test_a_sentence_cut_by_a_page_break_is_not_taken_for_a_heading(report):
    """West Sussex 2016 breaks a summary finding after "Personal advisers support": the short
    line before the break is prose (a sentence ends inside it), joined with the page after."""
    r = report("inspections/80578_west sussex/children's services inspection - 20 january 2016.pdf")
    [p] = [p for p in r.paragraphs if "Personal advisers support" in p.text]
    assert p.text.startswith("The local authority is in touch with almost all care leavers. "
                             "Personal advisers support care leavers particularly effectively.")
    assert not any("Personal advisers support" in (q.heading or "") for q in r.paragraphs)
    assert not any(q.text.startswith("care leavers particularly") for q in r.paragraphs)
