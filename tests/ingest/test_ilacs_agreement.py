"""Inspection dates and the five judgement grades of all 371 real inspections, against a third
party's extraction (the D2I ILACS scraper's ilacs_history_dev.csv in ../shared/ofsted-pdfs).

A field is compared where the third party gives a value: a date, a grade, or a statement that the
report has no such grade ("inspection_pre_dates_judgement": care leavers were graded with
children in care until 2023; "not_reported_post_reform": no overall judgement from 2026).
Where it says "data_unreadable" (every report before ILACS) or nothing, there is nothing to
compare. Every disagreement has been looked at: where the third party is wrong, the row is in
THIRD_PARTY_WRONG with the reason, and our answer is kept.

Only the reports with something to compare are parsed (the ILACS ones, about 240): about a minute
on one core the first time, seconds afterwards (see `comparisons`).
"""
from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import pytest

from indexer.cache import ExtractionCache
from indexer.judgements import judgement_row
from indexer.model import Report
from indexer.ingest.pipeline import parse_file, source_id

CSV = "ilacs_history_dev.csv"  # in ../shared/ofsted-pdfs
GRADES = {"outstanding": "Outstanding", "good": "Good", "requires improvement": "Requires improvement",
          "to requires improvement": "Requires improvement", "inadequate": "Inadequate"}
NOT_GRADED = {"inspection_pre_dates_judgement", "not_reported_post_reform"}
FIELDS = ("inspection_start", "inspection_end", "overall", "leaders", "help_and_protection",
          "in_care", "care_leavers")
REQUIRED_AGREEMENT = 0.99

pytestmark = pytest.mark.shared(f"ofsted-pdfs/{CSV}")

# (authority folder, pdf file name, field): why the third party's value is wrong. Ours is kept.
THIRD_PARTY_WRONG: dict[tuple[str, str, str], str] = {
    ("80462_doncaster", "children's services inspection - 19 january 2018.pdf", "care_leavers"):
        "a 2017 SIF re-inspection, not ILACS: it grades care leavers (2.2, Good) on its front page",
    ("80533_nottingham", "children's services inspection - 05 september 2022.pdf", "care_leavers"):
        "the 2022 report grades 'children in care and care leavers' together (Requires "
        "improvement to be good); there is no care-leavers grade, the CSV repeats the overall one",
    ("80541_redcar and cleveland", "children's services inspection - 22 september 2022.pdf",
     "care_leavers"):
        "the 2022 report grades 'children in care and care leavers' together; no care-leavers grade",
    ("80560_st helens", "children's services inspection - 04 september 2023.pdf",
     "help_and_protection"):
        "the front-page table prints Requires improvement to be good for help and protection; "
        "the CSV's three area grades are shifted by one row",
    ("80560_st helens", "children's services inspection - 04 september 2023.pdf", "in_care"):
        "the table prints Good for children in care (CSV shifted by one row)",
    ("80560_st helens", "children's services inspection - 04 september 2023.pdf", "care_leavers"):
        "the table prints Outstanding for care leavers (CSV shifted by one row)",
}


# Our judgements row's column (indexer/judgements.py) for each of the third party's five.
COLUMNS = {"overall": "overall_effectiveness", "leaders": "impact_of_leaders",
           "help_and_protection": "help_and_protection", "in_care": "children_in_care",
           "care_leavers": "care_leavers"}


def ours(report) -> dict[str, str | None]:
    """Our values as `ofsted-search judgements` gives them: ILACS before 2023 grades "children
    in care and care leavers" together, in children_in_care, with care_leavers null."""
    row = judgement_row(report.summary())
    values = {field: row[column] for field, column in COLUMNS.items()}
    values["inspection_start"], values["inspection_end"] = report.inspection_start, report.inspection_end
    return values


def theirs(row: dict) -> dict[str, str | None]:
    """The third party's values in our terms; fields it gives no value for are left out."""
    out = {}
    for field, column in (("inspection_start", "inspection_start_date"),
                          ("inspection_end", "inspection_end_date")):
        if row[column]:
            out[field] = datetime.strptime(row[column], "%d/%m/%Y").date().isoformat()
    for field, column in (("overall", "overall_effectiveness_grade"),
                          ("leaders", "impact_of_leaders_grade"),
                          ("help_and_protection", "help_and_protection_grade"),
                          ("in_care", "in_care_grade"), ("care_leavers", "care_leavers_grade")):
        value = row[column].strip().lower()
        if value in GRADES:
            out[field] = GRADES[value]
        elif value in NOT_GRADED:
            out[field] = None
    return out


def pdf_for(pdfs: Path, row: dict) -> Path | None:
    folders = [p for p in (pdfs / "inspections").glob(f"{row['urn']}_*")]
    path = folders[0] / row["pdf_filename"] if folders else None
    return path if path and path.is_file() else None


def parsed(pdfs: Path, path: Path, cache: ExtractionCache | None):
    """The report, from the extraction cache when this parser version has already read it."""
    if cache is None:
        return parse_file(path, pdfs)
    report_id = source_id(path)
    report = cache.get(report_id)
    if not isinstance(report, Report):
        report = parse_file(path, pdfs)
        cache.put(report_id, report)
    return report


@pytest.fixture(scope="module")
def comparisons(request, shared_dir):
    """(authority folder, file, field, ours, theirs) for every compared field. Reports are kept
    in pytest's cache folder by parser version (as builds keep them), so a rerun without a
    change to the parsing code takes seconds."""
    pdfs = shared_dir / "ofsted-pdfs"
    pytest_cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    cache_dir = pytest_cache.mkdir("pdf-extraction") if pytest_cache else None
    cache = ExtractionCache(cache_dir) if cache_dir else None
    out = []
    for row in csv.DictReader((pdfs / CSV).open(encoding="utf-8")):
        path, values = pdf_for(pdfs, row), theirs(row)
        if path is None or not values:
            continue  # 2012 reports not in the folder; pre-ILACS rows with nothing to compare
        report = parsed(pdfs, path, cache)
        mine = ours(report)
        for field, value in values.items():
            out.append((path.parent.name, path.name, field, mine[field], value))
        # The authority's codes, joined by its name, against the third party's URN.
        out.append((path.parent.name, path.name, "urn", report.urn, row["urn"]))
    return out


def test_every_inspection_in_the_folder_is_compared(comparisons, shared_dir):
    compared = {(folder, name) for folder, name, *_ in comparisons}
    assert len(compared) >= 230  # the ILACS reports: earlier ones have nothing to compare
    assert len(list((shared_dir / "ofsted-pdfs" / "inspections").glob("*/*.pdf"))) == 371


def test_dates_and_grades_agree_with_the_third_party(comparisons):
    disagreements = [c for c in comparisons if c[3] != c[4]]
    adjudicated = [c for c in disagreements if c[:3] in THIRD_PARTY_WRONG]
    remaining = [c for c in disagreements if c[:3] not in THIRD_PARTY_WRONG]
    agreement = 1 - len(remaining) / len(comparisons)
    report = "\n".join(f"  {folder}/{name} {field}: ours {mine!r}, theirs {them!r}"
                       for folder, name, field, mine, them in remaining)
    assert agreement >= REQUIRED_AGREEMENT, (
        f"{agreement:.1%} of {len(comparisons)} fields agree ({len(adjudicated)} adjudicated); "
        f"remaining disagreements:\n{report}")


def test_every_adjudicated_row_is_still_a_disagreement(comparisons):
    """An exception that no longer disagrees (the parser or the CSV changed) must be removed."""
    disagreements = {c[:3] for c in comparisons if c[3] != c[4]}
    assert set(THIRD_PARTY_WRONG) <= disagreements
