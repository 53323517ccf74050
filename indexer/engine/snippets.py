"""Snippets: the best passage of a paragraph, HTML-escaped, with the query's words in <mark>.

Pure functions on text and character spans; the engine finds the spans (it knows the analyzer).
"""
from __future__ import annotations

import html
import re

ELLIPSIS = "\u2026"


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (overlapping or touching ones joined)."""
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def best_window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The stretch of about `width` characters holding the most different matched words
    (then the most matches), starting at a sentence or word boundary."""
    n = len(text)
    if n <= width * 1.25:
        return 0, n
    if not spans:
        return 0, _word_end(text, width)
    best, best_key = spans[0][0], None
    for i, (a, _) in enumerate(spans):
        inside = [s for s in spans[i:] if s[1] <= a + width]
        distinct = len({text[x:y].lower() for x, y in inside})
        key = (distinct, len(inside), -a)
        if best_key is None or key > best_key:
            best, best_key = a, key
    start = _sentence_start(text, best, lookback=width // 3)
    end = _word_end(text, max(start + width, min(n, best + 1)))
    return start, end


def _sentence_start(text: str, pos: int, lookback: int) -> int:
    """Back from `pos` to the start of its sentence if that is near, else to a word start."""
    lo = max(0, pos - lookback)
    window = text[lo:pos]
    m = None
    for m in re.finditer(r"[.!?;:]\s+(?=\S)", window):
        pass
    if m:
        return lo + m.end()
    if lo == 0:
        return 0
    space = text.rfind(" ", lo, pos)
    return space + 1 if space >= 0 else pos


def _word_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.find(" ", pos)
    return len(text) if space < 0 or space - pos > 30 else space


def render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, i = [], start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(html.escape(text[i:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        i = b
    out.append(html.escape(text[i:end]))
    body = "".join(out).strip()
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def snippet(text: str, spans: list[tuple[int, int]], width: int = 300) -> str:
    """HTML: the best passage of `text`, escaped, with `spans` wrapped in <mark>."""
    spans = merge(spans)
    start, end = best_window(text, spans, width)
    return render(text, spans, start, end)


def marked(text: str, spans: list[tuple[int, int]]) -> tuple[str, int]:
    """HTML: the whole of `text`, escaped, with `spans` wrapped in <mark>; and how many marks
    (the report page shows every paragraph whole)."""
    spans = merge(spans)
    return render(text, spans, 0, len(text)), len(spans)
