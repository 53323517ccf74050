"""Shared fixtures: the bundled corpus, an index built from it once per session, ../shared.

Markers (declared in pyproject.toml):
- `shared`: the test reads ../shared (real PDFs, eval sets). It is skipped when ../shared is
  absent, and `-m "not shared"` deselects it when present. `@pytest.mark.shared("eval")` names
  the part of ../shared it needs: it is skipped when that part is absent.
- `slow`: the test starts processes or servers, kills builds, or loads a server.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build
from indexer.store import IndexReader
from tests.paths import CORPUS, ROOT, SHARED


def pytest_collection_modifyitems(items):
    unmarked = [item.nodeid for item in items if "shared_dir" in item.fixturenames
                and item.get_closest_marker("shared") is None]
    if unmarked:
        raise pytest.UsageError("tests that use ../shared must be marked @pytest.mark.shared: "
                                + ", ".join(unmarked))


def pytest_runtest_setup(item):
    marker = item.get_closest_marker("shared")
    if marker is None:
        return
    for part in marker.args or (".",):
        if not (SHARED / part).exists():
            where = "../shared" if part == "." else f"../shared/{part}"
            pytest.skip(f"{where} is not present")


@pytest.fixture(scope="session")
def root_dir() -> Path:
    """The repository."""
    return ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled corpus: the five seed reports."""
    return CORPUS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared, for tests marked `shared` (which are skipped when it is absent)."""
    return SHARED


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
