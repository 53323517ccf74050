"""Ofsted's report pages as records: pure functions from a page's HTML to what it lists.

The structure, as the public pages are built (issue 15):

- the listing of every local authority's children's services,
  `/search?...&level_1_types=3&level_2_types%5B%5D=12&start=0&rows=100`, links each authority
  as `<a href=".../provider/44/<URN>">Name</a>` and has a `<ul class="pagination">` whose
  `<li class="next"><a href=...>` leads on while more pages follow;
- an authority's page `/provider/44/<URN>` lists its reports newest first as
  `<a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/<id>">...
  <span class="nonvisual">children's services inspection, pdf - 09 may 2025</span></a>`: the
  hidden text names the kind of report and its publication date.

A page that is not in this shape raises LayoutChanged naming the page and what is missing: the
site has changed and guessing would file reports under the wrong date or kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from ..ingest.metadata import MONTHS, iso

DEFAULT_SITE = "https://reports.ofsted.gov.uk"
LISTING_QUERY = ("/search?q=&location=&lat=&lon=&radius=&level_1_types=3"
                 "&level_2_types%5B%5D=12&start=0&rows=100")
PROVIDER_HREF = re.compile(r"/provider/44/(\d+)/?$")

# The kinds fetched, by the slug `--kind` takes: the folder they go in, and how the hidden text
# of a report link names them. Every kind here is one the project parses (see README "Report
# types"); a link of any other kind (an older framework's supplement, say) is counted, not fetched.
KINDS = {
    "inspection": ("inspections", "full inspections of children's services (ILACS, SIF and "
                                  "earlier frameworks)"),
    "focused-visit": ("focused-visits", "focused visit letters"),
    "monitoring-visit": ("monitoring-visits", "monitoring visit letters"),
    "jtai": ("jtai", "joint targeted area inspection letters"),
    "send": ("send", "area SEND inspections"),
}
KIND_TEXT = [  # first match wins: "monitoring visit" names are also "inspection"s
    (re.compile(r"focused visit"), "focused-visit"),
    (re.compile(r"monitoring visit"), "monitoring-visit"),
    (re.compile(r"joint (?:area child protection|targeted area)"), "jtai"),
    (re.compile(r"\bsend\b|special educational needs"), "send"),
    # children's services inspections of every framework, not a council's own fostering
    # service, adoption agency or children's home (other providers, other report series)
    (re.compile(r"^(?!.*(?:home|fostering|adoption agency|secure))"
                r"(?=.*(?:children|safeguarding|looked after|\bla\b|local authority|joint area))"
                r".*(?:inspection|review)"), "inspection"),
]
GENERIC_LINK = re.compile(r"^(?:download|view|open|read|get)\b|^(?:pdf|report|file)$", re.I)
# "children's services inspection, pdf - 09 may 2025"; "... as pdf - ..."; no "pdf" at all
HIDDEN = re.compile(r"^(?P<kind>.+?)(?:\s*,\s*pdf|\s+as\s+pdf)?\s+-\s+"
                    r"(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<year>\d{4})$", re.I)


class LayoutChanged(Exception):
    """A page is not in the shape the fetcher was built for."""

    def __init__(self, page: str, missing: str):
        super().__init__(f"{page}: {missing}. Ofsted's site may have changed; the fetcher "
                         "needs updating before it can read this page.")
        self.page, self.missing = page, missing


@dataclass(frozen=True)
class Provider:
    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class ListingPage:
    providers: list[Provider]
    next_url: Optional[str]


@dataclass(frozen=True)
class Publication:
    url: str                # the PDF
    kind_text: str          # the kind as the site names it: "children's services focused visit"
    kind: Optional[str]     # its slug in KINDS, None for a kind not fetched
    published: str          # ISO date
    title: str              # the link's visible text, or the kind as named ("Download" is no title)

    @property
    def file_name(self) -> str:
        """`children's services inspection - 09 may 2025.pdf`, as the site's own downloads
        and the D2I scrapers name them."""
        d = date.fromisoformat(self.published)
        when = f"{d.day:02d} {list(MONTHS)[d.month - 1]} {d.year}"
        return safe_name(f"{self.kind_text} - {when}") + ".pdf"


def listing_url(site: str) -> str:
    return site.rstrip("/") + LISTING_QUERY


def provider_url(site: str, urn: str) -> str:
    return f"{site.rstrip('/')}/provider/44/{urn}"


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def parse_listing(html: str, page_url: str) -> ListingPage:
    """The authorities one listing page links to, in page order, and the next page's address
    (None on the last page)."""
    soup = _soup(html)
    providers: dict[str, Provider] = {}
    for a in soup.find_all("a", href=True):
        url = urljoin(page_url, a["href"].strip())
        m = PROVIDER_HREF.search(urlsplit(url).path)
        name = _text(a)
        if m and name and m.group(1) not in providers:
            providers[m.group(1)] = Provider(urn=m.group(1), name=name, url=url)
    if not providers:
        raise LayoutChanged(page_url, 'no links to authorities\' pages '
                                      '(<a href=".../provider/44/URN">) on the listing')
    next_url = None
    for ul in soup.find_all("ul", class_="pagination"):
        li = ul.find("li", class_="next")
        a = li.find("a", href=True) if li else None
        if a:
            next_url = urljoin(page_url, a["href"].strip())
            break
    return ListingPage(list(providers.values()), next_url)


def parse_provider(html: str, page_url: str) -> list[Publication]:
    """The reports an authority's page lists, as it orders them (newest first)."""
    soup = _soup(html)
    links = soup.find_all("a", class_="publication-link")
    if not links:
        raise LayoutChanged(page_url, 'no list of reports (<a class="publication-link">)')
    out = []
    for a in links:
        hidden = a.find("span", class_="nonvisual")
        label = _text(a) or "a report link"
        if not a.get("href", "").strip():
            raise LayoutChanged(page_url, f"no address on the report link {label!r}")
        if hidden is None:
            raise LayoutChanged(page_url, f'no kind and date (<span class="nonvisual">) on the '
                                          f'report link {label!r}')
        text = _text(hidden)
        m = HIDDEN.match(text)
        published = iso(m.group("day"), m.group("month"), m.group("year")) if m else None
        if not published:
            raise LayoutChanged(page_url, f"no publication date in {text!r} (expected "
                                          f"\"<kind>, pdf - 09 may 2025\")")
        kind_text = " ".join(m.group("kind").lower().replace("’", "'").split())
        hidden.extract()
        title = _text(a)
        if not title or GENERIC_LINK.match(title):
            title = kind_text[:1].upper() + kind_text[1:]
        out.append(Publication(url=urljoin(page_url, a["href"].strip()), kind_text=kind_text,
                               kind=kind_of(kind_text), published=published, title=title))
    return out


def kind_of(kind_text: str) -> Optional[str]:
    text = kind_text.lower().replace("’", "'")
    for pattern, slug in KIND_TEXT:
        if pattern.search(text):
            return slug
    return None


def safe_name(text: str) -> str:
    """A file or folder name from site text: no path separators, control or shell-hostile
    characters, no leading dot (build skips hidden files), at most 150 characters."""
    text = re.sub(r"[^\w \-'(),&.]", " ", text.replace("’", "'"))
    text = " ".join(text.split()).strip(" .")[:150].strip(" .")
    return text or "report"


def authority_folder(provider: Provider) -> str:
    """`<urn>_<authority>` as in ../shared/ofsted-pdfs: `80486_barking and dagenham`."""
    return f"{provider.urn}_{safe_name(provider.name.lower())}"
