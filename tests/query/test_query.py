"""The query language: how typed queries are read, including malformed ones (pure, no index)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query.language import (MAX_CLAUSES, MAX_QUERY_CHARS, And, FieldTerm, Group, Not, Or, Phrase,
                           Required, Wildcard, Word, parse, to_text, without_filler_words)


def items(text):
    return parse(text).tree.items


def test_words_side_by_side_form_one_soft_group():
    assert items("return home interviews") == (Word("return"), Word("home"), Word("interviews"))


def test_quoted_phrase_is_one_item():
    assert items('"core groups" attendance') == (Phrase("core groups"), Word("attendance"))


def test_quoted_single_word_stays_a_phrase_so_it_is_not_expanded():
    assert items('"CSE"') == (Phrase("CSE"),)


def test_or_binds_tighter_than_the_space_between_words():
    assert items("CSE OR exploitation missing") == (
        Or((Word("CSE"), Word("exploitation"))), Word("missing"))


def test_and_binds_tighter_than_or():
    assert items("a1 AND b1 OR c1") == (Or((And((Word("a1"), Word("b1"))), Word("c1"))),)


def test_not_and_minus_exclude():
    assert items("adoption NOT agency") == (Word("adoption"), Not(Word("agency")))
    assert items("adoption -agency") == (Word("adoption"), Not(Word("agency")))
    assert items("adoption -\"agency staff\"") == (Word("adoption"), Not(Phrase("agency staff")))


def test_hyphen_inside_a_word_is_not_an_exclusion():
    assert items("multi-agency pre-proceedings") == (Word("multi-agency"), Word("pre-proceedings"))


def test_lower_case_operators_are_ordinary_words():
    assert items("children or not") == (Word("children"), Word("or"), Word("not"))


def test_plus_requires():
    assert items("+timeliness adoption") == (Required(Word("timeliness")), Word("adoption"))


def test_brackets_group():
    assert items("(CSE OR missing) interviews") == (
        Or((Word("CSE"), Word("missing"))), Word("interviews"))


def test_field_prefixes_map_to_facets():
    assert items('authority:Halton section:"children in care" grade:good year:2015 '
                 'type:"focused visit"') == (
        FieldTerm("authority", "Halton"), FieldTerm("section", "children in care"),
        FieldTerm("grade", "good"), FieldTerm("year", "2015"),
        FieldTerm("report_type", "focused visit"))


def test_unknown_prefix_is_just_a_word():
    assert items("note:something") == (Word("note:something"),)


def test_wildcard():
    assert items("assess*") == (Wildcard("assess*"),)


def test_wildcard_needs_two_letters_before_the_star():
    parsed = parse("a* b*c")
    assert parsed.tree.items == (Word("a"), Word("b c"))
    assert any("too broad" in n for n in parsed.notices)


def test_trailing_punctuation_is_dropped():
    assert items("what is CSE?") == (Word("what"), Word("is"), Word("CSE"))


def test_typographic_quotes_work_like_plain_ones():
    assert items("\u201ccore groups\u201d") == (Phrase("core groups"),)


@pytest.mark.parametrize("text, expected, notice", [
    ('"core groups', (Phrase("core groups"),), "quote was not closed"),
    ("(CSE OR missing", (Or((Word("CSE"), Word("missing"))),), "bracket was not closed"),
    ("CSE ) missing", (Word("CSE"), Word("missing")), 'without a matching "("'),
    ("CSE OR", (Word("CSE"),), '"OR" needs words on both sides'),
    ("OR CSE", (Word("CSE"),), '"OR" needs words on both sides'),
    ("AND", (), '"AND" needs words on both sides'),
    ("CSE NOT", (Word("CSE"),), '"NOT" needs a word after it'),
    ("authority: CSE", (Word("CSE"),), "needs a value after the colon"),
    ("*", (), "lone"),
])
def test_malformed_queries_get_the_best_reading_and_a_notice(text, expected, notice):
    parsed = parse(text)
    assert parsed.tree.items == expected
    assert any(notice in n for n in parsed.notices), parsed.notices


@pytest.mark.parametrize("text", ["", "   ", "-", "--", "()", '""', "((((", "))))", "NOT NOT",
                                  "+", "-+-", ":", "authority:", '"', '"""', "\x00\x07\x1b"])
def test_queries_with_nothing_to_search_are_empty(text):
    assert parse(text).tree.items == ()


def test_double_negation_cancels():
    assert items("NOT -CSE") == (Word("CSE"),)


def test_control_characters_become_spaces():
    assert items("return\x00home\tinterviews\u200b") == (
        Word("return"), Word("home"), Word("interviews"))


def test_huge_query_is_cut_with_a_notice():
    parsed = parse("word " * 5000)
    assert len(parsed.tree.items) <= MAX_CLAUSES
    assert any("cut" in n or "first" in n for n in parsed.notices)
    assert len(to_text(parsed.tree)) <= MAX_QUERY_CHARS


def test_too_many_words_are_capped_with_a_notice():
    parsed = parse(" ".join(f"w{i}" for i in range(MAX_CLAUSES + 10)))
    assert len(parsed.tree.items) == MAX_CLAUSES
    assert any(f"first {MAX_CLAUSES} words" in n for n in parsed.notices)


def test_a_repeated_word_or_phrase_is_searched_once():
    assert items("children Children children") == (Word("children"),)
    assert items('"care leavers" IRO "Care Leavers"') == (Phrase("care leavers"), Word("IRO"))
    # Different things stay: an exclusion of the same word, or the word inside a phrase.
    assert items("CSE -CSE") == (Word("CSE"), Not(Word("CSE")))
    assert items('missing "missing episodes"') == (Word("missing"), Phrase("missing episodes"))


def test_only_exclusions_say_everything_else_matches():
    assert any("every other paragraph" in n for n in parse("-CSE").notices)


@pytest.mark.parametrize("text", [
    "return home interviews", '"core groups" -agency', "(CSE OR missing) +interviews",
    'authority:"St Helens" year:2015 assess*', "a1 AND b1 OR c1",
])
def test_written_back_query_reads_the_same(text):
    tree = parse(text).tree
    assert parse(to_text(tree)).tree == tree


QUERY_ALPHABET = st.sampled_from(list('abcXYZ "()-+*:?!\\\'\t\n\x00\u201c\u201d\u00e9')
                                 + ["OR ", "AND ", "NOT ", "authority:", "section:", "year:"])


@settings(max_examples=300, deadline=None)
@given(st.lists(QUERY_ALPHABET, max_size=40).map("".join))
def test_parse_never_raises_and_its_reading_parses_again(text):
    parsed = parse(text)
    assert isinstance(parsed.tree, Group)
    assert all(isinstance(n, str) for n in parsed.notices)
    parse(to_text(parsed.tree))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises_on_any_text(text):
    parse(text)


# --- a question typed into the box ------------------------------------------------------------

def words_left(text):
    return [i.text for i in without_filler_words(parse(text).tree).items]


def test_a_questions_words_are_not_searched():
    assert words_left("how are young carers identified and supported") == \
        ["are", "young", "carers", "identified", "and", "supported"]  # the index drops are/and
    assert words_left("How well do they support care leavers?") == ["support", "care", "leavers"]
    assert words_left("what happens when children go missing") == \
        ["happens", "when", "children", "go", "missing"]


def test_prepositions_and_quantifiers_of_a_sentence_are_not_searched():
    assert words_left("are brothers and sisters placed together when they come into care") == \
        ["are", "brothers", "and", "sisters", "placed", "together", "when", "come", "care"]
    assert words_left("how did services change during the covid pandemic") == \
        ["services", "change", "the", "covid", "pandemic"]
    assert words_left("is there too much reliance on agency social workers") == \
        ["is", "much", "reliance", "on", "agency", "social", "workers"]  # "much": after "how" only


def test_the_auxiliaries_being_and_having_are_not_searched():
    # "being" is the auxiliary of a passive, as "been" is: searched, it would weigh as one of the
    # question's rarer words (the index keeps it as "be")
    assert words_left("what help do children get after being sexually abused in their family") == \
        ["help", "children", "get", "after", "sexually", "abused", "in", "family"]
    assert words_left("are children having their health assessments on time") == \
        ["are", "children", "health", "assessments", "on", "time"]


def test_contractions_of_auxiliaries_and_pronouns_are_not_searched():
    # the tokenizer would cut "won't" to "won" and "don't" to "don", words the reports use in
    # other senses ("won awards")
    assert words_left("what happens when parents won't work with social workers") == \
        ["happens", "when", "parents", "work", "with", "social", "workers"]
    assert words_left("why don\u2019t care leavers get help") == ["care", "leavers", "get", "help"]
    assert words_left("they're isn't we've it's what's there's") == \
        ["they're", "isn't", "we've", "it's", "what's", "there's"]  # nothing else: kept
    assert words_left("what's the children's view") == ["the", "children's", "view"]


def test_intensifiers_are_not_searched():
    assert words_left("do senior leaders really know what frontline social work is like") == \
        ["senior", "leaders", "know", "frontline", "social", "work", "is", "like"]


def test_well_and_often_are_question_words_only_after_how_or_as():
    assert words_left("how often are children visited") == ["are", "children", "visited"]
    assert words_left("children often well supported") == ["children", "often", "well",
                                                            "supported"]
    # "as well as" joins two things; the words after it are the point, not "well"
    assert words_left("are disabled children safeguarded as well as other children") == \
        ["are", "disabled", "children", "safeguarded", "as"]  # a repeated word is searched once
    assert words_left("children doing well at school") == ["children", "well", "at", "school"]


def test_a_question_word_typed_on_purpose_is_searched():
    assert words_left("how") == ["how"]                      # nothing else would be left
    assert words_left("how they") == ["how", "they"]
    assert words_left('"how well" supervision') == ["how well", "supervision"]  # quoted
    for typed in ("+how supervision", "-how supervision", "(how OR what) supervision"):
        assert without_filler_words(parse(typed).tree) == parse(typed).tree, typed
