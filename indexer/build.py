"""Build the index from a corpus folder: parse what changed, write a new generation, switch it in.

    scan corpus -> hash files -> parse the new ones (in parallel, cached by content hash)
      -> write a generation (a copy of the live one updated in place, or a fresh one)
      -> publish it atomically (store.publish_generation)

A file that cannot be used is named in the summary with the reason and skipped; the rest is
indexed. The live index is only ever replaced by a complete generation.
"""
from __future__ import annotations

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

from . import engine, store
from .cache import ExtractionCache, parser_version
from .model import Report
from .ingest.pipeline import parse_file, source_id, source_stamp
from .ingest.sources import UnreadableSource, is_supported

MANIFEST = "manifest.json"
PARSE_TIMEOUT = 300  # seconds one file may take before it is skipped as unreadable


class NothingToIndex(Exception):
    """No usable report in the corpus: the live index is left as it was."""


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
    generation: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage

    def lines(self) -> list[str]:
        if self.up_to_date:
            out = [f"Index is up to date: {self.reports} reports, {self.paragraphs} paragraphs."]
        else:
            out = [f"Indexed {self.reports} reports, {self.paragraphs} paragraphs "
                   f"({self.parsed} files parsed, {self.added} reports written, "
                   f"{self.removed} removed)."]
        if self.skipped:
            out.append(f"Skipped {len(self.skipped)} files:")
            out += [f"  {path}: {reason}" for path, reason in self.skipped]
        if self.notes:
            out.append(f"Indexed with a caveat, {len(self.notes)} files:")
            out += [f"  {path}: {note}" for path, note in self.notes]
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
    with store.build_lock(index_dir, wait=wait):
        live = store.current_generation(index_dir)
        previous = {} if full else read_manifest(live)
        same_code = bool(previous) and not _outdated(previous)
        cache = ExtractionCache(index_dir / "cache")
        if full:
            shutil.rmtree(cache.folder, ignore_errors=True)

        clock = time.perf_counter()
        files, summary.skipped = scan(corpus, previous if same_code else {})
        files = _drop_duplicates(files, summary.skipped)
        wanted = {f.rel: f.report_id for f in files}
        previous_ids = {rel: e["report_id"] for rel, e in previous.get("files", {}).items()}
        if same_code and wanted == previous_ids:
            summary.up_to_date = True
            known = {rel for rel, _ in summary.skipped}
            summary.skipped += [(rel, why) for rel, why in previous["skipped"]
                                if rel in wanted and rel not in known]
            summary.reports, summary.paragraphs = previous["reports"], previous["paragraphs"]
            summary.notes = [tuple(n) for n in previous.get("notes", [])]
            summary.generation = live
            if strict and summary.skipped:
                raise SkippedInStrictMode(summary)
            return summary

        summary.seconds["scan"] = time.perf_counter() - clock
        clock = time.perf_counter()
        todo = [f for f in files if cache.get(f.report_id) is None]
        for report_id, result in parse_files(todo, corpus, jobs, progress).items():
            cache.put(report_id, result)
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
        if strict and summary.skipped:
            raise SkippedInStrictMode(summary)
        if not reports:
            raise NothingToIndex(f"no usable report under {corpus}; the index was not changed")

        summary.seconds["parse"] = time.perf_counter() - clock
        clock = time.perf_counter()
        # Reports already in the live generation, unchanged: kept in place when code is the same.
        indexed_before = set(previous.get("indexed", [])) if same_code and live else set()
        kept = {rel for rel in reports if rel in indexed_before and previous_ids[rel] == wanted[rel]}
        generation = store.new_generation_dir(index_dir)
        try:
            if kept:
                engine.copy_index(live, generation)
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
                            indexed=sorted(reports), skipped=summary.skipped,
                            notes=summary.notes)
            (generation / MANIFEST).write_text(json.dumps(manifest), "utf-8")
            store.publish_generation(index_dir, generation)
            summary.seconds["write"] = time.perf_counter() - clock
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        cache.prune(keep={f.report_id for f in files})
        summary.generation = generation
    return summary


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
