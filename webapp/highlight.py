"""Marking the user's search words in a report's paragraphs (the report page, not the snippets).

Snippets come from the search engine already marked. On the report page every paragraph is shown,
so the words are marked here: the query is reduced to its plain words and phrases (operators,
field prefixes and excluded words dropped) and each is matched at word starts, with a light
suffix strip so "interviews" also marks "interview" and "interviewed".
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

OPERATORS = {"and", "or", "not", "to"}
SUFFIXES = ("ing", "ies", "es", "ed", "s")
MIN_STEM = 3


def query_terms(q: str) -> list[str]:
    """Words and "quoted phrases" of a query that should be marked, longest first."""
    terms = []
    q = q or ""
    for phrase in re.findall(r'"([^"]+)"', q):
        words = _words(phrase)
        if words:
            terms.append(" ".join(words))
    rest = re.sub(r'"[^"]*"?', " ", q)
    excluded = False
    for token in rest.split():
        low = token.lower()
        if low == "not":
            excluded = True
            continue
        if low in OPERATORS:
            continue
        if token.startswith("-") or excluded:
            excluded = False
            continue
        if ":" in token:  # a field prefix (authority:Halton) filters; it is not a word to mark
            continue
        terms += _words(token)
    seen, out = set(), []
    for t in sorted(terms, key=len, reverse=True):
        if t.lower() not in seen:
            seen.add(t.lower())
            out.append(t)
    return out


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w'*]+", text) if w.strip("*'")]


def _stem(word: str) -> str:
    low = word.lower().strip("'")
    for suffix in SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= MIN_STEM:
            return low[: -len(suffix)]
    return low


def _term_pattern(term: str) -> str:
    parts = []
    for word in term.split():
        if word.endswith("*"):
            parts.append(re.escape(word.rstrip("*").lower()) + r"\w*")
        elif len(word) <= MIN_STEM:  # short words and acronyms (CSE, IRO) match whole
            parts.append(re.escape(word.lower()) + r"s?")
        else:
            parts.append(re.escape(_stem(word)) + r"\w*")
    return r"\W+".join(parts)


def matcher(terms: list[str]) -> re.Pattern | None:
    """One pattern for all terms; longer ones first, so a phrase is marked as one piece."""
    if not terms:
        return None
    terms = sorted(dict.fromkeys(terms), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(_term_pattern(t) for t in terms) + r")\b",
                      re.IGNORECASE)


def mark(text: str, pattern: re.Pattern | None) -> tuple[Markup, int]:
    """The text HTML-escaped with every match wrapped in <mark>, and how many there were."""
    if pattern is None:
        return Markup(html.escape(text)), 0
    out, last, n = [], 0, 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last, n = m.end(), n + 1
    out.append(html.escape(text[last:]))
    return Markup("".join(out)), n
