"""The citation a researcher pastes for one paragraph: authority, report title, publication date,
paragraph number, page and the address of the original. Plain text; templates escape it."""
from __future__ import annotations

from typing import Optional

from .present import long_date


def citation(report: dict, paragraph: dict, original_url: Optional[str]) -> str:
    """'Halton: Inspection of services for children in need of help and protection ... (Ofsted,
    published 3 February 2015), paragraph 65, page 12. https://files.ofsted.gov.uk/...'

    `report` is a report summary (or a search result, which carries the same fields);
    `original_url` the original on the web when known, else where this site serves it."""
    title = report.get("title") or report.get("report_type") or "Inspection report"
    parts = [f"{report.get('authority') or 'Unknown authority'}: {title}"]
    when = report.get("published") or report.get("inspection_end")
    parts[0] += (f" (Ofsted, published {long_date(when)})" if report.get("published")
                 else f" (Ofsted, inspection ending {long_date(when)})" if when else " (Ofsted)")
    if paragraph.get("para_number"):
        parts.append(f"paragraph {paragraph['para_number']}")
    if paragraph.get("page"):
        parts.append(f"page {paragraph['page']}")
    text = ", ".join(parts) + "."
    return f"{text} {original_url}" if original_url else text
