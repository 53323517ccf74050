"""Repeated wording folded on five real 2014 inspection reports (../shared/ofsted-pdfs): each
prints the LSCB's judgement as the framework's one-line descriptor, and without folding those
copies fill the first page of a search for "LSCB"."""
import pytest

from indexer.engine.analysis import wording_key
from indexer.search import SearchParams, search
from tests.real_pdfs import index_of

REPORTS = [f"inspections/{r}/children's services inspection - {d}.pdf" for r, d in [
    ("80467_east sussex", "21 march 2014"), ("80530_north yorkshire", "30 june 2014"),
    ("80568_swindon", "23 may 2014"), ("80479_knowsley", "30 june 2014"),
    ("80488_bexley", "23 may 2014")]]
GOOD = ("The LSCB coordinates the activity of statutory partners and has mechanisms in place to "
        "monitor the effectiveness of local arrangements.")

pytestmark = pytest.mark.shared("ofsted-pdfs")


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    return index_of(tmp_path_factory, REPORTS, "lscb")


def test_the_first_page_shows_each_wording_once(reader):
    every = search(reader.engine, SearchParams(q="LSCB", limit=10, fold=False))["results"]
    assert len({wording_key(r["text"]) for r in every}) < 10  # copies, unfolded

    result = search(reader.engine, SearchParams(q="LSCB", limit=10))
    keys = [wording_key(r["text"]) for r in result["results"]]
    assert len(result["results"]) == 10 and len(set(keys)) == 10
    assert result["folded"] > 0


def test_the_descriptor_says_which_authorities_print_it_too(reader):
    hits = search(reader.engine, SearchParams(q=f'"{GOOD}"', fold=False))["results"]
    authorities = {h["authority"] for h in hits}
    assert {"East Sussex", "North Yorkshire", "Swindon"} <= authorities
    [hit] = search(reader.engine, SearchParams(q=f'"{GOOD}"'))["results"]
    others = {p["authority"] for p in hit["repeated"]["paragraphs"]}
    assert hit["repeated"]["count"] == len(hits) - 1
    assert others | {hit["authority"]} == authorities
