"""A word typed beside others that no paragraph has finds nothing, so the results match the other
words only: the search says which word is missing (`missing`, and a notice on the page and the
command line), and offers a spelling the reports use however many results there are."""
from bs4 import BeautifulSoup

from indexer.search import SearchParams, search
from webapp import create_app


def run(reader, q, **kw):
    return search(reader.engine, SearchParams(q=q, **kw))


def test_a_word_no_report_uses_is_named_and_the_results_match_the_others(seed_reader):
    # the bundled reports never write "ABE" (achieving best evidence); they do write about
    # return home interviews
    result = run(seed_reader, "ABE interviews", limit=50)
    assert result["total"] > 0
    assert result["missing"] == ["ABE"]
    assert any('"ABE"' in n for n in result["notices"])
    assert all("interview" in r["text"].lower() for r in result["results"])


def test_nothing_is_missing_when_every_word_is_found(seed_reader):
    for q in ("return home interviews", "private fostering", "how are young carers supported"):
        result = run(seed_reader, q)
        assert result["missing"] == [], q
        assert not any("No paragraph has" in n for n in result["notices"]), q


def test_question_words_and_stop_words_are_not_called_missing(seed_reader):
    # "how", "the" and "are" are not searched, so they are not reported
    assert run(seed_reader, "how are the ABE interviews")["missing"] == ["ABE"]


def test_a_misspelt_word_gets_its_spelling_offered_even_with_many_results(seed_reader):
    result = run(seed_reader, "privte fostering")
    assert result["total"] >= 5  # "did you mean" used to wait for fewer than 5 results
    assert result["missing"] == ["privte"]
    assert result["suggestion"] == "private fostering"


def test_no_results_at_all_is_not_a_missing_word_notice(seed_reader):
    result = run(seed_reader, "ABE")
    assert result["total"] == 0 and result["missing"] == []


def test_the_page_and_its_json_say_which_word_is_missing(seed_index, corpus_dir):
    client = create_app(index_dir=seed_index, corpus_dir=corpus_dir).test_client()
    data = client.get("/api/search?q=ABE+interviews").get_json()
    assert data["missing"] == ["ABE"]
    page = BeautifulSoup(client.get("/search?q=ABE+interviews").data, "html.parser")
    notices = [p.get_text() for p in page.select(".inset-text")]
    assert any('No paragraph has "ABE"' in n for n in notices)
    page = BeautifulSoup(client.get("/search?q=privte+fostering").data, "html.parser")
    assert "private fostering" in page.select_one(".did-you-mean").get_text()
