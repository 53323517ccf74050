"""Per-paragraph values of an index generation, held in memory for facets, filters, report counts
and date order: pure data structures, filled by the engine from the index's columns.

Each value (an authority, a section, a report, a date...) has a bitmap of the paragraphs holding
it: a Python int whose bit d stands for document number d. A facet count is then an AND and a
popcount, and a filter an OR of bitmaps, whatever the number of matches; per paragraph only a
small integer code is stored (in an array), not a Python string.
"""
from __future__ import annotations

import fnmatch
from array import array
from typing import Iterable

import numpy as np


def bitmap(docs: Iterable[int], size: int) -> int:
    """A set of document numbers as a bitmap."""
    buf = bytearray(_bitmap_bytes(size))
    for d in docs:
        buf[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buf, "little")


def members(bits: int, size: int) -> list[int]:
    """The document numbers set in a bitmap, ascending."""
    raw = bits.to_bytes(_bitmap_bytes(size), "little")
    return [(i << 3) + j for i, byte in enumerate(raw) if byte
            for j in range(8) if byte >> j & 1]


def bitmap_of(mask: np.ndarray) -> int:
    """A boolean vector as a bitmap (bit d for document d)."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def mask_of(bits: int, size: int) -> np.ndarray:
    """A bitmap as a boolean vector of `size` documents."""
    raw = np.frombuffer(bits.to_bytes(_bitmap_bytes(size), "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


def indices(bits: int, size: int) -> np.ndarray:
    """The document numbers set in a bitmap, ascending, as an array."""
    return np.flatnonzero(mask_of(bits, size))


def _bitmap_bytes(size: int) -> int:
    return (size + 7) // 8


def date_key(date: str, sort: str) -> str:
    """Sort key of a date for "newest" (sorted in reverse) or "oldest"; no date sorts last."""
    return date or ("9999" if sort == "oldest" else "")


def wording_codes(keys: list[str]) -> np.ndarray | None:
    """Per document, a number shared by the documents with the same wording key and by no other
    (a document without one, "", gets a number of its own); None when no document has a key.
    Only the numbers are kept: a bitmap per wording, as a Column holds, would be one per
    paragraph."""
    codes = np.empty(len(keys), dtype=np.int64)
    seen: dict[str, int] = {}
    for d, key in enumerate(keys):
        codes[d] = seen.setdefault(key, len(seen)) if key else -1 - d
    return codes if seen else None


def shared_wording(codes: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Per document, whether another document has its wording number; `counts` (documents per
    number, by default all of them) says how many hold each."""
    if counts is None:
        counts = np.bincount(codes[codes >= 0], minlength=int(codes.max()) + 1)
    return (codes >= 0) & (counts[np.clip(codes, 0, None)] > 1)


class Column:
    """One value per document: the distinct values (`names`, "" for none), a code per document
    into them, and each value's bitmap of the live documents holding it."""

    def __init__(self, values: list[str], live: list[int], size: int):
        self.names = sorted(set(values[d] for d in live))
        code = {v: i for i, v in enumerate(self.names)}
        self.codes = array("I", (code.get(v, 0) for v in values))
        buffers = [bytearray(_bitmap_bytes(size)) for _ in self.names]
        for d in live:
            buffers[self.codes[d]][d >> 3] |= 1 << (d & 7)
        self.bits = [int.from_bytes(b, "little") for b in buffers]
        # For counting: each live document's code, a deleted one's past the last name.
        self._counted = np.full(size, len(self.names), dtype=np.int64)
        if live:
            at = np.asarray(live, dtype=np.int64)
            self._counted[at] = np.frombuffer(self.codes, dtype=np.uint32)[at]

    def matching(self, wanted: set[str]) -> int:
        """The documents whose value, lower-cased, is in `wanted`."""
        out = 0
        for name, bits in zip(self.names, self.bits):
            if name and name.lower() in wanted:
                out |= bits
        return out

    def counts(self, within: int, docs: np.ndarray | None = None) -> dict[str, int]:
        """How many of the documents `within` hold each value (values held by none left out);
        `docs`, when given, is `within` as an array of document numbers. One pass over the
        documents, whatever the number of values (a report count is one of 1,530 values)."""
        if docs is None:
            docs = indices(within, len(self._counted))
        n = np.bincount(self._counted[docs], minlength=len(self.names) + 1).tolist()
        return {name: c for name, c in zip(self.names, n) if name and c}


class DocTable:
    """The facets, report, date and position of every document of one generation, and which
    document numbers are live (not deleted)."""

    def __init__(self, size: int, live: list[int], values: dict[str, list[str]],
                 positions: list[int], facets: tuple[str, ...],
                 wording: list[str] | None = None):
        self.size = size
        self.live = live
        self.live_set = frozenset(live)
        self.facets = facets
        self.columns = {name: Column(vals, live, size) for name, vals in values.items()}
        self.reports = self.columns["report_id"]
        self.dates = self.columns["date"]
        self.position = array("i", positions)
        self.distinct = {f: [v for v in self.columns[f].names if v] for f in facets}
        self.wording = wording_codes(wording) if wording else None
        self.shared_wording = None  # per document: another live document has its words
        if self.wording is not None:
            codes = self.wording[np.asarray(live, dtype=np.int64)]
            self._wording_counts = np.bincount(codes[codes >= 0],
                                               minlength=int(self.wording.max()) + 1)
            self.shared_wording = shared_wording(self.wording, self._wording_counts)
        self._orders: dict = {}  # sort orders, worked out on first use

    def repeats(self, docs: list[int]) -> list[int]:
        """For each document, how many other live documents have its wording (0 without the
        column)."""
        if self.wording is None or not docs:
            return [0] * len(docs)
        counts = self._wording_counts
        return [int(counts[c]) - 1 if c >= 0 else 0 for c in self.wording[docs].tolist()]

    def prior(self, priors: dict[str, dict[str, float]]) -> np.ndarray | None:
        """Per document, the product of the weights of its values in each column of `priors`
        (column -> value -> weight; 1 for a value not listed or a column the index lacks), as
        an array; None when every weight is 1."""
        out = None
        for column, weights in priors.items():
            col = self.columns.get(column)
            if col is None:
                continue
            factors = [weights.get(name, 1.0) for name in col.names]
            if all(f == 1.0 for f in factors):
                continue
            codes = np.frombuffer(col.codes, dtype=np.uint32)
            each = np.asarray(factors, dtype=np.float64)[codes]
            out = each if out is None else out * each
        return out

    def weights_of(self, d: int, priors: dict[str, dict[str, float]]) -> dict[str, float]:
        """One document's weight from each column of `priors` (explain's shape_weight, ...)."""
        out = {}
        for column, weights in priors.items():
            col = self.columns.get(column)
            out[column] = weights.get(col.names[col.codes[d]], 1.0) if col is not None else 1.0
        return out

    def select(self, matched: Iterable[int], selected: dict[str, set[str]],
               date_from: str | None, date_to: str | None,
               within: dict[str, set[str]] | None = None) -> tuple[int, dict, dict]:
        """Filters and counts for a set of matches.

        `selected` maps a facet to the values ticked (lower-cased; OR within a facet, AND
        across facets); dates are ISO prefixes, inclusive. Returns the bitmap of matches kept,
        each facet's counts (the matches passing every other facet's selection and the dates,
        by value of that facet: what ticking another value would add) and the matches kept
        per report. `within` (facet -> lower-cased values) restricts the matches before anything
        is counted, like the dates: a scope, not a facet selection."""
        return self.select_bits(bitmap(matched, self.size), selected, date_from, date_to, within)

    def select_bits(self, base: int, selected: dict[str, set[str]],
                    date_from: str | None, date_to: str | None,
                    within: dict[str, set[str]] | None = None) -> tuple[int, dict, dict]:
        """select() for matches given as a bitmap."""
        for f, want in (within or {}).items():
            base &= self.columns[f].matching(want)
        dates = self.in_dates(date_from, date_to)
        if dates is not None:
            base &= dates
        passing = {f: self.columns[f].matching(want) for f, want in selected.items()}
        keep = base
        for bits in passing.values():
            keep &= bits
        counts, docs = {}, {}  # the same documents counted for most facets: listed once
        for f in self.facets:
            others = base
            for g, bits in passing.items():
                if g != f:
                    others &= bits
            if others not in docs:
                docs[others] = indices(others, self.size)
            counts[f] = self.columns[f].counts(others, docs[others])
        kept = docs[keep] if keep in docs else indices(keep, self.size)
        return keep, counts, self.reports.counts(keep, kept)

    def in_dates(self, date_from: str | None, date_to: str | None) -> int | None:
        """The documents dated within the range (prefixes, inclusive), or None for no range."""
        if not date_from and not date_to:
            return None
        lo, hi = date_from or "", date_to or ""
        out = 0
        for date, bits in zip(self.dates.names, self.dates.bits):
            if date and (not lo or date[:len(lo)] >= lo) and (not hi or date[:len(hi)] <= hi):
                out |= bits
        return out

    def resolve(self, facet: str, value: str) -> list[str]:
        """Facet values a typed value means: the exact value (any case), else every value
        matching it as a wildcard pattern or containing it."""
        value = value.strip().lower()
        known = self.distinct.get(facet, [])
        exact = [v for v in known if v.lower() == value]
        if exact:
            return exact
        if "*" in value:
            return [v for v in known if fnmatch.fnmatchcase(v.lower(), value)]
        return [v for v in known if value in v.lower()]

    def report_docs(self, report_id: str) -> list[int]:
        """The live documents of a report, in reading order."""
        if report_id not in self.reports.names:
            return []
        docs = members(self.reports.bits[self.reports.names.index(report_id)], self.size)
        return sorted(docs, key=self.position.__getitem__)

    def date_rank(self, sort: str) -> array:
        """Per document, the place of its date in the order `sort` ("newest" or "oldest") puts
        dates in."""
        rank = self._orders.get(("rank", sort))
        if rank is None:
            names = self.dates.names
            order = sorted(range(len(names)), reverse=(sort == "newest"),
                           key=lambda c: date_key(names[c], sort))
            place = {c: i for i, c in enumerate(order)}
            rank = self._orders[("rank", sort)] = array("I", (place[c] for c in self.dates.codes))
        return rank

    def browse_order(self, sort: str) -> list[int]:
        """Every live document, newest report first (oldest first for "oldest"), each report
        in reading order; reports without a date last."""
        order = self._orders.get(sort)
        if order is None:
            reports, dates = self.reports, self.dates
            order = sorted(self.live, key=lambda d: (reports.names[reports.codes[d]],
                                                      self.position[d]))
            order.sort(key=lambda d: date_key(dates.names[dates.codes[d]], sort),
                       reverse=(sort != "oldest"))
            self._orders[sort] = order
        return order

    def facet_rows(self, counts: dict[str, dict[str, int]],
                   selected: dict[str, set[str]]) -> dict[str, list[dict]]:
        """The search JSON's `facets`: per facet, {"value", "count", "selected"} rows, most
        frequent first (years newest first); a selected value with no matches is listed with
        count 0 so the selection stays visible. Every value is a string, years too: it is what
        a client passes back as that facet's filter."""
        out = {}
        for f in self.facets:
            rows = [{"value": v, "count": c} for v, c in counts[f].items()]
            if f == "year":
                rows.sort(key=lambda r: r["value"], reverse=True)
            else:
                rows.sort(key=lambda r: (-r["count"], r["value"].lower()))
            want = selected.get(f, set())
            for r in rows:
                r["selected"] = r["value"].lower() in want
            shown = {r["value"].lower() for r in rows}
            for v in sorted(want - shown):
                rows.append({"value": self._display(f, v), "count": 0, "selected": True})
            out[f] = rows
        return out

    def _display(self, facet: str, lowered: str):
        """A selected value as the index spells it (as typed when the index has no such)."""
        for v in self.distinct.get(facet, []):
            if v.lower() == lowered:
                return v
        return lowered
