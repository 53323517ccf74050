"""The id each paragraph gets on its report page: the index's anchor, made unique.

The index's anchor comes from the printed number ("p12"), which is what makes a link citable.
Some reports print the same number twice (a judgement list and the recommendations both start at
"1."), so two paragraphs can share an anchor; the page keeps it for the first and gives the later
ones their position ("u57"), and result links use the same rule so they land on the right one.
"""
from __future__ import annotations

import threading
from weakref import WeakKeyDictionary


def unique_anchors(paragraphs: list[dict]) -> dict[int, str]:
    """position -> id on the page, for a report's paragraphs in order."""
    taken, out = set(), {}
    for p in paragraphs:
        anchor = p.get("anchor") or f"u{p['position']}"
        if anchor in taken:
            anchor = f"u{p['position']}"
            if anchor in taken:
                anchor = f"x{p['position']}"
        taken.add(anchor)
        out[p["position"]] = anchor
    return out


class AnchorCache:
    """unique_anchors per report, remembered per open index (an engine), computed on demand."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_engine: WeakKeyDictionary = WeakKeyDictionary()

    def report(self, engine, report_id: str) -> dict[int, str]:
        with self._lock:
            reports = self._by_engine.setdefault(engine, {})
            anchors = reports.get(report_id)
        if anchors is None:
            anchors = unique_anchors(engine.report_paragraphs(report_id))
            with self._lock:
                reports[report_id] = anchors
        return anchors

    def of(self, engine, hit: dict) -> str:
        anchors = self.report(engine, hit["report_id"])
        return anchors.get(hit.get("position"), hit.get("anchor") or "")
