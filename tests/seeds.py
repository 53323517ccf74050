"""The five bundled seed reports, parsed once per test session (pure functions, no index)."""
from __future__ import annotations

from functools import lru_cache
from indexer.model import Report
from indexer.ingest.pipeline import parse_file
from indexer.ingest.segment import Block, segment
from indexer.ingest.sources import read_source
from tests.paths import CORPUS

HALTON_2015 = "000_f0d2b5c06809a76c.txt"      # single inspection (SIF) with LSCB review
ST_HELENS_2012 = "001_d0e98cc0a314bdc6.txt"   # safeguarding and looked after children, 2012
HALTON_FV_2018 = "002_392029502dc47f6f.txt"   # focused visit letter
HALTON_JAR_2008 = "003_f8100d5140c3d05e.txt"  # joint area review
CALDERDALE_2015 = "004_94c535938a8529bb.txt"  # SIF, scrambled grade list
SEEDS = (HALTON_2015, ST_HELENS_2012, HALTON_FV_2018, HALTON_JAR_2008, CALDERDALE_2015)


@lru_cache(maxsize=None)
def report(name: str) -> Report:
    return parse_file(CORPUS / name, CORPUS)


@lru_cache(maxsize=None)
def blocks(name: str) -> tuple[Block, ...]:
    return tuple(segment(read_source(CORPUS / name)))


def raw(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def numbered(name: str) -> dict:
    """para_number -> Paragraph, for the numbered paragraphs of a seed."""
    return {p.para_number: p for p in report(name).paragraphs if p.para_number}


def paragraph_with(name: str, words: str):
    """The one paragraph of a seed containing `words`."""
    hits = [p for p in report(name).paragraphs if words in p.text]
    assert len(hits) == 1, f"{len(hits)} paragraphs of {name} contain {words!r}"
    return hits[0]
