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
# What turns a file into a Report: the ingest package (its code and data) and the records.
PARSING = (PACKAGE / "ingest", PACKAGE / "model.py")


@lru_cache(maxsize=None)
def parser_version() -> str:
    """A hash of every file of indexer/ingest/ (code and data, by folder: a new module counts
    without anyone listing it) and of indexer/model.py."""
    digest = hashlib.sha256()
    for root in PARSING:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
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
