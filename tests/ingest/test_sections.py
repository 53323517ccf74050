"""Headings of every framework mapped to the section vocabulary; each paragraph's section and the
grade of the judgement area it sits in, on the seeds."""
import pytest

from indexer.ingest.sections import RESET, SECTIONS, focus_section, section_for
from tests.seeds import (CALDERDALE_2015, HALTON_2015, HALTON_FV_2018, HALTON_JAR_2008, SEEDS,
                         ST_HELENS_2012, numbered, paragraph_with, report)

HEADINGS = [
    # 2013-18 single inspection framework (SIF) with LSCB review
    ("The local authority Summary of findings", "Summary"),
    ("What does the local authority need to improve?", "What needs to improve"),
    ("Priority and immediate action", "What needs to improve"),
    ("The local authority's strengths", "Summary"),
    ("Information about this local authority area", "Local context"),
    ("The experiences and progress of children who need help and protection", "Help and protection"),
    ("The experiences and progress of children looked after and achieving permanence", "Children in care"),
    ("The graded judgment for adoption performance is that it is good", "Adoption"),
    ("The graded judgment about the experience and progress of care leavers is that it is good", "Care leavers"),
    ("Leadership, management and governance", "Leadership and management"),
    ("The Local Safeguarding Children Board (LSCB)", "Safeguarding board (LSCB)"),
    ("What does the LSCB need to improve?", "What needs to improve"),
    ("Inspection judgement about the LSCB", "Safeguarding board (LSCB)"),
    ("What the inspection judgements mean", "About the inspection"),
    ("Information about this inspection", "About the inspection"),
    ("Summary for children and young people", "Summary for children and young people"),
    ("Summary for Children and young people", "Summary for children and young people"),
    # ILACS 2018-
    ("What needs to improve?", "What needs to improve"),
    ("The experiences and progress of children in care and care leavers", "Children in care"),
    ("The experiences and progress of children in care", "Children in care"),
    ("The experiences and progress of care leavers", "Care leavers"),
    ("The impact of leaders on social work practice with children and families", "Leadership and management"),
    # 2009-12 safeguarding and looked after children; 2013 looked after children
    ("Service information", "Local context"),
    ("Safeguarding services", "Help and protection"),
    ("Services for looked after children", "Children in care"),
    ("How good are outcomes for looked after children and care leavers?", "Children in care"),
    ("Ambition and prioritisation", "Leadership and management"),
    ("Areas for improvement", "What needs to improve"),
    ("About this inspection", "About the inspection"),
    # 2005-09 joint area reviews
    ("Main findings", "Summary"), ("Context", "Local context"), ("Recommendations", "What needs to improve"),
    ("Safeguarding", "Help and protection"), ("Looked after children and young people", "Children in care"),
    ("Children and young people with learning difficulties and/or disabilities", "SEND and disabilities"),
    ("Service management", "Leadership and management"), ("Capacity to improve", "Leadership and management"),
    # focused and monitoring visits, JTAI
    ("Focused visit to Halton Borough Council children's services", "Summary"),
    ("Overview", "Summary"), ("Headline findings", "Summary"),
    ("What needs to improve in this area of social work practice", "What needs to improve"),
    ("Key strengths", "Summary"), ("Next steps", "What needs to improve"),
    # area SEND
    ("What is it like to be a child or young person with SEND in this area?", "SEND and disabilities"),
    ("Information about the local area partnership", "Local context"),
    ("What does the area partnership need to do better?", "What needs to improve"),
    ("Areas for priority action", "What needs to improve"),
    # no section of their own
    ("Contents", RESET), ("Record of main findings:", RESET), ("Annex B", RESET),
    ("Consistency of practice", None), ("Being healthy", None), ("Quality of provision", None),
]


@pytest.mark.parametrize("heading, section", HEADINGS)
def test_headings_of_every_framework(heading, section):
    assert section_for(heading) == section
    assert section is None or section == RESET or section in SECTIONS


def _sections(name):
    return {(p.section, p.grade) for p in report(name).paragraphs}


def test_sif_judgement_areas_and_their_grades():
    p = numbered(CALDERDALE_2015)
    assert (p["37"].section, p["37"].grade) == ("Help and protection", "Requires improvement")
    assert (p["66"].section, p["66"].grade) == ("Children in care", "Requires improvement")
    for n in range(101, 122):   # adoption performance: the one section graded inadequate
        assert (p[str(n)].section, p[str(n)].grade) == ("Adoption", "Inadequate")
    assert (p["122"].section, p["122"].grade) == ("Care leavers", "Requires improvement")
    assert (p["135"].section, p["135"].grade) == ("Leadership and management", "Requires improvement")
    assert (p["172"].section, p["172"].grade) == ("Safeguarding board (LSCB)", "Requires improvement")
    assert p["101"].heading == "The graded judgment for adoption performance is that it is inadequate"
    h = numbered(HALTON_2015)
    assert (h["94"].section, h["94"].grade) == ("Adoption", "Good")
    assert (h["145"].section, h["145"].grade) == ("Safeguarding board (LSCB)", "Requires improvement")


def test_recommendations_stay_recommendations_under_area_subheadings():
    p = numbered(CALDERDALE_2015)
    assert p["6"].heading == "Help and protection"
    assert all((p[str(n)].section, p[str(n)].grade) == ("What needs to improve", None) for n in range(1, 18))
    assert (p["167"].section, p["167"].grade) == ("What needs to improve", None)   # the LSCB's


def test_the_summary_for_children_is_a_section_of_its_own_between_the_summary_and_findings():
    for name in (HALTON_2015, CALDERDALE_2015):
        paragraphs = report(name).paragraphs
        retold = [i for i, p in enumerate(paragraphs)
                  if p.section == "Summary for children and young people"]
        assert len(retold) == 8 and retold == list(range(retold[0], retold[-1] + 1))
        assert all(paragraphs[i].grade is None for i in retold)
        assert paragraphs[retold[0] - 1].section == "Summary"
        assert paragraphs[retold[-1] + 1].section != "Summary for children and young people"
    retelling = paragraph_with(HALTON_2015, "Adoption services are doing a good job")
    assert retelling.section == "Summary for children and young people"


def test_local_context_keeps_its_subheadings():
    p = paragraph_with(HALTON_2015, "222 children and young people were the subject of a child protection plan")
    assert (p.heading, p.section, p.grade) == ("Child protection in this area", "Local context", None)


def test_summary_box_of_a_judgement_then_its_numbered_paragraphs():
    box = paragraph_with(HALTON_2015, "Too many contacts within Halton's Contact, Assessment and Referral Team")
    assert (box.heading, box.section, box.grade) == ("Summary", "Summary", "Requires improvement")
    p37 = numbered(HALTON_2015)["37"]
    assert p37.heading == "The experiences and progress of children who need help and protection"
    assert (p37.section, p37.grade) == ("Help and protection", "Requires improvement")


def test_2012_grades_per_judgement_within_each_group():
    p = numbered(ST_HELENS_2012)
    assert (p["17"].section, p["17"].grade) == ("Help and protection", "Good")        # overall effectiveness
    assert (p["36"].heading, p["36"].grade) == ("Quality of provision", "Adequate")    # safeguarding services
    assert (p["120"].heading, p["120"].grade) == ("Quality of provision", "Good")      # looked after children
    assert (p["98"].section, p["98"].grade) == ("Children in care", "Adequate")       # enjoying and achieving
    assert (p["107"].grade, p["114"].grade) == ("Adequate", "Good")
    assert (p["60"].section, p["60"].grade) == ("Leadership and management", "Good")  # ambition: Grade 2
    assert (p["26"].section, p["26"].grade) == ("What needs to improve", None)
    assert (p["4"].section, p["4"].grade) == ("Local context", None)


def test_joint_area_review_grades_from_ticked_boxes():
    p = numbered(HALTON_JAR_2008)
    assert (p["16"].section, p["16"].grade) == ("Help and protection", "Outstanding")   # <input checked>
    assert (p["32"].section, p["32"].grade) == ("Children in care", "Good")              # X under Good
    assert (p["43"].section, p["43"].grade) == ("SEND and disabilities", "Good")
    assert (p["13"].section, p["13"].grade) == (None, None)    # Equality and diversity: ungraded
    assert p["58"].grade == "Adequate"  # further investigation: its first sentence states it


@pytest.mark.parametrize("name", SEEDS)
def test_ungraded_parts_carry_no_grade(name):
    for p in report(name).paragraphs:
        if p.section in ("What needs to improve", "Local context", "About the inspection"):
            assert p.grade is None, p.text[:80]


def test_a_focused_visits_findings_are_in_the_section_of_the_area_it_looked_at():
    fv = report(HALTON_FV_2018).paragraphs
    statement = next(p.text for p in fv if p.text.startswith("Inspectors looked at"))
    assert focus_section([statement]) == "Help and protection"   # the 'front door'
    findings = [p for p in fv if p.heading == "Findings"]
    assert len(findings) == 10 and {p.section for p in findings} == {"Help and protection"}
    assert findings[0].text.startswith("The local authority's iCART has improved")
    overview = [p for p in fv if p.heading == "Overview"]
    assert overview and {p.section for p in overview} == {"Summary"}


@pytest.mark.parametrize("statement, section", [
    # as the 510 PDFs state a visit's focus (Hull 2025, Southampton 2018, Hounslow 2025,
    # Bedford 2019, Sutton 2018)
    ("Inspectors looked at the local authority’s arrangements for placement decision-making for "
     "older children, with a particular focus on care leavers", "Children in care"),
    ("Inspectors reviewed the local authority’s arrangements to support care leavers and "
     "children looked after who are eligible for care leaving services", "Care leavers"),
    ("Inspectors looked at how the local authority supports children in need, those on child "
     "protection plans, and children in pre-proceedings.", "Help and protection"),
    ("The focus of this visit was on planning and achieving permanence for children, whether by "
     "way of adoption, living with family or friends", "Children in care"),
    ("Inspectors evaluated the local authority's arrangements for the protection of vulnerable "
     "adolescents.", "Help and protection"),
    # the evidence, not the focus; a 2021 visit on the pandemic names no area
    ("Inspectors considered a range of evidence, including discussions with managers.", None),
    ("Her Majesty’s Chief Inspector is leading Ofsted’s work into how England’s social care "
     "system has delivered child-centred practice during the COVID-19 pandemic.", None),
])
def test_the_focus_a_letter_states(statement, section):
    assert focus_section([statement]) == section


def test_focused_visit_sections():
    fv = report(HALTON_FV_2018).paragraphs
    assert [p.section for p in fv if p.heading.startswith("What needs to improve")] == ["What needs to improve"] * 3
    assert {p.grade for p in fv} == {None}
