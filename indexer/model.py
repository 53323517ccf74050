"""The records that flow through the pipeline.

read sources -> SourceText -> segment -> [Block] -> extract metadata -> Report(paragraphs=[Paragraph])
-> index -> search -> render.

Everything here is plain data: no I/O, no search engine.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

# The five grades every framework's scale is normalised to, best first.
GRADES = ("Outstanding", "Good", "Requires improvement", "Adequate", "Inadequate")

# The facets a search is narrowed by and counted over, in the order pages show them.
FACETS = ("authority", "region", "section", "grade", "year", "report_type")

# The fields of one paragraph document (Report.documents): what is indexed, stored, searched
# back and dumped, in this order. Missing values are None, never absent.
DOCUMENT_FIELDS = ("id", "report_id", "source", "authority", "urn", "la_code", "gss_code",
                   "region", "report_type", "inspection_start",
                   "inspection_end", "published", "date", "year", "section", "heading", "grade",
                   "para_number", "position", "page", "kind", "shape", "anchor", "url", "text")


@dataclass
class SourceText:
    """What a reader makes of a file: Markdown-ish text, the common input of segmentation.

    Conventions every reader follows:
    - blocks are separated by a blank line;
    - "\\f" on a line of its own marks a page break (PDF) or the converter's page-break gap (text);
    - a line starting with "#" is a heading the reader recognised from typography (font size,
      weight, HTML <h1>-<h6>); other headings are left for segmentation to recognise;
    - "[^N]" marks a footnote reference and a block starting "[^N]: " is the footnote's text.
    """

    text: str
    paged: bool  # True when "\f" counts real pages (PDF), so paragraphs get a page number
    info: dict = field(default_factory=dict)  # anything the file itself says (e.g. PDF title)


@dataclass
class Judgement:
    area: str   # as printed, tidied: "Children who need help and protection"
    grade: str  # one of GRADES

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Paragraph:
    """One searchable document: a paragraph, bullet or footnote as printed in the report."""

    text: str
    position: int                  # 0-based order in the report
    para_number: Optional[str]     # printed number ("65"); restarted numbering is prefixed ("A.3")
    heading: Optional[str]         # the nearest heading above, as printed
    section: Optional[str]         # controlled vocabulary, see indexer/ingest/sections.py
    grade: Optional[str]           # grade of the judgement area the paragraph sits in
    page: Optional[int] = None     # page where the paragraph starts (PDF only)
    kind: str = "paragraph"        # paragraph | bullet | footnote
    shape: str = "narrative"       # narrative | item | context | footnote (ingest/shape.py)

    @property
    def anchor(self) -> str:
        """Stable fragment id on the report page; printed numbers make citable anchors."""
        if self.para_number:
            return "p" + self.para_number.replace(".", "-")
        return f"u{self.position}"


@dataclass
class Report:
    report_id: str                 # content hash of the source file: stable while the file is
    source: str                    # path under the corpus, "/"-separated
    authority: Optional[str]       # short common name: "St Helens"
    report_type: Optional[str]     # see indexer/ingest/metadata.py REPORT_TYPES
    title: Optional[str]
    inspection_start: Optional[str]  # ISO dates
    inspection_end: Optional[str]
    published: Optional[str]
    judgements: list[Judgement] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    url: Optional[str] = None      # the original on the web, from corpus metadata when known
    notes: list[str] = field(default_factory=list)  # caveats about how the file was read
    # The authority's codes and region (ingest/authorities.py); None when the lookup lacks it.
    urn: Optional[str] = None
    la_code: Optional[str] = None
    gss_code: Optional[str] = None
    region: Optional[str] = None

    @property
    def date(self) -> Optional[str]:
        """The date a report is filed under (year facet, sorting, date filters): publication,
        or, when the report prints none, the end of the inspection."""
        return self.published or self.inspection_end or self.inspection_start

    @property
    def year(self) -> Optional[int]:
        return int(self.date[:4]) if self.date else None

    def summary(self) -> dict:
        """The report without its paragraphs, as `ofsted-search reports --json` prints it."""
        return {
            "report_id": self.report_id,
            "source": self.source,
            "authority": self.authority,
            "urn": self.urn,
            "la_code": self.la_code,
            "gss_code": self.gss_code,
            "region": self.region,
            "report_type": self.report_type,
            "title": self.title,
            "inspection_start": self.inspection_start,
            "inspection_end": self.inspection_end,
            "published": self.published,
            "date": self.date,
            "year": self.year,
            "url": self.url,
            "judgements": [j.to_dict() for j in self.judgements],
            "paragraphs": len(self.paragraphs),
            "notes": list(self.notes),
        }

    def documents(self) -> list[dict]:
        """One flat dict per paragraph (DOCUMENT_FIELDS): the unit that is indexed and dumped."""
        report = {"report_id": self.report_id, "source": self.source,
                  "authority": self.authority, "urn": self.urn, "la_code": self.la_code,
                  "gss_code": self.gss_code, "region": self.region,
                  "report_type": self.report_type, "inspection_start": self.inspection_start,
                  "inspection_end": self.inspection_end, "published": self.published,
                  "date": self.date, "year": self.year, "url": self.url}
        docs = []
        for p in self.paragraphs:
            values = dict(report, id=f"{self.report_id}-{p.position}", section=p.section,
                          heading=p.heading, grade=p.grade, para_number=p.para_number,
                          position=p.position, page=p.page, kind=p.kind, shape=p.shape,
                          anchor=p.anchor,
                          text=p.text)
            docs.append({name: values[name] for name in DOCUMENT_FIELDS})
        return docs

    def to_dict(self) -> dict:
        d = self.summary()
        d["paragraphs"] = [asdict(p) for p in self.paragraphs]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        d = dict(d)
        d.pop("date", None)
        d.pop("year", None)
        d["judgements"] = [Judgement(**j) for j in d.get("judgements", [])]
        d["paragraphs"] = [Paragraph(**p) for p in d.get("paragraphs", [])]
        return cls(**d)
