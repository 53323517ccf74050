"""ofsted-search: index Ofsted children's services inspection reports by paragraph.

The pipeline, one package or module per stage:
    model.py     the records every stage passes, the facets and the document fields
    fetch/       Ofsted's site -> PDFs and their sidecars in the corpus (`ofsted-search fetch`)
    ingest/      a file -> a Report with its paragraphs (read, clean, segment, metadata); pure
    build.py     a corpus folder -> a new index generation, switched in atomically
    cache.py     parsed reports by content hash, keyed by the ingest package's code
    store.py     generations on disk: the live one, locks, opening one to search
    integrity.py a generation's seal (sizes, checksums), verified before it is served
    judgements.py  the judgements table: every framework's grades in the same columns
    engine/      the only package that knows Whoosh: format, ranking, executor, highlighting
    query/       the query language and the glossary: typed text -> a query tree
    search.py    the search API shared by the CLI and the web app
    cli.py       the `ofsted-search` command
"""
