"""Folding repeated wording: a paragraph printed word for word in several reports is listed once,
at its best place, and says where else it is (pure functions on arrays).

The framework's boilerplate is repeated in every report of its kind ("An LSCB that is good
coordinates the activity of statutory partners ...", the COVID-19 opening of a focused visit):
unfolded, eight copies of one sentence can fill a first page. `wording` is the DocTable's array
of wording numbers (doctable.wording_codes): equal numbers, equal words.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np


def first_of_each_wording(ranked: Iterable[tuple[int, float | None]], wording: np.ndarray,
                          want: int) -> list[tuple[int, float | None]]:
    """The first `want` hits of `ranked` (docnum, score) whose wording no earlier hit had."""
    seen: set[int] = set()
    out = []
    for hit in ranked:
        code = int(wording[hit[0]])
        if code in seen:
            continue
        seen.add(code)
        out.append(hit)
        if len(out) == want:
            break
    return out


def repeated_among(kept: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """The documents of `kept` (docnums) worded like another document: `shared` is
    doctable.shared_wording. Only these need comparing; most paragraphs are worded like no
    other."""
    return kept[shared[kept]]


def wordings(kept: int, repeated: np.ndarray, wording: np.ndarray) -> int:
    """How many different wordings `kept` documents hold, `repeated` of them worded like
    another (repeated_among)."""
    return int(kept - repeated.size + np.unique(wording[repeated]).size)


def copies_of(shown: list[int], repeated: np.ndarray, wording: np.ndarray,
              shared: np.ndarray) -> dict[int, list[int]]:
    """For each shown docnum, the other documents of `repeated` (repeated_among) with its
    wording (ascending)."""
    out: dict[int, list[int]] = {d: [] for d in shown}
    wanted = [d for d in shown if shared[d]]
    if not wanted:
        return out
    codes = wording[np.asarray(wanted, dtype=np.int64)]
    by_code: dict[int, list[int]] = {}
    for d in repeated[np.isin(wording[repeated], codes)].tolist():
        by_code.setdefault(int(wording[d]), []).append(d)
    for d, c in zip(wanted, codes.tolist()):
        out[d] = [o for o in by_code.get(c, []) if o != d]
    return out
