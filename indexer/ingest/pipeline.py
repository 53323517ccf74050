"""One source file -> a Report with its paragraph documents.

The only I/O is reading the file; everything after is pure functions on its text, so each stage
can be tested on the seeds without an index or a server.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .authorities import authority_codes
from .grades import GRADE_WORDS, normalise_grade
from .metadata import extract_metadata
from ..model import Judgement, Paragraph, Report, SourceText
from .sections import (CONTAINERS, FINDINGS, SectionTracker, focus_section,
                       heading_key as _key, section_for)
from .segment import Block, contents_entries, segment
from .shape import paragraph_shape
from .sources import UnreadableSource, read_bytes, read_source
from .sources.sidecar import parse_sidecar, read_sidecar_bytes, sidecar_path

PROSE = ("paragraph", "bullet", "footnote")


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


def grade_lookup(judgements: list[Judgement]):
    """How a heading without a printed grade finds its grade among the report's judgements:
    by its name within its judgement table group ("Safeguarding services" / "Quality of
    provision"), by its name alone, or as the only judgement on its section."""
    by_name: dict[tuple[str, str], str] = {}
    names: dict[str, list[str]] = {}
    by_section: dict[str, list[str]] = {}
    for j in judgements:
        group, _, name = j.area.rpartition(": ")
        by_name[(_key(group), _key(name))] = j.grade
        if not group:
            names.setdefault(_key(name), []).append(j.grade)
        section = section_for(j.area)
        if section and section not in CONTAINERS:
            by_section.setdefault(section, []).append(j.grade)

    def lookup(heading: str, group: Optional[str], section: Optional[str]) -> Optional[str]:
        if group and (_key(group), _key(heading)) in by_name:
            return by_name[(_key(group), _key(heading))]
        if len(names.get(_key(heading), [])) == 1:
            return names[_key(heading)][0]
        if section_for(heading) == section and len(by_section.get(section, [])) == 1:
            return by_section[section][0]
        return None

    return lookup


def table_groups(judgements: list[Judgement]) -> set[str]:
    return {_key(j.area.rpartition(": ")[0]) for j in judgements if ": " in j.area}


def paragraphs_from_blocks(blocks: list[Block], judgements: list[Judgement] | None = None) -> list[Paragraph]:
    """Give each prose block the heading above it, that heading's section and the grade of the
    judgement area it sits in."""
    judgements = judgements or []
    levelled = any(b.kind == "heading" and b.level for b in blocks)
    tracker = SectionTracker(contents=None if levelled else contents_entries(blocks),
                             grade_lookup=grade_lookup(judgements), levelled=levelled)
    tracker.groups = table_groups(judgements)
    paragraphs: list[Paragraph] = []
    under: list[Optional[str]] = []  # each paragraph's heading, table columns aside
    for block in blocks:
        if block.kind == "heading":
            tracker.heading(block.text, block.level, block.grade)
        elif block.kind == "grade":
            tracker.grade_line(block.grade, block.area, block.text or None)
        elif block.kind in PROSE and block.text:
            heading, section, grade = tracker.paragraph(block.para_number is not None)
            under.append(heading)
            heading = block.label or heading
            paragraphs.append(Paragraph(
                text=block.text,
                position=len(paragraphs),
                para_number=block.para_number,
                heading=heading,
                section=section,
                grade=grade,
                page=block.page,
                kind=block.kind,
                shape=paragraph_shape(block.text, block.kind, section, heading),
            ))
    return grades_stated_in_prose(paragraphs, under)


# "Leadership and management are good. The council ..."; "The impact of the partners' strategy
# on improving infant mortality ... is adequate."
STATED_GRADE = re.compile(r"^(?P<subject>.+?)\s+(?:is|are)\s+(?P<grade>" + GRADE_WORDS
                          + r")\.(?:\s|$)", re.I)


def grades_stated_in_prose(paragraphs: list[Paragraph],
                           under: list[Optional[str]]) -> list[Paragraph]:
    """Give a heading's ungraded paragraphs the grade its first paragraph states of the heading
    itself: a 2008 joint area review's additional investigation ("<the heading> is adequate.")
    and a 2009-12 area whose "Record of main findings" row the converter left blank
    ("Leadership and management are good."). Only when the sentence's subject is the heading
    word for word, so a sentence about something else grades nothing. `under` is each
    paragraph's heading without table columns ("Major strengths"): the cells of a table under
    the heading belong to its run."""
    start = 0
    while start < len(paragraphs):
        heading, first = under[start], paragraphs[start]
        end = start
        while end < len(paragraphs) and under[end] == heading:
            end += 1
        run = paragraphs[start:end]
        m = STATED_GRADE.match(first.text)
        if (heading and m and _key(m.group("subject")) == _key(heading)
                and all(p.grade is None for p in run)):
            for p in run:
                p.grade = normalise_grade(m.group("grade"))
        start = end
    return paragraphs


FOCUS_WITHIN = 12  # a letter states its focus in its first paragraphs


def in_focus_area(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A focused visit's findings ("Findings", "Main findings") in the section of the area its
    letter says it looked at (sections.focus_section); the rest as they are."""
    area = focus_section(p.text for p in paragraphs[:FOCUS_WITHIN])
    if area is None:
        return paragraphs
    return [replace(p, section=area) if FINDINGS.match(p.heading or "") else p
            for p in paragraphs]


def build_report(source: SourceText, report_id: str, relpath: str) -> Report:
    meta = extract_metadata(source.text)
    paragraphs = paragraphs_from_blocks(segment(source), meta.judgements)
    if meta.report_type == "Focused visit":
        paragraphs = in_focus_area(paragraphs)
    return Report(
        report_id=report_id,
        source=relpath,
        authority=meta.authority,
        report_type=meta.report_type,
        title=meta.title or source.info.get("title"),
        inspection_start=meta.inspection_start,
        inspection_end=meta.inspection_end,
        published=meta.published,
        judgements=meta.judgements,
        paragraphs=paragraphs,
        notes=list(source.info.get("notes", [])),
        **authority_codes(meta.authority),
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
