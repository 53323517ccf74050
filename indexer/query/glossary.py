"""The sector's glossary: acronyms and synonyms searched alongside the words a user types.

The terms live in one readable file, `indexer/query/glossary.toml`. This module loads it and
rewrites a parsed query: consecutive words naming a concept become a `Concept` node that the
engine searches together with the concept's other names. Pure: no index, no Whoosh.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .language import And, Concept, Group, Node, Or, Required, Word

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")


class GlossaryError(ValueError):
    pass


def term_key(text: str) -> tuple[str, ...]:
    """Words compared case-, punctuation-, possessive- and plural-insensitively."""
    words = []
    for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'")):
        word = re.sub(r"'s?$", "", word).replace("'", "")
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 2 and word.endswith("s") and word[-2] not in "siu":
            word = word[:-1]
        words.append(word)
    return tuple(words)


@dataclass(frozen=True)
class Entry:
    terms: tuple[str, ...]    # as written in the file, duplicates (after normalizing) removed
    related: tuple[str, ...] = ()


class Glossary:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._index: dict[tuple[str, ...], Entry] = {}
        for entry in entries:
            for term in entry.terms:
                # A term in two concepts would expand unpredictably: the first one wins.
                self._index.setdefault(term_key(term), entry)
        self._longest = max((len(k) for k in self._index), default=0)

    @classmethod
    def from_toml(cls, text: str, origin: str = "glossary") -> "Glossary":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise GlossaryError(f"{origin}: not valid TOML: {e}") from None
        entries = []
        for n, item in enumerate(data.get("concept", []), 1):
            terms = item.get("terms") if isinstance(item, dict) else None
            related = item.get("related", []) if isinstance(item, dict) else None
            if (not isinstance(terms, list) or not terms
                    or not all(isinstance(t, str) and term_key(t) for t in terms)):
                raise GlossaryError(f"{origin}: concept {n} needs `terms`, a list of words")
            if not isinstance(related, list) or not all(isinstance(t, str) for t in related):
                raise GlossaryError(f"{origin}: concept {n}: `related` must be a list of words")
            entries.append(Entry(_dedupe(terms), _dedupe(related)))
        return cls(entries)

    def lookup(self, words: list[str]) -> Entry | None:
        return self._index.get(term_key(" ".join(words)))

    def expand(self, tree: Group) -> tuple[Group, list[dict]]:
        """The query with glossary concepts marked, and what is also searched, for display."""
        shown: dict[int, dict] = {}
        new = self._node(tree, shown)
        return (new if isinstance(new, Group) else Group((new,))), list(shown.values())

    def _node(self, node: Node, shown: dict[int, dict]) -> Node:
        if isinstance(node, Group):
            return Group(tuple(self._sequence(list(node.items), shown)))
        if isinstance(node, (Or, And)):
            return type(node)(tuple(self._node(i, shown) for i in node.items))
        if isinstance(node, Required):
            return Required(self._node(node.item, shown))
        if isinstance(node, Word):
            return self._sequence([node], shown)[0]
        return node  # phrases are searched as typed; excluded words exclude only themselves

    def _sequence(self, items: list[Node], shown: dict[int, dict]) -> list[Node]:
        out: list[Node] = []
        i = 0
        while i < len(items):
            concept = self._longest_match(items, i)
            if concept is None:
                out.append(self._node(items[i], shown) if not isinstance(items[i], Word)
                           else items[i])
                i += 1
                continue
            out.append(concept)
            self._show(concept, shown)
            i += len(concept.words)
        return out

    def _show(self, concept: Concept, shown: dict[int, dict]) -> None:
        """One line per concept for "also searched", however many of its names were typed."""
        key = id(self._index[term_key(concept.label)])
        typed = term_key(concept.label)
        if key not in shown:
            shown[key] = {"term": concept.label, "also": list(concept.forms),
                          "related": list(concept.related)}
            return
        line = shown[key]
        if typed not in {term_key(t) for t in line["term"].split(", ")}:
            line["term"] += ", " + concept.label
        line["also"] = [f for f in line["also"] if term_key(f) != typed]

    def _longest_match(self, items: list[Node], start: int) -> Concept | None:
        words: list[Word] = []
        for item in items[start:start + self._longest]:
            if not isinstance(item, Word):
                break
            words.append(item)
        for end in range(len(words), 0, -1):
            span = words[:end]
            typed = term_key(" ".join(w.text for w in span))
            if len(typed) > self._longest:
                continue
            entry = self._index.get(typed)
            if entry is None:
                continue
            forms = tuple(t for t in entry.terms if term_key(t) != typed)
            return Concept(tuple(span), forms, entry.related,
                           label=" ".join(w.text for w in span))
        return None


def _dedupe(terms: list[str]) -> tuple[str, ...]:
    seen, out = set(), []
    for t in terms:
        key = term_key(t)
        if key and key not in seen:
            seen.add(key)
            out.append(t.strip())
    return tuple(out)


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.from_toml(GLOSSARY_FILE.read_text("utf-8"), str(GLOSSARY_FILE))
