"""The query language users type, parsed into a small tree. Pure functions: no index, no Whoosh.

    return home interviews        words: paragraphs with every word rank first, but a paragraph
                                  missing a word is still found
    "core groups"                 a phrase (required, like a search engine's quotes)
    CSE OR "sexual exploitation"  either side (OR binds tighter than the space between words)
    adoption AND timeliness       both required
    NOT agency, -agency           excluded
    +timeliness                   required
    (a OR b) c                    brackets group
    assess*                       wildcard (at least two letters before the first *)
    authority:halton section:"children in care" grade:good year:2015 type:"focused visit"
                                  field prefixes: restrict to a facet value (case-insensitive;
                                  a value that is not a whole facet value matches every value
                                  containing it, so section:care means any section with "care")

A malformed query never raises: an unclosed quote or bracket is closed at the end, a stray ")"
or an operator with nothing to apply to is dropped, control characters become spaces and an
over-long query is cut. Each repair is reported as a notice for the user.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional, Union

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 40
MIN_WILDCARD_PREFIX = 2

# field prefix as typed -> facet name
FIELDS = {
    "authority": "authority", "la": "authority",
    "section": "section",
    "grade": "grade", "judgement": "grade",
    "year": "year",
    "report_type": "report_type", "type": "report_type", "report-type": "report_type",
}
OPERATORS = {"OR", "AND", "NOT"}
QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
          "\u2018": "'", "\u2019": "'"}


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Wildcard:
    pattern: str  # lower case, "*" matches any run of characters


@dataclass(frozen=True)
class FieldTerm:
    field: str    # a facet name (see FIELDS)
    value: str


@dataclass(frozen=True)
class Concept:
    """Consecutive words of the query that name a glossary concept (see indexer/query/glossary.py)."""
    words: tuple[Word, ...]
    forms: tuple[str, ...]      # the concept's other names, searched with less weight
    related: tuple[str, ...] = ()  # related terms, searched with even less weight
    label: str = ""             # the words as typed


@dataclass(frozen=True)
class Not:
    item: "Node"


@dataclass(frozen=True)
class Required:
    item: "Node"


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Group:
    """Words side by side: a soft AND (all matching ranks first, any matching is found)."""
    items: tuple["Node", ...]


Node = Union[Word, Phrase, Wildcard, FieldTerm, Concept, Not, Required, Or, And, Group]


@dataclass
class ParsedQuery:
    tree: Group
    notices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.tree.items


# ---------------------------------------------------------------------------------------------
# Tokens

@dataclass(frozen=True)
class _Tok:
    kind: str          # word | phrase | field | op | lparen | rparen
    text: str = ""
    prefix: str = ""   # "-" or "+" typed before the token
    field: str = ""


def clean(text: str, notices: list[str]) -> str:
    """Control characters to spaces, typographic quotes to plain ones, length capped."""
    if text is None:
        return ""
    text = "".join(QUOTES.get(ch, ch) for ch in str(text))
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
                      for ch in text)
    if len(cleaned) > MAX_QUERY_CHARS:
        cut = cleaned[:MAX_QUERY_CHARS]
        cut = cut[:cut.rfind(" ")] if " " in cut[MAX_QUERY_CHARS // 2:] else cut
        notices.append(f"The query was cut to its first {len(cut)} characters.")
        cleaned = cut
    return cleaned


_WORD_END = re.compile(r'[\s()"]')


def tokenize(text: str, notices: list[str]) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "(":
            toks.append(_Tok("lparen"))
            i += 1
            continue
        if ch == ")":
            toks.append(_Tok("rparen"))
            i += 1
            continue
        prefix = ""
        if ch in "-+" and i + 1 < n and not text[i + 1].isspace():
            prefix, i = ch, i + 1
            ch = text[i]
            if ch in "-+":  # "--x", "+-x": one prefix is enough
                while i < n and text[i] in "-+":
                    i += 1
                if i >= n:
                    break
                ch = text[i]
            if ch in "()":
                if ch == "(":
                    toks.append(_Tok("lparen", prefix=prefix))
                    i += 1
                continue
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                notices.append('A quote was not closed; it was closed at the end of the query.')
                end = n
            toks.append(_Tok("phrase", text[i + 1:end], prefix))
            i = end + 1
            continue
        m = _WORD_END.search(text, i)
        end = m.start() if m else n
        word = text[i:end]
        i = end
        name, colon, value = word.partition(":")
        if colon and name.lower() in FIELDS:
            fname = FIELDS[name.lower()]
            if not value and i < n and text[i] == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    notices.append('A quote was not closed; it was closed at the end of the query.')
                    close = n
                value, i = text[i + 1:close], close + 1
            if value.strip():
                toks.append(_Tok("field", value.strip(), prefix, fname))
            else:
                notices.append(f'"{name}:" needs a value after the colon; it was ignored.')
            continue
        if word in OPERATORS and not prefix:
            toks.append(_Tok("op", word))
        elif word == "&&":
            toks.append(_Tok("op", "AND"))
        elif word == "||":
            toks.append(_Tok("op", "OR"))
        else:
            toks.append(_Tok("word", word, prefix))
    return toks


# ---------------------------------------------------------------------------------------------
# Parser: sequence := (or)* ; or := and (OR and)* ; and := unary (AND unary)* ;
#         unary := NOT unary | primary ; primary := ( sequence ) | phrase | field | word

class _Parser:
    def __init__(self, toks: list[_Tok], notices: list[str]):
        self.toks, self.i, self.notices = toks, 0, notices
        self.clauses = 0

    def peek(self) -> Optional[_Tok]:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)

    def sequence(self, depth: int) -> Group:
        items: list[Node] = []
        while True:
            tok = self.peek()
            if tok is None:
                if depth:
                    self.note("A bracket was not closed; it was closed at the end of the query.")
                break
            if tok.kind == "rparen":
                self.take()
                if depth:
                    break
                self.note('A ")" without a matching "(" was ignored.')
                continue
            if tok.kind == "op" and tok.text in ("OR", "AND"):
                self.take()
                self.note(f'"{tok.text}" needs words on both sides; it was ignored.')
                continue
            item = self.or_()
            if item is not None and _same_key(item) not in map(_same_key, items):
                items.append(item)  # a repeated word adds nothing but cost: searched once
        return Group(tuple(items))

    def or_(self) -> Optional[Node]:
        return self.chain("OR", self.and_, Or)

    def and_(self) -> Optional[Node]:
        return self.chain("AND", self.unary, And)

    def chain(self, op: str, operand, node_type) -> Optional[Node]:
        """`operand (op operand)*`, flattened into one `node_type` node."""
        left = operand()
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == op:
            self.take()
            right = operand()
            if right is None:
                self.note(f'"{op}" needs words on both sides; it was ignored.')
                break
            if left is None:
                left = right
                continue
            left = node_type((left.items if isinstance(left, node_type) else (left,)) + (right,))
        return left

    def unary(self) -> Optional[Node]:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "NOT":
            self.take()
            item = self.unary()
            if item is None:
                self.note('"NOT" needs a word after it; it was ignored.')
                return None
            return _negate(item)
        return self.primary()

    def primary(self) -> Optional[Node]:
        tok = self.peek()
        if tok is None or tok.kind in ("op", "rparen"):
            return None
        self.take()
        if tok.kind == "lparen":
            group = self.sequence(depth=1)
            node: Optional[Node] = _simplify(group)
        elif tok.kind == "phrase":
            node = self.phrase(tok.text)
        elif tok.kind == "field":
            node = FieldTerm(tok.field, tok.text)
        else:
            node = self.word(tok.text)
        if node is None:
            return None
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            self.note(f"Only the first {MAX_CLAUSES} words of the query were searched.")
            self.i = len(self.toks)
            return None
        if tok.prefix == "-":
            return _negate(node)
        if tok.prefix == "+":
            return Required(node)
        return node

    def phrase(self, text: str) -> Optional[Node]:
        words = text.split()
        if not words:
            return None
        if len(words) == 1 and "*" in words[0]:
            return self.word(words[0])
        return Phrase(" ".join(words))

    def word(self, text: str) -> Optional[Node]:
        if "*" in text:
            pattern = re.sub(r"\*+", "*", text.lower()).strip("?!.,;:")
            if pattern == "*":
                self.note('A lone "*" matches everything; it was ignored.')
                return None
            stem = pattern.split("*", 1)[0]
            if len(re.sub(r"\W", "", stem)) < MIN_WILDCARD_PREFIX:
                self.note(f'"{text}" is too broad: a wildcard needs at least '
                          f'{MIN_WILDCARD_PREFIX} letters before the "*". It was searched '
                          'as a word.')
                text = text.replace("*", " ").strip()
                return Word(text) if re.search(r"\w", text) else None
            return Wildcard(pattern)
        text = text.strip("?!.,;:")
        if not re.search(r"\w", text):
            return None
        return Word(text)


def _same_key(node: Node):
    """Nodes that search for the same thing compare equal (words and phrases ignore case)."""
    return type(node)(node.text.lower()) if isinstance(node, (Word, Phrase)) else node


def _negate(node: Node) -> Node:
    return node.item if isinstance(node, Not) else Not(node)


def _simplify(group: Group) -> Optional[Node]:
    if not group.items:
        return None
    if len(group.items) == 1:
        return group.items[0]
    return group


def parse(text: str) -> ParsedQuery:
    """The best sensible reading of whatever the user typed; never raises."""
    notices: list[str] = []
    toks = tokenize(clean(text, notices), notices)
    parser = _Parser(toks, notices)
    tree = parser.sequence(depth=0)
    if tree.items and all(isinstance(i, Not) for i in tree.items) and not _has_fields(tree):
        notices.append("Only excluded words were given, so every other paragraph matches.")
    return ParsedQuery(tree, notices)


# The words of a sentence or question typed into the search box ("how are young carers identified
# and supported", "are brothers and sisters placed together when they come into care") that
# name no topic: question words, pronouns, auxiliaries, prepositions and quantifiers. They are
# not the index's stop words (Whoosh's short list keeps them; inspectors write "how well",
# "during the pandemic"), so paragraphs keep them, but searched, a question's "how" or "into"
# would weigh as one of its rarest words, as if it were the point. "well", "often", "many",
# "much", "far" and "long" name no topic straight after "how" or "as" ("as well as other
# children", "as long as"), and only there. A word of a glossary
# term ("looked after children", "out of hours") is part of the term, not a filler.
FILLER_WORDS = frozenset("""
    how what why where which who whom whose whether do does did doing they them their theirs
    there these those its our ours i me my he she his her him been being was were has had having
    would should could shall might must than so
    about above across against along among around before behind below beneath beside between
    beyond during into onto since through throughout toward towards until upon within without
    also both each either every few more most other same such too very just only any all
    really actually quite rather truly
""".split())
# A contraction of a pronoun or an auxiliary ("won't", "don't", "isn't", "they're", "we've",
# "it's", "what's") names no topic either; the index's tokenizer would cut it to a word it is
# not ("won", "don", "isn"), rare in the reports, that a question would weigh as its point.
_CONTRACTION = re.compile(r"[a-z]+(?:n't|'re|'ve|'m|'ll|'d)")
_IS_OR_HAS = frozenset("it that this let".split())  # "it's", "that's", "let's"
DEGREE_WORDS = frozenset("well often many much far long".split())
DEGREE_OPENERS = frozenset(("how", "as"))

# The light verbs of English (get, make, take, come, go, give, put, keep, in every form): in a
# question they carry little of its topic ("what help do children get after ...", "are children
# kept on plans too long", "do care leavers get help to go to university"), the noun beside them
# carries it. Inspectors rarely write them, so searched at their rarity one would weigh as the
# question's point and scale its topic words down. They are searched (they still order
# paragraphs that match alike) at the weight of a word found everywhere, and do not set the
# query's scale (engine/compiler.py). Only typed loose: inside a glossary term ("go missing",
# "staying put") a word is part of the term.
LIGHT_VERBS = frozenset("""
    get gets got getting gotten make makes made making take takes took taken taking
    come comes came coming go goes went gone going give gives gave given giving
    put puts putting keep keeps kept keeping
""".split())
# The adverbs of time, frequency and hedging ("is a foster home still safe once the carers have
# been approved", "why are children never adopted") are weighed the same way, for the same
# reason: they say when or how sure, not what about, and inspectors rarely write them.
LIGHT_ADVERBS = frozenset("""
    still once already yet ever even again always never sometimes usually often
    perhaps maybe probably
""".split())
LIGHT_WORDS = LIGHT_VERBS | LIGHT_ADVERBS


def without_filler_words(tree: Group) -> Group:
    """The top-level group without the words that name no topic (FILLER_WORDS), unless nothing
    else would be left. Only words typed loose: a quoted phrase, a required or excluded word and
    anything in brackets or an OR are searched as typed."""
    items, previous, dropped = [], None, False
    for item in tree.items:
        word = item.text.lower().replace("\u2019", "'") if isinstance(item, Word) else None
        if _is_filler(word) or (word in DEGREE_WORDS and previous in DEGREE_OPENERS):
            dropped = True
        else:
            items.append(item)
        previous = word
    # Filters and exclusions search nothing by themselves: left with only those, keep the words.
    if not dropped or all(isinstance(i, (FieldTerm, Not)) for i in items):
        return tree
    return Group(tuple(items))


def _is_filler(word: Optional[str]) -> bool:
    if word is None:
        return False
    if word in FILLER_WORDS or _CONTRACTION.fullmatch(word):
        return True
    return word.endswith("'s") and (word[:-2] in FILLER_WORDS or word[:-2] in _IS_OR_HAS)


def _has_fields(node: Node) -> bool:
    return any(isinstance(n, FieldTerm) for n in walk(node))


def walk(node: Node):
    """Every node of the tree, depth first."""
    yield node
    if isinstance(node, (Group, Or, And)):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, (Not, Required)):
        yield from walk(node.item)
    elif isinstance(node, Concept):
        yield from node.words


def to_text(node: Node) -> str:
    """The tree written back in the query language (used for "did you mean" and debugging)."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Wildcard):
        return node.pattern
    if isinstance(node, FieldTerm):
        value = f'"{node.value}"' if re.search(r"[\s()]", node.value) else node.value
        return f"{node.field}:{value}"
    if isinstance(node, Concept):
        return " ".join(w.text for w in node.words)
    if isinstance(node, Not):
        return "-" + _bracketed(node.item)
    if isinstance(node, Required):
        return "+" + _bracketed(node.item)
    if isinstance(node, Or):
        return " OR ".join(_bracketed(i) for i in node.items)
    if isinstance(node, And):
        return " AND ".join(_bracketed(i) for i in node.items)
    return " ".join(_bracketed(i) for i in node.items)


def _bracketed(node: Node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, (Group, Or, And)) and len(node.items) > 1 else text
