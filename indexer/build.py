"""Build the index from a corpus folder: parse what changed, write a new generation, switch it in.

    scan corpus -> hash files -> parse the new ones (in parallel, cached by content hash)
      -> write a generation (a copy of the live one updated in place, or a fresh one)
      -> publish it atomically (store.publish_generation)

A file that cannot be used is named in the summary with the reason and skipped; the rest is
indexed. The live index is only ever replaced by a complete generation.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import engine, integrity, store
from .cache import ExtractionCache, parser_version
from .model import Report
from .ingest.pipeline import parse_file, source_id, source_stamp
from .ingest.sources import UnreadableSource, is_supported

MANIFEST = "manifest.json"
PARSE_TIMEOUT = 300  # seconds one file may take before it is skipped as unreadable


class NothingToIndex(Exception):
    """No usable report in the corpus: the live index is left as it was."""


class DiskFull(Exception):
    """The disk filled up while the build wrote: its partial generation was removed and the
    live index left as it was."""


class FailedCheck(Exception):
    """The new generation failed its own check: it was removed, never switched in."""

    def __init__(self, problems: list):
        super().__init__("the new index failed its check ("
                         + "; ".join(str(p) for p in problems[:5])
                         + "); it was removed and the live index left as it was")
        self.problems = problems


class SkippedInStrictMode(Exception):
    """--strict and some files were skipped: the live index is left as it was."""

    def __init__(self, summary: "BuildSummary"):
        super().__init__(f"{len(summary.skipped)} files skipped (--strict); the index was not changed")
        self.summary = summary


@dataclass
class BuildSummary:
    reports: int = 0
    paragraphs: int = 0
    parsed: int = 0         # files parsed this time (the rest came from the cache)
    added: int = 0          # reports written into the new generation
    removed: int = 0        # reports dropped from the previous generation
    up_to_date: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path under corpus, reason)
    notes: list[tuple[str, str]] = field(default_factory=list)  # indexed, with a caveat
    # (path under corpus, authority): indexed, but the authority lookup has no codes for it
    unknown_authorities: list[tuple[str, str]] = field(default_factory=list)
    generation: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage
    repaired: list[str] = field(default_factory=list)  # what was wrong with the live index

    def to_json(self) -> dict:
        """The summary for monitoring (`build --json`)."""
        return {"up_to_date": self.up_to_date, "reports": self.reports,
                "paragraphs": self.paragraphs, "parsed": self.parsed, "added": self.added,
                "removed": self.removed,
                "skipped": [{"file": path, "reason": why} for path, why in self.skipped],
                "caveats": [{"file": path, "caveat": note} for path, note in self.notes],
                "repaired": list(self.repaired),
                "generation": self.generation.name if self.generation else None,
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}

    def lines(self) -> list[str]:
        out = []
        if self.repaired:
            out.append("The live index was damaged (" + "; ".join(self.repaired[:5])
                       + "): it was rebuilt whole.")
        if self.up_to_date:
            out += [f"Index is up to date: {self.reports} reports, {self.paragraphs} paragraphs."]
        else:
            out += [f"Indexed {self.reports} reports, {self.paragraphs} paragraphs "
                   f"({self.parsed} files parsed, {self.added} reports written, "
                   f"{self.removed} removed)."]
        if self.skipped:
            out.append(f"Skipped {len(self.skipped)} files:")
            out += [f"  {path}: {reason}" for path, reason in self.skipped]
        if self.notes:
            out.append(f"Indexed with a caveat, {len(self.notes)} files:")
            out += [f"  {path}: {note}" for path, note in self.notes]
        if self.unknown_authorities:
            out.append(f"Authority not in the authority lookup (no URN, codes or region), "
                       f"{len(self.unknown_authorities)} files:")
            out += [f"  {path}: {name}" for path, name in self.unknown_authorities]
        return out


@dataclass
class SourceFile:
    path: Path
    rel: str          # path under the corpus, "/"-separated
    size: int
    mtime_ns: int
    report_id: str | None = None  # content hash; None when the file cannot be read


def corpus_files(corpus: Path) -> list[Path]:
    """Every supported file under `corpus`, recursively, in a stable order; hidden files ignored."""
    return sorted(p for p in Path(corpus).rglob("*")
                  if p.is_file() and is_supported(p)
                  and not any(part.startswith(".") for part in p.relative_to(corpus).parts))


def scan(corpus: Path, previous: dict) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Stat and hash the corpus. A file whose size and mtime match the previous build keeps its
    hash without being read again, which makes a no-change rebuild cheap."""
    files, skipped = [], []
    known = previous.get("files", {})
    root = Path(corpus).resolve()
    for path in corpus_files(corpus):
        rel = path.relative_to(corpus).as_posix()
        if not path.resolve().is_relative_to(root):
            # The web app serves originals only from inside the corpus; what it cannot cite
            # by a link to its source is not indexed either.
            skipped.append((rel, "a link to a file outside the corpus folder"))
            continue
        try:
            f = SourceFile(path, rel, *source_stamp(path))  # the file and its sidecar
            old = known.get(rel)
            if old and old["size"] == f.size and old["mtime_ns"] == f.mtime_ns:
                f.report_id = old["report_id"]
            else:
                f.report_id = source_id(path)
        except OSError as e:
            skipped.append((rel, f"cannot read file: {e.strerror or e}"))
            continue
        files.append(f)
    return files, skipped


def _parse_in_worker(path: str, corpus: str) -> Report | str:
    """Parse one file in a worker process; a skip reason comes back as a str."""
    def too_slow(signum, frame):
        raise UnreadableSource(f"took longer than {PARSE_TIMEOUT} s to read")
    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(PARSE_TIMEOUT)
    try:
        report = parse_file(Path(path), Path(corpus))
        return report if report.paragraphs else "no text found (a scanned image?)"
    except UnreadableSource as e:
        return str(e)
    except RecursionError:
        return "too deeply nested to read"
    except Exception as e:  # a reader bug must cost one file, not the build
        return f"could not be parsed ({type(e).__name__}: {e})"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def parse_files(todo: list[SourceFile], corpus: Path, jobs: int, progress) -> dict[str, Report | str]:
    """Parse `todo` on `jobs` processes; returns report_id -> Report or skip reason."""
    results: dict[str, Report | str] = {}
    if jobs <= 1 or len(todo) <= 1:
        for f in progress(todo):
            results[f.report_id] = _parse_in_worker(str(f.path), str(corpus))
        return results
    bar = progress(range(len(todo)))
    ticks = iter(bar)
    # fork: workers inherit the imported parser instead of importing it again.
    # Largest files first, so that no long parse is left running alone at the end.
    largest_first = sorted(todo, key=lambda f: -f.size)
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
        futures = {pool.submit(_parse_in_worker, str(f.path), str(corpus)): f
                   for f in largest_first}
        try:
            for future in as_completed(futures):
                results[futures[future].report_id] = future.result()
                next(ticks, None)
        except BrokenProcessPool:
            pass  # a reader crashed its process: the files left are retried one at a time
    for f in todo:
        if f.report_id not in results:
            results[f.report_id] = _parse_isolated(f, corpus)
            next(ticks, None)
    if hasattr(bar, "close"):
        bar.close()
    return results


def _parse_isolated(f: SourceFile, corpus: Path) -> Report | str:
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        try:
            return pool.submit(_parse_in_worker, str(f.path), str(corpus)).result()
        except BrokenProcessPool:
            return "the reader crashed on this file"


def read_manifest(generation: Path | None) -> dict:
    if generation is None:
        return {}
    try:
        return json.loads((generation / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def code_versions() -> dict[str, str]:
    """Fingerprints of the code that decides what an index holds and how it is read."""
    return {"parser_version": parser_version(), "format_version": engine.format_version()}


def outdated_parts(index_dir: Path) -> list[str]:
    """Which fingerprints of the live index differ from this code's ([] when it is current)."""
    return _outdated(read_manifest(store.current_generation(index_dir)))


def _outdated(manifest: dict) -> list[str]:
    return [name for name, value in code_versions().items() if manifest.get(name) != value]


def built_from(index_dir: Path, corpus: Path) -> bool:
    """Whether the live index was built from `corpus`.

    Manifests written before they named their folder count as built from it when every file
    they list is still there."""
    manifest = read_manifest(store.current_generation(index_dir))
    if "corpus" in manifest:
        return Path(manifest["corpus"]) == Path(corpus).resolve()
    files = manifest.get("files") or {}
    return bool(files) and all((Path(corpus) / rel).is_file() for rel in files)


def build(corpus: Path, index_dir: Path, show_progress: bool | None = None, jobs: int | None = None,
          full: bool = False, wait: bool = False, strict: bool = False) -> BuildSummary:
    """Bring `index_dir` up to date with `corpus`.

    Unchanged reports come from the extraction cache and, when the live generation was written
    by the same parser and engine, stay in place: only changed reports are rewritten.
    `full` ignores both and parses and writes everything afresh. `strict` refuses to switch
    in an index that leaves any file out.

    Long because the steps share the lock, the summary and the clean-up on failure: parse what
    changed, write a generation (copied and updated, or fresh), its manifest, then publish it.
    """
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    jobs = jobs or os.cpu_count() or 1
    progress = _progress_bar if (show_progress if show_progress is not None
                                 else sys.stderr.isatty()) else iter
    summary = BuildSummary()
    started = time.perf_counter()
    with store.build_lock(index_dir, wait=wait):
        plan = _plan(index_dir, full, summary)
        clock = time.perf_counter()
        files, summary.skipped = scan(corpus, plan.previous if plan.same_code else {})
        files = _drop_duplicates(files, summary.skipped)
        if plan.same_code and {f.rel: f.report_id for f in files} == plan.previous_ids:
            _as_before(summary, plan, files, strict)
        else:
            summary.seconds["scan"] = time.perf_counter() - clock
            reports = _parse(files, corpus, index_dir, plan.cache, jobs, progress, summary)
            if strict and summary.skipped:
                raise SkippedInStrictMode(summary)
            if not reports:
                raise NothingToIndex(f"no usable report under {corpus}; the index was not changed")
            _write_generation(corpus, index_dir, plan, files, reports, jobs, summary)
            plan.cache.prune(keep={f.report_id for f in files})
    summary.seconds["total"] = time.perf_counter() - started
    return summary


@dataclass
class _Plan:
    """What a build starts from: the live generation and what its manifest says."""
    live: Path | None
    previous: dict            # the live manifest ({} when it cannot be trusted or --full)
    same_code: bool           # written by this parser and index format
    cache: ExtractionCache

    @property
    def previous_ids(self) -> dict[str, str]:
        return {rel: e["report_id"] for rel, e in self.previous.get("files", {}).items()}


def _plan(index_dir: Path, full: bool, summary: BuildSummary) -> _Plan:
    live = store.current_generation(index_dir)
    # A damaged live index is neither "up to date" nor copied from: it is rebuilt whole.
    # Checksums too (about 0.07 s for the 510 reports' 80 MB): its segments would be
    # hard-linked into the new generation, keeping their recorded checksums.
    damage = integrity.verify(live) if live and not full else []
    summary.repaired = [str(p) for p in damage]
    previous = {} if full or damage else read_manifest(live)
    cache = ExtractionCache(index_dir / "cache")
    if full:
        shutil.rmtree(cache.folder, ignore_errors=True)
    return _Plan(live, previous, bool(previous) and not _outdated(previous), cache)


def _as_before(summary: BuildSummary, plan: _Plan, files: list[SourceFile],
               strict: bool) -> None:
    """Nothing changed: the summary is the live generation's own."""
    previous, wanted = plan.previous, {f.rel for f in files}
    summary.up_to_date = True
    known = {rel for rel, _ in summary.skipped}
    summary.skipped += [(rel, why) for rel, why in previous["skipped"]
                        if rel in wanted and rel not in known]
    summary.reports, summary.paragraphs = previous["reports"], previous["paragraphs"]
    summary.notes = [tuple(n) for n in previous.get("notes", [])]
    summary.unknown_authorities = [tuple(u) for u in previous.get("unknown_authorities", [])]
    summary.generation = plan.live
    if strict and summary.skipped:
        raise SkippedInStrictMode(summary)


def _parse(files: list[SourceFile], corpus: Path, index_dir: Path, cache: ExtractionCache,
           jobs: int, progress, summary: BuildSummary) -> dict[str, Report]:
    """Every file's Report by its path: new bytes parsed (and cached), the rest from the
    cache; files that cannot be used go to the summary's skipped list."""
    clock = time.perf_counter()
    todo = [f for f in files if cache.get(f.report_id) is None]
    try:
        for report_id, result in parse_files(todo, corpus, jobs, progress).items():
            try:
                cache.put(report_id, result)
            except UnicodeEncodeError as e:  # a reader let through text UTF-8 cannot hold
                cache.put(report_id, f"text that cannot be stored ({e.reason})")
    except OSError as e:
        raise _disk_full(e, index_dir) or e
    summary.parsed = len(todo)
    reports: dict[str, Report] = {}
    for f in files:
        result = cache.get(f.report_id)
        if isinstance(result, Report):
            result.source = f.rel  # the same bytes may have moved since they were parsed
            reports[f.rel] = result
        else:
            summary.skipped.append((f.rel, result or "could not be parsed"))
    summary.notes = [(rel, note) for rel in sorted(reports) for note in reports[rel].notes]
    summary.unknown_authorities = [(rel, reports[rel].authority or "no authority found")
                                   for rel in sorted(reports) if reports[rel].urn is None]
    summary.seconds["parse"] = time.perf_counter() - clock
    return reports


def _write_generation(corpus: Path, index_dir: Path, plan: _Plan, files: list[SourceFile],
                      reports: dict[str, Report], jobs: int, summary: BuildSummary) -> None:
    """A new generation holding `reports`, sealed, checked and switched in; removed again if
    anything fails on the way, so the live index stays as it was."""
    clock = time.perf_counter()
    previous_ids, wanted = plan.previous_ids, {f.rel: f.report_id for f in files}
    # Reports already in the live generation, unchanged: kept in place when code is the same.
    indexed_before = (set(plan.previous.get("indexed", []))
                      if plan.same_code and plan.live else set())
    kept = {rel for rel in reports if rel in indexed_before and previous_ids[rel] == wanted[rel]}
    generation = store.new_generation_dir(index_dir)
    try:
        if kept:
            engine.copy_index(plan.live, generation)
            stale = [previous_ids[rel] for rel in indexed_before - kept]
            fresh = [reports[rel] for rel in sorted(reports) if rel not in kept]
            engine.update_index(generation, stale, (d for r in fresh for d in r.documents()))
            summary.removed = len(stale)
        else:
            fresh = [reports[rel] for rel in sorted(reports)]
            engine.write_index(generation, (d for r in fresh for d in r.documents()), jobs=jobs)
        summary.added = len(fresh)
        summary.reports = len(reports)
        summary.paragraphs = sum(len(r.paragraphs) for r in reports.values())
        store.write_reports(generation, [reports[rel].summary() for rel in sorted(reports)])
        manifest = dict(code_versions(), corpus=str(corpus.resolve()),
                        reports=summary.reports, paragraphs=summary.paragraphs,
                        files={f.rel: {"report_id": f.report_id, "size": f.size,
                                       "mtime_ns": f.mtime_ns} for f in files},
                        indexed=sorted(reports), skipped=summary.skipped, notes=summary.notes,
                        unknown_authorities=summary.unknown_authorities)
        # The seal: every file's size and checksum, as the generation is completed.
        manifest[integrity.KEY] = integrity.seal(generation,
                                                 previous=plan.live if kept else None)
        (generation / MANIFEST).write_text(json.dumps(manifest), "utf-8")
        summary.seconds["write"] = time.perf_counter() - clock
        clock = time.perf_counter()
        # Its own check before it goes live: files as sealed, and it opens and answers.
        problems = integrity.verify(generation, checksums=False) or integrity.probe(generation)
        if problems:
            raise FailedCheck(problems)
        summary.seconds["check"] = time.perf_counter() - clock
        store.publish_generation(index_dir, generation)
    except BaseException as e:
        shutil.rmtree(generation, ignore_errors=True)
        if isinstance(e, OSError) and (full_disk := _disk_full(e, index_dir)):
            raise full_disk from e
        raise
    summary.generation = generation


def _disk_full(e: OSError, index_dir: Path) -> DiskFull | None:
    if e.errno not in (errno.ENOSPC, errno.EDQUOT):
        return None
    return DiskFull(f"the disk holding {index_dir} is full ({e.strerror or e}): the build "
                    "stopped, its partial index was removed and the live index was left as it "
                    "was. Free some space and run the build again.")


def _drop_duplicates(files: list[SourceFile], skipped: list) -> list[SourceFile]:
    """The same bytes under two names are one report: index the first, name the others."""
    first: dict[str, str] = {}
    unique = []
    for f in files:
        if f.report_id in first:
            skipped.append((f.rel, f"same content as {first[f.report_id]}"))
            continue
        first[f.report_id] = f.rel
        unique.append(f)
    return unique


def _progress_bar(items):
    from tqdm import tqdm
    return tqdm(items, desc="Reading reports", unit="file", file=sys.stderr)
