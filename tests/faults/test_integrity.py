"""Checksums sealed into each generation's manifest, and `ofsted-search check`."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from indexer import integrity, store
from indexer.cli import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def manifest(generation):
    return json.loads((generation / "manifest.json").read_text("utf-8"))


def test_the_manifest_records_every_files_size_and_checksum(index_dir):
    generation = store.current_generation(index_dir)
    sealed = manifest(generation)["integrity"]["files"]
    on_disk = {p.name for p in generation.iterdir() if p.name != "manifest.json"}
    assert set(sealed) == on_disk and any(name.endswith(".seg") for name in on_disk)
    for name, entry in sealed.items():
        data = (generation / name).read_bytes()
        assert entry == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_an_incremental_build_seals_the_new_generation_too(index_dir, corpus):
    from indexer.build import build
    letter = sorted(corpus.glob("*.txt"))[0]
    letter.write_text(letter.read_text("utf-8") + "\n\nA new closing paragraph.\n", "utf-8")
    summary = build(corpus, index_dir, show_progress=False, jobs=1)
    assert summary.removed == 1  # updated in place: its segments are hard links to the last
    assert integrity.check(summary.generation) == []
    sealed = manifest(summary.generation)["integrity"]["files"]
    assert set(sealed) == {p.name for p in summary.generation.iterdir()} - {"manifest.json"}


def test_check_passes_a_whole_index(index_dir):
    result = run("check", "--index", index_dir)
    assert result.exit_code == 0, result.output
    assert "is whole" in result.output


@pytest.mark.parametrize("how, says", [
    ("cut", "bytes where"),
    ("flip", "checksum differs"),
    ("delete:reports.json", "missing"),
])
def test_check_names_the_damaged_file_and_what_to_run(index_dir, damage, how, says):
    broken = damage(store.current_generation(index_dir), how)
    result = run("check", "--index", index_dir)
    assert result.exit_code == 1
    assert f"{broken.name}: " in result.output and says in result.output
    assert "ofsted-search build --full" in result.output


def test_quick_check_compares_sizes_and_still_catches_a_cut_file(index_dir, damage):
    broken = damage(store.current_generation(index_dir), "cut")
    result = run("check", "--quick", "--index", index_dir)
    assert result.exit_code == 1 and broken.name in result.output


def test_check_cannot_vouch_for_an_index_without_checksums(index_dir):
    # What an index written before checksums looks like: its manifest has no seal.
    generation = store.current_generation(index_dir)
    old = manifest(generation)
    del old["integrity"]
    (generation / "manifest.json").write_text(json.dumps(old), "utf-8")
    result = run("check", "--index", index_dir)
    assert result.exit_code == 1 and "no checksums recorded" in result.output
    # ...but it is still searched: nothing says it is damaged.
    assert run("search", "--index", index_dir, "care").exit_code == 0


def test_check_without_an_index_says_so(tmp_path):
    result = run("check", "--index", tmp_path / "nothing")
    assert result.exit_code == 1 and "no index" in result.output


@pytest.mark.parametrize("command", [["search", "care leavers"], ["search", "--json", "care"],
                                     ["reports"], ["dump"]])
def test_commands_on_a_damaged_index_say_what_is_wrong_and_what_to_run(index_dir, damage, command):
    broken = damage(store.current_generation(index_dir), "cut")
    result = run(*command[:1], "--index", index_dir, *command[1:])
    assert result.exit_code == 1
    assert "Aborted" not in result.output
    assert "damaged" in result.output and broken.name in result.output
    assert "ofsted-search build --full" in result.output


def test_a_damaged_index_is_rebuilt_whole_by_the_next_build(index_dir, corpus, damage):
    from indexer.build import build
    damage(store.current_generation(index_dir), "cut")
    summary = build(corpus, index_dir, show_progress=False, jobs=1)
    assert not summary.up_to_date and summary.repaired
    assert "damaged" in summary.lines()[0]
    assert integrity.check(store.current_generation(index_dir)) == []


def test_a_build_never_carries_a_damaged_segment_into_the_next_generation(index_dir, corpus,
                                                                          damage):
    # An incremental build hard-links the live segments: one whose bytes changed (same size)
    # must not be linked into a generation that would then fail its checksum.
    from indexer.build import build
    damage(store.current_generation(index_dir), "flip")
    letter = sorted(corpus.glob("*.txt"))[0]
    letter.write_text(letter.read_text("utf-8") + "\n\nA new closing paragraph.\n", "utf-8")
    summary = build(corpus, index_dir, show_progress=False, jobs=1)
    assert summary.repaired and integrity.check(summary.generation) == []


@pytest.mark.parametrize("how, says", [("cut", "bytes where"), ("flip", "checksum differs")])
def test_check_catches_a_damaged_posting_store(index_dir, how, says):
    from indexer.engine.poststore import EXT
    target = max(store.current_generation(index_dir).glob("*" + EXT),
                 key=lambda p: p.stat().st_size)
    data = bytearray(target.read_bytes())
    if how == "cut":
        target.write_bytes(bytes(data[: len(data) // 2]))
    else:
        middle = len(data) // 2
        data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
        target.write_bytes(bytes(data))
    result = run("check", "--index", index_dir)
    assert result.exit_code == 1
    assert f"{target.name}: " in result.output and says in result.output
    assert "ofsted-search build --full" in result.output
