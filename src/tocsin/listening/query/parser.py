"""Parse a query into a syntax tree, normalising every term on the way.

Precedence, tightest first: ``NEAR/n``, ``NOT`` (and ``-``), ``AND`` (also implied between
adjacent terms), ``OR``.  So ``a OR b c -d`` reads ``a OR (b AND c AND NOT d)``.

Leaves carry the token they look for, already normalised exactly as post text is: a word
``Crème`` becomes :class:`Term` ``creme``, a word that splits (``t-shirt``) a :class:`Phrase`,
``refund*`` a :class:`Wildcard`, and fields become terms on pseudo-tokens (``lang:fr``).

Example::

    >>> parse('acme NOT "job offer"')
    And(items=(Term(...'acme'...), Not(...Phrase(words=('job', 'offer')...)...)...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tocsin.ingestion.schemas import PLATFORMS
from tocsin.listening.query.errors import QueryError
from tocsin.listening.query.lexer import Kind, Lexeme, lex
from tocsin.listening.query.text import (
    WILDCARD_MIN_PREFIX,
    field_token,
    normalise,
    normalise_handle,
    tokenize,
)

#: Deepest nesting of parentheses and NOTs accepted.
MAX_DEPTH = 50
_PLATFORM_ALIASES = {"twitter": "x", "fb": "facebook", "ig": "instagram"}
_LANG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_DOMAIN = re.compile(r"[\w\-]+(\.[\w\-]+)*")
_WORD_BODY = re.compile(r"[\w?]+")
_HANDLE_BODY = re.compile(r"[\w.\-@?]+")
_NEAR_OPERANDS = (
    "NEAR links words, phrases, wildcards or (… OR …) groups of them, not fields, NOT or AND"
)
_OPERAND_STARTS: frozenset[Kind] = frozenset({"WORD", "PHRASE", "FIELD", "LPAREN", "NOT", "MINUS"})


@dataclass(frozen=True, slots=True)
class Term:
    """One token: a word, ``@handle``, ``#hashtag``, emoji, or a field's ``name:value``."""

    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A token pattern such as ``refund*``, ``colo?r`` or ``author:acme*``."""

    pattern: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive tokens, in the text and title, or in the title only."""

    words: tuple[str, ...]
    start: int
    end: int
    title_only: bool = False


@dataclass(frozen=True, slots=True)
class Near:
    """``left`` and ``right`` at most ``distance`` words apart; ``ordered``: left comes first."""

    left: Node
    right: Node
    distance: int
    ordered: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]
    start: int
    end: int


Node = Term | Wildcard | Phrase | Near | Not | And | Or


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises :class:`QueryError` with the problem's position."""
    return _Parser(query, lex(query)).parse()


def is_positional(node: Node) -> bool:
    """Whether ``node`` has a place in the text, so it can be an operand of NEAR."""
    if isinstance(node, Term | Wildcard):
        key = node.key if isinstance(node, Term) else node.pattern
        return ":" not in key
    if isinstance(node, Phrase):
        return not node.title_only
    if isinstance(node, Or):
        return all(is_positional(item) for item in node.items)
    return isinstance(node, Near)


class _Parser:
    def __init__(self, query: str, lexemes: list[Lexeme]) -> None:
        self.query = query
        self.lexemes = lexemes
        self.index = 0
        self.depth = 0

    def error(self, message: str, start: int, end: int | None = None) -> QueryError:
        length = 1 if end is None else end - start
        return QueryError(message, start, query=self.query, length=length)

    def peek(self) -> Lexeme:
        return self.lexemes[self.index]

    def take(self) -> Lexeme:
        lexeme = self.lexemes[self.index]
        self.index += 1
        return lexeme

    def parse(self) -> Node:
        if self.peek().kind == "EOF":
            raise self.error('the query is empty: type a word, a "phrase" or an @handle', 0)
        node = self.or_()
        extra = self.peek()
        if extra.kind == "RPAREN":
            raise self.error("this ')' closes nothing: remove it or add a '(' before", extra.start)
        if extra.kind != "EOF":  # pragma: no cover - every other lexeme starts or joins a term
            raise self.error(f"unexpected {extra.shown}", extra.start, extra.end)
        return node

    def needs_right(self, operator: Lexeme) -> None:
        following = self.peek()
        if following.kind not in _OPERAND_STARTS:
            name = "NOT" if operator.kind == "MINUS" else operator.value
            where = "after it" if operator.kind in ("NOT", "MINUS") else "on its right"
            raise self.error(
                f"'{name}' needs a term {where}, found {following.shown}",
                operator.start,
                operator.end,
            )

    def or_(self) -> Node:
        items = [self.and_()]
        while self.peek().kind == "OR":
            self.needs_right(self.take())
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items), items[0].start, items[-1].end)

    def and_(self) -> Node:
        items = [self.unary()]
        while True:
            kind = self.peek().kind
            if kind == "AND":
                self.needs_right(self.take())
            elif kind not in _OPERAND_STARTS:
                break
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items), items[0].start, items[-1].end)

    def unary(self) -> Node:
        if self.peek().kind not in ("NOT", "MINUS"):
            return self.near()
        operator = self.take()
        self.needs_right(operator)
        self.enter(operator)
        operand = self.unary()
        self.depth -= 1
        if isinstance(operand, Not):  # NOT NOT x is x, and x can then be indexed
            return operand.operand
        return Not(operand, operator.start, operand.end)

    def enter(self, lexeme: Lexeme) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"the query nests more than {MAX_DEPTH} levels deep", lexeme.start)

    def near(self) -> Node:
        left = self.primary()
        while self.peek().kind == "NEAR":
            operator = self.take()
            following = self.peek()
            if following.kind in ("NOT", "MINUS"):
                raise self.error(_NEAR_OPERANDS, following.start, following.end)
            self.needs_right(operator)
            right = self.primary()
            for side in (left, right):
                if not is_positional(side):
                    raise self.error(_NEAR_OPERANDS, side.start, side.end)
            left = Near(left, right, operator.distance, operator.ordered, left.start, right.end)
        return left

    def primary(self) -> Node:
        lexeme = self.take()
        if lexeme.kind == "LPAREN":
            if self.peek().kind == "RPAREN":
                raise self.error("empty parentheses: put terms inside or remove them", lexeme.start)
            self.enter(lexeme)
            node = self.or_()
            self.depth -= 1
            if self.take().kind != "RPAREN":
                raise self.error("this '(' is never closed: add a ')'", lexeme.start)
            return node
        if lexeme.kind == "WORD":
            return self.word(lexeme.value, lexeme.start, lexeme.end)
        if lexeme.kind == "PHRASE":
            return self.phrase(lexeme, title_only=False)
        if lexeme.kind == "FIELD":
            return self.field(lexeme)
        if lexeme.kind == "EOF":
            raise self.error("the query ends where a term is expected", lexeme.start)
        if lexeme.kind == "RPAREN":
            raise self.error("a term is missing before this ')'", lexeme.start)
        raise self.error(
            f"{lexeme.shown} needs a term on its left", lexeme.start, lexeme.end
        )  # AND, OR, NEAR with nothing before them

    def phrase(self, lexeme: Lexeme, *, title_only: bool) -> Node:
        words = tuple(tokenize(normalise(lexeme.value)))
        if not words:
            raise self.error("empty phrase: put words between the quotes", lexeme.start, lexeme.end)
        if len(words) > 1:
            return Phrase(words, lexeme.start, lexeme.end, title_only)
        key = field_token("title", words[0]) if title_only else words[0]
        return Term(key, lexeme.start, lexeme.end)

    def word(self, raw: str, start: int, end: int, *, prefix: str = "") -> Node:
        if "*" in raw or "?" in raw:
            return self.wildcard(raw, start, end, prefix=prefix)
        if raw.lower().startswith("www."):
            raise self.error("to match links, write the domain as url:acme.com", start, end)
        words = tuple(tokenize(normalise(raw)))
        if not words:
            raise self.error(
                f"'{raw}' has nothing to search for: use words, emoji, @handles or #hashtags",
                start,
                end,
            )
        if len(words) > 1:
            return Phrase(words, start, end, title_only=bool(prefix))
        return Term(prefix + words[0], start, end)

    def wildcard(self, raw: str, start: int, end: int, *, prefix: str = "") -> Wildcard:
        offset = end - len(raw)
        star = raw.find("*")
        if star not in (-1, len(raw) - 1):
            raise self.error("'*' can only end a word, as in refund*", offset + star)
        first = min(i for i in (raw.find("*"), raw.find("?")) if i >= 0)
        text = normalise(raw)
        sigil = text[0] if text[0] in "#@" else ""
        body = text[len(sigil) :].rstrip("*")
        if len(body.split("?", 1)[0]) < WILDCARD_MIN_PREFIX:
            raise self.error(
                f"wildcard too short: put at least {WILDCARD_MIN_PREFIX} letters before '*' or '?'",
                offset + first,
            )
        shape = _HANDLE_BODY if sigil == "@" else _WORD_BODY
        if not shape.fullmatch(body):
            raise self.error(
                "a wildcard applies to one word: quote phrases and drop punctuation",
                offset,
                offset + len(raw),
            )
        return Wildcard(prefix + text, start, end)

    def field(self, lexeme: Lexeme) -> Node:
        name, value, start, end = lexeme.field, lexeme.value, lexeme.start, lexeme.end
        at = end - len(value)
        if name == "title":
            if not value:
                return self.phrase(self.take(), title_only=True)
            return self.word(value, start, end, prefix=field_token("title", ""))
        if name == "author":
            handle = normalise_handle(value)
            if handle.endswith("*") and _HANDLE_BODY.fullmatch(handle[:-1]):
                if len(handle) - 1 < WILDCARD_MIN_PREFIX:
                    raise self.error("wildcard too short: put at least 3 characters before '*'", at)
                return Wildcard(field_token(name, handle), start, end)
            if not _HANDLE_BODY.fullmatch(handle) or "?" in handle:
                raise self.error("author: needs a handle, as in author:@acme", at, end)
            return Term(field_token(name, handle), start, end)
        if name == "url":
            domain = re.sub(r"^(https?://)?(www\.)?", "", value.lower()).rstrip("/")
            if domain.endswith("*") and _DOMAIN.fullmatch(domain[:-1]):
                if len(domain) - 1 < WILDCARD_MIN_PREFIX:
                    raise self.error("wildcard too short: put at least 3 characters before '*'", at)
                return Wildcard(field_token(name, domain), start, end)
            if not _DOMAIN.fullmatch(domain) or "." not in domain:
                raise self.error("url: needs a domain such as acme.com (no path)", at, end)
            return Term(field_token(name, domain), start, end)
        code = value.lower().replace("_", "-")
        if name == "lang":
            if not _LANG.fullmatch(code):
                raise self.error("lang: needs a language code such as fr, en or pt-br", at, end)
            return Term(field_token(name, code), start, end)
        code = _PLATFORM_ALIASES.get(code, code)
        if code not in PLATFORMS:
            raise self.error(
                f"unknown platform '{value}'; the platforms are {', '.join(PLATFORMS)}", at, end
            )
        return Term(field_token(name, code), start, end)
