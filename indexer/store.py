"""The index folder on disk: generations, the `current` pointer, the build lock.

    index/
      current -> gen-20261121T224512-3f2a   symlink, replaced atomically when a build completes
      gen-.../                             one complete index: the engine's files + reports.json
      .build.lock                          held by the one build allowed at a time

A build writes a fresh generation beside the live one and flips `current` only when it is
complete, so killing a build at any moment leaves the previous index intact; readers that notice
`current` has moved reopen on their next request.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .engine import Engine

CURRENT = "current"
REPORTS_FILE = "reports.json"
LOCK_FILE = ".build.lock"


class IndexMissing(Exception):
    pass


class BuildLocked(Exception):
    pass


def current_generation(index_dir: Path) -> Path | None:
    link = Path(index_dir) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = Path(index_dir) / target
    return path if path.is_dir() else None


def new_generation_dir(index_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = Path(index_dir) / f"gen-{stamp}-{os.getpid()}-{time.monotonic_ns() % 100000:05d}"
    path.mkdir(parents=True)
    return path


def publish_generation(index_dir: Path, generation: Path) -> None:
    """Point `current` at `generation` atomically, then drop generations older than the previous."""
    index_dir = Path(index_dir)
    previous = current_generation(index_dir)
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(generation.name, tmp)
    os.replace(tmp, index_dir / CURRENT)
    keep = {generation.name, previous.name if previous else None}
    for old in index_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(index_dir: Path, wait: bool = False):
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(index_dir) / LOCK_FILE, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildLocked(f"another build of {index_dir} is running; wait for it to finish "
                              "(or pass --wait)") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_reports(generation: Path, reports: list[dict]) -> None:
    (generation / REPORTS_FILE).write_text(json.dumps(reports, ensure_ascii=False), "utf-8")


@dataclass(frozen=True)
class Snapshot:
    """One generation, opened: its engine and report summaries always belong together."""
    generation: Path
    engine: Engine
    reports: dict[str, dict]


class IndexReader:
    """The live index for a long-running reader (the web app).

    Each call to snapshot() checks where `current` points (one readlink) and opens the new
    generation when a build has switched it; requests already holding the old snapshot finish on
    it, because a build keeps the previous generation on disk, and requests arriving while one
    of them opens the new generation are served from the old one.
    """

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        generation = current_generation(self.index_dir)
        if generation is None:
            if self._snapshot is not None:
                return self._snapshot  # `current` vanished under us: keep serving what we have
            raise IndexMissing(f"no index in {self.index_dir}: run `ofsted-search build` first")
        snap = self._snapshot
        if snap is not None and snap.generation == generation:
            return snap
        # Opening a generation loads its per-document tables (about a second at 50,000
        # paragraphs): meanwhile, other requests keep being served from the previous one.
        if not self._lock.acquire(blocking=snap is None):
            return snap
        try:
            if self._snapshot is None or self._snapshot.generation != generation:
                reports = json.loads((generation / REPORTS_FILE).read_text("utf-8"))
                engine = Engine(generation)
                engine.warm()
                self._snapshot = Snapshot(generation, engine, {r["report_id"]: r for r in reports})
            return self._snapshot
        finally:
            self._lock.release()

    @property
    def engine(self) -> Engine:
        return self.snapshot().engine

    @property
    def reports(self) -> dict[str, dict]:
        return self.snapshot().reports
