"""Normalisation and tokenisation shared by queries and posts.

A query term matches a post when both normalise to the same token, so the two sides go through
exactly these functions.  Normalising is Unicode NFKD, then dropping combining marks, format
characters (zero-width spaces, soft hyphens) and emoji skin tones, then ``casefold`` and a few
letters NFKD leaves whole (``œ`` → ``oe``, ``ø`` → ``o``, ``ł`` → ``l``…).  Tokens are words
(``\\w+``), ``@handles`` (dots and hyphens inside, ``@user@instance`` for Mastodon), ``#hashtags``,
flags and single emoji.  Links are taken out of the text and kept as their domains.

Example::

    >>> tokenize(normalise("CRÈME Brûlée 😍🏽 @Acme.bsky.social #Straße"))
    ['creme', 'brulee', '😍', '@acme.bsky.social', '#strasse']
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

_LETTERS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_EMOJI = (
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff"
    "\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122"
)
_MENTION = r"@\w+(?:[.\-]\w+)*(?:@\w+(?:[.\-]\w+)+)?"
_ASCII_TOKEN = re.compile(rf"\w+|(?<![\w@]){_MENTION}|(?<![\w&])#\w+")
_TOKEN = re.compile(rf"{_ASCII_TOKEN.pattern}|[\U0001f1e6-\U0001f1ff]{{2}}|[{_EMOJI}]")
_URL = re.compile(r"(?:https?://|(?<![\w.])www\.)[^\s<>\"']+")
_HOST = re.compile(r"(?:https?://)?(?:www\.)?([\w\-]+(?:\.[\w\-]+)*)")

#: Marks that a field pseudo-token starts with (``lang:fr``); text tokens never contain ``:``.
FIELD_SEPARATOR = ":"
#: Characters a wildcard pattern needs before its first ``*`` or ``?`` (after ``#``, ``@`` or
#: a field name), so that every pattern has a 3-character key to be looked up by.
WILDCARD_MIN_PREFIX = 3


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_SEPARATORS = str.maketrans(
    {chr(code): " " for code in range(128) if not (chr(code).isalnum() or chr(code) == "_")}
)


@cache
def _invisible() -> dict[int, None]:
    """Combining and enclosing marks, format characters and skin tones, mapped to nothing.

    Built on first use (about 60 ms) rather than at import; every such character lives below
    U+20000 or in the U+E0000 block (tags and variation selectors).
    """
    codes = (*range(0x80, 0x20000), *range(0xE0000, min(0xE1000, sys.maxunicode + 1)))
    wanted = {"Mn", "Me", "Cf"}
    dropped: dict[int, None] = {c: None for c in codes if unicodedata.category(chr(c)) in wanted}
    dropped.update(dict.fromkeys(range(0x1F3FB, 0x1F400)))
    return dropped


def _fold_run(run: re.Match[str]) -> str:
    return run.group().translate(_invisible()).casefold().translate(_LETTERS)


def normalise(text: str) -> str:
    """Fold case, accents, compatibility forms, ligatures: ``"Crème ﬁne ẞ"`` → ``"creme fine ss"``.

    ASCII text (most posts) takes a fast path: ``lower()`` is ``casefold()`` there.  Otherwise
    only the runs of non-ASCII characters go through the slower per-character steps.
    """
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(_fold_run, unicodedata.normalize("NFKD", text).lower())


def tokenize(normalised: str) -> list[str]:
    """Split normalised text into tokens, in order, dropping punctuation (take links out first
    with :func:`split_links`, or their pieces become words).

    Normalised text is mostly ASCII (accents are gone).  ASCII without ``@`` or ``#`` is split
    by ``str.translate`` and ``str.split``, other ASCII by an expression without the emoji
    classes; both give the same tokens as the full expression, faster.
    """
    if not normalised.isascii():
        return _TOKEN.findall(normalised)
    if "@" in normalised or "#" in normalised:
        return _ASCII_TOKEN.findall(normalised)
    return normalised.translate(_ASCII_SEPARATORS).split()


def split_links(normalised: str) -> tuple[str, list[str]]:
    """Take the links out of ``normalised`` text: the text without them, and each link's domains.

    A link to ``https://shop.acme.com/x`` yields ``shop.acme.com`` and ``acme.com`` so that
    ``url:acme.com`` matches links to any of its subdomains; ``www.`` is ignored.
    """
    if "http" not in normalised and "www." not in normalised:
        return normalised, []
    domains: list[str] = []
    for link in _URL.findall(normalised):
        host = _HOST.match(link)
        if host is None:
            continue
        labels = host.group(1).strip(".-").split(".")
        domains.extend(".".join(labels[i:]) for i in range(len(labels) - 1))
    return _URL.sub(" ", normalised), domains


def normalise_handle(handle: str) -> str:
    """An account handle as fields compare it: no leading ``@``, folded like text."""
    return normalise(handle.strip()).lstrip("@")


def field_token(field: str, value: str) -> str:
    """The pseudo-token a post carries for a field value: ``field_token("lang", "fr")``."""
    return f"{field}{FIELD_SEPARATOR}{value}"


def wildcard_key(token: str) -> str:
    """The bucket a token or a wildcard pattern is filed under: 3 characters after any prefix.

    ``refunds`` → ``ref``, ``#acmefail`` → ``#ac``, ``author:acme_support`` → ``author:acm``.
    A pattern and every token it can match share the same key.
    """
    return token[: token.find(FIELD_SEPARATOR) + 1 + WILDCARD_MIN_PREFIX]


@dataclass(frozen=True, slots=True)
class WildcardPattern:
    """A compiled wildcard: ``*`` ends a word (any suffix), ``?`` is one optional character.

    ``pattern`` is the normalised text (``refund*``, ``colo?r``, ``title:deliver*``); it doubles
    as the pseudo-token added to a post when one of its tokens matches.
    """

    pattern: str
    key: str
    matches: Callable[[str], bool]

    @classmethod
    def from_pattern(cls, pattern: str) -> WildcardPattern:
        """Compile ``pattern``; the caller has checked its shape (see the parser)."""
        stem = pattern[:-1] if pattern.endswith("*") else pattern
        if "?" not in stem:
            if pattern.endswith("*"):
                return cls(pattern, wildcard_key(pattern), _starts_with(stem))
            return cls(pattern, wildcard_key(pattern), stem.__eq__)
        regex = ".?".join(re.escape(part) for part in stem.split("?"))
        if pattern.endswith("*"):
            regex += ".*"
        compiled = re.compile(regex, re.DOTALL)
        return cls(pattern, wildcard_key(pattern), lambda token: bool(compiled.fullmatch(token)))


def _starts_with(prefix: str) -> Callable[[str], bool]:
    def matches(token: str) -> bool:
        return token.startswith(prefix)

    return matches
