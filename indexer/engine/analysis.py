"""Analysis: how text becomes the terms the index holds. Part of the index format: changing
what a word analyses to changes the format version (engine/format.py), so indexes are rebuilt.

Words are lower-cased, stop words dropped, and stemmed with Porter2 (plus the plural of an
acronym: GPs -> GP, and PAs, SGOs, PRUs, written in capitals), except for the sector's words
that Porter2 would merge with an everyday word of another meaning (STEM_EXCEPTIONS); the words
of a name that means something else than its words (NAMES: "virtual school") are one term. The
`plain` field keeps words as written, for wildcards and spelling suggestions.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ._whoosh import (Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter,
                      porter2_stem)

# Words of children's social care that Porter2 merges with an everyday word meaning something
# else, and what they stem to instead. Each names a service or concept the reports discuss
# ("placement sufficiency", "personal adviser", "children's centres", "early help", "permanence",
# "universal services", "family and friends carers", "timeliness"); the word it would be confused
# with is an adverb or adjective found in every kind of finding ("sufficiently", "person",
# "child-centred", "helpful", "permanent staff", "generally", "child-friendly", "relatively").
# "timeliness" and "timely" are the one pair Porter2 splits that belongs together (and apart
# from "time").
STEM_EXCEPTIONS = {
    "sufficiency": "sufficiency", "sufficiencies": "sufficiency",
    "careful": "careful", "carefully": "careful",
    "helpful": "helpful", "helpfully": "helpful",
    "personal": "personal", "personally": "personal",
    "permanence": "permanence", "permanency": "permanence",
    "independence": "independence",
    "centred": "centred",
    "emergency": "emergency", "emergencies": "emergency",
    "universal": "universal", "universally": "universal",
    "generally": "generally",
    "friendly": "friendly",
    "relatively": "relatively",
    "virtually": "virtually",
    "shortly": "shortly",
    "timely": "timely", "timeliness": "timely",
    # Found by listing every Porter2 stem the 510 PDFs' words share with a word of another
    # meaning (not from any query): (Gypsy, Roma and) Travellers/travel, relatives (as carers)/
    # related, locality (teams)/local, continuity (of social worker)/continue, equality (and
    # diversity)/equally, extremism/extremely, sexuality/sexual (abuse), elective (home
    # education)/elected (members), designated (safeguarding lead)/designed, (personal)
    # advisers/advised, (care) providers/provided, (care) proceedings/proceed.
    "traveller": "traveller", "travellers": "traveller",
    "relative": "relative", "relatives": "relative",
    "locality": "locality", "localities": "locality",
    "continuity": "continuity",
    "equality": "equality", "equalities": "equality",
    "extremism": "extremism", "extremist": "extremism", "extremists": "extremism",
    "sexuality": "sexuality",
    "elective": "elective", "electively": "elective",
    "designated": "designated",
    "adviser": "adviser", "advisers": "adviser", "advisor": "adviser", "advisors": "adviser",
    "provider": "provider", "providers": "provider",
    "proceedings": "proceedings",
}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """English (Porter2) stemming, plus the plural of an all-consonant acronym (GPs, SCRs),
    except for STEM_EXCEPTIONS."""
    exception = STEM_EXCEPTIONS.get(word)
    if exception is not None:
        return exception
    if len(word) > 2 and word.endswith("s") and not re.search(r"[aeiouy]", word[:-1]):
        return word[:-1]
    return porter2_stem(word)


# Names of one thing whose words, read apart, mean something else: "corporate parenting" (the
# council's duty to children in care) is not about parents, a "virtual school" (the team that
# champions their education) is not a school, "Signs of Safety" (a practice model) says nothing
# of a child's safety, a "children in care council" is not the council, the "Troubled
# Families" programme names no family's troubles. Each is held as one term, so a search for
# parents, schools, safety or the council does not find the name, and a search for the name
# finds it as before.
NAMES = ("corporate parenting", "corporate parent", "corporate parents", "virtual school",
         "virtual schools", "signs of safety", "children in care council",
         "children in care councils", "troubled families")


def _name_stems() -> dict[tuple[str, ...], str]:
    stops = StopFilter().stops
    out = {}
    for name in NAMES:
        stems = tuple(stem(w) for w in name.split() if w not in stops)
        out[stems] = "_".join(stems)
    return out


NAME_STEMS = _name_stems()
NAME_LENGTHS = sorted({len(k) for k in NAME_STEMS}, reverse=True)
NAME_FIRSTS = frozenset(k[0] for k in NAME_STEMS)  # most words start no name: one set lookup


def _name_at(stems: list[str], i: int) -> tuple[str, int] | None:
    """(the name's term, how many words it spans) when the words from `i` on spell a NAME."""
    if stems[i] not in NAME_FIRSTS:
        return None
    for n in NAME_LENGTHS:
        term = NAME_STEMS.get(tuple(stems[i:i + n])) if i + n <= len(stems) else None
        if term is not None:
            return term, n
    return None


def name_runs(stems: list[str]):
    """(first word, words spanned, the name's term) for each NAME in a sequence of stems, left
    to right, longest first; the words between are not listed."""
    i = 0
    while i < len(stems):
        found = _name_at(stems, i)
        if found is None:
            i += 1
        else:
            yield i, found[1], found[0]
            i += found[1]


# An acronym's plural as reports write it, capitals and an "s" ("PAs", "SGOs", "PRUs"): Porter2
# keeps "pas" and "sgos" apart from "pa" and "sgo", and the lower-cased word is no longer known
# to be an acronym, so the plural is taken off before lower-casing.
ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z0-9]+s")


def acronym_singular(word: str) -> str:
    return word[:-1] if ACRONYM_PLURAL.fullmatch(word) else word


class AcronymPluralFilter(Filter):
    """Tokens as written -> the same, an acronym's plural ("PAs") made singular ("PA")."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = acronym_singular(t.text)
            yield t


class NameFilter(Filter):
    """Stemmed tokens -> the same, with the words of each NAME joined into one token (its
    position the first word's, its characters from the first word's start to the last's end;
    later positions closed up so that phrases still match word for word). Stop words kept in
    the stream (removestops=False) pass through and do not break a name."""

    def __call__(self, tokens):
        window = [t.copy() for t in tokens]
        live = [i for i, t in enumerate(window) if not t.stopped]
        names, joined = {}, set()  # first word's index -> (term, last word's index); the rest
        for k, span, term in name_runs([window[i].text for i in live]):
            names[live[k]] = (term, live[k + span - 1])
            joined.update(live[k + 1:k + span])
        removed = 0
        for i, t in enumerate(window):
            if i in joined:
                removed += 1
                continue
            if i in names:
                t.text, last = names[i]
                if t.chars:
                    t.endchar = window[last].endchar
            if t.positions:
                t.pos -= removed
            yield t


def stemming_analyzer():
    return (RegexTokenizer() | AcronymPluralFilter() | LowercaseFilter() | StopFilter()
            | StemFilter(stemfn=stem) | NameFilter())


# Where a paragraph's first sentence ends: a full stop, question or exclamation mark, semicolon
# or colon followed by a space ("32.Children's ..." keeps its number: no space after it).
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s")


def opening_sentence(text: str) -> str:
    """A paragraph's first sentence. Inspectors open a paragraph with its point ("Disabled
    children receive a good service ..."), so its words say what the paragraph is about more
    than words further on, which are often examples or asides."""
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def wording_key(text: str) -> str:
    """What two paragraphs share when they say the same thing word for word: the text's words,
    lower-cased, without punctuation or spacing, hashed (16 hex digits); "" for no words. The
    framework's boilerplate ("An LSCB that is good coordinates the activity of ...") is printed in
    every report of its kind, and a search folds the copies into one result (searching.py)."""
    words = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.blake2b(words.encode(), digest_size=8).hexdigest() if words else ""


def plain_analyzer():
    """Words as written (lower-cased): wildcards and spelling suggestions work on these."""
    return RegexTokenizer() | LowercaseFilter()


STEM = stemming_analyzer()


def tokens(text: str) -> list[str]:
    """The terms a query's text searches for (stemmed, stop words dropped)."""
    return [t.text for t in STEM(text, mode="query")]


_TOKENIZER, _, _, _STOPS, _, _ = STEM.items  # the analyzer's parts, used directly below


def stemmed_words(text: str) -> list[tuple[str, int, int]]:
    """(stemmed word, start, end) for each word of `text` the index holds, in order: what
    STEM(text, chars=True) yields, without its token objects and generator layers (snippets
    analyse every shown paragraph)."""
    stops, shortest, longest = _STOPS.stops, _STOPS.min, _STOPS.max
    words = []
    for m in _TOKENIZER.expression.finditer(text):
        word = acronym_singular(m.group(0)).lower()
        if len(word) >= shortest and (longest is None or len(word) <= longest) \
                and word not in stops:
            words.append((stem(word), m.start(), m.end()))
    # the NAMES joined, as NameFilter joins them (latest first, so the indexes stay right)
    for i, span, term in reversed(list(name_runs([w[0] for w in words]))):
        words[i:i + span] = [(term, words[i][1], words[i + span - 1][2])]
    return words

