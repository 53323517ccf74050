"""HTML reports (saved web pages): block elements become Markdown-ish blocks."""
from __future__ import annotations

from bs4 import BeautifulSoup

from ..model import SourceText
from .text import decode

HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}


def read_html(data: bytes) -> SourceText:
    soup = BeautifulSoup(decode(data), "html.parser")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        junk.decompose()
    blocks = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr"]):
        if el.find_parent(["p", "li"]) is not None:
            continue  # nested inside a block already taken whole
        text = " ".join(el.get_text(" ", strip=True).split())
        if not text:
            continue
        if el.name in HEADINGS:
            blocks.append(f"{HEADINGS[el.name]} {text}")
        elif el.name == "li":
            blocks.append(f"- {text}")
        elif el.name == "tr":
            blocks.append("\t".join(" ".join(c.get_text(" ", strip=True).split())
                                    for c in el.find_all(["td", "th"])))
        else:
            blocks.append(text)
    title = soup.title.get_text(strip=True) if soup.title else None
    return SourceText(text="\n\n".join(blocks), paged=False, info={"title": title} if title else {})
