"""Every address of the web app with garbage in every parameter: never a 500, never a stack
trace, never a payload that becomes markup, never a file from outside the corpus."""
from __future__ import annotations

import json
import os
import re
import shutil
from urllib.parse import quote, quote_from_bytes

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build
from webapp import create_app

# Each payload would create an element with id "inj" (or an event handler) if it were echoed
# unescaped, in text or inside an attribute value.
PAYLOADS = ['<b id="inj">x</b>', '"><b id="inj">x</b>', "'><b id=inj onmouseover=x>",
            "</textarea><b id=inj>", "<script id=inj>alert(1)</script>",
            "<img id=inj src=x onerror=alert(1)>", "<!--<b id=inj>-->"]
PAYLOAD = PAYLOADS[1]


@pytest.fixture()
def client(seed_client):
    return seed_client


@pytest.fixture(scope="module")
def report_id(seed_reader):
    return next(rid for rid, r in seed_reader.reports.items()
                if r["source"] == "000_f0d2b5c06809a76c.txt")


def page_of(r) -> BeautifulSoup:
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def assert_no_markup_injected(r):
    """Nothing typed became an element or an attribute, and no stack trace is shown."""
    text = r.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text
    if r.mimetype != "text/html":
        return
    page = page_of(r)
    assert not page.select("#inj")
    for tag in page.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
    assert all(s.get("src", "").startswith("/static/") for s in page.select("script"))


def get(client, url, **kw):
    r = client.get(url, **kw)
    assert r.status_code < 500, (url, r.status_code)
    assert_no_markup_injected(r)
    return r


# -- garbage in every parameter ----------------------------------------------------------------

HUGE = "x" * 2_000_000
GARBAGE = {
    "page": ["0", "-1", "99999999999999999999", "1e3", "1.5", "abc", " ", "\x00", "\u00b2",
             "0x10", "10001", PAYLOAD],
    "from": ["2015-02-30", "2015-13", "0000", "99999", "9" * 1000, "\x00", "32/01/2015",
             "2015-03-20T00:00", PAYLOAD],
    "to": ["2015-02-30", "-1", "\x00\x01", PAYLOAD],
    "sort": ["sideways", "RELEVANCE ", "\x00", "relevance\x00", PAYLOAD],
    "q": ['"unclosed', "(((((((((((((((((((", "))) AND OR NOT", "a" * 501, HUGE,
          "\x00\x01\x02\x1b[31m\x7f", "\u202e\u200b\ufeff", "\ud7ff\ue000", "*", "a*",
          "authority:", 'section:"', "NOT NOT NOT", "x " * 5000, PAYLOAD],
    "authority": ["\x00", "*", "%", "x" * 5000, PAYLOAD],
    "year": ["\u00b2", "\u0663", "-2015", "2015.0", "99999999999999999999", PAYLOAD],
    "grade": ["", " ", PAYLOAD],
    "section": ["\u00b2", PAYLOAD],
    "report_type": ["\n", PAYLOAD],
    "limit": ["0", "-1", "101", "abc", "\u00b2", "\u0661", "1" * 50, PAYLOAD],
}
CASES = [(name, value) for name, values in GARBAGE.items() for value in values]


@pytest.mark.parametrize("path", ["/search", "/api/search", "/search.csv"])
@pytest.mark.parametrize("name, value", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_garbage_in_any_parameter_is_a_clear_4xx_or_a_normal_answer(client, path, name, value):
    r = get(client, path, query_string={"q": "home", name: value} if name != "q"
            else {name: value})
    if r.status_code >= 400:
        if r.mimetype == "application/json":
            assert r.get_json()["error"]
        else:
            assert page_of(r).select_one("h1").get_text(strip=True)


@pytest.mark.parametrize("url, status", [
    ("/search?q=home&page=0", 400), ("/search?q=home&page=-1", 400),
    ("/search?q=home&page=abc", 400), ("/search?q=home&page=%C2%B2", 400),
    ("/search?q=home&page=99999999999999999999", 400), ("/search?q=home&page=10000", 404),
    ("/search?q=home&from=2015-02-30", 400), ("/search?q=home&to=%00", 400),
    ("/search?q=home&sort=sideways", 400),
    ("/api/search?q=home&limit=%C2%B2", 400), ("/api/search?q=home&limit=1%00", 400),
    ("/api/search?q=home&page=%C2%B2", 400),
    ("/search?year=%C2%B2", 200), ("/search?q=home&year=%C2%B2&year=%D9%A3", 200),
])
def test_bad_numbers_dates_and_sorts_get_the_right_status(client, url, status):
    assert get(client, url).status_code == status


@pytest.mark.parametrize("raw", ["%", "%zz", "%ff%fe", "%E0%80", "%C0%AF", "%ED%A0%80",
                                 "%00", "%0d%0aSet-Cookie:%20x=1", "%25%32%65"])
@pytest.mark.parametrize("path", ["/search?q=", "/api/search?q=", "/search.csv?q=",
                                  "/search?q=home&authority=", "/search?q=home&from="])
def test_invalid_utf8_and_percent_encoding(client, path, raw):
    r = get(client, path + raw)
    assert r.status_code in (200, 400)
    assert "Set-Cookie" not in r.headers


def test_thousands_of_repeated_parameters_are_refused_quickly_and_small(client):
    many = "&".join(f"authority=x{i}" for i in range(5000))
    r = get(client, f"/search?q=home&{many}")
    assert r.status_code == 400 and "at most 200 filters" in r.get_data(as_text=True)
    # Every link carries every filter: the page must not grow with their square.
    assert len(r.data) < 2_000_000
    assert get(client, f"/api/search?q=home&{many}").status_code == 400
    assert get(client, f"/search.csv?q=home&{many}").status_code == 400
    assert get(client, "/search?" + "&".join(["q=home"] * 5000)).status_code == 200


def test_very_long_filter_values_are_refused(client):
    assert get(client, "/search?q=home&authority=" + "x" * 5000).status_code == 400


def test_two_hundred_filters_are_still_a_search(client):
    some = "&".join(f"authority=x{i}" for i in range(199))
    r = get(client, f"/search?q=home&authority=Halton&{some}")
    assert r.status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_405_pages(client, method):
    r = getattr(client, method)("/search?q=home", data=PAYLOAD)
    assert r.status_code == 405
    assert_no_markup_injected(r)


@pytest.mark.parametrize("url", ["/nope", "/search/", "/reports", "/reports/", "/source",
                                 "/source/", "/static/", "/static/../pyproject.toml",
                                 "/%00", "/api", "/api/", "/api/nope", "/" + "x" * 5000,
                                 "/" + quote(PAYLOAD)])
def test_unknown_routes_are_404(client, url):
    r = get(client, url)
    assert r.status_code == 404
    if url.startswith("/api/"):
        assert r.get_json()["error"]


# -- payloads are escaped wherever they are echoed ---------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_the_search_box_and_the_count_is_text(client, payload):
    r = get(client, "/search", query_string={"q": f"home {payload}"})
    page = page_of(r)
    assert page.select_one("input[name=q]")["value"] == " ".join(f"home {payload}".split())
    assert payload.split()[0] in page.select_one("#result-count").get_text()


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if '"' not in p])
def test_payload_in_a_notice_is_text(client, payload):
    r = get(client, "/search", query_string={"q": f'home section:"{payload}"'})
    notices = " ".join(p.get_text() for p in page_of(r).select(".inset-text"))
    assert "No section matches" in notices and "<" in notices  # shown as the text typed


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_filter_chip_and_its_option_is_text(client, payload):
    r = get(client, "/search", query_string={"q": "home", "authority": payload})
    page = page_of(r)
    chip = page.select_one("a.chip")
    assert payload in chip.get_text()
    assert any(i.get("value") == payload for i in page.select("input[name=authority]"))


@pytest.mark.parametrize("payload", ["<zzqx id=inj>", "'><zzqx id=inj onmouseover=x>"])
def test_payload_in_did_you_mean_is_text(client, payload):
    r = get(client, "/search", query_string={"q": f"intervews {payload}"})
    page = page_of(r)
    offer = next(a for a in page.select("a") if "interviews" in a.get_text())
    assert offer.get_text() == f"interviews {payload}" and not page.select("zzqx")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_date_is_shown_back_in_its_field_as_text(client, payload):
    r = get(client, "/search", query_string={"q": "home", "from": payload})
    assert r.status_code == 400
    assert page_of(r).select_one("#date-from")["value"] == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_on_the_report_page_is_text(client, report_id, payload):
    r = get(client, f"/reports/{report_id}", query_string={"q": f"interviews {payload}"})
    assert r.status_code == 200
    page = page_of(r)
    assert payload.split()[0] in page.select_one("#matches h2").get_text()
    assert page.select_one("a.back-link")["href"].startswith("/search?")


def test_payload_in_a_report_id_or_source_path_is_a_plain_404(client):
    for url in (f"/reports/{quote(PAYLOAD)}", f"/source/{quote(PAYLOAD)}.pdf"):
        r = get(client, url)
        assert r.status_code == 404


def test_payload_in_the_csv_is_a_plain_cell_in_an_attachment(client):
    r = get(client, "/search.csv", query_string={"q": f"home {PAYLOAD}"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert re.fullmatch(r'attachment; filename="ofsted-search-[\w-]+\.csv"',
                        r.headers["Content-Disposition"])
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_report_text_from_a_hostile_file_is_shown_as_text(tmp_path, corpus_dir):
    """A corpus file that holds markup: on the report page, in snippets and in the JSON, the
    markup is text."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_dir / "002_392029502dc47f6f.txt", corpus)
    (corpus / "hostile.txt").write_text(
        "Inspection of Halton children's services\n\nReturn home interviews are offered "
        "&lt;b id=inj&gt; to every child who goes missing <b id=inj>bold</b> "
        "<img id=inj src=x onerror=alert(1)> \"><script id=inj>alert(1)</script>.\n", "utf-8")
    url = "https://example.org/x?a=1&b='><b/id=inj>\"><img/id=inj/src=x/onerror=alert(1)>"
    (corpus / "hostile.txt.json").write_text(json.dumps({"url": url}), "utf-8")
    build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    client = create_app(index_dir=tmp_path / "index", corpus_dir=corpus).test_client()
    r = get(client, "/search?q=return+home+interviews+missing")
    hits = client.get("/api/search?q=return+home+interviews+missing").get_json()["results"]
    hostile = next(h for h in hits if h["source"] == "hostile.txt")
    assert "<b id=inj>" in hostile["text"]  # the cleaner keeps the entity as written text
    r = get(client, f"/reports/{hostile['report_id']}?q=interviews")
    assert "<b id=inj>" in page_of(r).get_text()
    assert page_of(r).find("a", string="On the Ofsted website")["href"] == url
    r = get(client, "/search?q=return+home+interviews+missing")
    assert url in [a["href"] for a in page_of(r).select("a[href]")]


# -- the time limit ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def impatient(seed_index, corpus_dir):
    """An app whose searches are out of time as soon as they start."""
    return create_app(index_dir=seed_index, corpus_dir=corpus_dir, SEARCH_TIME_LIMIT=0,
                      EXPORT_TIME_LIMIT=0).test_client()


def test_a_search_out_of_time_is_a_message_beside_the_search_box(impatient):
    r = get(impatient, "/search?q=return+home+interviews&authority=Halton")
    assert r.status_code == 400
    page = page_of(r)
    assert "took too long" in page.select_one(".error-summary").get_text()
    assert "took too long" in page.select_one("#q-error").get_text()
    assert page.select_one("input[name=q]")["value"] == "return home interviews"


def test_an_api_search_or_export_out_of_time_says_so(impatient):
    r = get(impatient, "/api/search?q=return+home+interviews")
    assert r.status_code == 400 and r.get_json()["parameter"] == "q"
    assert "took too long" in r.get_json()["error"]
    r = get(impatient, "/search.csv?q=return+home+interviews")
    assert r.status_code == 400 and "took too long" in r.get_data(as_text=True)


def test_a_report_page_out_of_time_is_shown_with_the_words_still_marked(impatient, report_id):
    r = get(impatient, f"/reports/{report_id}?q=interviews")
    assert r.status_code == 200 and page_of(r).select("mark")


def test_the_export_has_its_own_longer_limit(seed_index, corpus_dir):
    client = create_app(index_dir=seed_index, corpus_dir=corpus_dir, SEARCH_TIME_LIMIT=0,
                        EXPORT_TIME_LIMIT=3600).test_client()
    assert get(client, "/search.csv?q=return+home+interviews").status_code == 200
    assert get(client, "/search?q=return+home+interviews").status_code == 400


# -- path traversal and symlinks ---------------------------------------------------------------

@pytest.fixture()
def corpus_with_neighbours(tmp_path, corpus_dir):
    """A corpus and its index, where two indexed reports (a file and a folder) have since become
    links out of the corpus, next to a secret it must not serve. A build refuses such links, so
    only a corpus changed after its build leaves the index naming one."""
    root = tmp_path / "site"
    corpus = root / "corpus"
    shutil.copytree(corpus_dir, corpus)
    secret = root / "secret.txt"
    secret.write_text("Inspection of Halton children's services\n\nThe secret word is "
                      "zebrafish and return home interviews are offered.\n", "utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "report.txt").write_text(secret.read_text("utf-8"), "utf-8")
    (corpus / "dir-out").mkdir()
    for i, path in enumerate([corpus / "link-out.txt", corpus / "dir-out" / "report.txt"]):
        path.write_text("Inspection of Exampleshire children's services\n\nReturn home "
                        f"interviews are offered to every child, report {i}.\n", "utf-8")
    (corpus / "not-indexed.txt").write_text("stray")
    build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    (corpus / "link-out.txt").unlink()
    os.symlink(secret, corpus / "link-out.txt")
    shutil.rmtree(corpus / "dir-out")
    os.symlink(root / "outside", corpus / "dir-out")
    return corpus, tmp_path / "index"


def test_only_indexed_files_inside_the_corpus_are_served(corpus_with_neighbours):
    corpus, index_dir = corpus_with_neighbours
    app = create_app(index_dir=index_dir, corpus_dir=corpus)
    client = app.test_client()
    with app.app_context():
        reports = app.extensions["index_reader"].reports.values()
        sources = {r["source"] for r in reports}
    inside = "000_f0d2b5c06809a76c.txt"
    assert get(client, f"/source/{inside}").status_code == 200
    # Links that lead out of the corpus are never served, even when the index names them.
    links_out = sources - {f.name for f in corpus.glob("*.txt") if not f.is_symlink()}
    assert links_out == {"link-out.txt", "dir-out/report.txt"}
    for source in links_out:
        r = get(client, f"/source/{quote(source)}")
        assert r.status_code == 404 and b"zebrafish" not in r.data, source
        rid = next(r["report_id"] for r in reports if r["source"] == source)
        assert not page_of(get(client, f"/reports/{rid}")).select("a[href^='/source/']")
    secret = str(corpus.parent / "secret.txt")
    for url in ["/source/not-indexed.txt", "/source/link-out.txt", "/source/dir-out/report.txt",
                "/source/../secret.txt", "/source/..%2Fsecret.txt", "/source/%2e%2e/secret.txt",
                "/source/%2e%2e%2fsecret.txt", "/source/..%5csecret.txt",
                "/source/corpus/..%2F..%2Fsecret.txt", f"/source/{quote(secret)}",
                f"/source/{quote(secret, safe='')}", "/source//etc/passwd",
                "/source/%2Fetc%2Fpasswd", f"/source/{inside}%00.pdf", f"/source/./{inside}",
                f"/source/dir-out/../{inside}", "/reports/..%2F..%2Fsecret.txt",
                "/reports/%2e%2e", "/static/..%2F..%2Fpyproject.toml",
                "/static/%2e%2e/%2e%2e/pyproject.toml"]:
        r = client.get(url, follow_redirects=True)
        assert r.status_code == 404, url
        assert b"zebrafish" not in r.data and b"stray" not in r.data and b"root:" not in r.data


# -- whatever is sent --------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TRICKY = ["", " ", "0", "-1", "1e3", "\u00b2", "\u0663", "\uff11", "99999999999999999999",
          "\x00", "2015-02-30", "relevance", "newest", "*", "a*", "Halton", "\ufffd"]
HOSTILE_TEXT = st.one_of(TEXT, st.sampled_from(TRICKY),
                         st.builds(lambda a, p, b: a + p + b, TEXT, st.sampled_from(PAYLOADS),
                                   TEXT))
PARAMS = st.dictionaries(
    st.sampled_from(["q", "authority", "section", "grade", "year", "report_type", "from",
                     "to", "sort", "page", "limit"]),
    st.lists(HOSTILE_TEXT, min_size=1, max_size=3), max_size=5)


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(["/", "/search", "/api/search", "/search.csv", "/reports/{id}"]),
       params=PARAMS)
def test_any_parameters_on_any_address_never_500_nor_inject(client, report_id, path, params):
    pairs = [(k, v) for k, values in params.items() for v in values]
    r = client.get(path.format(id=report_id), query_string=pairs)
    assert r.status_code in (200, 400, 404), r.status_code
    assert_no_markup_injected(r)
    if r.mimetype == "application/json":
        assert r.get_json() is not None


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(["/search?q=", "/api/search?q=", "/search?q=home&authority=",
                             "/search?q=home&from=", "/api/search?q=home&limit=",
                             "/reports/", "/source/", "/static/", "/"]),
       raw=st.binary(max_size=60))
def test_any_bytes_percent_encoded_anywhere_never_500(client, path, raw):
    r = client.get(path + quote_from_bytes(raw, safe="/%&=?"))
    assert r.status_code in (200, 308, 400, 404, 405), r.status_code
    assert_no_markup_injected(r)
