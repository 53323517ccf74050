"""A local replica of Ofsted's report pages, for the fetcher's tests and benchmarks/fetch_replica.py.

A threaded http.server on 127.0.0.1 at an ephemeral port serving, in the structure issue 15
describes, the listing (`/search?...&start=N&rows=100`, `page_size` authorities a page, a
`<ul class="pagination">` with `<li class="next">` while more follow), each authority's page
(`/provider/44/<URN>`, `<a class="publication-link">` with the kind and date in a
`<span class="nonvisual">`) and the files (`/v1/file/<id>`).

Faults are queued per path and used up one request at a time (`fault(path, "500", "429:2")`),
or served on every request (`fault(path, "html", always=True)`):

    500, 503     that status, with an HTML error page
    429:N        429 Too Many Requests with Retry-After: N
    sleep:S      answer S seconds late (a timeout when S exceeds the client's)
    cut          announce the whole length, send half the body and close
    stall:S      send half the body, then hang S seconds (long enough to kill the client)
    html         200 text/html: an error page where a PDF should be
    nolist       an authority's page without its list of reports (the site changed)
    404          Not Found
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MONTHS = ("january february march april may june july august september october november "
          "december").split()


@dataclass
class Report:
    file_id: str
    kind_text: str          # as the hidden text names it: "children's services inspection"
    published: str          # ISO date
    body: bytes
    title: str = ""         # the link's visible text
    hidden_text: str = ""   # the hidden text as is, when not "<kind_text>, pdf - <date>"

    @property
    def hidden(self) -> str:
        if self.hidden_text:
            return self.hidden_text
        d = date.fromisoformat(self.published)
        return f"{self.kind_text}, pdf - {d.day:02d} {MONTHS[d.month - 1]} {d.year}"


@dataclass
class Authority:
    urn: str
    name: str
    reports: list[Report] = field(default_factory=list)   # newest first, as the site lists


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Ofsted</title>
<link rel="stylesheet" href="/css/style.css"></head>
<body><header><a href="/">Find an inspection report</a> <a href="/about">About</a>
<a href="https://www.gov.uk/government/organisations/ofsted">Ofsted on GOV.UK</a></header>
<main id="main">{main}</main>
<footer><a href="/accessibility">Accessibility</a> <a href="/cookies">Cookies</a></footer>
</body></html>"""

ERROR_PAGE = PAGE.format(title="Sorry, there is a problem",
                         main="<h1>Sorry, there is a problem with the service</h1>"
                              "<p>Please try again later.</p>")


class Replica:
    def __init__(self, authorities: list[Authority], page_size: int = 100):
        self.authorities = authorities
        self.page_size = page_size
        self.files = {r.file_id: r for a in authorities for r in a.reports}
        self.log: list[tuple[str, float, str]] = []   # (path and query, time, User-Agent)
        self._faults: dict[str, list[str]] = {}
        self._always: dict[str, str] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.server = None
        self.base = ""

    # -- set up ------------------------------------------------------------------------------
    def fault(self, path: str, *actions: str, always: bool = False) -> None:
        with self._lock:
            if always:
                self._always[path] = actions[0]
            else:
                self._faults.setdefault(path, []).extend(actions)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._always.clear()

    def file_url(self, report: Report) -> str:
        return f"{self.base}/v1/file/{report.file_id}"

    def provider_path(self, urn: str) -> str:
        return f"/provider/44/{urn}"

    def start(self) -> str:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                replica._handle(self)

            def log_message(self, *args):  # quiet: the tests read replica.log
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.base

    def stop(self) -> None:
        self._stop.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def requests_to(self, prefix: str) -> list[str]:
        return [p for p, _, _ in self.log if p.startswith(prefix)]

    # -- serving -----------------------------------------------------------------------------
    def _next_fault(self, path: str) -> str | None:
        with self._lock:
            if path in self._always:
                return self._always[path]
            queue = self._faults.get(path)
            return queue.pop(0) if queue else None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        with self._lock:
            self.log.append((h.path, time.monotonic(), h.headers.get("User-Agent", "")))
        fault = self._next_fault(parts.path)
        try:
            if fault and fault.startswith("sleep:"):
                self._stop.wait(float(fault.split(":")[1]))
                fault = None
            if fault in ("500", "503", "404"):
                return self._send(h, int(fault), ERROR_PAGE.encode(), "text/html")
            if fault and fault.startswith("429:"):
                return self._send(h, 429, ERROR_PAGE.encode(), "text/html",
                                  {"Retry-After": fault.split(":")[1]})
            if parts.path == "/search":
                return self._listing(h, parse_qs(parts.query))
            if parts.path.startswith("/provider/44/"):
                return self._provider(h, parts.path.rsplit("/", 1)[-1], fault == "nolist")
            if parts.path.startswith("/v1/file/"):
                return self._file(h, parts.path.rsplit("/", 1)[-1], fault)
            self._send(h, 404, ERROR_PAGE.encode(), "text/html")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): nothing to answer

    def _send(self, h, status: int, body: bytes, kind: str, headers: dict | None = None,
              send: int | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body[:send] if send is not None else body)
        h.wfile.flush()

    def _listing(self, h, query: dict) -> None:
        start = int((query.get("start") or ["0"])[0] or 0)
        page = self.authorities[start:start + self.page_size]
        items = "\n".join(
            f'<li class="search-result"><h3><a href="/provider/44/{a.urn}">{html.escape(a.name)}'
            f'</a></h3><p>Local authority children\'s services &middot; URN {a.urn}</p></li>'
            for a in page)
        nav = ""
        if start > 0:
            nav += f'<li class="previous"><a href="{self._listing_href(start - self.page_size)}">Previous</a></li>'
        if start + self.page_size < len(self.authorities):
            nav += f'<li class="next"><a href="{self._listing_href(start + self.page_size)}">Next</a></li>'
        main = (f"<h1>Search results</h1><p>{len(self.authorities)} results</p>"
                f'<ul class="results-list">{items}</ul><ul class="pagination">{nav}</ul>')
        self._send(h, 200, PAGE.format(title="Search results", main=main).encode(),
                   "text/html; charset=utf-8")

    @staticmethod
    def _listing_href(start: int) -> str:
        return ("/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
                f"&start={max(0, start)}&rows=100")

    def _provider(self, h, urn: str, nolist: bool) -> None:
        authority = next((a for a in self.authorities if a.urn == urn), None)
        if authority is None:
            return self._send(h, 404, ERROR_PAGE.encode(), "text/html")
        if nolist:  # the layout changed: the reports are there, but not as the fetcher knows
            items = "".join(f'<li><a class="report-download" href="{self.file_url(r)}">'
                            f'{html.escape(r.hidden)}</a></li>' for r in authority.reports)
        else:
            items = "".join(
                f'<li class="timeline__day"><p>{html.escape(r.title or r.kind_text.capitalize())}'
                f'</p><a class="publication-link" href="{self.file_url(r)}">Download report '
                f'<span class="nonvisual">{html.escape(r.hidden)}</span></a></li>'
                for r in authority.reports)
        main = (f"<h1>{html.escape(authority.name)}</h1><p>URN: {urn}</p>"
                f"<h2>Reports</h2><ul class=\"timeline\">{items}</ul>")
        self._send(h, 200, PAGE.format(title=html.escape(authority.name), main=main).encode(),
                   "text/html; charset=utf-8")

    def _file(self, h, file_id: str, fault: str | None) -> None:
        report = self.files.get(file_id)
        if report is None:
            return self._send(h, 404, ERROR_PAGE.encode(), "text/html")
        if fault == "html":
            return self._send(h, 200, ERROR_PAGE.encode(), "text/html; charset=utf-8")
        if fault == "cut":
            return self._send(h, 200, report.body, "application/pdf",
                              send=len(report.body) // 2)
        if fault and fault.startswith("stall:"):
            self._send(h, 200, report.body, "application/pdf", send=len(report.body) // 2)
            self._stop.wait(float(fault.split(":")[1]))
            return
        self._send(h, 200, report.body, "application/pdf")
