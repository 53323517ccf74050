"""The sector's words Porter2 would merge with everyday words (analysis.STEM_EXCEPTIONS) are
kept apart, in the index and in queries alike, on the seed index."""
import re

import pytest

from indexer.engine.analysis import STEM_EXCEPTIONS, stem, tokens
from indexer.search import SearchParams, search


@pytest.mark.parametrize("sector, everyday", [
    ("sufficiency", "sufficiently"), ("personal", "person"), ("centres", "centred"),
    ("help", "helpful"), ("care", "carefully"), ("permanence", "permanent"),
    ("universal", "university"), ("general", "generally"), ("relatives", "relatively"),
    ("friends", "friendly"), ("emergency", "emerging"),
    ("travellers", "travel"), ("relatives", "related"), ("locality", "local"),
    ("continuity", "continue"), ("equality", "equally"), ("extremism", "extremely"),
    ("sexuality", "sexual"), ("elective", "elected"), ("designated", "designed"),
    ("advisers", "advised"), ("providers", "provided"), ("proceedings", "proceed"),
])
def test_sector_words_no_longer_share_a_stem_with_everyday_words(sector, everyday):
    assert stem(sector) != stem(everyday)


def test_timeliness_and_timely_are_one_word_and_not_time():
    assert stem("timeliness") == stem("timely") != stem("time")


def test_a_words_spellings_and_forms_stay_one_word():
    assert stem("advisor") == stem("advisers") == stem("adviser")
    assert stem("extremist") == stem("extremism")
    assert stem("localities") == stem("locality")
    assert stem("equally") == stem("equal") != stem("equality")


def test_exceptions_are_whole_lower_case_words():
    # the analyzer lower-cases before stemming, so an entry with a capital would never match
    assert all(w == w.lower() and w.isalpha() for w in STEM_EXCEPTIONS)
    assert tokens("Placement Sufficiency") == ["placement", "sufficiency"]


def paragraphs(reader, q, limit=100):
    return search(reader.engine, SearchParams(q=q, limit=limit))["results"]


def every_result_says(reader, q, pattern):
    """Every paragraph found for `q` has `pattern` in its text or heading (and one is found)."""
    found = paragraphs(reader, q)
    assert found
    for r in found:
        assert re.search(pattern, r["text"] + " " + (r["heading"] or ""), re.I), r["text"]
    return found


def some_result_says_only(reader, q, said, unsaid):
    """A paragraph found for `q` says `said` and never `unsaid`: found by another form."""
    return any(re.search(said, r["text"], re.I) and not re.search(unsaid, r["text"], re.I)
               for r in paragraphs(reader, q))


def test_sufficiency_finds_sufficiency_not_sufficiently(seed_reader):
    found = every_result_says(seed_reader, "sufficiency", r"sufficienc")
    assert "<mark>sufficiently</mark>" not in " ".join(r["snippet"] for r in found)


def test_timeliness_finds_paragraphs_saying_timely(seed_reader):
    assert some_result_says_only(seed_reader, "timeliness", r"\btimely\b", r"timeliness")


def test_locality_finds_locality_teams_not_local_authorities(seed_reader):
    every_result_says(seed_reader, "locality", r"localit")


def test_adviser_finds_a_paragraph_spelling_it_advisor(seed_reader):
    assert some_result_says_only(seed_reader, "adviser", r"\badvisors?\b", r"\badvisers?\b")


def test_elected_members_are_not_elective_home_education(seed_reader):
    found = paragraphs(seed_reader, "elected")
    assert found
    assert "<mark>elective" not in " ".join(r["snippet"] for r in found).lower()
