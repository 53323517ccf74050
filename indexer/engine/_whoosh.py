"""Whoosh 2.7.4, imported once: its regex literals predate Python's invalid-escape warnings,
which would otherwise be printed on every first import."""
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from whoosh import collectors, formats, index, matching, query, scoring  # noqa: F401
    from whoosh.analysis import (Filter, LowercaseFilter, RegexTokenizer, StemFilter,  # noqa: F401
                                 StopFilter)
    from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher  # noqa: F401
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema  # noqa: F401
    from whoosh.lang.porter2 import stem as porter2_stem  # noqa: F401
    from whoosh.query.compound import PreloadedOr  # noqa: F401
    from whoosh.searching import SearchContext  # noqa: F401
    from whoosh.writing import SegmentWriter  # noqa: F401
