"""The analyst's pages on the seed index: /authorities (+ .json, .csv), /authorities/<slug>
(+ .json) with its picture and table, /reports/<id>.json."""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from indexer.ingest.authorities import lookup

RECORD_KEYS = {"authority", "slug", "urn", "la_code", "gss_code", "region", "neighbours",
               "latest", "reports", "letters", "former"}
LATEST_KEYS = {"report_id", "report_type", "inspection_start", "inspection_end", "published",
               "grades"}


def records(client, query: str = "") -> list[dict]:
    response = client.get("/authorities.json" + query)
    assert response.status_code == 200
    return response.get_json()["authorities"]


def test_every_authority_is_listed_with_codes_also_those_without_reports(seed_client):
    rows = records(seed_client)
    assert len(rows) == len(lookup().authorities) == 156
    assert all(set(r) == RECORD_KEYS for r in rows)
    by_name = {r["authority"]: r for r in rows}
    halton = by_name["Halton"]
    assert (halton["urn"], halton["la_code"], halton["gss_code"], halton["region"]) == \
        ("80471", "876", "E06000006", "North West")
    assert halton["reports"] == 3 and halton["letters"] == 1
    assert set(halton["latest"]) == LATEST_KEYS
    assert halton["latest"]["report_type"] == "Single inspection (SIF)"
    assert halton["latest"]["grades"]["children_in_care"] == "Good"
    assert halton["neighbours"][0] == "St Helens" and len(halton["neighbours"]) == 10
    assert by_name["Kent"]["reports"] == 0 and by_name["Kent"]["latest"] is None
    page = seed_client.get("/authorities").get_data(as_text=True)
    assert page.count('<th scope="row">') == 156
    assert "No reports in the index" in page


def test_sorted_by_a_grade_best_first_missing_last_and_reversed(seed_client):
    rows = records(seed_client, "?sort=children_in_care")
    graded = [(r["authority"], r["latest"]["grades"].get("children_in_care"))
              for r in rows if r["latest"]]
    assert graded == [("Halton", "Good"), ("St Helens", "Good"),
                      ("Calderdale", "Requires improvement")]
    assert [r["authority"] for r in rows[:3]] == ["Halton", "St Helens", "Calderdale"]
    reverse = records(seed_client, "?sort=children_in_care&order=desc")
    assert [r["authority"] for r in reverse[:3]] == ["Calderdale", "Halton", "St Helens"]
    assert reverse[3]["latest"] is None  # ungraded still last
    by_reports = records(seed_client, "?sort=reports&order=desc")
    assert by_reports[0]["authority"] == "Halton"
    names = [r["authority"] for r in records(seed_client, "?sort=authority&order=desc")]
    assert names == sorted(names, key=str.lower, reverse=True)


def test_filtered_by_region(seed_client):
    rows = records(seed_client, "?region=north+west&region=London")
    assert {r["region"] for r in rows} == {"North West", "London"}
    assert len(rows) == sum(a.region in ("North West", "London") for a in lookup().authorities)
    assert records(seed_client, "?region=Atlantis") == []
    page = seed_client.get("/authorities?region=North+West").get_data(as_text=True)
    assert 'value="North West" checked' in page


def test_bad_sort_is_a_400_and_nothing_typed_becomes_markup(seed_client):
    assert seed_client.get("/authorities?sort=nope").status_code == 400
    response = seed_client.get("/authorities.json?order=sideways")
    assert response.status_code == 400 and "error" in response.get_json()
    page = seed_client.get("/authorities?region=%3Cscript%3Ex%3C/script%3E")
    assert page.status_code == 200 and b"<script>x" not in page.data
    assert seed_client.get("/authorities/%3Cb%3E").status_code == 404
    assert seed_client.get("/authorities/nope.json").get_json()["error"]


def test_csv_has_every_authority(seed_client):
    text = seed_client.get("/authorities.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 156
    halton = next(r for r in rows if r["authority"] == "Halton")
    assert halton["gss_code"] == "E06000006" and halton["care_leavers"] == "Good"
    assert halton["neighbours"].startswith("St Helens; Durham")


class Picture(HTMLParser):
    """The marks of the SVG and the cells of the judgements table, as (date, area, grade)."""

    def __init__(self):
        super().__init__()
        self.marks, self.cells = set(), set()
        self.row_date = self.cell_area = None
        self.in_table = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g" and "chart__mark" in (a.get("class") or ""):
            self.marks.add((a["data-date"], a["data-area"], a["data-grade"]))
        if tag == "table" and "judgements-table" in (a.get("class") or ""):
            self.in_table = True
        if self.in_table and tag == "tr" and "data-date" in a:
            self.row_date = a["data-date"]
        if self.in_table and tag == "td" and "data-area" in a:
            self.cell_area = a["data-area"]

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        if tag == "td":
            self.cell_area = None

    def handle_data(self, data):
        if self.cell_area and data.strip() and data.strip() != "–" and \
                data.strip() not in ("not graded", "with care leavers"):
            self.cells.add((self.row_date, self.cell_area, data.strip()))


def test_the_authority_page_draws_the_same_judgements_as_its_table(seed_client):
    page = seed_client.get("/authorities/halton").get_data(as_text=True)
    picture = Picture()
    picture.feed(page)
    assert picture.marks and picture.marks == picture.cells
    assert ("2014-12-10", "care_leavers", "Good") in picture.marks
    assert ("2008-07-22", "help_and_protection", "Outstanding") in picture.marks  # JAR: published
    assert len(picture.marks) == 7 + 5
    # Upwards is better: every Outstanding mark sits above every Good one, and so on.
    heights: dict[str, list[float]] = {}
    for m in re.finditer(r'data-grade="([^"]+)"><title>[^<]*</title><(\w+) ([^>]*)>', page):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(3)))
        y = float(attrs.get("cy") or attrs.get("y") or attrs["points"].split()[0].split(",")[1])
        heights.setdefault(m.group(1), []).append(y)
    assert max(heights["Outstanding"]) < min(heights["Good"])
    assert max(heights["Good"]) < min(heights["Requires improvement"])
    assert "<svg" in page and 'role="img"' in page


def test_the_authority_page_lists_reports_in_date_order_neighbours_and_a_scoped_search(seed_client):
    data = seed_client.get("/authorities/halton.json").get_json()
    assert set(data) == {"authority", "judgements", "reports", "neighbours"}
    dates = [r["date"] for r in data["reports"]]
    assert dates == sorted(dates) and len(dates) == 3
    assert [n["authority"] for n in data["neighbours"]][:2] == ["St Helens", "Durham"]
    assert data["neighbours"][0]["latest"]["grades"]["help_and_protection"] == "Good"
    page = seed_client.get("/authorities/halton").get_data(as_text=True)
    assert '<input type="hidden" name="authority" value="Halton">' in page
    assert page.index("Joint area review") < page.index("Focused visit to Halton")
    assert "/search?neighbours=Halton" in page
    assert seed_client.get("/authorities/kent").status_code == 200  # no reports: still a page


def test_report_json_has_metadata_judgements_and_every_paragraph(seed_client, seed_reader):
    report_id = next(r for r, s in seed_reader.reports.items() if s["authority"] == "Calderdale")
    data = seed_client.get(f"/reports/{report_id}.json").get_json()
    assert set(data) == {"report", "judgements", "paragraphs"}
    assert data["report"]["region"] == "Yorkshire and the Humber"
    assert data["judgements"]["adoption"] == "Inadequate"
    assert len(data["paragraphs"]) == seed_reader.reports[report_id]["paragraphs"]
    assert set(data["paragraphs"][0]) == {"anchor", "para_number", "position", "page", "kind",
                                          "section", "heading", "grade", "text", "citation", "repeats"}
    page = seed_client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert all(f'id="{p["anchor"]}"' in page for p in data["paragraphs"])
    numbered = next(p for p in data["paragraphs"] if p["para_number"])
    assert f"paragraph {numbered['para_number']}" in numbered["citation"]
    assert numbered["citation"].startswith("Calderdale: ")
    assert seed_client.get("/reports/nope.json").status_code == 404


GARBAGE = ["", " ", "%00", "<script>alert(1)</script>", "../../etc/passwd", "é" * 300,
           "'; DROP TABLE x; --", "%ff%fe", "a" * 5000, "\u202e", "null", "[]"]


def test_garbage_anywhere_is_never_a_server_error(seed_client):
    for value in GARBAGE:
        for url in (f"/authorities?sort={value}", f"/authorities?order={value}",
                    f"/authorities?region={value}", f"/authorities.csv?region={value}",
                    f"/authorities.json?sort={value}", f"/authorities/{value}",
                    f"/authorities/{value}.json", f"/reports/{value}.json",
                    f"/search?q=care&neighbours={value}", f"/api/search?neighbours={value}",
                    f"/search?region={value}"):
            response = seed_client.get(url)
            assert response.status_code in (200, 400, 404), (url, response.status_code)
            assert b"<script>alert" not in response.data, url


def test_a_report_page_links_to_its_authority_s_page(seed_client, seed_reader):
    report_id = next(r for r, s in seed_reader.reports.items() if s["authority"] == "St Helens")
    page = seed_client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert '<a class="link" href="/authorities/st-helens">St Helens</a>' in page
