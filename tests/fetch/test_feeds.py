"""Atom feeds: /search.atom (newest matching paragraphs grouped by report) and /reports.atom,
checked against the rules of RFC 4287, advertised on the pages, ids stable across rebuilds."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from indexer.build import build
from webapp import create_app

from .runner import run_fetch
from .replica import Replica
from .reports import ilacs_report

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")


def atom(response) -> ET.Element:
    """The feed, after checking what RFC 4287 requires of a feed and its entries."""
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == A + "feed"
    for node in [feed, *feed.findall(A + "entry")]:
        for tag in ("id", "title", "updated"):
            assert len(node.findall(A + tag)) == 1, f"{node.tag} needs one {tag}"
        assert RFC3339.match(node.findtext(A + "updated"))
        assert re.match(r"^(?:urn:uuid:[0-9a-f-]{36}|https?://)", node.findtext(A + "id"))
    assert feed.find(A + "author/" + A + "name").text
    assert feed.find(A + "link[@rel='self']") is not None
    ids = [e.findtext(A + "id") for e in feed.findall(A + "entry")]
    assert len(ids) == len(set(ids))
    for entry in feed.findall(A + "entry"):
        assert entry.find(A + "link[@rel='alternate']").get("href").startswith("http://")
        if entry.find(A + "content") is not None:
            assert entry.find(A + "content").get("type") == "html"
    return feed


def entries(feed: ET.Element) -> list[dict]:
    return [{"id": e.findtext(A + "id"), "title": e.findtext(A + "title"),
             "updated": e.findtext(A + "updated"),
             "link": e.find(A + "link[@rel='alternate']").get("href"),
             "content": e.findtext(A + "content") or ""} for e in feed.findall(A + "entry")]


def test_reports_feed_lists_every_report_newest_first(seed_client, seed_reader):
    feed = atom(seed_client.get("/reports.atom"))
    items = entries(feed)
    assert len(items) == len(seed_reader.reports) == 5
    assert [i["updated"] for i in items] == sorted((i["updated"] for i in items), reverse=True)
    assert feed.findtext(A + "updated") == items[0]["updated"]
    newest = max(seed_reader.reports.values(), key=lambda r: r["date"])
    assert items[0]["updated"] == newest["date"] + "T00:00:00Z"
    assert urlsplit(items[0]["link"]).path == f"/reports/{newest['report_id']}"
    assert seed_client.get(urlsplit(items[0]["link"]).path).status_code == 200


def test_search_feed_groups_the_newest_matching_paragraphs_by_report(seed_client):
    api = seed_client.get("/api/search?q=return+home+interviews&sort=newest&limit=100").get_json()
    feed = atom(seed_client.get("/search.atom?q=return+home+interviews"))
    items = entries(feed)
    newest_first = list(dict.fromkeys(r["report_id"] for r in api["results"]))
    assert [urlsplit(i["link"]).path.rsplit("/", 1)[1] for i in items] == newest_first
    assert len(items) == api["reports"] > 1
    assert all("?q=return+home+interviews" in i["link"] for i in items)
    hits = {r["report_id"]: r["report_hits"] for r in api["results"]}
    for item in items:  # each says how many of its paragraphs match, and shows them marked
        report_id = urlsplit(item["link"]).path.rsplit("/", 1)[1]
        assert item["content"].startswith(f"<p>{hits[report_id]} matching paragraphs in this ")
    # Marked by the engine's highlighter, as on the search page and the report page.
    assert re.search(r"<mark>(return home )?interview", items[0]["content"], flags=re.I)
    assert "return home interviews" in feed.findtext(A + "title")


def test_a_search_feed_with_no_match_is_still_a_valid_empty_feed(seed_client):
    feed = atom(seed_client.get("/search.atom?q=zzxxqqnothing&authority=Halton"))
    assert entries(feed) == []


def test_a_bad_parameter_is_a_400_not_a_feed(seed_client):
    assert seed_client.get("/search.atom?q=x&from=2015-13").status_code == 400


def test_pages_advertise_their_feed(seed_client):
    page = seed_client.get("/search?q=CSE&authority=Halton").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="This search (Atom)" '
            'href="/search.atom?q=CSE&amp;authority=Halton">') in page
    assert re.search(r'<a class="link" href="/search.atom\?q=CSE&amp;authority=Halton">'
                     r'Subscribe to this search \(Atom\)</a>', page)
    none = seed_client.get("/search?q=zzxxqqnothing").get_data(as_text=True)
    assert "Subscribe to this search (Atom)" in none  # what matches nothing today may tomorrow
    landing = seed_client.get("/").get_data(as_text=True)
    assert 'type="application/atom+xml" title="New reports (Atom)" href="/reports.atom"' in landing
    assert "Subscribe to new reports (Atom)" in landing


def test_entry_ids_survive_a_rebuild_even_when_the_report_id_changes(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "report.pdf").write_bytes(ilacs_report("Halton"))
    side = corpus / "report.pdf.json"
    side.write_text(json.dumps({"url": "https://files.ofsted.gov.uk/v1/file/1",
                                "published": "2022-11-25"}), "utf-8")
    build(corpus, index, show_progress=False, jobs=1)
    client = create_app(index_dir=index, corpus_dir=corpus).test_client()
    before = entries(atom(client.get("/reports.atom"))) + \
        entries(atom(client.get("/search.atom?q=return+home")))
    side.write_text(json.dumps({"url": "https://files.ofsted.gov.uk/v1/file/1",
                                "published": "2022-11-28"}), "utf-8")
    build(corpus, index, show_progress=False, jobs=1, full=True)
    client = create_app(index_dir=index, corpus_dir=corpus).test_client()
    after = entries(atom(client.get("/reports.atom"))) + \
        entries(atom(client.get("/search.atom?q=return+home")))
    assert before[0]["link"] != after[0]["link"]  # a new report_id: the sidecar changed
    assert [e["id"] for e in before] == [e["id"] for e in after]
    assert [e["updated"] for e in after] == ["2022-11-28T00:00:00Z"] * 2  # the report's date
    assert len({e["id"] for e in after}) == 2  # a search's entry is not the report feed's


@pytest.fixture(scope="module")
def fetched(site_reports, tmp_path_factory):
    """A corpus fetched from the replica with --build, and the web app on it."""
    root = tmp_path_factory.mktemp("fetched")
    site = Replica(site_reports, page_size=2)
    site.start()
    try:
        status, summary = run_fetch(site, root / "corpus", "--build", "--index",
                                    str(root / "index"))
    finally:
        site.stop()
    assert status == 0 and len(summary["new"]) == 8
    return create_app(index_dir=root / "index", corpus_dir=root / "corpus").test_client()


def test_fetch_build_gives_ilacs_reports_their_date_and_the_feed_lists_what_was_added(fetched):
    items = entries(atom(fetched.get("/reports.atom")))
    assert len(items) == 8
    titles = {i["title"]: i["updated"] for i in items}
    # ILACS reports print no publication date: the sidecar's is the report's date.
    assert titles["Halton: Inspection of Halton local authority children's services"] == \
        "2022-11-25T00:00:00Z"
    assert titles["Slough: Monitoring visit to Slough children’s services"] == \
        "2019-02-12T00:00:00Z"
    assert any(t.startswith("Halton: Joint targeted area inspection") for t in titles)
    reports = fetched.get("/api/search?q=&report_type=ILACS+standard+inspection&limit=100")
    assert {r["published"] for r in reports.get_json()["results"]} == {
        "2022-11-25", "2018-07-06", "2026-07-07"}
    search = entries(atom(fetched.get('/search.atom?q="not+yet+good+enough"')))
    assert [i["title"] for i in search] == [
        "Slough: Inspection of Slough local authority children's services"]


@pytest.mark.parametrize("query", [
    "q=%00%01%1b[31m%7f", "q=%ED%A0%80%ff%fe", "q=<script>alert(1)</script>&authority=%3C%26%3E",
    "q=\ud7ff\ue000%EF%BF%BE", 'q="unclosed', "q=a*", "q=home&year=%C2%B2",
    "q=home&" + "&".join(f"authority=x{i}" for i in range(5000)), "q=home&from=2015-02-30",
    "q=home&sort=sideways", "q=home&page=abc"])
def test_garbage_in_a_feed_is_a_clear_400_or_valid_atom(seed_client, query):
    r = seed_client.get("/search.atom?" + query)
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        atom(r)


def test_a_long_paragraph_is_shown_around_its_marked_words(seed_reader):
    from indexer.search import highlighter
    text = "Managers meet weekly. " * 30 + "Return home interviews are offered to all. " + \
        "Plans are reviewed. " * 30
    shown = highlighter(seed_reader.engine, "return home interviews").snippet(text, width=300)
    assert shown.startswith("\u2026") and shown.endswith("\u2026") and len(shown) < 420
    assert "<mark>Return home interviews</mark> are offered" in shown
