"""The authority lookup (indexer/ingest/data/la-lookup/) joined to reports by name: codes and
region on every report and paragraph, statistical neighbours, and nothing guessed."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.authorities import authority_codes, lookup, name_key
from indexer.ingest.metadata import known_authorities
from tests.seeds import CALDERDALE_2015, HALTON_2015, HALTON_JAR_2008, SEEDS, ST_HELENS_2012, report

PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "ofsted-pdfs"
# Abolished before the lookup's time (2009): reports about them get no codes, and say so.
NOT_IN_LOOKUP = {"Bedfordshire", "Cheshire", "Bournemouth"}


def test_the_lookup_holds_every_authority_once_with_codes_and_a_region():
    authorities = lookup().authorities
    assert len(authorities) == 156  # 153 current and 3 former (Cumbria, Northamptonshire, Poole)
    assert len({a.urn for a in authorities}) == len({a.la_code for a in authorities}) == 156
    assert len({a.slug for a in authorities}) == 156
    assert all(a.gss_code[:3] in ("E06", "E08", "E09", "E10") for a in authorities)
    assert len(lookup().regions()) == 9
    current = [a for a in authorities if not a.former]
    assert len(current) == 153 and all(len(a.neighbour_codes) == 10 for a in current)


def test_seed_reports_carry_their_authority_s_codes():
    assert authority_codes("Halton") == {"urn": "80471", "la_code": "876",
                                         "gss_code": "E06000006", "region": "North West"}
    for name in SEEDS:
        r = report(name)
        assert {k: getattr(r, k) for k in ("urn", "la_code", "gss_code", "region")} == \
            authority_codes(r.authority)
        assert r.urn is not None
        assert {d["region"] for d in r.documents()} == {r.region}
        assert {d["gss_code"] for d in r.documents()} == {r.gss_code}
    assert report(ST_HELENS_2012).la_code == "342"  # the lookup spells it "St. Helens"
    assert report(CALDERDALE_2015).region == "Yorkshire and the Humber"
    assert report(HALTON_JAR_2008).urn == report(HALTON_2015).urn == "80471"


def test_every_spelling_of_a_known_authority_resolves_except_the_abolished_ones():
    missing = {known_authorities()[alias] for alias in known_authorities()
               if lookup().find(alias) is None}
    assert missing == NOT_IN_LOOKUP


def test_a_predecessor_is_not_taken_for_its_successor():
    # The lookup lists "Bournemouth" among BCP's other names; it was an authority of its own.
    assert lookup().find("Bournemouth") is None
    assert lookup().find("BCP").name == "Bournemouth, Christchurch and Poole"
    assert lookup().find("Poole").former


def test_spellings_meet():
    assert name_key("St. Helens") == name_key("St Helens")
    assert name_key("Telford & Wrekin") == name_key("Telford and Wrekin")
    assert lookup().find("Bristol, City of").name == "Bristol"
    assert lookup().find("Kingston upon Hull").name == "Hull"
    assert lookup().find("Bedford Borough").name == "Bedford"
    assert lookup().find("Nowhere") is None and authority_codes("Nowhere")["urn"] is None


def test_statistical_neighbours_are_ten_authorities_closest_first():
    halton = lookup().find("Halton")
    neighbours = [a.name for a in lookup().neighbours(halton)]
    assert neighbours[:3] == ["St Helens", "Durham", "Wirral"]
    assert len(neighbours) == 10 and "Halton" not in neighbours
    assert [a.name for a in lookup().with_neighbours("halton")] == ["Halton"] + neighbours


@pytest.mark.shared
@pytest.mark.skipif(not PDFS.is_dir(), reason="../shared/ofsted-pdfs is not present")
def test_every_authority_folder_of_the_real_pdfs_resolves_to_its_urn():
    folders = sorted({p.name for p in PDFS.glob("*/*_*") if p.is_dir()})
    assert len(folders) > 100
    wrong = [f for f in folders if (a := lookup().find(f.split("_", 1)[1])) is None
             or a.urn != f.split("_", 1)[0]]
    assert wrong == []
