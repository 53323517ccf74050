"""The shape prior on two real inspection reports (../shared/ofsted-pdfs): findings about
unaccompanied asylum-seeking children rank above the reports' one-line counts of them."""
import re

import pytest

from indexer.search import SearchParams, search
from tests.real_pdfs import index_of

REPORTS = ["inspections/80428_bedford/children's services inspection - 07 april 2017.pdf",
           "inspections/80430_blackburn with darwen/children's services inspection - "
           "08 december 2017.pdf"]

pytestmark = pytest.mark.shared("ofsted-pdfs")


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    return index_of(tmp_path_factory, REPORTS, "uasc")


def test_findings_about_uasc_rank_above_the_counts(reader):
    results = search(reader.engine, SearchParams(
        q="unaccompanied asylum-seeking children", limit=60))["results"]
    counts = [i for i, r in enumerate(results)
              if re.match(r"^\W*(\d+|[a-z]+) children are unaccompanied", r["text"])]
    findings = [i for i, r in enumerate(results)
                if len(r["text"].split()) > 25
                and re.search(r"unaccompanied asylum-seeking children", r["text"], re.I)]
    assert len(counts) == 2 and len(findings) >= 3  # "24 children are ...", "four children ..."
    assert all(results[i]["shape"] == "context" for i in counts)
    assert all(results[i]["shape"] == "narrative" for i in findings)
    assert max(findings) < min(counts)
