"""Repeated wording on the search page, its JSON twin and the CSV export: the LSCB grade
descriptor Halton's and Calderdale's 2015 reports both print is listed once, links to its copy,
and every copy can be listed."""
from __future__ import annotations

import csv
import io
import math
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

DESCRIPTOR = '"LSCB that is good"'


def page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def test_the_result_says_where_else_its_words_are_and_links_there(seed_client):
    soup = page(seed_client, f"/search?q={DESCRIPTOR}")
    results = soup.select("ol.results > li.result")
    assert len(results) == 1
    repeated = results[0].select_one(".result__repeated")
    assert repeated.select_one("summary").get_text(" ", strip=True) == \
        "The same words in 1 other paragraph"
    [link] = repeated.select("a")
    assert "Calderdale" in link.text or "Halton" in link.text
    assert "1 of them repeats a listed paragraph word for word" in soup.select_one(
        ".folded").get_text(" ", strip=True)

    moved = seed_client.get(link["href"])
    assert moved.status_code == 302
    target = urlsplit(moved.headers["Location"])
    report = page(seed_client, f"{target.path}?{target.query}")
    para = report.find(id=target.fragment)
    assert para is not None
    assert para.select_one(".para__text").get_text().startswith(
        "An LSCB that is good coordinates")
    assert para.select_one(".para__text mark")  # the search's words highlighted there too
    assert report.select_one(".caption-l").get_text() == link.text.split(",")[0]


def test_every_copy_lists_both_and_offers_to_fold_them_again(seed_client):
    soup = page(seed_client, f"/search?q={DESCRIPTOR}")
    every = soup.select_one(".folded a")["href"]
    assert "every_copy=1" in every
    listed = page(seed_client, every)
    assert len(listed.select("ol.results > li.result")) == 2
    assert not listed.select(".result__repeated")
    assert listed.select_one("input[name=every_copy]")["value"] == "1"  # kept by the form
    back = listed.select_one(".folded a")["href"]
    assert len(page(seed_client, back).select("ol.results > li.result")) == 1


def test_the_json_twin_folds_alike_and_the_csv_has_every_copy(seed_client):
    folded = seed_client.get(f"/api/search?q={DESCRIPTOR}").get_json()
    assert folded["total"] == 2 and folded["folded"] == 1
    assert folded["results"][0]["repeated"]["count"] == 1
    every = seed_client.get(f"/api/search?q={DESCRIPTOR}&every_copy=1").get_json()
    assert every["folded"] == 0 and len(every["results"]) == 2
    rows = list(csv.DictReader(io.StringIO(
        seed_client.get(f"/search.csv?q={DESCRIPTOR}").get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r["authority"] for r in rows) == ["Calderdale", "Halton"]


def test_pages_count_the_listed_results(seed_client):
    data = seed_client.get("/api/search?q=lscb&limit=20").get_json()
    assert data["folded"] > 0
    pages = math.ceil((data["total"] - data["folded"]) / 20)
    assert data["pages"] == pages
    soup = page(seed_client, "/search?q=lscb")
    assert soup.select_one(".pagination__status").get_text(strip=True) == f"Page 1 of {pages}"
    last = seed_client.get(f"/api/search?q=lscb&limit=20&page={pages}").get_json()
    assert last["results"]
    page(seed_client, f"/search?q=lscb&page={pages + 1}", status=404)


def test_a_bad_every_copy_or_a_missing_report_is_explained(seed_client):
    r = seed_client.get(f"/api/search?q={DESCRIPTOR}&every_copy=yes")
    assert r.status_code == 400 and r.get_json()["parameter"] == "every_copy"
    soup = page(seed_client, f"/search?q={DESCRIPTOR}&every_copy=yes", status=400)
    assert "every_copy must be 0 or 1" in soup.select_one(".error-summary").get_text()
    missing = page(seed_client, "/reports/0000000000000000/paragraphs/3", status=404)
    assert "no report with this address" in missing.get_text()


def test_a_report_page_says_which_paragraphs_other_reports_print_word_for_word(seed_client):
    hit = seed_client.get(f"/api/search?q={DESCRIPTOR}").get_json()["results"][0]
    report = page(seed_client, f"/reports/{hit['report_id']}")
    descriptor = next(p for p in report.select(".para")
                      if p.select_one(".para__text").get_text().startswith(
                          "An LSCB that is good coordinates"))
    note = descriptor.select_one(".para__repeats")
    assert note.get_text(" ", strip=True) == "The same words appear in 1 other paragraph: list them"
    listed = page(seed_client, note.select_one("a")["href"])
    assert sorted(r.select_one(".result__link").get_text().split(":")[0]
                  for r in listed.select("ol.results > li.result")) == ["Calderdale", "Halton"]
    notes = len(report.select(".para__repeats"))
    assert 0 < notes < len(report.select(".para")) / 4  # findings are the report's own

    twin = seed_client.get(f"/reports/{hit['report_id']}.json").get_json()["paragraphs"]
    assert sum(1 for p in twin if p["repeats"]) == notes
    assert next(p for p in twin if p["text"] == hit["text"])["repeats"] == 1


def test_the_search_feed_has_an_entry_for_every_report_printing_the_words(seed_client):
    feed = ET.fromstring(seed_client.get(f"/search.atom?q={DESCRIPTOR}").get_data())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2  # Calderdale's copy is not folded into Halton's
