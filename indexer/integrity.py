"""Is an index generation whole? Sizes and checksums sealed into its manifest, checked on open.

A build seals a generation as it completes it: the manifest's "integrity" entry records every
other file's size and SHA-256. Anything that later cuts, zeroes or swaps a file (a full disk, a
failed copy, a bad block) shows as a missing file, a size or a checksum that differs; `probe`
then checks that the generation opens and answers a search, which catches what a seal cannot
(a generation written wrongly in the first place).

    seal(generation)            -> {"files": {name: {"size", "sha256"}}}, for the manifest
    verify(generation, ...)     -> [Problem]   sizes, and checksums unless quick
    probe(generation)           -> [Problem]   opens, answers, agrees with its manifest
    check(generation, quick)    -> [Problem]   both: what `ofsted-search check` runs

Hashing runs at about 1 GB/s: the 80 MB index of 510 reports takes under a tenth of a second, so
readers verify checksums every time they open a generation.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
REPORTS = "reports.json"
KEY = "integrity"
ALGORITHM = "sha256"
REBUILD = "ofsted-search build --full"
_NOT_SEALED = {MANIFEST}  # the manifest holds the seal; Whoosh's empty lock file is sealed too
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    file: str   # a file name inside the generation, or "" for the generation as a whole
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}" if self.file else self.what


class IndexDamaged(Exception):
    """A generation that fails its check: what is wrong, file by file, and what to run."""

    def __init__(self, generation: Path, problems: list[Problem], index_dir: Path | None = None):
        self.generation = Path(generation)
        self.problems = list(problems)
        self.index_dir = Path(index_dir) if index_dir else self.generation.parent
        listed = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"the index in {self.index_dir} is damaged ({self.generation.name}: "
                         f"{listed}{more}); rebuild it: {self.rebuild_command}")

    @property
    def rebuild_command(self) -> str:
        return rebuild_command(self.index_dir, self.generation)


def rebuild_command(index_dir: Path, generation: Path | None = None) -> str:
    """The command that rebuilds `index_dir`, from the folder its manifest names if it can."""
    corpus = read_manifest(generation).get("corpus") if generation else None
    return f"{REBUILD} --index {index_dir} --corpus {corpus or '<the folder it was built from>'}"


def file_digest(path: Path) -> str:
    digest = hashlib.new(ALGORITHM)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def seal(generation: Path, previous: Path | None = None) -> dict:
    """The manifest's integrity entry for every file in `generation` but the manifest.

    Files hard-linked from the `previous` generation (an incremental build's segments) keep the
    checksum recorded there instead of being read again."""
    generation = Path(generation)
    known = sealed_files(read_manifest(previous)) if previous else None
    files = {}
    for entry in sorted(generation.iterdir()):
        if not entry.is_file() or entry.name in _NOT_SEALED:
            continue
        size = entry.stat().st_size
        old = (known or {}).get(entry.name)
        if (old and old.get("size") == size and previous is not None
                and _same_file(entry, Path(previous) / entry.name)):
            files[entry.name] = dict(old)
            continue
        files[entry.name] = {"size": size, ALGORITHM: file_digest(entry)}
    return {"algorithm": ALGORITHM, "files": files}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def read_manifest(generation: Path | None) -> dict:
    if generation is None:
        return {}
    try:
        return json.loads((Path(generation) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def sealed_files(manifest: dict) -> dict | None:
    """name -> {"size", "sha256"} as sealed, or None for a generation written before seals."""
    seal_entry = manifest.get(KEY)
    if not isinstance(seal_entry, dict) or not isinstance(seal_entry.get("files"), dict):
        return None
    return seal_entry["files"]


def verify(generation: Path, checksums: bool = True, require_seal: bool = False) -> list[Problem]:
    """What is wrong with `generation`'s files against its seal ([] when nothing is).

    A generation written before seals existed has nothing to compare with: it passes unless
    `require_seal` (what `check` asks for, to say it cannot vouch for it)."""
    generation = Path(generation)
    path = generation / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return [Problem(MANIFEST, "missing (the generation was never completed)")]
    except OSError as e:
        return [Problem(MANIFEST, f"cannot be read ({e.strerror or e})")]
    except ValueError:
        return [Problem(MANIFEST, "damaged (not valid JSON)")]
    files = sealed_files(manifest) if isinstance(manifest, dict) else None
    if files is None:
        return ([Problem("", "no checksums recorded (written by an older version of "
                             "ofsted-search), so it cannot be verified")]
                if require_seal else [])
    problems = []
    for name, expected in sorted(files.items()):
        entry = generation / name
        try:
            size = entry.stat().st_size
        except FileNotFoundError:
            problems.append(Problem(name, "missing"))
            continue
        except OSError as e:
            problems.append(Problem(name, f"cannot be read ({e.strerror or e})"))
            continue
        if size != expected.get("size"):
            problems.append(Problem(name, f"{size:,} bytes where {expected.get('size', 0):,} "
                                          "were written (cut short or overwritten)"
                                          if size < expected.get("size", 0) else
                                          f"{size:,} bytes where {expected.get('size', 0):,} "
                                          "were written"))
            continue
        if checksums and ALGORITHM in expected:
            try:
                digest = file_digest(entry)
            except OSError as e:
                problems.append(Problem(name, f"cannot be read ({e.strerror or e})"))
                continue
            if digest != expected[ALGORITHM]:
                problems.append(Problem(name, "its contents changed since it was written "
                                              "(checksum differs)"))
    return problems


def probe(generation: Path) -> list[Problem]:
    """Whether `generation` opens, answers a search, and holds what its manifest says."""
    from .engine import Engine  # the engine imports Whoosh: only when a probe is asked for
    from .search import SearchParams, search

    generation = Path(generation)
    try:
        reports = json.loads((generation / REPORTS).read_text("utf-8"))
    except (OSError, ValueError) as e:
        return [Problem(REPORTS, f"cannot be read ({type(e).__name__}: {e})")]
    manifest = read_manifest(generation)
    engine = None
    try:
        engine = Engine(generation)
        engine.warm()
        everything = search(engine, SearchParams(q="", limit=1))
        if reports:
            first = reports[0]["report_id"]
            if not engine.report_paragraphs(first):
                return [Problem("", f"report {first} is listed but has no paragraphs")]
        search(engine, SearchParams(q="children", limit=5))
    except Exception as e:  # whatever Whoosh raises on a damaged file: EOFError, struct.error...
        return [Problem("", f"the index cannot be opened or searched ({type(e).__name__}: "
                            f"{e or 'no detail'})")]
    finally:
        if engine is not None:
            try:
                engine.close()
            except Exception:
                pass
    expected = manifest.get("paragraphs")
    if isinstance(expected, int) and everything["total"] != expected:
        return [Problem("", f"the index holds {everything['total']:,} paragraphs where the "
                            f"manifest records {expected:,}")]
    return []


def check(generation: Path, quick: bool = False) -> list[Problem]:
    """What `ofsted-search check` reports: the seal (sizes only when `quick`), then a probe."""
    problems = verify(generation, checksums=not quick, require_seal=True)
    if any(p.file for p in problems):
        return problems  # a file is missing or damaged: opening it says nothing more useful
    return problems + probe(generation)
