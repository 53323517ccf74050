"""Ingestion: one file -> one Report with its paragraphs. No index, no Whoosh, no Flask; every
function but the readers is pure on text, testable on the seeds' own words.

    sources/      read a file (text, Markdown-ish, HTML, PDF; a sidecar's metadata) into
                  SourceText: Markdown-ish lines, the common input of segmentation
    clean.py      strip conversion residue (Markdown, HTML, stray bullets, footnote markers)
    segment.py    SourceText -> whole paragraphs, headings, bullets and their numbering
    grades.py     the frameworks' grade scales, normalised to one
    sections.py   headings -> the controlled section vocabulary
    metadata.py   authority, report type, dates and judgements, from the content
    authorities.py  an authority's URN, codes, region and neighbours (the D2I lookup, by name)
    shape.py      what kind of text a paragraph is (narrative, item, context, footnote)
    pipeline.py   the stages in order: a file -> Report (pure, apart from reading the file)
    data/         the English authorities and their spellings; the la-lookup (MIT, D2I)
"""
