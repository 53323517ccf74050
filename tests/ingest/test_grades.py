"""Grades of the four scales normalised to Outstanding, Good, Requires improvement, Adequate,
Inadequate, from the lines the seeds print them in."""
import pytest

from indexer.ingest.grades import (checkbox_grade, grade_line, jar_grade, normalise_grade,
                            split_graded_heading, tick_grid_grade)
from indexer.model import GRADES
from tests.seeds import HALTON_JAR_2008, raw


@pytest.mark.parametrize("printed, grade", [
    # 2009-12: Grade 1 (Outstanding) .. Grade 4 (Inadequate), either way round
    ("Grade 1 (Outstanding)", "Outstanding"), ("Grade 2 (Good)", "Good"),
    ("Grade 3 (Adequate)", "Adequate"), ("Grade 4 (Inadequate)", "Inadequate"),
    ("Adequate (Grade 3)", "Adequate"), ("Grade 4", "Inadequate"),
    # 2013-18 single inspection words, as printed in the tables
    ("Requires Improvement", "Requires improvement"), ("**Improvement**", "Requires improvement"),
    ("Good", "Good"), ("**Inadequate**", "Inadequate"), ("Outstanding", "Outstanding"),
    # ILACS 2018-
    ("Requires improvement to be good", "Requires improvement"), ("requires improvement to be good", "Requires improvement"),
])
def test_word_and_numbered_scales(printed, grade):
    assert normalise_grade(printed) == grade


def test_joint_area_review_numbers_count_downwards():
    assert [jar_grade(n) for n in (4, 3, 2, 1)] == ["Outstanding", "Good", "Adequate", "Inadequate"]
    assert jar_grade("<b>4</b>") == "Outstanding"


def test_every_normalised_grade_is_in_the_vocabulary():
    for printed in ("Grade 1", "Grade 2", "Grade 3", "Grade 4", "Requires improvement", "adequate"):
        assert normalise_grade(printed) in GRADES
    assert {jar_grade(n) for n in range(1, 5)} <= set(GRADES)


@pytest.mark.parametrize("text", ["", "4", "The service is good", "Good support ensures that",
                                  "Adequate (Grade 3)\tA service that only meets minimum requirements"])
def test_sentences_and_bare_numbers_are_not_grades(text):
    assert normalise_grade(text) is None


def test_jar_checkbox_rows_of_the_seed():
    rows = [l for l in raw(HALTON_JAR_2008).splitlines() if "<input" in l]
    assert [checkbox_grade(r) for r in rows] == ["Outstanding", "Good", "Outstanding"]


def test_jar_tick_under_the_grade():
    # 003 prints "Inadequate / Adequate / Good / X / Outstanding", one per block
    assert tick_grid_grade(["Inadequate", "Adequate", "Good", "X", "Outstanding"]) == "Good"
    assert tick_grid_grade(["Inadequate", "Adequate", "X", "Good", "Outstanding"]) == "Adequate"
    assert tick_grid_grade(["Inadequate", "Adequate", "Good", "Outstanding"]) is None


@pytest.mark.parametrize("line, expected", [
    ("Grade 2 (Good)", (None, "Good")),
    ("The graded judgment for adoption performance is that it is inadequate", ("Adoption performance", "Inadequate")),
    ("The graded judgment about the experience and progress of care leavers is that it requires improvement",
     ("Experience and progress of care leavers", "Requires improvement")),
    ("The overall judgement is that children's services require improvement", ("Overall effectiveness", "Requires improvement")),
    ("The Local Safeguarding Children Board requires improvement", ("Local Safeguarding Children Board", "Requires improvement")),
    ("The LSCB requires improvement because:", None),
    ("Children's services in Halton require improvement because:", None),
])
def test_grade_lines(line, expected):
    assert grade_line(line) == expected


@pytest.mark.parametrize("heading, expected", [
    ("Children and young people are safe and feel safe Grade 2 (Good)", ("Children and young people are safe and feel safe", "Good")),
    ("Performance management and quality assurance Grade 2 (Good)", ("Performance management and quality assurance", "Good")),
    ("The experiences and progress of children who need help and protection: requires improvement to be good",
     ("The experiences and progress of children who need help and protection", "Requires improvement")),
    ("Quality of provision", ("Quality of provision", None)),
])
def test_headings_printed_with_their_grade(heading, expected):
    assert split_graded_heading(heading) == expected
