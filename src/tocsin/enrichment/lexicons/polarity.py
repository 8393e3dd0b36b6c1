"""Word and emoji polarity features for the sentiment model (pure Python, ~20 µs a post).

A post's words are looked up, folded (see :func:`~tocsin.enrichment.lexicons.fold`), in its
language's polarity lexicon; a word within three words after a negator ("not", "pas", "nicht",
"não"…) has its valence flipped and damped (×−0.74, as VADER does).  Emojis are scored in every
language.  The ten numbers summarise the post for the sentiment model's stacker, which weighs
them per language (see :mod:`tocsin.enrichment.sentiment`).  The lexicons themselves are
extracted from MIT-licensed PyPI packages at training time, completed by a few hand-set
customer-care words and emojis, and stored in the model artifact (sources and licences:
``SENTIMENT-LEXICON-NOTICE.md`` beside this file).

Example::

    lexicon = PolarityLexicon(words={"en": {"good": 0.475}}, emojis={"😡": -0.6})
    lexicon.features("not good 😡", "en")[:4]  # [0.0, -0.3515, 0.0, 1.0]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tocsin.enrichment.lexicons import fold

FEATURES = (
    "positive_sum",
    "negative_sum",
    "positive_words",
    "negative_words",
    "max_valence",
    "min_valence",
    "balance",
    "emoji_sum",
    "emojis",
    "emoji_mean",
)
NEGATION_SCOPE = 3
NEGATION_DAMPING = -0.74
MAX_CHARS = 1000

NEGATORS: dict[str, frozenset[str]] = {
    lang: frozenset(fold(words).split())
    for lang, words in {
        "en": "not no never nothing nobody none neither nor without cannot isn't don't doesn't "
        "didn't won't can't ain't wasn't aren't couldn't shouldn't wouldn't dont doesnt didnt "
        "wont cant isnt wasnt",
        "fr": "pas jamais rien aucun aucune sans non ni personne",
        "es": "no nunca jamás nada ni sin tampoco ningún ninguna ninguno nadie",
        "de": "nicht kein keine keinen keinem keiner keines nie niemals nichts ohne weder",
        "it": "non mai niente nulla senza né nessun nessuno nessuna",
        "pt": "não nunca jamais nada nem sem nenhum nenhuma ninguém",
        "nl": "niet geen nooit niets zonder noch",
    }.items()
}
"""Words that flip the valence of the next few words, per language (folded)."""

_TOKEN = re.compile(r"[\w']+|[^\w\s]")


@dataclass(frozen=True)
class PolarityLexicon:
    """Valences in [-1, 1]: ``words[lang][folded word]`` and ``emojis[character]``."""

    words: Mapping[str, Mapping[str, float]]
    emojis: Mapping[str, float]

    def features(self, text: str, lang: str | None) -> list[float]:
        """The :data:`FEATURES` of one post (a language without a lexicon scores emojis only)."""
        valences = self.words.get(lang or "", {})
        negators = NEGATORS.get(lang or "", frozenset())
        tokens = _TOKEN.findall(fold(text[:MAX_CHARS]))
        positive = negative = 0.0
        n_positive = n_negative = 0
        highest = lowest = 0.0
        since_negator = NEGATION_SCOPE + 1
        for token in tokens:
            if token in negators:
                since_negator = 0
                continue
            since_negator += 1
            value = valences.get(token)
            if not value:
                continue
            if since_negator <= NEGATION_SCOPE:
                value *= NEGATION_DAMPING
            if value > 0:
                positive += value
                n_positive += 1
            else:
                negative += value
                n_negative += 1
            highest = max(highest, value)
            lowest = min(lowest, value)
        emoji_sum = 0.0
        emojis = 0
        if not text.isascii():
            for char in text[:MAX_CHARS]:
                score = self.emojis.get(char)
                if score is not None:
                    emoji_sum += score
                    emojis += 1
        return [
            positive,
            negative,
            float(n_positive),
            float(n_negative),
            highest,
            lowest,
            (positive + negative) / max(len(tokens), 1) ** 0.5,
            emoji_sum,
            float(emojis),
            emoji_sum / emojis if emojis else 0.0,
        ]

    def batch(self, texts: Sequence[str], langs: Sequence[str | None]) -> npt.NDArray[np.float32]:
        """:meth:`features` of many posts as a ``(len(texts), len(FEATURES))`` matrix."""
        rows = [self.features(text, lang) for text, lang in zip(texts, langs, strict=True)]
        return np.array(rows, dtype=np.float32).reshape(len(texts), len(FEATURES))
