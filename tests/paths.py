"""Where the tests find the repository, its bundled corpus and ../shared (real PDFs, eval sets).

Tests take these from fixtures (`corpus_dir`, `shared_dir`, `root_dir` in conftest.py); the
constants are for what runs at collection time, such as parametrising over real PDFs.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
