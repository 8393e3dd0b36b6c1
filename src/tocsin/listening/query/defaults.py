"""The query a brand gets when nobody wrote one: any of its names, handles or keywords.

Example::

    >>> brand_default_query(
    ...     "Acme Corp",
    ...     aliases=["ACME", "Acmé"],
    ...     handles=[{"platform": "x", "handle": "acme"}, "@acme.bsky.social"],
    ...     keywords=["Road Runner trap"],
    ... )
    '"Acme Corp" OR ACME OR @acme OR @acme.bsky.social OR "Road Runner trap"'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from tocsin.listening.query.text import normalise, tokenize

_PLAIN_WORD = re.compile(r"\w+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_HANDLE = re.compile(r"@\w+(?:[.\-]\w+)*(?:@\w+(?:[.\-]\w+)+)?")


def brand_default_query(
    name: str,
    aliases: Iterable[str] = (),
    handles: Iterable[str | Mapping[str, str]] = (),
    keywords: Iterable[str] = (),
) -> str:
    """``name OR alias… OR @handle… OR keyword…``, each quoted when it is not a single word.

    Entries that normalise alike (``ACME`` and ``Acmé`` once ``Acme`` is there) appear once,
    the first spelling kept; entries with nothing searchable are skipped.  ``handles`` are
    strings or the ``{"platform": ..., "handle": ...}`` mappings stored on a brand.  Raises
    ``ValueError`` when nothing searchable is left.
    """
    parts: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for text in (name, *aliases):
        _add(parts, seen, _phrase(text))
    for handle in handles:
        raw = handle.get("handle", "") if isinstance(handle, Mapping) else handle
        _add(parts, seen, _handle(raw))
    for keyword in keywords:
        _add(parts, seen, _phrase(keyword))
    if not parts:
        raise ValueError(f"brand {name!r} has no name, handle or keyword to search for")
    return " OR ".join(parts)


def _add(parts: list[str], seen: set[tuple[str, ...]], term: str | None) -> None:
    if term is None:
        return
    tokens = tuple(tokenize(normalise(term.strip('"'))))
    if tokens and tokens not in seen:
        seen.add(tokens)
        parts.append(term)


def _phrase(text: str) -> str | None:
    cleaned = " ".join(text.replace('"', " ").replace("“", " ").replace("”", " ").split())
    if not tokenize(normalise(cleaned)):
        return None
    if _PLAIN_WORD.fullmatch(cleaned) and cleaned not in _OPERATORS:
        return cleaned
    return f'"{cleaned}"'


def _handle(raw: str) -> str | None:
    handle = "@" + raw.strip().lstrip("@")
    return handle if _HANDLE.fullmatch(handle) else None
