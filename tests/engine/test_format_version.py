"""Which code changes rebuild an index: the format version covers what an index holds on disk
(schema, analysis, writing), the parse cache covers ingestion, and nothing else counts.

Each test copies the indexer package, edits the copy as a developer would, and runs `build` from
it in a fresh process, as an operator would after pulling the change.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def checkout(tmp_path, corpus_dir):
    """A copy of the indexer package and an index it built from the bundled corpus."""
    code = tmp_path / "code"
    shutil.copytree(ROOT / "indexer", code / "indexer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    index = tmp_path / "index"

    def build(*args) -> str:
        env = dict(os.environ, PYTHONPATH=str(code))
        done = subprocess.run(
            [sys.executable, "-c", "from indexer.cli import main; main()", "build",
             "--corpus", str(corpus_dir), "--index", str(index), *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    def edit(relative: str, old: str, new: str) -> None:
        path = code / "indexer" / relative
        text = path.read_text("utf-8")
        assert re.search(old, text, flags=re.M), f"{old!r} not in {relative}"
        path.write_text(re.sub(old, new, text, count=1, flags=re.M), "utf-8")

    build()
    return SimpleNamespace(build=build, edit=edit, package=code / "indexer")


def test_a_ranking_constant_or_a_comment_keeps_the_index(checkout):
    build, edit = checkout.build, checkout.edit
    edit("engine/ranking.py", r"^WORD_BONUS = [0-9.]+", "WORD_BONUS = 12000.0")
    edit("engine/schema.py", r"^def make_schema", "# a comment a developer added\ndef make_schema")
    edit("engine/writing.py", r'^"""Writing an index', '"""Writing an index (reworded)')
    assert "Index is up to date" in build()


def test_a_change_to_the_schema_rewrites_every_report(checkout):
    checkout.edit("engine/schema.py", r"^HEADING_BOOST = 2\.0", "HEADING_BOOST = 3.0")
    out = checkout.build()
    assert "Index is up to date" not in out
    assert "5 reports written" in out and "0 files parsed" in out  # written again, not parsed


def test_a_change_to_the_analysis_rewrites_every_report(checkout):
    checkout.edit("engine/analysis.py", r"^def plain_analyzer",
                  "EXTRA = 1\n\n\ndef plain_analyzer")
    assert "5 reports written" in checkout.build()


def test_a_new_module_in_ingest_reparses_every_report(checkout):
    """The parse cache covers the ingest folder as a whole: no list to keep up to date."""
    assert "Index is up to date" in checkout.build()
    (checkout.package / "ingest" / "new_rule.py").write_text("RULE = 1\n", "utf-8")
    out = checkout.build()
    assert "Index is up to date" not in out
    assert "5 files parsed" in out


def test_a_change_to_the_posting_store_rewrites_every_report(checkout):
    checkout.edit("engine/poststore.py", r'^MAGIC = b"OFSPST01"', 'MAGIC = b"OFSPST02"')
    assert "5 reports written" in checkout.build()
