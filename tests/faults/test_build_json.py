"""`ofsted-search build --json`: the build summary for monitoring."""
from __future__ import annotations

import json

from click.testing import CliRunner

from indexer.cli import cli


def build_json(corpus, index_dir, *extra):
    result = CliRunner().invoke(cli, ["build", "--corpus", str(corpus), "--index", str(index_dir),
                                      "--json", *extra])
    return result, json.loads(result.stdout)


def test_the_summary_as_json_names_skipped_files_and_caveats_with_reasons(tmp_path, corpus,
                                                                          report_pdf):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "legacy.txt").write_bytes("Caf\xe9 culture: children\x92s services in Halton.\n\n"
                                        .encode("latin-1"))
    (corpus / "damaged.pdf").write_bytes(report_pdf(3, broken=[2]))
    result, summary = build_json(corpus, tmp_path / "index")
    assert result.exit_code == 0
    assert summary["reports"] == 7 and summary["parsed"] == 8 and summary["paragraphs"] > 800
    assert not summary["up_to_date"] and summary["generation"].startswith("gen-")
    assert summary["skipped"] == [{"file": "empty.txt", "reason": "empty file"}]
    caveats = {c["file"]: c["caveat"] for c in summary["caveats"]}
    assert set(caveats) == {"legacy.txt", "damaged.pdf"}
    assert "page 2 " in caveats["damaged.pdf"]
    assert {"scan", "parse", "write", "check", "total"} <= set(summary["seconds"])
    assert all(isinstance(v, float) for v in summary["seconds"].values())
    # The human summary still goes to standard error.
    assert "Skipped 1 files:" in result.stderr

    again, summary = build_json(corpus, tmp_path / "index")
    assert again.exit_code == 0 and summary["up_to_date"] and summary["reports"] == 7
    assert summary["skipped"] == [{"file": "empty.txt", "reason": "empty file"}]


def test_a_failed_build_prints_its_error_as_json_and_exits_1(tmp_path, corpus):
    (corpus / "empty.txt").write_bytes(b"")
    result, summary = build_json(corpus, tmp_path / "index", "--strict")
    assert result.exit_code == 1
    assert "--strict" in summary["error"] and summary["skipped"][0]["file"] == "empty.txt"
    result, summary = build_json(tmp_path / "no-such-folder", tmp_path / "index")
    assert result.exit_code == 1 and "corpus folder not found" in summary["error"]
