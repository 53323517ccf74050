"""The peers of the relevance benchmark (benchmarks/relevance.py): stock engines ranking the
project's own paragraphs, with no sector knowledge.

- Tantivy (the `tantivy` PyPI package): its stock BM25 (k1 1.2, b 0.75) over the paragraph
  text with its English stemming tokenizer (`en_stem`); the query's words OR-ed by its query
  parser (quoted phrases kept), facet filters as required terms. (Adding the heading as a
  second field scored lower on both sets: 0.636 and 0.747.)
- SQLite FTS5 (Python's sqlite3), what Datasette serves: the `porter` tokenizer, ranked by its
  `bm25()`; as stock, over the text with every word required (FTS5's implicit AND); and, the
  best variant found, over text and heading with the words OR-ed. Quoted phrases kept; facet
  filters in the WHERE clause.

The two stock rows are the engines issue 13 measured (and pooled eval-scale's judgments from):
they reproduce its figures (0.762 and 0.762 on eval-scale).

Both get the words as typed (operators and punctuation dropped, quotes kept): they are what a
site built on either would run for the same search box.
"""
from __future__ import annotations

import re
import sqlite3
import tempfile

FILTERED = ("authority", "region", "section", "grade", "year", "report_type")


def query_parts(text: str) -> list[str]:
    """The quoted phrases and the single words of a query, lower-cased, operators dropped."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|([\w\']+)', text):
        if phrase:
            words = re.findall(r"\w+", phrase.lower())
            if words:
                parts.append(" ".join(words))
        elif word not in ("OR", "AND", "NOT"):
            parts.extend(re.findall(r"\w+", word.lower()))
    return parts


def _passes(doc: dict, filters: dict[str, list[str]]) -> bool:
    return all(str(doc.get(f)).lower() in {v.lower() for v in vals} for f, vals in filters.items())


class Tantivy:
    name = "Tantivy (stock BM25, text)"

    def __init__(self, docs: list[dict]):
        import tantivy  # the benchmark's own environment (see benchmarks/README.md)
        self.t = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("n", stored=True, indexed=True)
        builder.add_text_field("text", tokenizer_name="en_stem")
        for f in FILTERED:
            builder.add_text_field(f, tokenizer_name="raw")
        self.schema = builder.build()
        self.dir = tempfile.TemporaryDirectory(prefix="tantivy-")
        self.index = tantivy.Index(self.schema, path=self.dir.name)
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for n, d in enumerate(docs):
            doc = tantivy.Document()
            doc.add_unsigned("n", n)
            doc.add_text("text", d["text"] or "")
            for f in FILTERED:
                if d.get(f) is not None:
                    doc.add_text(f, str(d[f]).lower())
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.docs = docs

    def search(self, text: str, filters: dict[str, list[str]], k: int) -> list[dict]:
        t = self.t
        parts = query_parts(text)
        if not parts:
            return []
        typed = " ".join(f'"{p}"' if " " in p else p for p in parts)
        q = self.index.parse_query(typed, ["text"])
        clauses = [(t.Occur.Must, q)]
        for f, values in filters.items():
            clauses.append((t.Occur.Must, t.Query.boolean_query(
                [(t.Occur.Should, t.Query.term_query(self.schema, f, v.lower())) for v in values])))
        if len(clauses) > 1:
            q = t.Query.boolean_query(clauses)
        searcher = self.index.searcher()
        hits = searcher.search(q, k).hits
        return [self.docs[searcher.doc(addr)["n"][0]] for _score, addr in hits]


class FTS5:
    def __init__(self, docs: list[dict], conjunction: str = "AND", heading: bool = False):
        self.name = ("SQLite FTS5 (stock: text, all words)" if conjunction == "AND" and not heading
                     else f"SQLite FTS5 ({'text + heading' if heading else 'text'}, "
                          f"{'words OR-ed' if conjunction == 'OR' else 'all words'})")
        self.conjunction = conjunction
        self.db = sqlite3.connect(":memory:")
        cols = ", ".join(f"{f} UNINDEXED" for f in FILTERED)
        self.db.execute(f"CREATE VIRTUAL TABLE p USING fts5(text, heading, n UNINDEXED, {cols}, "
                        "tokenize='porter')")
        self.db.executemany(
            f"INSERT INTO p VALUES (?, ?, ?, {', '.join('?' for _ in FILTERED)})",
            ((d["text"] or "", (d["heading"] or "") if heading else "", n,
              *(str(d.get(f)).lower() if d.get(f) is not None else None for f in FILTERED))
             for n, d in enumerate(docs)))
        self.docs = docs

    def search(self, text: str, filters: dict[str, list[str]], k: int) -> list[dict]:
        parts = query_parts(text)
        if not parts:
            return []
        match = f" {self.conjunction} ".join('"' + p.replace('"', "") + '"' for p in parts)
        where, args = ["p MATCH ?"], [match]
        for f, values in filters.items():
            where.append(f"{f} IN ({', '.join('?' for _ in values)})")
            args += [v.lower() for v in values]
        rows = self.db.execute(f"SELECT n FROM p WHERE {' AND '.join(where)} "
                               "ORDER BY bm25(p) LIMIT ?", args + [k]).fetchall()
        return [self.docs[n] for (n,) in rows]


def peers(docs: list[dict]) -> list:
    """The peers that can run here: Tantivy only where its package is installed."""
    out = []
    try:
        out.append(Tantivy(docs))
    except ImportError:
        print("(tantivy is not installed in this environment: its row is left out; see "
              "benchmarks/README.md)")
    out += [FTS5(docs, "AND"), FTS5(docs, "OR", heading=True)]
    return out
