"""The schema: how each field of a paragraph document (indexer.model.DOCUMENT_FIELDS) is held.
Part of the index format (engine/format.py): changing it rebuilds every index.

Facets, the report id, the date and the paragraph's shape are exact, sortable values (facet
counts, filters and the ranking's shape prior read their columns); the heading and text are
analysed, the text with positions for phrases; `opening` holds the words of the text's first
sentence (analysis.opening_sentence), only to say whether a word is there (not scored, no
positions); `plain` holds the words as written; `wording` (a column, not stored) says which
paragraphs are word for word the same (analysis.wording_key); everything else is only stored, to
be shown.
"""
from __future__ import annotations

from ..model import DOCUMENT_FIELDS, FACETS
from ._whoosh import ID, NUMERIC, STORED, TEXT, Schema
from .analysis import opening_sentence, plain_analyzer, stemming_analyzer, wording_key

# A heading word weighs this many times a text word. Whoosh multiplies the weight of each
# posting by it as the index is written, so it is part of the format, not a ranking constant.
HEADING_BOOST = 2.0

SORTABLE = FACETS + ("report_id", "date", "shape")   # exact values, read as columns
TEXT_AS_STRING = SORTABLE + ("para_number",)  # stored as text whatever their type


def make_schema() -> Schema:
    fields = {}
    for name in DOCUMENT_FIELDS:
        if name == "id":
            fields[name] = ID(stored=True, unique=True)
        elif name in SORTABLE:
            fields[name] = ID(stored=True, sortable=True)
        elif name == "heading":
            fields[name] = TEXT(analyzer=stemming_analyzer(), stored=True,
                                field_boost=HEADING_BOOST)
        elif name == "text":
            fields[name] = TEXT(analyzer=stemming_analyzer(), stored=True, phrase=True)
        elif name == "position":
            fields[name] = NUMERIC(stored=True, sortable=True)
        else:
            fields[name] = STORED
    fields["plain"] = TEXT(analyzer=plain_analyzer(), phrase=False)
    fields["opening"] = TEXT(analyzer=stemming_analyzer(), phrase=False)
    fields["opening"].scorable = False  # presence only: no length norms to keep
    fields["wording"] = ID(sortable=True)
    return Schema(**fields)


def index_fields(doc: dict) -> dict:
    """A paragraph document as Whoosh is given it: values it cannot hold (None) left out."""
    fields = {k: v for k, v in doc.items() if k in DOCUMENT_FIELDS and v is not None}
    for k in TEXT_AS_STRING:
        if k in fields:
            fields[k] = str(fields[k])
    # Words as written, for wildcards and spelling suggestions.
    fields["plain"] = " ".join(filter(None, (doc.get("heading"), doc.get("text"))))
    fields["opening"] = opening_sentence(doc.get("text") or "")
    wording = wording_key(doc.get("text") or "")
    if wording:
        fields["wording"] = wording
    return fields


def stored_document(fields: dict) -> dict:
    """A document as searches return it: every field present (None when missing)."""
    doc = {k: None for k in DOCUMENT_FIELDS}
    doc.update(fields)
    if doc.get("year"):
        doc["year"] = int(doc["year"])
    return doc
