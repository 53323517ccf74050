"""Security headers on every response, HTML-safe JSON, and the server's request limits."""
from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from indexer.build import build
from tests.live_server import live_server
from webapp import create_app
from webapp.security import SERVER_SETTINGS

PAYLOAD = "<script>alert(1)</script>"


@pytest.fixture()
def app(seed_app):
    return seed_app


@pytest.fixture()
def client(seed_client):
    return seed_client


def a_report_id(app) -> str:
    with app.app_context():
        return next(iter(app.extensions["index_reader"].reports))


def csp(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header as directive -> its sources."""
    policy = {}
    for part in response.headers.get("Content-Security-Policy", "").split(";"):
        name, *sources = part.split()
        policy[name] = set(sources)
    return policy


def assert_page_headers(r):
    policy = csp(r)
    assert policy["script-src"] == {"'self'"} and policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"} and policy["base-uri"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"} and policy["form-action"] == {"'self'"}
    assert policy["default-src"] == {"'self'"}
    assert not any("unsafe" in s or "*" in s for sources in policy.values() for s in sources)
    assert_common_headers(r)


def assert_common_headers(r):
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in r.headers["Permissions-Policy"]


@pytest.mark.parametrize("method, url, status", [
    ("get", "/", 200),
    ("get", "/search?q=return+home+interviews", 200),
    ("get", "/search?q=home&page=0", 400),
    ("get", "/search?q=home&page=999", 404),
    ("get", "/reports/0000000000000000", 404),
    ("get", "/no/such/page", 404),
    ("post", "/search?q=home", 405),
    ("get", "/api/search?q=home", 200),
    ("get", "/api/search?q=home&limit=0", 400),
    ("get", "/api/no/such", 404),
    ("get", "/search.csv?q=home", 200),
    ("get", "/static/style.css", 200),
    ("get", "/static/filters.js", 200),
    ("get", "/static/no-such.css", 404),
    ("get", "/source/no-such.pdf", 404),
    ("head", "/", 200),
    ("options", "/search", 200),
])
def test_every_response_carries_the_security_headers(client, method, url, status):
    r = getattr(client, method)(url)
    assert r.status_code == status
    assert_page_headers(r)


def test_report_pages_carry_the_security_headers(app, client):
    r = client.get(f"/reports/{a_report_id(app)}?q=home")
    assert r.status_code == 200
    assert_page_headers(r)


def test_a_failure_and_a_missing_index_carry_the_security_headers(seed_index, tmp_path,
                                                                 monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("engine exploded")
    monkeypatch.setattr("webapp.views.search", boom)
    r = create_app(index_dir=seed_index).test_client().get("/search?q=home")
    assert r.status_code == 500
    assert_page_headers(r)
    r = create_app(index_dir=tmp_path / "none").test_client().get("/search?q=home")
    assert r.status_code == 503
    assert_page_headers(r)


def test_an_original_file_gets_a_policy_a_pdf_viewer_can_live_with(app, client):
    """Chrome draws a PDF in a page of its own, under the PDF response's policy: the embed and
    its inline styles must be allowed there, and nothing else."""
    with app.app_context():
        source = next(iter(app.extensions["index_reader"].reports.values()))["source"]
    r = client.get(f"/source/{source}")
    assert r.status_code == 200
    policy = csp(r)
    assert policy["default-src"] == {"'none'"} and policy["frame-ancestors"] == {"'none'"}
    assert "script-src" not in policy  # default-src 'none': no script at all
    assert policy["object-src"] == {"'self'"}
    assert_common_headers(r)


def test_an_html_original_is_sandboxed(tmp_path):
    """An HTML report saved from the web may hold script: served from the corpus, it runs none
    and does not share the app's origin."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "saved.html").write_text(
        "<html><head><title>Inspection of Halton children's services</title></head><body>"
        "<h1>Inspection of Halton children's services</h1>"
        f"<p>Return home interviews are offered to every child who goes missing.{PAYLOAD}</p>"
        "</body></html>", "utf-8")
    build(corpus, tmp_path / "index", show_progress=False, jobs=1)
    client = create_app(index_dir=tmp_path / "index", corpus_dir=corpus).test_client()
    r = client.get("/source/saved.html")
    assert r.status_code == 200 and r.mimetype == "text/html"
    policy = csp(r)
    assert "sandbox" in policy and policy["sandbox"] == set()  # no allow-scripts, no allow-*
    assert policy["default-src"] == {"'none'"}
    assert_common_headers(r)


def test_json_never_carries_markup_characters_but_reads_back_the_same(client):
    r = client.get("/api/search", query_string={"q": PAYLOAD + " & 'x'", "authority": PAYLOAD})
    assert r.status_code == 200 and r.mimetype == "application/json"
    raw = r.get_data(as_text=True)
    assert not set("<>&'") & set(raw)
    body = json.loads(raw)
    assert body["query"] == PAYLOAD + " & 'x'"
    assert body["filters"] == {"authority": [PAYLOAD]}


def test_json_errors_are_html_safe_too(client):
    r = client.get("/api/search", query_string={"q": "home", "from": PAYLOAD})
    assert r.status_code == 400
    assert "<" not in r.get_data(as_text=True) and r.get_json()["parameter"] == "from"


# -- the WSGI server ---------------------------------------------------------------------------

@pytest.fixture()
def served(app):
    """The port of the app behind waitress with the settings `ofsted-search serve` uses."""
    with live_server(app, **dict(SERVER_SETTINGS, threads=2)) as url:
        yield urlsplit(url).port


def raw_request(port: int, data: bytes) -> bytes:
    """Send `data` as is and read the reply until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything sent
        reply = b""
        try:
            while chunk := s.recv(65536):
                reply += chunk
        except ConnectionResetError:
            pass
    return reply


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


@pytest.mark.slow
def test_the_server_answers_an_ordinary_request_with_the_headers(served):
    reply = raw_request(served, b"GET /search?q=home HTTP/1.0\r\n\r\n")
    assert status_of(reply) == 200
    assert b"Content-Security-Policy: default-src 'self'" in reply
    assert b"\r\nServer: ofsted-search\r\n" in reply


@pytest.mark.slow
def test_the_server_refuses_an_oversized_request_line_or_header(served):
    huge_url = b"GET /search?q=" + b"a" * 40_000 + b" HTTP/1.0\r\n\r\n"
    assert status_of(raw_request(served, huge_url)) == 431
    huge_header = b"GET / HTTP/1.0\r\nX-Junk: " + b"a" * 40_000 + b"\r\n\r\n"
    assert status_of(raw_request(served, huge_header)) == 431


@pytest.mark.slow
def test_the_server_refuses_a_large_body_without_reading_it(served):
    body = b"x" * 100_000
    reply = raw_request(served, b"POST /search HTTP/1.0\r\nContent-Length: %d\r\n\r\n%s"
                        % (len(body), body))
    assert status_of(reply) == 413
    chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"  # two chunks of 16 KiB: over the limit
    chunked = (b"POST /search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               b"Connection: close\r\n\r\n" + chunk * 2 + b"0\r\n\r\n")
    assert status_of(raw_request(served, chunked)) == 413


@pytest.mark.slow
def test_server_errors_show_no_traceback_and_echo_nothing(served):
    reply = raw_request(served, b"GET /search?q=" + PAYLOAD.encode() + b"a" * 40_000
                        + b" HTTP/1.0\r\n\r\n")
    assert b"<script" not in reply and b"Traceback" not in reply
    reply = raw_request(served, b"NONSENSE\x00\r\n\r\n")
    assert status_of(reply) == 400 and b"Traceback" not in reply


def test_serve_uses_the_server_settings_and_the_time_limit(seed_index, monkeypatch):
    from indexer import cli
    seen = {}

    def fake_serve(app, **kwargs):
        seen.update(kwargs, app=app)
    monkeypatch.setattr("waitress.serve", fake_serve)
    result = CliRunner().invoke(cli.cli, ["serve", "--index", str(seed_index),
                                          "--time-limit", "3", "--processes", "1"])
    assert result.exit_code == 0, result.output
    for name in ("max_request_header_size", "max_request_body_size", "channel_timeout",
                 "connection_limit", "threads"):
        assert seen[name] == SERVER_SETTINGS[name], name
    assert seen["host"] == "127.0.0.1" and seen["expose_tracebacks"] is False
    assert seen["app"].config["SEARCH_TIME_LIMIT"] == 3
    assert seen["app"].config["EXPORT_TIME_LIMIT"] == 18


# -- links to the outside world ----------------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x",
                                 "data:text/html,<b>x</b>", "vbscript:x", "//evil.example/x",
                                 "/reports/x", "http:no-host"])
def test_only_http_addresses_are_linked_as_the_original(seed_index, url):
    app = create_app(index_dir=seed_index)
    client = app.test_client()
    with app.app_context():
        reports = app.extensions["index_reader"].reports  # this app's own copy
        rid = next(iter(reports))
        reports[rid] = dict(reports[rid], url=url)
        from webapp.views import original_link
        with app.test_request_context():
            assert original_link({"source": "x.txt", "url": url}) is None
            good = original_link({"source": "x.txt", "url": "https://reports.ofsted.gov.uk/x"})
            assert good["url"] == "https://reports.ofsted.gov.uk/x"
    page = BeautifulSoup(client.get(f"/reports/{rid}").get_data(as_text=True), "html.parser")
    hrefs = [a["href"] for a in page.select("a[href]")]
    assert url not in hrefs and url.strip() not in hrefs
    assert "On the Ofsted website" not in page.get_text()


def test_an_http_original_is_linked(seed_index):
    app = create_app(index_dir=seed_index)
    with app.app_context():
        reports = app.extensions["index_reader"].reports
        rid = next(iter(reports))
        reports[rid] = dict(reports[rid], url="https://reports.ofsted.gov.uk/provider/44/80446")
    page = BeautifulSoup(app.test_client().get(f"/reports/{rid}").get_data(as_text=True),
                         "html.parser")
    link = page.find("a", string="On the Ofsted website")
    assert link["href"] == "https://reports.ofsted.gov.uk/provider/44/80446"
