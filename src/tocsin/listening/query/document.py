"""A post as the matcher sees it: tokenised once, shared by every query it is tested against.

A :class:`Document` holds the *set* of the post's tokens: its words, ``@mentions``,
``#hashtags`` (each also as its bare word, so ``acme`` matches ``#acme``), the title's words
(also as ``title:word``), pseudo-tokens for its fields (``lang:fr``, ``platform:x``,
``author:jane``, ``url:acme.com``) and the wildcard patterns that one of its tokens matches
(``refund*``).  Almost every query is decided by set lookups; word positions are computed only
when a phrase or ``NEAR`` needs them.

Example::

    builder = DocumentBuilder(wildcards=[WildcardPattern.from_pattern("refund*")])
    doc = builder.build(MatchablePost("Still waiting for my REFUNDS #Acme", lang="en"))
    assert {"refund*", "#acme", "acme", "lang:en"} <= doc.tokens
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tocsin.listening.query.text import (
    FIELD_SEPARATOR,
    WILDCARD_MIN_PREFIX,
    WildcardPattern,
    field_token,
    normalise,
    normalise_handle,
    split_links,
    tokenize,
)

#: Title positions start this far after the text's, so no phrase or NEAR spans the two.
TITLE_OFFSET = 1_000_000

Positions = dict[str, list[int]]


@dataclass(frozen=True, slots=True)
class MatchablePost:
    """The parts of a post a listening query can test.

    ``lang`` is a language code (``fr``, ``pt-BR``), ``platform`` one of the canonical platform
    names (``x``, ``bluesky``…), ``author_handle`` the author's handle with or without ``@``,
    ``title`` the headline of an article, review or Reddit post.
    """

    text: str
    lang: str | None = None
    platform: str | None = None
    author_handle: str | None = None
    title: str | None = None


class Document:
    """The tokens of one post; see the module docstring for what ``tokens`` contains.

    ``complete`` is false while some wildcard patterns have not been resolved yet (see
    :meth:`DocumentBuilder.build`).
    """

    __slots__ = (
        "_positions",
        "_title_positions",
        "complete",
        "text_tokens",
        "title_tokens",
        "tokens",
    )

    def __init__(
        self,
        tokens: set[str],
        text_tokens: list[str],
        title_tokens: list[str],
        *,
        complete: bool = True,
    ) -> None:
        self.tokens = tokens
        self.text_tokens = text_tokens
        self.title_tokens = title_tokens
        self.complete = complete
        self._positions: Positions | None = None
        self._title_positions: Positions | None = None

    def positions(self, *, title_only: bool = False) -> Positions:
        """Where each token occurs: text first, then the title ``TITLE_OFFSET`` further on.

        A hashtag occupies one position under both spellings (``#acme`` and ``acme``).
        """
        if title_only:
            if self._title_positions is None:
                self._title_positions = _positions(self.title_tokens, 0)
            return self._title_positions
        if self._positions is None:
            found = _positions(self.text_tokens, 0)
            if self.title_tokens:
                for token, where in _positions(self.title_tokens, TITLE_OFFSET).items():
                    found.setdefault(token, []).extend(where)
            self._positions = found
        return self._positions


def _positions(tokens: list[str], offset: int) -> Positions:
    found: Positions = {}
    for index, token in enumerate(tokens, offset):
        found.setdefault(token, []).append(index)
        if token[0] == "#":
            found.setdefault(token[1:], []).append(index)
    return found


_Buckets = dict[str, list[WildcardPattern]]
#: Distinct (lang, platform) pairs remembered by a builder; posts carry only a few.
_FIELD_CACHE_SIZE = 4096


class DocumentBuilder:
    """Turns posts into documents, resolving the wildcard patterns it was given.

    Wildcards are filed by :func:`~tocsin.listening.query.text.wildcard_key`, so resolving them
    costs one look-up per token of the post, whatever the number of patterns.  Patterns named
    in ``eager`` are resolved by every :meth:`build`; the others can wait until
    :meth:`complete`, which a query set calls only for posts that have candidate queries (by
    default every pattern is eager).
    """

    __slots__ = ("_all", "_eager", "_fields")

    def __init__(
        self, *, wildcards: Iterable[WildcardPattern] = (), eager: Iterable[str] | None = None
    ) -> None:
        unique = {wildcard.pattern: wildcard for wildcard in wildcards}
        wanted = set(unique) if eager is None else set(eager) & set(unique)
        self._all = _file_patterns(unique.values())
        self._eager = (
            self._all
            if len(wanted) == len(unique)
            else _file_patterns(unique[pattern] for pattern in sorted(wanted))
        )
        self._fields: dict[tuple[str | None, str | None], tuple[str, ...]] = {}

    def build(self, post: MatchablePost, *, complete: bool = True) -> Document:
        """Tokenise ``post`` once; the result is reused by every query of a set.

        With ``complete=False`` only the eager wildcard patterns are resolved: enough to find
        candidate queries; call :meth:`complete` before evaluating them.
        """
        text = normalise(post.text)
        domains: list[str] = []
        if "http" in text or "www." in text:
            text, domains = split_links(text)
        text_tokens = tokenize(text)
        tokens = set(text_tokens)
        if "#" in text:
            tokens.update([token[1:] for token in text_tokens if token[0] == "#"])
        fielded: list[str] = []
        title_tokens: list[str] = []
        if post.title:
            title, title_domains = split_links(normalise(post.title))
            domains.extend(title_domains)
            title_tokens = tokenize(title)
            in_title = {*title_tokens, *(t[1:] for t in title_tokens if t[0] == "#")}
            tokens.update(in_title)
            fielded.extend(["title:" + token for token in in_title])
        if post.author_handle:
            fielded.append("author:" + normalise_handle(post.author_handle))
        if domains:
            fielded.extend(["url:" + domain for domain in domains])
        word_buckets, field_buckets = self._all if complete else self._eager
        if word_buckets:
            tokens.update(_matching(tokens, word_buckets, WILDCARD_MIN_PREFIX))
        if fielded:
            tokens.update(fielded)
            if field_buckets:
                tokens.update(_matching(fielded, field_buckets, None))
        if post.lang or post.platform:
            tokens.update(self._field_tokens(post.lang, post.platform))
        return Document(
            tokens, text_tokens, title_tokens, complete=complete or self._eager is self._all
        )

    def complete(self, document: Document) -> None:
        """Resolve the wildcard patterns :meth:`build` left out with ``complete=False``."""
        if not document.complete:
            word_buckets, field_buckets = self._all
            found = _matching(document.tokens, {**word_buckets, **field_buckets}, None)
            document.tokens.update(found)
            document.complete = True

    def _field_tokens(self, lang: str | None, platform: str | None) -> tuple[str, ...]:
        cached = self._fields.get((lang, platform))
        if cached is not None:
            return cached
        found: list[str] = []
        if lang:
            code = lang.strip().lower().replace("_", "-")
            found += [field_token("lang", code), field_token("lang", code.split("-", 1)[0])]
        if platform:
            found.append(field_token("platform", platform.strip().lower()))
        if len(self._fields) < _FIELD_CACHE_SIZE:
            self._fields[lang, platform] = tuple(found)
        return tuple(found)


def _file_patterns(wildcards: Iterable[WildcardPattern]) -> tuple[_Buckets, _Buckets]:
    """Patterns by key: those on words, and those on field pseudo-tokens (``author:acme*``)."""
    words: _Buckets = {}
    fields: _Buckets = {}
    for wildcard in wildcards:
        filed = fields if FIELD_SEPARATOR in wildcard.key else words
        filed.setdefault(wildcard.key, []).append(wildcard)
    return words, fields


def _matching(tokens: Iterable[str], buckets: _Buckets, key_size: int | None) -> list[str]:
    """The patterns in ``buckets`` that one of ``tokens`` matches.

    ``key_size`` is the length of every token's key when all tokens are words (no field
    prefix), which saves computing it.
    """
    found: list[str] = []
    for token in tokens:
        if key_size is None:
            key = token[: token.find(FIELD_SEPARATOR) + 1 + WILDCARD_MIN_PREFIX]  # wildcard_key
        else:
            key = token[:key_size]
        candidates = buckets.get(key)
        if candidates:
            found.extend([w.pattern for w in candidates if w.matches(token)])
    return found
