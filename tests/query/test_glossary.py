"""The glossary: the data file, term matching and query expansion (pure, no index)."""
import pytest

from indexer.query.glossary import (GLOSSARY_FILE, Glossary, GlossaryError, default_glossary,
                              term_key)
from indexer.query.language import Concept, Not, Or, Phrase, Word, parse

SMALL = Glossary.from_toml('''
[[concept]]
terms = ["CSE", "child sexual exploitation"]

[[concept]]
terms = ["looked after children", "children in care", "LAC"]

[[concept]]
terms = ["children in care council", "CiCC"]

[[concept]]
terms = ["kinship care", "family and friends care"]
related = ["special guardianship"]
''')


def expand(text, glossary=SMALL):
    return glossary.expand(parse(text).tree)


def test_normalize_ignores_case_punctuation_possessives_and_plurals():
    assert term_key("Children's Centres") == term_key("children's centre")
    assert term_key("IROs") == term_key("IRO")
    assert term_key("GPs") == term_key("GP")
    assert term_key("families") == term_key("family")
    assert term_key("multi-agency") == ("multi", "agency")
    assert term_key("analysis") == ("analysis",)  # not a plural


def test_acronym_expands_to_its_spelled_out_form_and_says_so():
    tree, shown = expand("CSE")
    assert tree.items == (Concept((Word("CSE"),), ("child sexual exploitation",), (), "CSE"),)
    assert shown == [{"term": "CSE", "also": ["child sexual exploitation"], "related": []}]


def test_matching_is_case_insensitive_and_plural_tolerant():
    tree, _ = expand("cse")
    assert isinstance(tree.items[0], Concept)
    tree, _ = expand("Looked-after Children")  # hyphenated, capitalised
    assert isinstance(tree.items[0], Concept)


def test_longest_term_wins():
    tree, shown = expand("children in care council")
    assert tree.items[0].forms == ("CiCC",)
    assert [s["term"] for s in shown] == ["children in care council"]


def test_term_inside_a_longer_query_keeps_the_other_words():
    tree, _ = expand("health assessments for children in care")
    assert tree.items[:3] == (Word("health"), Word("assessments"), Word("for"))
    assert tree.items[3].label == "children in care"
    assert set(tree.items[3].forms) == {"looked after children", "LAC"}


def test_related_terms_are_one_way():
    _, shown = expand("kinship care")
    assert shown[0]["related"] == ["special guardianship"]
    tree, shown = expand("special guardianship")
    assert shown == [] and not any(isinstance(i, Concept) for i in tree.items)


def test_phrases_and_exclusions_are_searched_as_typed():
    tree, shown = expand('"CSE" -LAC')
    assert tree.items == (Phrase("CSE"), Not(Word("LAC")))
    assert shown == []


def test_words_inside_or_are_expanded():
    tree, _ = expand("CSE OR missing")
    assert isinstance(tree.items[0], Or)
    assert isinstance(tree.items[0].items[0], Concept)


def test_two_names_of_one_concept_are_shown_once():
    _, shown = expand("LAC looked after children")
    assert len(shown) == 1
    assert shown[0]["term"] == "LAC, looked after children"
    assert shown[0]["also"] == ["children in care"]


@pytest.mark.parametrize("text, message", [
    ("[[concept]\n", "not valid TOML"),
    ("[[concept]]\nterms = []\n", "needs `terms`"),
    ("[[concept]]\nterms = 'CSE'\n", "needs `terms`"),
    ("[[concept]]\nterms = ['CSE']\nrelated = 'x'\n", "`related` must be a list"),
])
def test_a_broken_glossary_file_gets_a_clear_error(text, message):
    with pytest.raises(GlossaryError, match=message):
        Glossary.from_toml(text, "glossary.toml")


def test_shipped_glossary_loads_and_covers_the_sector_acronyms():
    glossary = default_glossary()
    for acronym in ("CSE", "IRO", "LADO", "CAMHS", "PEP", "MASH", "NEET", "SGO", "LAC",
                    "EDT", "ADM", "RAA", "EHE", "CME", "NRM", "IFA", "JTAI", "LSCP", "DoLS"):
        assert glossary.lookup([acronym]) is not None, acronym
    for a, b in [("front door", "contact and referral team"), ("looked after", "children in care"),
                 ("care leavers", "care experienced"),
                 ("missing episodes", "missing from home"),
                 ("return home interviews", "return interview"),
                 ("EDT", "out-of-hours service"), ("LSCP", "safeguarding children board"),
                 ("children missing from education", "CME"), ("ePEP", "personal education plan")]:
        assert glossary.lookup(a.split()) is glossary.lookup(b.split()), (a, b)


def test_the_acronyms_the_reports_spell_out_find_their_long_form():
    # acronyms the 510 PDFs define in brackets in three or more reports ("integrated care board
    # (ICB)"), sector-wide names only
    glossary = default_glossary()
    for acronym, spelled in [("ICB", "integrated care boards"), ("CQC", "Care Quality Commission"),
                             ("AP", "alternative provision"), ("PRU", "pupil referral units"),
                             ("PCF", "parent carer forum"), ("DSR", "dynamic support register"),
                             ("DCO", "designated clinical officer"), ("PSW", "principal social worker"),
                             ("IDVA", "independent domestic violence advisers"),
                             ("ADHD", "attention deficit hyperactivity disorder"),
                             ("NYAS", "National Youth Advocacy Service"),
                             ("VAA", "voluntary adoption agency"), ("LGA", "Local Government Association"),
                             ("FJB", "local family justice board"), ("SIF", "single inspection framework"),
                             ("IFD", "MASH"), ("FRT", "front door"), ("SPOC", "front door"),
                             ("EDS", "EDT"), ("OOH", "out of hours service"), ("SEN", "SEND"),
                             ("CPB", "corporate parenting board")]:
        assert glossary.lookup([acronym]) is not None, acronym
        assert glossary.lookup([acronym]) is glossary.lookup(spelled.split()), acronym


def test_an_acronym_that_is_an_everyday_word_is_left_out():
    # searched as itself: "PA" and "SALT" would expand ordinary words typed
    glossary = default_glossary()
    for word in ("PA", "salt", "fit", "can"):
        assert glossary.lookup([word]) is None, word


def test_no_term_is_in_two_concepts_of_the_shipped_glossary():
    seen = {}
    for entry in default_glossary().entries:
        for term in entry.terms:
            key = term_key(term)
            assert seen.setdefault(key, entry) is entry, f"{term!r} is in two concepts"


def test_glossary_file_is_the_one_documented():
    assert GLOSSARY_FILE.name == "glossary.toml" and GLOSSARY_FILE.is_file()


def test_entry_to_care_is_one_concept_in_all_its_wordings():
    # the reports write "come into care", "enter care" and "become looked after" (each in
    # 180-280 of the 510 PDFs); the public says "taken into care"
    glossary = default_glossary()
    entry = glossary.lookup("come into care".split())
    assert entry is not None
    for wording in ("coming into care", "children entering care", "entered care",
                    "taken into care", "becoming looked after", "became looked after",
                    "admissions to care"):
        words = wording.split()
        assert any(glossary.lookup(words[i:]) is entry for i in range(len(words))), wording
    # "looked after" alone is still the looked-after-children concept
    assert glossary.lookup(["looked", "after"]) is not entry


def test_the_voluntary_sector_by_its_names_and_charities_one_way():
    glossary = default_glossary()
    entry = glossary.lookup("voluntary sector".split())
    for name in ("third sector", "voluntary and community sector", "voluntary organisations",
                 "VCSE"):
        assert glossary.lookup(name.split()) is entry, name
    assert "charities" in entry.related
    assert glossary.lookup(["charities"]) is None  # a charity names no whole sector
    tree, shown = glossary.expand(parse("voluntary sector partners").tree)
    assert shown[0]["term"] == "voluntary sector" and "third sector" in shown[0]["also"]
