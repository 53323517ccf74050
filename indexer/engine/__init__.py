"""The search engine: the only package that imports Whoosh (through _whoosh.py), so replacing
Whoosh means replacing this package. Callers pass plain data in and get plain dicts back.

    analysis.py   text -> terms (Porter2 stemming, exceptions, stop words) } the index format:
    schema.py     how each paragraph field is held                         } format.py hashes
    writing.py    write, copy and update an index                          } these four
    poststore.py  each segment's postings as arrays, written with it       }
    format.py     the format version that decides whether an index is rebuilt
    ranking.py    the ranking constants (tunable without a rebuild)
    queries.py    Whoosh query classes for the word bonus, and 2.7.4's fixed matchers
    compiler.py   a parsed query tree -> one Whoosh query + what to highlight
    postings.py   posting lists read whole through Whoosh's codec, scored with BM25F
    executor.py   a compiled query run a posting list at a time, every match scored
    postcache.py  decoded postings kept between searches, within a budget; the stores read
    dense.py      the query over vectors: only what can reach the page scored exactly
    matchsets.py  which documents a query matches, as a boolean vector, without scores
    ceilings.py   the most a query can score without some terms: the page's candidates
    clock.py      deadlines: no search holds a worker for long
    columns.py    per-document values read into a DocTable
    doctable.py   facets, filters, dates and counts as bitmaps (pure)
    folding.py    repeated wording listed once, with where else it is (pure)
    snippets.py   the best passage of a paragraph, escaped and marked (pure)
    highlight.py  the one highlighter: what the search matched, in any text
    explain.py    a score broken into its parts (`--explain`, `explain=1`)
    searching.py  Engine, the façade: an open generation, searched
"""
from .clock import TimeLimitExceeded
from .format import format_version
from .searching import Engine
from .writing import copy_index, update_index, write_index

__all__ = ["Engine", "TimeLimitExceeded", "copy_index", "format_version", "update_index",
           "write_index"]
