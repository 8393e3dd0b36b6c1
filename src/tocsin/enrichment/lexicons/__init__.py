"""Per-language cue lists for the rule-based intents, compiled into fast matchers.

Each language module (``en.py``, ``fr.py``…) defines one :class:`Lexicon` of plain terms or
small regular expressions.  Terms are written naturally, with accents; both the terms and the
post are *folded* (lower case, accents removed, typographic apostrophes straightened) before
matching, and every term is matched on word boundaries, so ``rembourse`` does not fire inside
``remboursement`` unless the term says ``rembours\\w*``.

Example::

    matcher = lexicon_matcher("fr")
    matcher.first("intoxication", fold("Intoxication alimentaire après votre menu !"))
    # 'intoxication alimentaire'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from typing import Any

#: Languages that have a lexicon module here.
LEXICON_LANGUAGES = ("en", "fr", "es", "nl", "de", "it", "pt")


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        if base and base != char:
            table[code] = base.lower()
    table.update(
        {
            ord("ß"): "ss",
            ord("æ"): "ae",
            ord("œ"): "oe",
            ord("ø"): "o",
            ord("ł"): "l",
            ord("đ"): "d",
            ord("’"): "'",
            ord("‘"): "'",
            ord("ʼ"): "'",
            ord("´"): "'",
            ord("`"): "'",
        }
    )
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Latin accents: ``"Où est-ÇA ?" -> "ou est-ca ?"``."""
    return text.lower().translate(_FOLD)


@dataclass(frozen=True)
class Lexicon:
    """The cues of one language; each entry is a term or a small regex (matched folded)."""

    lang: str
    #: Words that turn a sentence ending in "?" into a real question.
    interrogatives: tuple[str, ...] = ()
    #: Phrases that ask a question even without a question mark ("how do i", "est-ce que").
    question_phrases: tuple[str, ...] = ()
    complaint: tuple[str, ...] = ()
    praise: tuple[str, ...] = ()
    request: tuple[str, ...] = ()
    refund: tuple[str, ...] = ()
    cancellation: tuple[str, ...] = ()
    exchange: tuple[str, ...] = ()
    legal_threat: tuple[str, ...] = ()
    blackmail: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    spam: tuple[str, ...] = ()
    #: Weak spam cues: two of them make spam, one does not.
    spam_weak: tuple[str, ...] = ()
    #: Priority risk terms by category: {"legal": (...), "recall": (...), "media": (...)}.
    risk: dict[str, tuple[str, ...]] = field(default_factory=dict)


#: The cue lists scanned together, in precedence order: where two lists match at the same
#: place, the earlier one wins ("thanks for nothing" is a complaint, not praise).
CUE_FIELDS = (
    "blackmail",
    "legal_threat",
    "safety",
    "question_phrases",
    "complaint",
    "refund",
    "cancellation",
    "exchange",
    "spam",
    "request",
    "praise",
    "spam_weak",
)


_REGEX_CHARS = frozenset("\\()[]|?*+{}.^$")


def _trie(terms: Iterable[str]) -> str:
    """A regex equivalent to the alternation of literal ``terms``, factored as a trie.

    ``(?:ab|ac|a)`` becomes ``a(?:b|c)?``: the engine tests one character per step instead of
    every alternative at every position, which makes the cue scan several times faster.
    Greedy optional groups try the longest term first and backtrack at word boundaries.
    """
    root: dict[str, Any] = {}
    for term in terms:
        node = root
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if ends else group

    return build(root)


def _alternation(terms: Iterable[str]) -> str | None:
    folded = {fold(term.strip()) for term in terms if term.strip()}
    if not folded:
        return None
    literal = {t for t in folded if not _REGEX_CHARS & set(t)}
    # Longest first so that "money back" wins over "money" in the reported cue.
    parts = sorted(folded - literal, key=len, reverse=True)
    if literal:
        parts.insert(0, _trie(literal))
    return "(?:" + "|".join(parts) + ")"


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern on word boundaries; a term may hold regex syntax (``rembours\\w*``)."""
    body = _alternation(terms)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)") if body else None


def _compile_scan(lists: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """All cue lists in one zero-width scan: a named group per list inside a look-ahead, so
    each position is tried once for every list instead of one full pass per list."""
    groups = [
        f"(?P<{name}>{body})(?!\\w)"
        for name, terms in lists.items()
        if (body := _alternation(terms)) is not None
    ]
    return re.compile(r"(?<!\w)(?=" + ("|".join(groups) or "(?!)") + ")")


def _scan(pattern: re.Pattern[str], folded: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for match in pattern.finditer(folded):
        name = match.lastgroup
        if name is not None:
            hits = found.setdefault(name, [])
            text = match.group(name)
            if text not in hits:
                hits.append(text)
    return found


@dataclass(frozen=True)
class LexiconMatcher:
    """The compiled patterns of one language (or of a user-supplied term list)."""

    lang: str
    patterns: dict[str, re.Pattern[str]]
    interrogative: re.Pattern[str] | None
    risk: dict[str, re.Pattern[str]]
    combined: re.Pattern[str]
    risk_combined: re.Pattern[str]

    def scan(self, folded: str) -> dict[str, list[str]]:
        """Every cue list that matches the folded text, with its distinct matches in order.

        Example: ``scan("thanks for nothing, refund me")`` →
        ``{"complaint": ["thanks for nothing"], "refund": ["refund"]}``.
        """
        return _scan(self.combined, folded)

    def scan_risk(self, folded: str) -> dict[str, list[str]]:
        """The risk categories named in the folded text: ``{"legal": ["avocat"], …}``."""
        return _scan(self.risk_combined, folded)

    def first(self, cue: str, folded: str) -> str | None:
        """The first text matched by the ``cue`` list in the folded text, or ``None``."""
        pattern = self.patterns.get(cue)
        if pattern is None:
            return None
        match = pattern.search(folded)
        return match.group(0) if match else None

    def count(self, cue: str, folded: str) -> list[str]:
        """Every distinct match of the ``cue`` list, in order of appearance."""
        pattern = self.patterns.get(cue)
        if pattern is None:
            return []
        return list(dict.fromkeys(m.group(0) for m in pattern.finditer(folded)))


def build_matcher(lexicon: Lexicon) -> LexiconMatcher:
    patterns: dict[str, re.Pattern[str]] = {}
    for name in CUE_FIELDS:
        compiled = compile_terms(getattr(lexicon, name))
        if compiled is not None:
            patterns[name] = compiled
    risk = {
        category: pattern
        for category, terms in lexicon.risk.items()
        if (pattern := compile_terms(terms)) is not None
    }
    return LexiconMatcher(
        lang=lexicon.lang,
        patterns=patterns,
        interrogative=compile_terms(lexicon.interrogatives),
        risk=risk,
        combined=_compile_scan({name: getattr(lexicon, name) for name in CUE_FIELDS}),
        risk_combined=_compile_scan(lexicon.risk),
    )


@lru_cache(maxsize=16)
def lexicon_matcher(lang: str) -> LexiconMatcher | None:
    """The compiled matcher of ``lang`` (``"fr"``, ``"pt-BR"`` → ``"pt"``), or ``None``."""
    base = lang.split("-")[0].lower()
    if base not in LEXICON_LANGUAGES:
        return None
    module = import_module(f"tocsin.enrichment.lexicons.{base}")
    lexicon: Lexicon = module.LEXICON
    return build_matcher(lexicon)
