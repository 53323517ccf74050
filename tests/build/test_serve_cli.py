"""`ofsted-search serve` gets an index it can read before it starts: it builds one when there is
none and rebuilds one written by another version of the code, but never replaces an index built
from another folder."""
import json
import shutil

import pytest
from click.testing import CliRunner

from indexer import build as build_mod, cli, store
from indexer.build import MANIFEST


@pytest.fixture()
def served(monkeypatch):
    """Run `serve` up to the point where the server would start; return what it would serve."""
    seen = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kwargs: seen.update(app=app))

    def run(*args):
        result = CliRunner().invoke(cli.cli, ["serve", "--processes", "1", *args])
        return result, seen.get("app")
    return run


def pretend_older_code_wrote(index_dir, part="format_version", forget_corpus=False):
    """Edit the live manifest as an index written before an upgrade would read."""
    path = store.current_generation(index_dir) / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    manifest[part] = "older-code"
    if forget_corpus:  # manifests from before they named their folder
        manifest.pop("corpus")
    path.write_text(json.dumps(manifest), "utf-8")


def search_total(app, q):
    return app.test_client().get(f"/api/search?q={q}").get_json()["total"]


def test_serve_builds_the_index_when_there_is_none(tmp_path, served, corpus_dir):
    index_dir = tmp_path / "index"
    result, app = served("--index", str(index_dir), "--corpus", str(corpus_dir))
    assert result.exit_code == 0, result.output
    assert f"No index in {index_dir}: building it from {corpus_dir}" in result.output
    assert "Indexed 5 reports" in result.output
    assert search_total(app, "return+home+interviews") > 0


def test_serve_leaves_an_index_written_by_this_code_alone(tmp_path, served, corpus_dir):
    index_dir = tmp_path / "index"
    build_mod.build(corpus_dir, index_dir, show_progress=False)
    live = store.current_generation(index_dir)
    result, app = served("--index", str(index_dir), "--corpus", str(corpus_dir))
    assert result.exit_code == 0, result.output
    assert "building" not in result.output and "Indexed" not in result.output
    assert store.current_generation(index_dir) == live


@pytest.mark.parametrize("forget_corpus", [False, True], ids=["manifest-names-corpus",
                                                              "older-manifest"])
def test_serve_rebuilds_an_index_older_code_wrote_from_the_same_corpus(tmp_path, served,
                                                                       forget_corpus, corpus_dir):
    index_dir = tmp_path / "index"
    build_mod.build(corpus_dir, index_dir, show_progress=False)
    pretend_older_code_wrote(index_dir, forget_corpus=forget_corpus)
    result, app = served("--index", str(index_dir), "--corpus", str(corpus_dir))
    assert result.exit_code == 0, result.output
    assert "was written by another version of ofsted-search: rebuilding it" in result.output
    assert build_mod.outdated_parts(index_dir) == []
    assert search_total(app, "children") > 0


def two_report_corpus(tmp_path, corpus_dir):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for seed in sorted(corpus_dir.glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_serve_refuses_an_index_older_code_wrote_from_another_folder(tmp_path, served,
                                                                     corpus_dir):
    index_dir = tmp_path / "index"
    build_mod.build(two_report_corpus(tmp_path, corpus_dir), index_dir, show_progress=False)
    pretend_older_code_wrote(index_dir)
    live = store.current_generation(index_dir)
    result, app = served("--index", str(index_dir), "--corpus", str(corpus_dir))
    assert result.exit_code == 1 and app is None
    assert "another folder" in result.output and "ofsted-search build --index" in result.output
    assert "Traceback" not in result.output
    # Not replaced by the bundled corpus's five reports.
    assert store.current_generation(index_dir) == live
    assert len(json.loads((live / "reports.json").read_text("utf-8"))) == 2


def test_serve_only_notes_older_paragraph_splitting_from_another_folder(tmp_path, served,
                                                                        corpus_dir):
    index_dir = tmp_path / "index"
    build_mod.build(two_report_corpus(tmp_path, corpus_dir), index_dir, show_progress=False)
    pretend_older_code_wrote(index_dir, part="parser_version")
    live = store.current_generation(index_dir)
    result, app = served("--index", str(index_dir), "--corpus", str(corpus_dir))
    assert result.exit_code == 0, result.output
    assert "split by another version" in result.output
    assert store.current_generation(index_dir) == live
    assert app.test_client().get("/api/search?q=children").get_json()["reports"] == 2


def test_search_from_the_command_line_warns_about_an_index_older_code_wrote(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    build_mod.build(corpus_dir, index_dir, show_progress=False)
    pretend_older_code_wrote(index_dir)
    result = CliRunner().invoke(cli.cli, ["search", "--index", str(index_dir), "children"])
    assert result.exit_code == 0
    assert "written by another version of ofsted-search" in result.output


@pytest.mark.parametrize("cores, expected", [(1, 1), (2, 2), (64, cli.MAX_DEFAULT_PROCESSES)])
def test_serve_uses_one_process_per_core_by_default(seed_index, corpus_dir, monkeypatch, cores,
                                                    expected):
    seen = {}
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr("webapp.server.serve",
                        lambda make_app, host, port, processes, settings: seen.update(n=processes))
    result = CliRunner().invoke(cli.cli, ["serve", "--index", str(seed_index),
                                          "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert seen["n"] == expected
    assert f"({expected} process" in result.output
