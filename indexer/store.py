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

import ctypes
import ctypes.util
import fcntl
import gc
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import integrity
from .engine import Engine
from .integrity import IndexDamaged

log = logging.getLogger(__name__)

CURRENT = "current"
REPORTS_FILE = "reports.json"
LOCK_FILE = ".build.lock"


COLLECT_AFTER = 15  # seconds after a switch before the previous generation is collected


def _release_freed_memory() -> None:
    """Hand the memory of freed tables back to the system. glibc keeps freed blocks below the
    top of its heap for reuse: without this a server's RSS grew by a generation's tables
    (about 70 MB at full scale) at some switches, though nothing was still using them."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


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

    def __init__(self, index_dir: Path, fallback: bool = False):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        # A generation is verified (sizes and checksums) before it is opened. One that fails is
        # remembered, so each request does not verify it again, and logged once. With
        # `fallback` (the web app), the previous good generation keeps being served instead.
        self.fallback = fallback
        self._damaged: dict[str, IndexDamaged] = {}
        self._collect_at: float | None = None

    def snapshot(self) -> Snapshot:
        generation = current_generation(self.index_dir)
        if generation is None:
            if self._snapshot is not None:
                return self._snapshot  # `current` vanished under us: keep serving what we have
            raise IndexMissing(f"no index in {self.index_dir}: run `ofsted-search build` first")
        snap = self._snapshot
        if snap is not None and snap.generation == generation:
            if self._collect_at is not None and time.monotonic() > self._collect_at:
                # The previous generation's engine sits in reference cycles (request contexts),
                # which only a full collection frees: without one, a server switched a few
                # times kept every generation's tables (about 300 MB each at full scale).
                self._collect_at = None
                gc.collect()
                _release_freed_memory()
            return snap
        if generation.name in self._damaged and snap is not None and self.fallback:
            return snap
        # Opening a generation loads its per-document tables (about a second at 50,000
        # paragraphs): meanwhile, other requests keep being served from the previous one.
        if not self._lock.acquire(blocking=snap is None):
            return snap
        try:
            if self._snapshot is None or self._snapshot.generation != generation:
                if generation.name in self._damaged:
                    return self._damaged_instead(generation)
                try:
                    self._snapshot = self._open(generation)
                    if snap is not None:  # once requests still on the previous one are done
                        self._collect_at = time.monotonic() + COLLECT_AFTER
                except IndexDamaged as e:
                    self._damaged[generation.name] = e
                    if self.fallback:  # a server's log; a command prints the error itself
                        log.error("not serving %s: %s", generation, e)
                    return self._damaged_instead(generation)
            return self._snapshot
        finally:
            self._lock.release()

    def _open(self, generation: Path) -> Snapshot:
        problems = integrity.verify(generation)
        if problems:
            raise IndexDamaged(generation, problems, self.index_dir)
        engine = None
        try:
            reports = json.loads((generation / REPORTS_FILE).read_text("utf-8"))
            engine = Engine(generation)
            engine.warm()
            return Snapshot(generation, engine, {r["report_id"]: r for r in reports})
        except Exception as e:  # a file Whoosh cannot read: EOFError, struct.error, ...
            if engine is not None:
                engine.close()
            raise IndexDamaged(generation, [integrity.Problem(
                "", f"cannot be opened ({type(e).__name__}: {e or 'no detail'})")],
                self.index_dir) from e

    def _damaged_instead(self, generation: Path) -> Snapshot:
        """What to serve while `current` points at a damaged generation: the snapshot already
        open, else (with `fallback`) the newest older complete generation that verifies (a
        newer one is a build still checking its work)."""
        if self._snapshot is not None and self.fallback:
            return self._snapshot
        if self.fallback:
            for other in sorted(self.index_dir.glob("gen-*"), reverse=True):
                if other.name >= generation.name or other.name in self._damaged:
                    continue
                if integrity.sealed_files(integrity.read_manifest(other)) is None:
                    continue  # unfinished (a build in progress) or from before seals
                try:
                    self._snapshot = self._open(other)
                except IndexDamaged as e:
                    self._damaged[other.name] = e
                    continue
                log.warning("serving the previous generation %s while %s is damaged",
                            other.name, generation.name)
                return self._snapshot
        raise self._damaged[generation.name]

    def recheck(self) -> IndexDamaged | None:
        """After an unexpected error: whether the open generation's files were damaged since it
        was opened (sizes only: one stat per file). A damaged one is dropped, so the next
        request serves what `snapshot` would serve instead."""
        snap = self._snapshot
        if snap is None:
            return None
        problems = integrity.verify(snap.generation, checksums=False)
        if not problems:
            return None
        damage = IndexDamaged(snap.generation, problems, self.index_dir)
        with self._lock:
            self._damaged[snap.generation.name] = damage
            if self._snapshot is snap:
                self._snapshot = None
        log.error("stopped serving %s: %s", snap.generation, damage)
        return damage

    @property
    def engine(self) -> Engine:
        return self.snapshot().engine

    @property
    def reports(self) -> dict[str, dict]:
        return self.snapshot().reports
