"""Reading an open generation's per-document values (facets, report, date, shape, position,
wording) out of Whoosh's column store into a DocTable (engine/doctable.py)."""
from __future__ import annotations

from ..model import FACETS
from .doctable import DocTable


def read_table(reader) -> DocTable:
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    return DocTable(reader.doc_count_all(), live,
                    {name: _column(reader, name, "") for name in FACETS + ("report_id", "date", "shape")},
                    _column(reader, "position", 0), FACETS,
                    wording=_column(reader, "wording", ""))


def _column(reader, name, missing) -> list:
    """One value per document number, segment by segment: a segment where no document has the
    field (an added report without grades) has no column at all."""
    out: list = []
    for leaf, _offset in reader.leaf_readers():
        n = leaf.doc_count_all()
        # An index written before a facet existed has no such field: it reads as empty.
        held = name in leaf.schema and leaf.has_column(name)
        values = list(leaf.column_reader(name)) if held else []
        values = values[:n] + [missing] * (n - len(values))
        if isinstance(missing, str):
            values = [v if isinstance(v, str) else (v.decode("utf-8") if v else "")
                      for v in values]
        out.extend(values)
    return out

