"""Ranking constants: how a query's parts are weighed against each other. Read by the compiler
at search time, so changing one needs no rebuild (it is not part of the index format).

Each word the user typed is a "slot" weighted by its rarity (idf, relative to the query's rarest
word); a paragraph gets WORD_BONUS x weight for every slot it matches, on top of its BM25F
score: paragraphs matching every word rank first, a paragraph missing a common word ranks above
one missing a rare word, and BM25F orders paragraphs that match the same words. The heading's
weight is fixed when the index is written (engine/schema.py HEADING_BOOST).
"""

WORD_BONUS = 10000.0      # per query word matched, times the word's weight (below): far
                          # larger than any BM25F score, so it decides the order first
MIN_WORD_WEIGHT = 0.1     # the weight of a word found everywhere; the rarest word weighs 1
EXPANSION_WEIGHT = 0.6    # a glossary synonym scores this much of the word typed
RELATED_WEIGHT = 0.25     # a glossary `related` term
RELATED_COVER = 0.5       # ... and the share of the concept's word bonus it earns
SCATTERED_COVER = 0.5     # the words of a glossary term found apart, not as the term
PROXIMITY_WEIGHT = 0.5    # two adjacent query words found within PROXIMITY_SLOP words: this
                          # much of one word's score (the pair scores as two words)
PROXIMITY_SLOP = 4
MAX_WILDCARD_TERMS = 300  # words one wildcard may expand to; "co*" matches thousands
