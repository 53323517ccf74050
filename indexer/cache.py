"""The extraction cache: parsed reports keyed by the content hash of their source file.

Parsing a PDF costs far more than indexing it, so a rebuild re-parses only files whose bytes are
new. Entries live under a folder named after the parser version (a hash of the parsing code), so
changing the parser invalidates every entry without anyone having to remember to.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

from .model import Report

PACKAGE = Path(__file__).resolve().parent
# Modules that do not affect what a file parses into; changing them keeps the cache.
NOT_PARSING = {"build.py", "cache.py", "cli.py", "engine.py", "search.py", "store.py", "doctable.py",
               "glossary.py", "query.py", "snippets.py", "integrity.py", "__init__.py"}
NOT_PARSING_DATA = {"glossary.toml"}  # read at search time only


@lru_cache(maxsize=None)
def parser_version() -> str:
    """A hash of every module that turns a file into a Report, and of the data they read
    (indexer/data/: the list of authority names)."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *(PACKAGE / "data").glob("*")]):
        if path.parent == PACKAGE and path.name in NOT_PARSING:
            continue
        if path.parent == PACKAGE / "data" and path.name in NOT_PARSING_DATA:
            continue
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class ExtractionCache:
    """Reports (or the reason a file was skipped) by report_id, for one parser version."""

    def __init__(self, root: Path, version: str | None = None):
        self.root = Path(root)
        self.version = version or parser_version()
        self.folder = self.root / self.version

    def _path(self, report_id: str, kind: str) -> Path:
        return self.folder / f"{report_id}.{kind}.json"

    def get(self, report_id: str) -> Report | str | None:
        """The cached Report, the cached skip reason (a str), or None when not cached."""
        for kind in ("report", "skip"):
            try:
                data = json.loads(self._path(report_id, kind).read_text("utf-8"))
            except (OSError, ValueError):
                continue
            return Report.from_dict(data) if kind == "report" else data["reason"]
        return None

    def put(self, report_id: str, result: Report | str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if isinstance(result, Report):
            kind, data = "report", result.to_dict()
        else:
            kind, data = "skip", {"reason": result}
        target = self._path(report_id, kind)
        # Write-then-rename: a build killed mid-write never leaves a truncated entry behind.
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        except BaseException:  # a full disk, text UTF-8 cannot hold: leave nothing behind
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, target)

    def prune(self, keep: set[str]) -> None:
        """Drop other parser versions and entries for reports no longer in the corpus."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and folder.name != self.version:
                shutil.rmtree(folder, ignore_errors=True)
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name.split(".", 1)[0] not in keep:
                    entry.unlink(missing_ok=True)
