"""Matching paragraphs as CSV, one row per paragraph, with the fields needed to cite it."""
from __future__ import annotations

import csv
import io
from typing import Callable, Iterable

COLUMNS = ("authority", "report_type", "published", "section", "heading", "grade",
           "paragraph", "page", "text", "link", "original", "report_id", "citation")

# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_rows(results: Iterable[dict], link: Callable[[dict], str],
             original: Callable[[dict], str | None],
             cite: Callable[[dict], str] = lambda r: "") -> Iterable[str]:
    """CSV text, header first, one chunk per row so a large export streams."""
    buf = io.StringIO()
    writer = csv.writer(buf)

    def flush() -> str:
        out = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return out

    writer.writerow(COLUMNS)
    yield "\ufeff" + flush()  # the BOM makes Excel read the file as UTF-8
    for r in results:
        writer.writerow([csv_cell(v) for v in (
            r.get("authority"), r.get("report_type"), r.get("published") or r.get("date"),
            r.get("section"), r.get("heading"), r.get("grade"), r.get("para_number"),
            r.get("page"), r.get("text"), link(r), original(r) or "", r.get("report_id"),
            cite(r))])
        yield flush()
