"""Strip conversion residue from report text: pure functions on strings.

Two jobs:
- to_conventions(text): whole-text fixes a text/Markdown reader applies so its output follows the
  SourceText conventions (footnote blocks as "[^N]: ", bullets as "- ", no rules or separators);
- clean_inline(text): what is left of Markdown and HTML inside a line never reaches the index
  (`**`, `<b>`, `<sup>`, `<p>`, `<input checked>`, links, footnote markers, escapes).
"""
from __future__ import annotations

import html
import re

SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
SUPERSCRIPT_TO_DIGIT = str.maketrans(SUPERSCRIPT_DIGITS, "1234567890")
# Characters converters use for bullets; "-" is the convention.
BULLET_CHARS = "■◼▪●•◦▸►➢✓\uf0b7\uf0a7\uf076"

MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
MD_LINK = re.compile(r"\[([^\]\n^][^\]\n]*)\]\([^)\n]*\)")
MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
# Footnote references: the "[^N]" convention, <sup>N</sup>, and superscript digits stuck to a word.
FOOTNOTE_REF = re.compile(
    r"\[\^\w+\]|<sup>\s*\d{1,2}\s*</sup>|(?<=[A-Za-z.,;:)’'])[" + SUPERSCRIPT_DIGITS + r"]+")
# Inline tags vanish without a trace ("30<sup>th</sup>" -> "30th"); block tags leave a space.
INLINE_TAG = re.compile(r"</?(?:b|i|em|strong|sup|sub|span|a|u|font|small|big|mark|abbr)\b[^>\n]*>",
                        re.I)
ANY_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>|<!--.*?-->")
MD_EMPHASIS = re.compile(r"\*\*|__")
MD_ITALIC = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
SPACES = re.compile(r"[ \t\u00a0\u2009\u200b]+")


def clean_inline(text: str) -> str:
    """Remove HTML tags, Markdown emphasis/links/escapes and footnote markers; tidy spaces."""
    text = MD_IMAGE.sub(r"\1", text)
    text = MD_LINK.sub(r"\1", text)
    text = MD_AUTOLINK.sub(r"\1", text)
    text = FOOTNOTE_REF.sub("", text)
    text = INLINE_TAG.sub("", text)
    text = ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    text = MD_EMPHASIS.sub("", text)
    text = MD_ITALIC.sub(r"\1", text)
    text = MD_ESCAPE.sub(r"\1", text)
    text = SPACES.sub(" ", text).strip()
    return re.sub(r" ([,.;:])(?=\s|$)", r"\1", text)


# --- whole-text conventions -----------------------------------------------------------------

FOOTNOTE_LINE_SUP = re.compile(r"^[ \t]*<sup>\s*(\d{1,2})\s*</sup>[ \t\u00a0]*(?=\S)", re.M)
FOOTNOTE_LINE_UNICODE = re.compile(r"^[ \t]*([" + SUPERSCRIPT_DIGITS + r"]{1,2})[ \t\u00a0]+(?=\S)", re.M)
BULLET_LINE = re.compile(r"^([ \t]*)[" + re.escape(BULLET_CHARS) + r"][ \t\u00a0]*(?=\S)", re.M)
# A horizontal rule or a Markdown table's separator row: "---", "------\t-----", "|---|---|".
# Groups are split by at least one space, so a line has one reading: the looser
# "(?:[-=_*|:]{2,}[ \t]*)+" backtracks exponentially on "------ ------ ... word".
RULE_LINE = re.compile(r"^[ \t]*[-=_*|:]{2,}(?:[ \t]+[-=_*|:]{2,})*[ \t]*$", re.M)
# A single line indented by one space and starting in lower case, alone in its block: a bullet
# whose marker the converter lost (" strengthen the arrangements ...").
LOST_BULLET = re.compile(r"(?:(?<=\n\n)|^) ([a-z])(?=[^\n]*(?:\n\n|\n?$))")


def to_conventions(text: str) -> str:
    """Rewrite converter residue that has a structural meaning into the SourceText conventions.

    Footnote texts ("<sup>1</sup> Text", "¹ Text") become "[^1]: Text" blocks; bullet characters
    become "- "; rules and table separator rows go. Inline residue is left for clean_inline."""
    text = FOOTNOTE_LINE_SUP.sub(lambda m: f"[^{m.group(1)}]: ", text)
    text = FOOTNOTE_LINE_UNICODE.sub(
        lambda m: f"[^{m.group(1).translate(SUPERSCRIPT_TO_DIGIT)}]: ", text)
    text = BULLET_LINE.sub(lambda m: m.group(1) + "- ", text)
    text = RULE_LINE.sub("", text)
    text = LOST_BULLET.sub(r"- \1", text)
    return text
