"""The index format version: what an index written by this code looks like on disk.

It changes when the schema, the analysis or the writing code changes (their syntax trees, so a
comment or a docstring does not count) or when Whoosh does; a ranking constant, the compiler or
the executor never changes it, since they read any index of the format alike. `build` rewrites
every report when the live index has another format; `serve` rebuilds it.
"""
from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

import whoosh

from ..model import DOCUMENT_FIELDS, FACETS

FORMAT_MODULES = ("analysis.py", "schema.py", "writing.py", "poststore.py", "_whoosh.py")


def _code_without_docs(source: str) -> str:
    """The module's syntax tree, docstrings removed: its behaviour, not its prose."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False)


@lru_cache(maxsize=None)
def format_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(whoosh.versionstring().encode())
    # The schema is made from these: a field added is a format change.
    digest.update(repr((DOCUMENT_FIELDS, FACETS)).encode())
    for name in FORMAT_MODULES:
        digest.update(name.encode())
        digest.update(_code_without_docs((here / name).read_text("utf-8")).encode())
    return digest.hexdigest()[:12]
