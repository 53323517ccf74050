"""Report metadata from the content of each seed, never from the file name."""
import shutil

import pytest

from indexer.ingest.metadata import (REPORT_TYPES, extract_metadata, find_report_type, parse_date_range,
                              short_authority_name)
from indexer.model import SourceText
from indexer.ingest.pipeline import build_report, parse_file
from indexer.ingest.sources import read_source
from tests.seeds import (CALDERDALE_2015, HALTON_2015, HALTON_FV_2018, HALTON_JAR_2008, SEEDS,
                         ST_HELENS_2012, report)

EXPECTED = {
    HALTON_2015: ("Halton", "Single inspection (SIF)", "2014-11-18", "2014-12-10", "2015-02-03"),
    ST_HELENS_2012: ("St Helens", "Safeguarding and looked after children inspection",
                     "2012-06-25", "2012-07-06", "2012-08-10"),
    HALTON_FV_2018: ("Halton", "Focused visit", "2018-07-24", "2018-07-25", "2018-08-16"),
    HALTON_JAR_2008: ("Halton", "Joint area review", None, None, "2008-07-22"),
    CALDERDALE_2015: ("Calderdale", "Single inspection (SIF)", "2015-01-13", "2015-02-04", "2015-03-20"),
}

SIF_AREAS = ["Overall effectiveness", "Children who need help and protection",
             "Children looked after and achieving permanence", "Adoption performance",
             "Experiences and progress of care leavers", "Leadership, management and governance",
             "Local Safeguarding Children Board"]
RI, GOOD = "Requires improvement", "Good"
EXPECTED_JUDGEMENTS = {
    HALTON_2015: list(zip(SIF_AREAS, [RI, RI, GOOD, GOOD, GOOD, RI, RI])),
    CALDERDALE_2015: list(zip(SIF_AREAS, [RI, RI, RI, "Inadequate", RI, RI, RI])),
    HALTON_JAR_2008: [("Safeguarding", "Outstanding"), ("Looked after children", GOOD),
                      ("Learning difficulties and/or disabilities", GOOD),
                      ("Service management", GOOD), ("Capacity to improve", "Outstanding")],
    HALTON_FV_2018: [],
    ST_HELENS_2012: [
        ("Safeguarding services: Overall effectiveness", GOOD),
        ("Safeguarding services: Capacity for improvement", GOOD),
        ("Safeguarding services: Children and young people are safe and feel safe", GOOD),
        ("Safeguarding services: Quality of provision", "Adequate"),
        ("Safeguarding services: The contribution of health agencies to keeping children and young people safe", GOOD),
        ("Safeguarding services: Ambition and prioritization", GOOD),
        ("Safeguarding services: Performance management and quality assurance", GOOD),
        ("Safeguarding services: Partnership working", GOOD),
        ("Safeguarding services: Equality and diversity", GOOD),
        ("Services for looked after children: Overall effectiveness", GOOD),
        ("Services for looked after children: Capacity for improvement", GOOD),
        ("Services for looked after children: Being healthy", GOOD),
        ("Services for looked after children: Staying safe", GOOD),
        ("Services for looked after children: Enjoying and achieving", "Adequate"),
        ("Services for looked after children: Making a positive contribution, including user engagement", "Adequate"),
        ("Services for looked after children: Economic well-being", GOOD),
        ("Services for looked after children: Quality of provision", GOOD),
        ("Services for looked after children: Ambition and prioritisation", GOOD),
        ("Services for looked after children: Leadership and management", GOOD),
        ("Services for looked after children: Performance management and quality assurance", GOOD),
        ("Services for looked after children: Equality and diversity", GOOD),
    ],
}


@pytest.mark.parametrize("name", SEEDS)
def test_report_metadata(name):
    r = report(name)
    assert (r.authority, r.report_type, r.inspection_start, r.inspection_end, r.published) == EXPECTED[name]
    assert r.report_type in REPORT_TYPES


@pytest.mark.parametrize("name", SEEDS)
def test_every_graded_judgement(name):
    assert [(j.area, j.grade) for j in report(name).judgements] == EXPECTED_JUDGEMENTS[name]


def test_metadata_never_comes_from_the_file_name(tmp_path, corpus_dir):
    odd = tmp_path / "calderdale_2019_jar.txt"
    shutil.copy(corpus_dir / HALTON_2015, odd)
    r = parse_file(odd, tmp_path)
    assert (r.authority, r.report_type, r.published) == ("Halton", "Single inspection (SIF)", "2015-02-03")


def test_title_from_the_content():
    assert report(HALTON_FV_2018).title == "Focused visit to Halton Borough Council children's services"
    assert report(HALTON_2015).title.startswith("Inspection of services for children in need of help")


@pytest.mark.parametrize("printed, short", [
    ("Halton Borough Council", "Halton"),
    ("Calderdale Metropolitan Council", "Calderdale"),
    ("Halton Children's Services Authority Area", "Halton"),
    ("St. Helens Council", "St Helens"),
    ("St Helens Metropolitan Borough Council", "St Helens"),
    ("London Borough of Barnet", "Barnet"),
    ("Royal Borough of Windsor & Maidenhead", "Windsor and Maidenhead"),
    ("Kingston upon Hull City Council", "Hull"),
    ("Isle of Wight Council", "Isle of Wight"),
    ("Durham County Council", "Durham"),
    ("North Somerset Council", "North Somerset"),
])
def test_authority_short_common_name(printed, short):
    assert short_authority_name(printed) == short


@pytest.mark.parametrize("opening, authority", [
    # first lines as the seeds and the later frameworks print them
    ("Halton\n\nInspection of services for children in need of help and protection", "Halton"),
    ("Calderdale Metropolitan Council\n\nInspection of services for children in need", "Calderdale"),
    ("Isle of Wight Council\nInspection of children’s social care services", "Isle of Wight"),
    ("Inspection of Bath and North East\nSomerset local authority children’s\nservices",
     "Bath and North East Somerset"),
    ("Dear Ms Sandy\nFocused visit to Lincolnshire children’s services", "Lincolnshire"),
    ("Area SEND inspection of North\nNorthamptonshire Local Area Partnership", "North Northamptonshire"),
])
def test_authority_from_title_layouts(opening, authority):
    assert extract_metadata(opening + "\n\nSome text about the area.").authority == authority


@pytest.mark.parametrize("printed, start, end", [
    ("18 November 2014 - 10 December 2014", "2014-11-18", "2014-12-10"),   # 000
    ("13 January 2015 – 4 February 2015", "2015-01-13", "2015-02-04"),      # 004
    ("25 June – 6 July 2012 Reporting inspector", "2012-06-25", "2012-07-06"),  # 001
    ("24 and 25 July 2018. The inspectors were", "2018-07-24", "2018-07-25"),   # 002
    ("19 November 2018 to 30 November 2018", "2018-11-19", "2018-11-30"),  # ILACS 2018
    ("9 to 13 June 2025", "2025-06-09", "2025-06-13"),                     # ILACS 2025
    ("8 – 12 July 2013", "2013-07-08", "2013-07-12"),                      # 2013 looked after children
    ("30 April and 1 May 2019", "2019-04-30", "2019-05-01"),
])
def test_date_ranges(printed, start, end):
    assert parse_date_range(printed) == (start, end)


def test_a_letters_date_is_its_publication_date():
    text = "Piccadilly Gate  \nStore Street  \n\n16 August 2018\n\nA Person  \nA Council\n\nDear Mr Vasic\n\nText."
    assert extract_metadata(text).published == "2018-08-16"


@pytest.mark.parametrize("title, report_type", [
    ("Inspection of looked after children services Norfolk County Council Inspection dates: 8 – 12 July 2013",
     "Looked after children inspection"),
    ("Inspection of local authority arrangements for the protection of children", "Child protection inspection"),
    ("Isle of Wight Council Inspection of children’s social care services", "ILACS standard inspection"),
    ("Joint targeted area inspection of the multi-agency response to abuse and neglect in Halton",
     "Joint targeted area inspection"),
    ("Area SEND inspection of Wiltshire Local Area Partnership", "Area SEND inspection"),
    ("Monitoring visit to Slough children’s services", "Monitoring visit"),
    ("Review of the effectiveness of the local safeguarding children board", "LSCB review"),
])
def test_report_types_of_other_frameworks(title, report_type):
    assert find_report_type([title]) == report_type
    assert report_type in REPORT_TYPES


def test_ilacs_short_inspection_is_one_week_on_site():
    lines = ["Inspection of Slough local authority children’s services"]
    assert find_report_type(lines, "2019-03-04", "2019-03-08") == "ILACS short inspection"
    assert find_report_type(lines, "2019-03-04", "2019-03-15") == "ILACS standard inspection"


def test_report_without_metadata_gets_nones_not_errors():
    r = build_report(SourceText(text="Some text without any metadata at all.", paged=False), "x", "x.txt")
    assert (r.authority, r.report_type, r.published, r.judgements) == (None, None, None, [])
    assert [p.text for p in r.paragraphs] == ["Some text without any metadata at all."]
