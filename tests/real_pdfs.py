"""A small index of a few of the real published PDFs (../shared/ofsted-pdfs), for tests of what
the ranking does with them; callers mark their tests `pytest.mark.shared("ofsted-pdfs")`."""
from __future__ import annotations

import shutil

from indexer.build import build
from indexer.store import IndexReader
from tests.paths import SHARED

PDFS = SHARED / "ofsted-pdfs"


def index_of(tmp_path_factory, reports: list[str], name: str) -> IndexReader:
    """The reports (paths under ofsted-pdfs/) copied into a corpus of their own and indexed."""
    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    for r in reports:
        target = corpus / r
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PDFS / r, target)
    index = tmp_path_factory.mktemp(f"{name}-index")
    build(corpus, index, show_progress=False, jobs=1)
    return IndexReader(index)
