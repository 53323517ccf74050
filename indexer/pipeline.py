"""One source file -> a Report with its paragraph documents.

The only I/O is reading the file; everything after is pure functions on its text, so each stage
can be tested on the seeds without an index or a server.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .metadata import extract_metadata
from .model import Paragraph, Report, SourceText
from .sections import section_for
from .segment import Block, segment
from .sources import UnreadableSource, read_bytes, read_source
from .sources.sidecar import parse_sidecar, read_sidecar_bytes, sidecar_path


def report_id_for(data: bytes, sidecar: bytes = b"") -> str:
    """The content hash of a file, and of its metadata sidecar when it has one (so a changed
    sidecar re-parses and re-indexes the report like a changed file)."""
    digest = hashlib.sha256(data)
    if sidecar:
        digest.update(b"\0sidecar\0" + sidecar)
    return digest.hexdigest()[:16]


def source_stamp(path: Path) -> tuple[int, int]:
    """(size, mtime_ns) of a file and its sidecar together: unchanged means not re-read."""
    st = Path(path).stat()
    try:
        side = sidecar_path(Path(path)).stat()
    except OSError:
        return st.st_size, st.st_mtime_ns
    return st.st_size + side.st_size, max(st.st_mtime_ns, side.st_mtime_ns)


def source_id(path: Path) -> str:
    """The report_id parse_file gives `path`, without parsing it."""
    try:
        sidecar = read_sidecar_bytes(path)
    except UnreadableSource:
        sidecar = b"?"  # parse_file will say what is wrong with it
    return report_id_for(Path(path).read_bytes(), sidecar)


def paragraphs_from_blocks(blocks: list[Block], grade_by_section: dict[str, str]) -> list[Paragraph]:
    """Attach to each prose block the heading above it and that heading's section and grade."""
    paragraphs: list[Paragraph] = []
    heading = section = None
    for block in blocks:
        if block.kind == "heading":
            heading = block.text
            section = section_for(block.text) or section
            continue
        if block.kind == "table":
            continue  # rows of grades and figures are not prose
        paragraphs.append(Paragraph(
            text=block.text,
            position=len(paragraphs),
            para_number=block.para_number,
            heading=heading,
            section=section,
            grade=grade_by_section.get(section) if section else None,
            page=block.page,
            kind=block.kind,
        ))
    return paragraphs


def build_report(source: SourceText, report_id: str, relpath: str) -> Report:
    meta = extract_metadata(source.text)
    grade_by_section = {}
    for j in meta.judgements:
        s = section_for(j.area)
        if s and s not in grade_by_section:
            grade_by_section[s] = j.grade
    blocks = segment(source)
    return Report(
        report_id=report_id,
        source=relpath,
        authority=meta.authority,
        report_type=meta.report_type,
        title=meta.title,
        inspection_start=meta.inspection_start,
        inspection_end=meta.inspection_end,
        published=meta.published,
        judgements=meta.judgements,
        paragraphs=paragraphs_from_blocks(blocks, grade_by_section),
    )


def parse_file(path: Path, corpus_root: Path) -> Report:
    """Read and parse one file, with its metadata sidecar if it has one (see
    sources/sidecar.py); raises sources.UnreadableSource when it cannot be used."""
    path = Path(path)
    data = read_bytes(path)
    side_bytes = read_sidecar_bytes(path)
    sidecar = parse_sidecar(side_bytes, sidecar_path(path).name)
    relpath = path.relative_to(corpus_root).as_posix()
    report = build_report(read_source(path, data), report_id_for(data, side_bytes), relpath)
    return sidecar.apply(report)
