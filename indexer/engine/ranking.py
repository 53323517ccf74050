"""Ranking constants: how a query's parts are weighed against each other. Read by the compiler
at search time, so changing one needs no rebuild (it is not part of the index format).

A paragraph's score is

    SHAPE_PRIOR[its shape] x SECTION_PRIOR[its section] x (word tiers + BM25F + proximity + opening)

Each word the user typed is a "slot" weighted by its rarity (idf, relative to the query's rarest
word); a paragraph gets WORD_BONUS x weight for every slot it matches, on top of its BM25F
score (text, and the heading, whose weight is fixed when the index is written:
engine/schema.py HEADING_BOOST). WORD_BONUS is a few times what BM25F pays one rare word, so
missing the query's rare word costs more than any BM25F can make up, while missing a common one
("children", "care": weight near MIN_WORD_WEIGHT) costs about what one good match of another
word earns. The shape prior then weighs the whole score by what the paragraph is
(ingest/shape.py): it is a multiplier, so it moves a statistic below findings that match as
many words, and below findings missing a common word, but not below paragraphs missing the
query's point.
"""

WORD_BONUS = 30.0         # per query word matched, times the word's weight (below); a rare
                          # word's BM25F in the text of an average paragraph is about 7 once,
                          # 9 twice (idf about 7 at 47,000 paragraphs)
HEADING_WEIGHT = 1.0      # a heading word's BM25F, times this (the index already counts it
                          # HEADING_BOOST times)
HEADING_LOOSE_WEIGHT = 0.25  # ... times this for a loose word of a query of several (not a
                          # glossary term, phrase or hyphenated word): most headings are section
                          # titles, so "board" of "improvement board" found in "The Local
                          # Safeguarding Children Board" names no topic. Chosen by leave-one-set-
                          # out cross-validation over 14 judged sets (constants_study.py)
MIN_WORD_WEIGHT = 0.1     # the weight of a word found everywhere, and of a light word typed
                          # loose (query/language.py LIGHT_WORDS); the rarest word weighs 1
EXPANSION_WEIGHT = 0.6    # a glossary synonym scores this much of the word typed
RELATED_WEIGHT = 0.25     # a glossary `related` term
RELATED_COVER = 0.5       # ... and the share of the concept's word bonus it earns
SCATTERED_COVER = 0.5     # the words of a glossary term found apart, not as the term
PROXIMITY_WEIGHT = 0.5    # two adjacent query words found within PROXIMITY_SLOP words: this
                          # much of one word's score (the pair scores as two words)
PROXIMITY_SLOP = 4
OPENING_WEIGHT = 0.025    # a typed word in the paragraph's first sentence: this much of its
                          # word bonus more (a tie-breaker between paragraphs that match as
                          # many words: the one that opens with them is about them). Chosen by
                          # leave-one-query-out cross-validation over the 36 judged queries
                          # (benchmarks/opening_study.py): the same value in every fold
MAX_WILDCARD_TERMS = 300  # words one wildcard may expand to; "co*" matches thousands

# What a paragraph is (ingest/shape.py) weighs its whole score (engine/searching.py _match): a
# finding in sentences counts fully; a short list item (a strength, a weakness, a "what needs
# to improve" point) names a topic more than it discusses it; a statistic about the area, a
# label and its value or a line about the inspection itself mentions the words in passing.
SHAPE_PRIOR = {"narrative": 1.0, "item": 0.9, "context": 0.5, "footnote": 0.5}

# Where a paragraph is weighs it too, by the same multiplier: a recommendation ("Ensure that
# ...": What needs to improve, areas for improvement, next steps; ingest/sections.py) names a
# topic to put right; the findings say what practice is like. Between paragraphs matching
# alike, the finding comes first. Chosen by leave-one-query-out cross-validation over the 52
# judged queries of eval, eval-scale and own-scale (benchmarks/section_study.py: 0.92-0.96 in
# every fold; 0.94 the best over all 52): benchmarks/README.md, "The section prior".
#
# The SIF's summary for children and young people retells the report's findings in plain words
# for the children themselves: between paragraphs matching alike, the finding it retells comes
# first. The shared judges graded its paragraphs 0.33 on average where they met them (eval),
# against 1.44 for the rest; the project's judges 1.6 against 2.2-2.5, never a 3 (of 17). 0.85
# chosen by leave-one-query-out over all 84 judged queries (section_study.py --section ...:
# 0.85 or 0.9 in every fold).
SECTION_PRIOR = {"What needs to improve": 0.94, "Summary for children and young people": 0.85}


def priors() -> dict[str, dict[str, float]]:
    """Each column of the document table that weighs a paragraph's score, with its weights
    (a value not listed weighs 1). Read at search time, so changing one needs no rebuild."""
    return {"shape": SHAPE_PRIOR, "section": SECTION_PRIOR}
