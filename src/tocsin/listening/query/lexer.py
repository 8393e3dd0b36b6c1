"""Cut a query into lexemes: parentheses, operators, phrases, fields and words.

Operators are upper-case (``AND``, ``OR``, ``NOT``, ``NEAR/3``, ``NEAR/3f``) so that the words
"and", "or", "not" and "near" stay searchable.  A ``-`` in front of a term excludes it like
``NOT``.  Phrases use straight or curly double quotes.  The lexer only finds the pieces; the
parser turns words into terms and checks how the pieces fit together.

Example::

    >>> [lexeme.kind for lexeme in lex('acme -"job offer" NEAR/3f lang:fr')]
    ['WORD', 'MINUS', 'PHRASE', 'NEAR', 'FIELD', 'EOF']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tocsin.listening.query.errors import QueryError

Kind = Literal[
    "LPAREN", "RPAREN", "AND", "OR", "NOT", "MINUS", "NEAR", "PHRASE", "WORD", "FIELD", "EOF"
]

#: Fields a query may test, and what each one is for (shown in error messages).
FIELDS = {
    "author": "the author's handle (author:@acme)",
    "lang": "the post's language (lang:fr)",
    "platform": "the platform (platform:bluesky)",
    "title": "a word or phrase in the title (title:recall)",
    "url": "the domain of a link (url:acme.com)",
}
#: Largest NEAR distance, in words.
MAX_NEAR = 100

_OPERATORS: dict[str, Kind] = {"AND": "AND", "OR": "OR", "NOT": "NOT"}
_OPEN_QUOTES = '"“„'
_CLOSE_QUOTES = '"”“'
_STOP = set("()") | set(_OPEN_QUOTES) | set(_CLOSE_QUOTES)
_NEAR = re.compile(r"NEAR/(\d+)([fF]?)")
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Lexeme:
    """One piece of the query and where it sits (``start`` inclusive, ``end`` exclusive).

    ``value`` is the phrase's inside, the word, or the field's value (empty when a quoted
    phrase follows, as in ``title:"big news"``); ``field`` names the field.
    """

    kind: Kind
    start: int
    end: int
    value: str = ""
    field: str = ""
    distance: int = 0
    ordered: bool = False

    @property
    def shown(self) -> str:
        """How to name the lexeme in a message."""
        return {"LPAREN": "'('", "RPAREN": "')'", "MINUS": "'-'", "EOF": "the end"}.get(
            self.kind, f"'{self.value}'"
        )


def lex(query: str) -> list[Lexeme]:
    """The lexemes of ``query``, ending with an ``EOF`` lexeme; raises :class:`QueryError`."""
    lexemes: list[Lexeme] = []
    index, size = 0, len(query)
    while index < size:
        char = query[index]
        if char.isspace():
            index += 1
        elif char in "()":
            kind: Kind = "LPAREN" if char == "(" else "RPAREN"
            lexemes.append(Lexeme(kind, index, index + 1, char))
            index += 1
        elif char in _OPEN_QUOTES:
            lexemes.append(_phrase(query, index))
            index = lexemes[-1].end
        elif char in _CLOSE_QUOTES:
            raise QueryError("a closing quote has no opening quote", index, query=query)
        elif char == "-":
            following = query[index + 1 : index + 2]
            if not following or following.isspace() or following == ")":
                raise QueryError(
                    "'-' must touch the term it excludes, as in -refund", index, query=query
                )
            lexemes.append(Lexeme("MINUS", index, index + 1, "-"))
            index += 1
        else:
            end = index
            while end < size and not query[end].isspace() and query[end] not in _STOP:
                end += 1
            lexemes.append(_word(query, index, end))
            index = end
    lexemes.append(Lexeme("EOF", size, size))
    return lexemes


def _phrase(query: str, start: int) -> Lexeme:
    for end in range(start + 1, len(query)):
        if query[end] in _CLOSE_QUOTES:
            return Lexeme("PHRASE", start, end + 1, query[start + 1 : end])
    raise QueryError(
        'this quote is never closed: add a closing "', start, query=query, length=len(query) - start
    )


def _word(query: str, start: int, end: int) -> Lexeme:
    raw = query[start:end]
    operator = _OPERATORS.get(raw)
    if operator is not None:
        return Lexeme(operator, start, end, raw)
    if raw == "NEAR" or raw.startswith("NEAR/"):
        near = _NEAR.fullmatch(raw)
        if near is None:
            raise QueryError(
                "NEAR needs a distance in words, as in NEAR/3 (or NEAR/3f for this order only)",
                start,
                query=query,
                length=end - start,
            )
        distance = int(near.group(1))
        if distance > MAX_NEAR:
            raise QueryError(
                f"NEAR distance is {MAX_NEAR} words at most", start, query=query, length=end - start
            )
        return Lexeme("NEAR", start, end, raw, distance=distance, ordered=bool(near.group(2)))
    field = _FIELD.fullmatch(raw)
    if field is None:
        return Lexeme("WORD", start, end, raw)
    name, value = field.group(1).lower(), field.group(2)
    if name in ("http", "https"):
        raise QueryError(
            "to match links, write the domain as url:acme.com",
            start,
            query=query,
            length=end - start,
        )
    if name not in FIELDS:
        known = ", ".join(f"{field}:" for field in FIELDS)
        raise QueryError(
            f"unknown field '{name}:'; the fields are {known} (quote the text to search for it)",
            start,
            query=query,
            length=len(name) + 1,
        )
    next_char = query[end : end + 1]
    if not value and not (next_char and next_char in _OPEN_QUOTES and name == "title"):
        message = f"'{name}:' needs a value: {FIELDS[name]}"
        if next_char == "(":
            message = f"'{name}:' takes one value, not a group: write ({name}:a OR {name}:b)"
        raise QueryError(message, start, query=query, length=end - start)
    return Lexeme("FIELD", start, end, value, field=name)
