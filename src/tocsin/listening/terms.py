"""Terms and hashtags of a post, for top-term lists, narrative labels and campaigns.

Deliberately simple and fast (a regular expression and a stop-word set in five languages): it
runs on every post, and lists of "what people say" need words, not linguistics.

Example::

    post_terms("Mon colis #Lumio est encore en retard !", exclude={"lumio"})
    # (['colis', 'encore', 'retard'], ['#lumio'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_WORD = re.compile(r"[#@]?[^\W\d_][\w'’-]*", re.UNICODE)
_URL = re.compile(r"https?://\S+", re.IGNORECASE)

STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "your",
        "yours",
        "with",
        "this",
        "that",
        "these",
        "those",
        "was",
        "were",
        "have",
        "has",
        "had",
        "our",
        "out",
        "all",
        "any",
        "can",
        "will",
        "just",
        "from",
        "they",
        "them",
        "their",
        "there",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "how",
        "its",
        "it's",
        "i'm",
        "im",
        "don't",
        "dont",
        "doesn't",
        "didn't",
        "can't",
        "cant",
        "won't",
        "been",
        "being",
        "into",
        "than",
        "then",
        "too",
        "very",
        "also",
        "only",
        "about",
        "over",
        "after",
        "again",
        "more",
        "most",
        "some",
        "such",
        "own",
        "same",
        "other",
        "off",
        "here",
        "would",
        "could",
        "should",
        "did",
        "does",
        "doing",
        "get",
        "got",
        "one",
        "two",
        "now",
        "new",
        "via",
        "amp",
        "http",
        "https",
        "www",
        "com",
        "les",
        "des",
        "une",
        "est",
        "pas",
        "que",
        "qui",
        "pour",
        "par",
        "sur",
        "dans",
        "avec",
        "mais",
        "vous",
        "nous",
        "ils",
        "elles",
        "leur",
        "sont",
        "ont",
        "été",
        "être",
        "avoir",
        "fait",
        "plus",
        "tout",
        "tous",
        "toute",
        "cette",
        "ces",
        "ses",
        "son",
        "mes",
        "mon",
        "ton",
        "tes",
        "aux",
        "du",
        "ça",
        "c'est",
        "j'ai",
        "n'est",
        "qu'il",
        "quand",
        "comme",
        "aussi",
        "encore",
        "très",
        "bien",
        "los",
        "las",
        "del",
        "una",
        "por",
        "para",
        "con",
        "que",
        "sus",
        "pero",
        "como",
        "más",
        "este",
        "esta",
        "estos",
        "estas",
        "ese",
        "esa",
        "muy",
        "hay",
        "está",
        "están",
        "ser",
        "fue",
        "son",
        "todo",
        "todos",
        "también",
        "sin",
        "sobre",
        "entre",
        "cuando",
        "porque",
        "het",
        "een",
        "van",
        "voor",
        "met",
        "niet",
        "dat",
        "die",
        "dit",
        "zijn",
        "maar",
        "ook",
        "als",
        "bij",
        "nog",
        "wel",
        "naar",
        "wat",
        "hebben",
        "heeft",
        "wordt",
        "worden",
        "dan",
        "zo",
        "mijn",
        "jullie",
        "kan",
        "heb",
        "der",
        "die",
        "das",
        "und",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "nicht",
        "mit",
        "ist",
        "sind",
        "auf",
        "für",
        "von",
        "sich",
        "auch",
        "noch",
        "wie",
        "bei",
        "aus",
        "nach",
        "wenn",
        "schon",
        "oder",
        "aber",
        "mein",
        "meine",
        "ich",
        "wir",
        "ihr",
    ]
)


def fold(text: str) -> str:
    """Lower-case and strip accents: ``"Réponse"`` → ``"reponse"`` (for keyword evidence)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def post_terms(
    text: str, *, exclude: Collection[str] = (), max_terms: int = 12
) -> tuple[list[str], list[str]]:
    """The distinct terms (≥ 3 letters, no stop words) and hashtags of ``text``, in order."""
    terms: list[str] = []
    hashtags: list[str] = []
    seen: set[str] = set()
    for match in _WORD.finditer(_URL.sub(" ", text)):
        token = match.group(0).casefold().strip("'’-")
        if token.startswith("@") or token in seen:
            continue
        seen.add(token)
        if token.startswith("#"):
            if len(token) > 2:
                hashtags.append(token[:200])
            continue
        if len(token) < 3 or token in STOPWORDS or token in exclude:
            continue
        if len(terms) < max_terms:
            terms.append(token[:200])
    return terms, hashtags


def name_tokens(names: Collection[str]) -> set[str]:
    """Tokens of a brand's names, excluded from its top terms (they would top every list)."""
    tokens: set[str] = set()
    for name in names:
        tokens.update(t.casefold().lstrip("@#") for t in _WORD.findall(name))
    return tokens
