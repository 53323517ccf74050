"""The layout a newcomer reads: the folders show the pipeline, and the rules that keep them so.

Every rule is read from the code itself (its syntax trees and pyproject.toml), so a module that
breaks one fails here with its name.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for top in ("indexer", "webapp") for p in (ROOT / top).rglob("*.py"))
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports(path: Path):
    """(module imported, line, enclosing function or None) for every import in a file; relative
    imports resolved against the file's package."""
    tree = ast.parse(path.read_text("utf-8"))
    package = rel(path)[:-3].split("/")[:-1]  # the package the file is in
    out = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else function
            if isinstance(child, ast.Import):
                out.extend((a.name, child.lineno, function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[:len(package) - child.level + 1]
                    name = ".".join(base + ([child.module] if child.module else []))
                else:
                    name = child.module
                out.append((name, child.lineno, function))
            visit(child, inner)

    visit(tree, None)
    return out


def test_only_the_engine_package_imports_whoosh():
    offenders = [f"{rel(p)}:{line}" for p in SOURCES for name, line, _ in imports(p)
                 if name.split(".")[0] == "whoosh" and not rel(p).startswith("indexer/engine/")]
    assert offenders == []


def test_the_indexer_never_imports_the_web_app_except_to_serve_it():
    offenders = [f"{rel(p)}:{line}" for p in SOURCES if rel(p).startswith("indexer/")
                 for name, line, function in imports(p)
                 if name.split(".")[0] == "webapp"
                 and not (rel(p) == "indexer/cli.py" and function == "serve")]
    assert offenders == []


@pytest.mark.parametrize("package, forbidden", [
    ("indexer/ingest/", ("whoosh", "flask", "webapp", "indexer.engine", "indexer.query",
                         "indexer.build", "indexer.store", "indexer.search")),
    ("indexer/query/", ("whoosh", "flask", "webapp", "indexer.engine", "indexer.ingest")),
    ("indexer/engine/", ("flask", "webapp", "indexer.ingest", "indexer.build",
                         "indexer.store", "indexer.search")),
])
def test_each_stage_imports_only_the_stages_before_it(package, forbidden):
    offenders = [f"{rel(p)}:{line} imports {name}" for p in SOURCES
                 if rel(p).startswith(package) for name, line, _ in imports(p)
                 if any(name == f or name.startswith(f + ".") for f in forbidden)]
    assert offenders == []


def test_no_module_is_over_600_lines():
    long = {rel(p): n for p in SOURCES
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_a_function_over_80_lines_says_why_in_its_docstring():
    """A long function must carry a line "Long because ..." in its docstring."""
    long = []
    for p in SOURCES:
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES and "Long because" not in (
                        ast.get_docstring(node) or ""):
                    long.append(f"{rel(p)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_every_package_folder_is_packaged():
    folders = {rel(p.parent).replace("/", ".") for p in SOURCES if p.name == "__init__.py"}
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    assert folders <= listed
    assert listed - folders == {"webapp.static"}  # static/ at the top, mapped into webapp/


def _third_party(path: Path) -> set[str]:
    local = {"indexer", "webapp"}
    return {name.split(".")[0] for name, _, _ in imports(path)
            if name and name.split(".")[0] not in local
            and name.split(".")[0] not in sys.stdlib_module_names}


def _declared(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_dependencies_are_declared_exactly_as_imported():
    """What indexer/ and webapp/ import is what pyproject.toml installs, no more, no less."""
    distributions = packages_distributions()
    imported = set()
    for p in SOURCES:
        for module in _third_party(p):
            imported |= {d.lower() for d in distributions.get(module, [module])}
    assert imported == _declared(pyproject()["project"]["dependencies"])


def test_the_test_dependencies_cover_what_the_tests_import():
    distributions = packages_distributions()
    tests = sorted((ROOT / "tests").rglob("*.py"))
    imported = set()
    for p in tests:
        for module in _third_party(p) - {"tests", "conftest"}:
            imported |= {d.lower() for d in distributions.get(module, [module])}
    declared = _declared(pyproject()["project"]["dependencies"]) | _declared(
        pyproject()["project"]["optional-dependencies"]["test"])
    # Test helpers import each other by their own names (pdfgen, seeds) when run from tests/.
    helpers = {p.stem for p in tests} | {"evaluate"}  # ../shared/eval/evaluate.py, loaded there
    assert imported - declared - helpers == set()
