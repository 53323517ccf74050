"""ofsted-search: index Ofsted children's services inspection reports by paragraph.

The pipeline, one module per stage:
    sources/     read a file (text, Markdown-ish, HTML, PDF) into SourceText
    clean.py     strip conversion residue (Markdown, HTML, stray bullets, footnote markers)
    segment.py   split SourceText into whole paragraphs, headings and numbering
    metadata.py  authority, report type, dates and graded judgements, from the content
    sections.py  map headings to the controlled section vocabulary
    pipeline.py  one file -> Report with its paragraphs (pure, apart from reading the file)
    build.py     a corpus folder -> a new index generation, switched in atomically
    engine.py    the only module that knows Whoosh: schema, writing, searching
    search.py    the search API shared by the CLI and the web app
    cli.py       the `ofsted-search` command
"""
