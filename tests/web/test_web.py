"""The web app through Flask's test client, on the index of the bundled corpus."""
from __future__ import annotations

import csv
import io
import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.search import SearchParams, search
from webapp import create_app

QUERY = "return home interviews"


@pytest.fixture(scope="module")
def app(seed_index, corpus_dir):
    return create_app(index_dir=seed_index, corpus_dir=corpus_dir, FACET_TOP_OPTIONS=2)


@pytest.fixture()
def client(app):
    return app.test_client()


def get(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r


def soup(client, url, status=200):
    return BeautifulSoup(get(client, url, status).get_data(as_text=True), "html.parser")


def count(page) -> int:
    return int(page.select_one("[role=status] strong").text.replace(",", ""))


def result_titles(page) -> list[str]:
    return [a.get_text(" ", strip=True) for a in page.select(".result__link")]


def no_traceback(page):
    text = page.get_text()
    assert "Traceback" not in text and "File \"" not in text


# -- the search page ---------------------------------------------------------------------------

def test_home_page_has_one_labelled_search_box_and_no_results(client):
    page = soup(client, "/")
    boxes = page.select("input[name=q]")
    assert len(boxes) == 1
    assert page.select_one(f"label[for={boxes[0]['id']}]").get_text(strip=True)
    assert not page.select(".result")
    assert page.select_one("a.skip-link")["href"] == "#main" and page.select_one("main#main")


def test_search_announces_the_count_and_lists_highlighted_results(client, seed_reader):
    page = soup(client, "/search?q=return+home+interviews")
    expected = search(seed_reader.engine, SearchParams(q=QUERY))
    status = page.select_one("[role=status]")
    assert status["aria-live"] == "polite"
    assert count(page) == expected["total"] > 0
    assert "paragraphs" in status.get_text()
    first = page.select_one(".result")
    assert first.select(".result__snippet mark")
    meta = first.select_one(".result__meta").get_text(" ", strip=True)
    hit = expected["results"][0]
    assert hit["section"] in meta and re.search(r"(Unnumbered p|P)aragraph", meta)
    assert hit["authority"] in first.select_one(".result__link").get_text()


def test_every_result_link_lands_on_an_existing_paragraph_of_its_report(client):
    page = soup(client, "/search?q=return+home+interviews")
    links = [a["href"] for a in page.select(".result__link, .result__more-list a")
             if not a["href"].endswith("#matches")]
    assert len(links) >= 5
    for href in links:
        path, fragment = href.split("#")
        assert path.startswith("/reports/")
        assert parse_qs(urlsplit(path).query)["q"] == [QUERY]  # so the report page can mark it
        report = soup(client, path)
        target = report.find(id=fragment)
        assert target is not None and "para" in target["class"], href
        assert target.select("mark"), href  # the query's words are highlighted there


def test_facet_filter_narrows_and_every_result_has_that_authority(client):
    everything = soup(client, "/search?q=return+home+interviews")
    halton = soup(client, "/search?q=return+home+interviews&authority=Halton")
    assert 0 < count(halton) < count(everything)
    assert result_titles(halton) and all(t.startswith("Halton:") for t in result_titles(halton))
    box = halton.select_one("input[name=authority][value=Halton]")
    assert box.has_attr("checked")


def test_several_values_of_one_facet_widen_and_two_facets_narrow(client):
    one = count(soup(client, "/search?q=return+home+interviews&authority=Halton"))
    two = count(soup(client, "/search?q=return+home+interviews&authority=Halton"
                             "&authority=Calderdale"))
    both = count(soup(client, "/search?q=return+home+interviews&authority=Halton"
                              "&section=Summary"))
    assert two > one > both > 0


def test_chips_remove_one_filter_each_and_clear_all_removes_them_all(client):
    url = "/search?q=return+home+interviews&authority=Halton&section=Summary&page=1"
    page = soup(client, url)
    chips = {a.get_text(" ", strip=True): a["href"] for a in page.select("a.chip")}
    assert len(chips) == 2
    halton_chip = next(h for t, h in chips.items() if "Halton" in t)
    widened = soup(client, halton_chip)
    assert count(widened) > count(page)
    assert parse_qs(urlsplit(halton_chip).query) == {"q": [QUERY], "section": ["Summary"]}
    clear = page.find("a", string=re.compile("Clear all filters"))["href"]
    assert parse_qs(urlsplit(clear).query) == {"q": [QUERY]}


def test_filters_and_sort_submit_without_a_page_number(client):
    """Changing a filter starts again at page 1: the form has no page field."""
    page = soup(client, "/search?q=home&page=2")
    form = page.select_one("form.search-form")
    assert form["method"] == "get"
    assert not form.select("[name=page]")
    assert form.select("input[type=checkbox][name=section]") and form.select("select[name=sort]")


def test_pagination_says_page_n_of_m_in_the_title(client):
    first = soup(client, "/search?q=home")
    total = count(first)
    pages = -(-total // 20)
    assert pages >= 2
    assert f"page 1 of {pages}" in first.title.text
    nxt = first.select_one("a[rel=next]")["href"]
    second = soup(client, nxt)
    assert f"page 2 of {pages}" in second.title.text
    assert second.select_one("[aria-current=page]").get_text(strip=True) == "2"
    assert set(result_titles(first)) != set(result_titles(second)) or \
        first.select(".result__snippet") != second.select(".result__snippet")


def test_sort_newest_puts_the_newest_report_first(client):
    page = soup(client, "/search?q=children&sort=newest")
    dates = [t["datetime"] for t in page.select(".result > .result__meta time")]
    assert dates == sorted(dates, reverse=True)


def test_date_filter_keeps_only_paragraphs_published_in_the_range(client):
    def dates(url):
        return [t["datetime"] for t in soup(client, url).select(".result__meta time")]
    assert any(d > "2012-12-31" for d in dates("/search?q=children"))
    within = dates("/search?q=children&from=2008&to=12/2012")
    assert within and all("2008-01-01" <= d <= "2012-12-31" for d in within)
    page = soup(client, "/search?q=children&from=2008&to=12/2012")
    chips = [a.get_text(" ", strip=True) for a in page.select("a.chip")]
    assert any("From: 2008" in c for c in chips) and any("To: 12/2012" in c for c in chips)


def test_count_names_the_reports_and_the_glossary_expansion(client):
    page = soup(client, "/search?q=CSE")
    status = page.select_one("[role=status]").get_text(" ", strip=True)
    assert re.search(r"\d+ paragraphs in \d+ reports? for", status)
    assert "sexual exploitation" in page.select_one(".also-searched").get_text()


def test_no_results_gives_guidance_and_a_way_out_of_the_filters(client):
    page = soup(client, "/search?q=zzqxv+wibblewobble&authority=Halton")
    assert count(page) == 0
    guidance = page.select_one(".no-results").get_text(" ", strip=True)
    assert "There are no matching paragraphs" in guidance and "spelling" in guidance
    without = page.select_one(".no-results a")["href"]
    assert parse_qs(urlsplit(without).query) == {"q": ["zzqxv wibblewobble"]}
    assert "no results" in page.title.text


# -- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, status, words", [
    ("/search?q=home&page=0", 400, "page number"),
    ("/search?q=home&page=abc", 400, "page number"),
    ("/search?q=home&page=999", 404, "There is no page 999"),
    ("/search?q=home&from=2015-13", 400, "'from' date"),
    ("/search?q=home&from=2016&to=2015", 400, "before"),
    ("/search?q=home&sort=sideways", 400, "Sort by"),
    ("/reports/0000000000000000", 404, "no report"),
    ("/no/such/page", 404, "Page not found"),
    ("/source/..%2Fpyproject.toml", 404, "Page not found"),
])
def test_errors_are_friendly_pages_with_the_right_status(client, url, status, words):
    page = soup(client, url, status)
    assert words in page.get_text(" ")
    no_traceback(page)
    assert page.select_one("a.skip-link") and page.select_one("h1")


def test_a_bad_date_is_shown_beside_its_field_and_the_rest_is_kept(client):
    page = soup(client, "/search?q=home&authority=Halton&from=2015-13", 400)
    assert page.title.text.startswith("Error:")
    summary = page.select_one(".error-summary")
    assert summary["role"] == "alert"
    assert summary.select_one("a")["href"] == "#date-from"
    assert page.select_one("#date-from")["value"] == "2015-13"
    assert page.select_one("#date-from-error")
    assert page.select_one("input[name=q]")["value"] == "home"
    assert page.select_one("input[name=authority][value=Halton]").has_attr("checked")


@pytest.mark.parametrize("q", ['"unbalanced', "(((", "AND", "NOT", "a OR", "*", "::", "-",
                               'title:"x', "\\", "%", "<script>alert(1)</script>"])
def test_awkward_queries_never_show_a_stack_trace(client, q):
    r = client.get("/search", query_string={"q": q})
    assert r.status_code in (200, 400)
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    no_traceback(page)
    assert not page.select("script:not([src])")  # the query is never echoed as markup


def test_an_unexpected_failure_is_a_friendly_500(seed_index, monkeypatch):
    app = create_app(index_dir=seed_index)

    def boom(*a, **k):
        raise RuntimeError("engine exploded")
    monkeypatch.setattr("webapp.views.search", boom)
    r = app.test_client().get("/search?q=home")
    assert r.status_code == 500
    text = r.get_data(as_text=True)
    assert "Sorry, there is a problem" in text and "engine exploded" not in text


def test_a_missing_index_is_a_friendly_503(tmp_path):
    r = create_app(index_dir=tmp_path / "none").test_client().get("/search?q=home")
    assert r.status_code == 503 and "has not been built" in r.get_data(as_text=True)


# -- the report page ---------------------------------------------------------------------------

def report_id(seed_reader, source="000_f0d2b5c06809a76c.txt"):
    """Halton's 2015 inspection: graded judgements, numbered paragraphs, headings."""
    return next(r["report_id"] for r in seed_reader.reports.values() if r["source"] == source)


def test_report_page_has_metadata_judgements_contents_and_every_paragraph(client, seed_reader):
    rid = report_id(seed_reader)
    report = seed_reader.reports[rid]
    page = soup(client, f"/reports/{rid}")
    assert "Halton" in page.title.text
    summary = page.select_one(".summary-list").get_text(" ", strip=True)
    assert "3 February 2015" in summary and report["report_type"] in summary
    rows = [tuple(c.get_text(strip=True) for c in tr.select("th, td"))
            for tr in page.select("table.judgements tbody tr")]
    assert rows == [(j["area"], j["grade"]) for j in report["judgements"]]
    paras = page.select(".report-body .para")
    assert len(paras) == report["paragraphs"]
    ids = [p["id"] for p in paras]
    assert len(set(ids)) == len(ids)  # even where the report prints a number twice
    docs = seed_reader.engine.report_paragraphs(rid)
    assert [i for i, d in zip(ids, docs) if i != d["anchor"]] == \
        [f"u{d['position']}" for i, d in zip(ids, docs) if i != d["anchor"]]
    numbered = next(d for d in docs if d["para_number"])
    shown = page.find(id=numbered["anchor"]).select_one(".para__num").get_text(strip=True)
    assert shown.endswith(numbered["para_number"])
    contents = page.select(".contents a")
    assert len(contents) >= 5
    for link in contents:
        assert page.find(id=link["href"][1:]), link  # each contents entry has its heading


def test_report_page_marks_the_query_words_and_lists_where_they_are(client, seed_reader):
    rid = report_id(seed_reader)
    page = soup(client, f"/reports/{rid}?q=return+home+interviews&authority=Halton&page=1")
    marked = {m.get_text().lower()[:4] for m in page.select(".report-body mark")}
    also = [t for e in search(seed_reader.engine, SearchParams(q=QUERY)).get("expansions") or []
            for t in e.get("also", []) + e.get("related", [])]
    assert {"retu", "home", "inte"} <= marked
    assert marked <= {t.lower()[:4] for t in QUERY.split() + also}  # nothing else is marked
    listed = [a["href"][1:] for a in page.select(".matches__list a")]
    assert listed and all(page.find(id=a).select("mark") for a in listed)
    back = page.select_one("a.back-link")["href"]
    assert parse_qs(urlsplit(back).query) == {"q": [QUERY], "authority": ["Halton"]}


def test_paragraph_text_is_escaped_not_rendered(client, seed_reader):
    rid = report_id(seed_reader)
    raw = get(client, f"/reports/{rid}").get_data(as_text=True)
    assert "Ofsted&#x27;s expectation" in raw or "Ofsted&#39;s expectation" in raw


# -- JSON, CSV and the originals ---------------------------------------------------------------

def test_api_returns_the_search_json_for_the_same_parameters(client, seed_reader):
    r = get(client, "/api/search?q=return+home+interviews&section=Summary&limit=5")
    assert r.is_json
    expected = search(seed_reader.engine, SearchParams(
        q=QUERY, filters={"section": ["Summary"]}, limit=5))
    got = r.get_json()
    assert list(got) == list(expected)  # same field order as the CLI's JSON

    # The first-cut engine may pick a paragraph's best fragments in a different order from one
    # call to the next, so snippets are compared by what they quote.
    def without_snippets(result):
        return dict(result, results=[dict(h, snippet=None) for h in result["results"]])
    assert without_snippets(got) == without_snippets(expected)
    for hit in got["results"]:
        assert "<mark>" in hit["snippet"]


def test_api_pages_like_the_search(client, seed_reader):
    r = get(client, "/api/search?q=return+home+interviews&limit=5&page=2").get_json()
    expected = search(seed_reader.engine, SearchParams(q=QUERY, page=2, limit=5))
    assert r["page"] == 2 and r["total"] == expected["total"]
    assert [h["id"] for h in r["results"]] == [h["id"] for h in expected["results"]]


@pytest.mark.parametrize("url, status", [("/api/search?q=home&limit=0", 400),
                                         ("/api/search?q=home&limit=1000", 400),
                                         ("/api/search?q=home&page=x", 400),
                                         ("/api/search?q=home&page=5000", 404)])
def test_api_errors_are_json(client, url, status):
    r = get(client, url, status)
    assert r.is_json and r.get_json()["error"]


def test_csv_exports_every_match_with_citation_fields(client, seed_reader):
    r = get(client, "/search.csv?q=return+home+interviews&authority=Halton")
    assert r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    expected = search(seed_reader.engine, SearchParams(q=QUERY, filters={"authority": ["Halton"]}))
    assert len(rows) == expected["total"] > 0
    for col in ("authority", "report_type", "published", "section", "paragraph", "page", "text",
                "link"):
        assert col in rows[0]
    assert {row["authority"] for row in rows} == {"Halton"}
    link = rows[0]["link"]
    assert link.startswith("http://localhost/reports/") and "#" in link
    path, anchor = link[len("http://localhost"):].split("#")
    assert soup(client, path).find(id=anchor)


def test_csv_of_more_rows_than_one_batch_is_complete(client, seed_reader, monkeypatch):
    monkeypatch.setattr("webapp.views.CSV_BATCH", 7)
    rows = get(client, "/search.csv?q=children").get_data(as_text=True).lstrip("\ufeff")
    ids = [(r["report_id"], r["link"]) for r in csv.DictReader(io.StringIO(rows))]
    assert len(ids) == len(set(ids)) == search(seed_reader.engine,
                                               SearchParams(q="children"))["total"]


@pytest.fixture()
def corpus_with_stranger(tmp_path, corpus_dir):
    """A corpus folder holding the indexed files and one file that was never indexed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    (corpus / "secret.txt").write_text("not a report")
    return corpus


def test_originals_are_served_only_for_indexed_files_in_the_corpus(seed_index, seed_reader,
                                                                   corpus_with_stranger):
    client = create_app(index_dir=seed_index, corpus_dir=corpus_with_stranger).test_client()
    source = next(iter(seed_reader.reports.values()))["source"]
    r = get(client, f"/source/{source}")
    assert r.mimetype == "text/plain" and r.data == (corpus_with_stranger / source).read_bytes()
    get(client, "/source/secret.txt", 404)
    get(client, "/source/../pyproject.toml", 404)
    r = client.get(f"/source/{corpus_with_stranger}/{source}", follow_redirects=True)
    assert r.status_code == 404


def test_without_a_corpus_no_original_is_linked_or_served(seed_index, seed_reader):
    client = create_app(index_dir=seed_index).test_client()
    rid = next(iter(seed_reader.reports))
    page = soup(client, f"/reports/{rid}")
    assert not page.select("a[href^='/source/']")
    get(client, f"/source/{seed_reader.reports[rid]['source']}", 404)


# -- pages carry no inline script, and work without JavaScript --------------------------------

@pytest.mark.parametrize("url", ["/", "/search?q=home", "/search?q=zzqxv", "/no/such/page",
                                 "/search?q=home&from=bad"])
def test_no_inline_script_or_event_handler_attributes(client, seed_reader, url):
    r = client.get(url)
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    assert all(s.get("src", "").startswith("/static/") for s in page.select("script"))
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
    assert not page.select("[style]")
    assert all(link["href"].startswith("/static/") for link in page.select("link[rel=stylesheet]"))


def test_long_facets_show_top_options_and_the_rest_in_a_native_disclosure(client):
    page = soup(client, "/search?q=home")
    facet = page.select_one("#facet-authority")
    top = facet.select("[data-facet-top] input[type=checkbox]")
    rest = facet.select("details input[type=checkbox]")
    assert len(top) == 2 and rest  # FACET_TOP_OPTIONS=2 in this app
    assert facet.select_one("details summary").get_text(" ", strip=True).startswith("Show all")


def test_report_page_also_marks_what_the_glossary_searched(client, seed_reader, monkeypatch):
    real_search = search

    def with_expansion(engine, params):
        result = real_search(engine, params)
        return dict(result, expansions=[{"term": "CSE", "also": ["sexual exploitation"],
                                         "related": []}])
    monkeypatch.setattr("webapp.views.search", with_expansion)
    page = soup(client, f"/reports/{report_id(seed_reader)}?q=CSE")
    marked = {m.get_text().lower() for m in page.select(".report-body mark")}
    assert "sexual exploitation" in marked and "cse" in marked
