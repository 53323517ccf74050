"""The search engine: the only module that imports Whoosh.

Schema, analyzers, writing documents, query building, scoring, facet counting and highlighting
all live here, so replacing Whoosh means replacing this one file. Callers see plain dicts.

(First cut; the search issue owns relevance, query language, glossary and snippets.)
"""
from __future__ import annotations

import hashlib
import html
import os
import shutil
import warnings
from pathlib import Path
from typing import Iterable

with warnings.catch_warnings():
    # Whoosh 2.7.4's regex literals predate Python's invalid-escape warnings.
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import highlight, index, qparser, query, sorting
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

# Indexes written by another version of this module are rebuilt rather than updated in place.
ENGINE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]

FACETS = ("authority", "section", "grade", "year", "report_type")
STORED_FIELDS = ("id", "report_id", "source", "authority", "report_type", "inspection_start",
                 "inspection_end", "published", "date", "year", "section", "heading", "grade",
                 "para_number", "position", "page", "kind", "anchor", "url", "text")


def make_schema() -> Schema:
    stem = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        report_id=ID(stored=True),
        source=STORED,
        authority=ID(stored=True),
        report_type=ID(stored=True),
        section=ID(stored=True),
        grade=ID(stored=True),
        year=ID(stored=True),
        date=ID(stored=True, sortable=True),
        inspection_start=STORED, inspection_end=STORED, published=STORED,
        heading=TEXT(analyzer=stem, stored=True, field_boost=2.0),
        text=TEXT(analyzer=stem, stored=True, phrase=True),
        para_number=STORED, page=STORED, kind=STORED, anchor=STORED, url=STORED,
        position=NUMERIC(stored=True, sortable=True),
    )


def write_index(directory: Path, documents: Iterable[dict]) -> int:
    """Create a new index in `directory` holding `documents`; returns how many were written."""
    directory.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(directory), make_schema())
    writer = ix.writer(limitmb=256)
    n = 0
    for doc in documents:
        writer.add_document(**_fields(doc))
        n += 1
    writer.commit()
    return n


def copy_index(source: Path, target: Path) -> None:
    """Copy an index so that `target` can be updated while `source` stays live and untouched.

    Whoosh never rewrites a segment file (deletions live in the table of contents, merges write
    new segments), so the large segment files are hard-linked and only the rest is copied.
    """
    target.mkdir(parents=True, exist_ok=True)
    for entry in Path(source).iterdir():
        if not entry.is_file() or entry.name.endswith("WRITELOCK"):
            continue
        if entry.suffix == ".seg":
            try:
                os.link(entry, target / entry.name)
                continue
            except OSError:
                pass  # another file system, or links unsupported: copy instead
        shutil.copy2(entry, target / entry.name)


def update_index(directory: Path, remove_report_ids: Iterable[str],
                 documents: Iterable[dict]) -> int:
    """Delete every paragraph of `remove_report_ids` and add `documents`; returns how many added."""
    ix = index.open_dir(str(directory))
    writer = ix.writer(limitmb=256)
    for report_id in remove_report_ids:
        writer.delete_by_term("report_id", report_id)
    n = 0
    for doc in documents:
        writer.add_document(**_fields(doc))
        n += 1
    writer.commit()
    return n


def _fields(doc: dict) -> dict:
    fields = {k: v for k, v in doc.items() if k in STORED_FIELDS and v is not None}
    for k in ("authority", "report_type", "section", "grade", "year", "date", "para_number"):
        if k in fields:
            fields[k] = str(fields[k])
    return fields


class Engine:
    """An open index: searches and fetches documents. Safe to share between threads."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.ix = index.open_dir(str(self.directory))

    def close(self) -> None:
        self.ix.close()

    def report_paragraphs(self, report_id: str) -> list[dict]:
        with self.ix.searcher() as s:
            hits = s.search(query.Term("report_id", report_id), limit=None,
                            sortedby="position")
            return [_stored(h) for h in hits]

    def search(self, text: str, filters: dict[str, list[str]], page: int = 1,
               limit: int = 20) -> dict:
        parser = qparser.MultifieldParser(["text", "heading"], self.ix.schema,
                                          group=qparser.OrGroup.factory(0.9))
        q = parser.parse(text) if text.strip() else query.Every()
        filt = _filter_query(filters)
        with self.ix.searcher() as s:
            results = s.search_page(q, page, pagelen=limit, filter=filt,
                                    groupedby=[sorting.FieldFacet(f, allow_overlap=False)
                                               for f in FACETS])
            results.results.fragmenter = highlight.ContextFragmenter(maxchars=300, surround=80)
            results.results.formatter = _MarkFormatter()
            hits = []
            for hit in results:
                doc = _stored(hit)
                doc["score"] = round(hit.score or 0.0, 4)
                doc["snippet"] = hit.highlights("text", top=2) or html.escape(doc["text"][:300])
                hits.append(doc)
            facets = {}
            for f in FACETS:
                groups = results.results.groups(f)
                facets[f] = sorted(({"value": k, "count": len(v)} for k, v in groups.items() if k),
                                   key=lambda x: (-x["count"], str(x["value"])))
            return {"total": len(results), "results": hits, "facets": facets}


def _filter_query(filters: dict[str, list[str]]):
    parts = []
    for field, values in filters.items():
        if values:
            parts.append(query.Or([query.Term(field, v) for v in values]))
    return query.And(parts) if parts else None


def _stored(hit) -> dict:
    doc = {k: None for k in STORED_FIELDS}
    doc.update(hit.fields())
    if doc.get("year"):
        doc["year"] = int(doc["year"])
    return doc


class _MarkFormatter(highlight.Formatter):
    """Wraps matched terms in <mark>, escaping everything else."""

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % html.escape(highlight.get_text(text, token, replace))

    def format_fragment(self, fragment, replace=False):
        out, index = [], fragment.startchar
        text = fragment.text
        for t in fragment.matches:
            if t.startchar > index:
                out.append(html.escape(text[index:t.startchar]))
            out.append(self.format_token(text, t, replace))
            index = t.endchar
        out.append(html.escape(text[index:fragment.endchar]))
        return "".join(out)
