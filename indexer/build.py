"""Build an index generation from a corpus folder and switch it in when complete."""
from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import engine, store
from .model import Report
from .pipeline import parse_file
from .sources import UnreadableSource, is_supported


@dataclass
class BuildSummary:
    reports: int = 0
    paragraphs: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path under corpus, reason)
    generation: Path | None = None

    def lines(self) -> list[str]:
        out = [f"Indexed {self.reports} reports, {self.paragraphs} paragraphs."]
        if self.skipped:
            out.append(f"Skipped {len(self.skipped)} files:")
            out += [f"  {path}: {reason}" for path, reason in self.skipped]
        return out


def corpus_files(corpus: Path) -> list[Path]:
    """Every supported file under `corpus`, recursively, in a stable order; hidden files ignored."""
    return sorted(p for p in Path(corpus).rglob("*")
                  if p.is_file() and is_supported(p)
                  and not any(part.startswith(".") for part in p.relative_to(corpus).parts))


def parse_corpus(corpus: Path, files: list[Path], summary: BuildSummary,
                 progress: Callable[[Iterator], Iterator] = iter) -> list[Report]:
    reports = []
    for path in progress(files):
        rel = path.relative_to(corpus).as_posix()
        try:
            report = parse_file(path, corpus)
        except UnreadableSource as e:
            summary.skipped.append((rel, str(e)))
            continue
        if not report.paragraphs:
            summary.skipped.append((rel, "no text found"))
            continue
        reports.append(report)
    return reports


def build(corpus: Path, index_dir: Path, show_progress: bool | None = None) -> BuildSummary:
    """Parse every file under `corpus` into a new generation of `index_dir`, then publish it."""
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    summary = BuildSummary()
    with store.build_lock(index_dir):
        files = corpus_files(corpus)
        progress = _progress_bar if (show_progress if show_progress is not None
                                     else sys.stderr.isatty()) else iter
        reports = parse_corpus(corpus, files, summary, progress)
        generation = store.new_generation_dir(index_dir)
        try:
            docs = (doc for r in reports for doc in r.documents())
            summary.paragraphs = engine.write_index(generation, docs)
            store.write_reports(generation, [r.summary() for r in reports])
            store.publish_generation(index_dir, generation)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        summary.reports = len(reports)
        summary.generation = generation
    return summary


def _progress_bar(items):
    from tqdm import tqdm
    return tqdm(items, desc="Reading reports", unit="file", file=sys.stderr)
