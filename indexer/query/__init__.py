"""The query language: what a user types, read into a small tree (no index, no Whoosh).

    language.py     the syntax (words, "phrases", OR/AND/NOT, brackets, wildcards, field:value)
                    parsed into frozen node dataclasses, with every repair reported as a notice
    glossary.py     the sector's names for one concept (CSE = child sexual exploitation),
                    read from glossary.toml at search time, marked on the tree as Concepts
"""
from .glossary import Glossary, GlossaryError, default_glossary
from .language import ParsedQuery, parse

__all__ = ["Glossary", "GlossaryError", "ParsedQuery", "default_glossary", "parse"]
