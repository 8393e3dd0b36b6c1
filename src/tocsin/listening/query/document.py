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
    """The tokens of one post; see the module docstring for what ``tokens`` contains."""

    __slots__ = ("_positions", "_title_positions", "text_tokens", "title_tokens", "tokens")

    def __init__(self, tokens: set[str], text_tokens: list[str], title_tokens: list[str]) -> None:
        self.tokens = tokens
        self.text_tokens = text_tokens
        self.title_tokens = title_tokens
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


class DocumentBuilder:
    """Turns posts into documents, resolving the wildcard patterns it was given.

    Wildcards are filed by :func:`~tocsin.listening.query.text.wildcard_key`, so resolving them costs one dictionary look-up
    per token of the post, whatever the number of patterns.
    """

    __slots__ = ("_buckets",)

    def __init__(self, *, wildcards: Iterable[WildcardPattern] = ()) -> None:
        buckets: dict[str, list[WildcardPattern]] = {}
        seen: set[str] = set()
        for wildcard in wildcards:
            if wildcard.pattern not in seen:
                seen.add(wildcard.pattern)
                buckets.setdefault(wildcard.key, []).append(wildcard)
        self._buckets = buckets

    def build(self, post: MatchablePost) -> Document:
        """Tokenise ``post`` once; the result is reused by every query of a set."""
        text, domains = split_links(normalise(post.text))
        text_tokens = tokenize(text)
        tokens = set(text_tokens)
        if "#" in text:
            tokens.update([token[1:] for token in text_tokens if token[0] == "#"])
        title_tokens: list[str] = []
        if post.title:
            title, title_domains = split_links(normalise(post.title))
            domains.extend(title_domains)
            title_tokens = tokenize(title)
            in_title = {*title_tokens, *(t[1:] for t in title_tokens if t[0] == "#")}
            tokens.update(in_title)
            tokens.update([field_token("title", token) for token in in_title])
        if post.lang:
            lang = post.lang.strip().lower().replace("_", "-")
            tokens.add(field_token("lang", lang))
            tokens.add(field_token("lang", lang.split("-", 1)[0]))
        if post.platform:
            tokens.add(field_token("platform", post.platform.strip().lower()))
        if post.author_handle:
            tokens.add(field_token("author", normalise_handle(post.author_handle)))
        if domains:
            tokens.update([field_token("url", domain) for domain in domains])
        if self._buckets:
            tokens.update(self._matching_wildcards(tokens))
        return Document(tokens, text_tokens, title_tokens)

    def _matching_wildcards(self, tokens: set[str]) -> list[str]:
        buckets = self._buckets
        found: list[str] = []
        for token in tokens:
            # wildcard_key(token), inlined: this loop runs for every token of every post
            candidates = buckets.get(token[: token.find(":") + 1 + WILDCARD_MIN_PREFIX])
            if candidates:
                found.extend(w.pattern for w in candidates if w.matches(token))
        return found
