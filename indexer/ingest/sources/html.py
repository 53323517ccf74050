"""HTML reports (saved web pages): block elements become Markdown-ish blocks (SourceText
conventions): <h1>-<h6> "#" headings, <li> "- " bullets (or "N. " in an <ol>, as printed), <tr>
tab-separated rows with a ticked checkbox as "X", <sup>N</sup> footnote references as "[^N]" and
a paragraph opening with one as the footnote's "[^N]: " block."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from ...model import SourceText
from .text import decode

HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}
BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr"]


def read_html(data: bytes) -> SourceText:
    text, caveat = decode(data)
    soup = BeautifulSoup(text, "html.parser")
    for junk in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        junk.decompose()
    for box in soup.find_all("input"):
        checked = box.get("type", "").lower() in ("checkbox", "radio") and box.has_attr("checked")
        box.replace_with(" X " if checked else " ")
    for br in soup.find_all("br"):
        br.replace_with(" ")
    for sup in soup.find_all("sup"):
        text = sup.get_text(strip=True)
        sup.replace_with(f"[^{text}]" if re.fullmatch(r"\d{1,2}", text) else text)
    blocks = []
    last_table = None  # rows of one table stay in one block, as a converter writes them
    for el in soup.find_all(BLOCKS):
        if el.find_parent(["p", "li"]) is not None:
            continue  # nested inside a block already taken whole
        if el.name in ("p", "li") and el.find_parent("tr") is not None:
            continue  # a table cell's paragraphs are read with their row
        text = _text(el)
        if not text and el.name != "tr":
            continue
        last_table = None
        if el.name in HEADINGS:
            blocks.append(f"{HEADINGS[el.name]} {text}")
        elif el.name == "li":
            blocks.append(f"{_list_marker(el)} {text}")
        elif el.name == "tr":
            cells = [_cell(c) for c in el.find_all(["td", "th"])]
            if any(cells):
                table = el.find_parent("table")
                if blocks and last_table is not None and table is last_table:
                    blocks[-1] += "\n" + "\t".join(cells)
                else:
                    blocks.append("\t".join(cells))
                last_table = table
            continue
        else:
            m = re.match(r"^\[\^(\d{1,2})\]\s*", text)
            blocks.append(f"[^{m.group(1)}]: {text[m.end():]}" if m else text)
    title = soup.title.get_text(strip=True) if soup.title else None
    info = {"title": title} if title else {}
    if caveat:
        info["notes"] = [caveat]
    return SourceText(text="\n\n".join(blocks), paged=False, info=info)


def _text(el) -> str:
    return " ".join(el.get_text("").split())


def _cell(td) -> str:
    """A cell's text; a cell holding paragraphs keeps them as <p> (segmentation splits them)."""
    paras = td.find_all(["p", "li"])
    if paras:
        return " ".join(f"<p>{_text(p)}</p>" for p in paras)
    return _text(td)


def _list_marker(li) -> str:
    """'- ' for a bullet; the printed number for an item of an ordered list."""
    parent = li.find_parent(["ol", "ul"])
    if parent is None or parent.name != "ol":
        return "-"
    try:
        start = int(parent.get("start", 1))
    except ValueError:
        start = 1
    siblings = [x for x in parent.find_all("li", recursive=False)]
    index = next((i for i, x in enumerate(siblings) if x is li), 0)
    return f"{start + index}."
