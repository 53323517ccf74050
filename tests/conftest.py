"""Shared fixtures: the bundled corpus, an index built from it once per session, ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build
from indexer.store import IndexReader

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

requires_shared = pytest.mark.skipif(
    not (SHARED / "ofsted-pdfs").is_dir(), reason="../shared (real Ofsted PDFs) is not present")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the bundled corpus, built once for the whole session. Do not modify it."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    build(CORPUS, index_dir, show_progress=False)
    return index_dir


@pytest.fixture(scope="session")
def seed_reader(seed_index) -> IndexReader:
    return IndexReader(seed_index)


@pytest.fixture(scope="session")
def seed_app(seed_index):
    """The web app on the seed index, serving originals from the bundled corpus."""
    from webapp import create_app
    return create_app(index_dir=seed_index, corpus_dir=CORPUS)


@pytest.fixture()
def seed_client(seed_app):
    return seed_app.test_client()
