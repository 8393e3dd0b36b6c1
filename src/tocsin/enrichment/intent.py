"""Intents: complaint (a trained classifier) plus multilingual cue rules for the rest.

*Complaint* is a linear model over two feature blocks: the post's USE multilingual embedding
(shared with the sentiment model through :class:`BatchContext`) and hashed character n-grams
of its folded text.  It is trained on English customer-service tweets
(``tocsin.enrichment.training.intent``); because USE puts "my parcel never came" and "mon colis
n'est jamais arrivé" close together, the embedding half carries it to French, Spanish, Dutch…
Inference is one matrix product plus one ``bincount``: no scikit-learn at run time.

The other intents (question, praise, request with a refund / cancellation / exchange subtype,
threat, safety, spam) are per-language cue rules from :mod:`tocsin.enrichment.lexicons`,
combined with the model signals; ``needs_reply`` is the care decision taken from them.

Example::

    enricher = IntentEnricher()
    enricher.enrich(batch, results, context)
    [(h.name, h.subtype, h.cue) for h in results[0].intents]
    # [('complaint', None, 'classifier p=0.93'), ('request', 'refund', '"refund me"')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tocsin.enrichment.base import BatchContext, Enrichment, IntentHit, PostInput
from tocsin.enrichment.lexicons import LexiconMatcher, fold, lexicon_matcher

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

MODEL_FILE = "intent-complaint.npz"
NGRAM_SIZES = (2, 3, 4, 5)
N_FEATURES = 2**17

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_PRIME = np.uint64(0x100000001B3)
_MIX = 0x9E3779B97F4A7C15


def normalise_for_model(text: str) -> str:
    """The text the n-gram hasher sees: folded, links and handles generalised, digits as 0."""
    text = _URL.sub(" http ", text)
    text = _MENTION.sub(" @user ", text)
    text = _DIGITS.sub("0", fold(text))
    return _SPACES.sub(" ", text).strip()


def hash_ngrams(
    texts: Sequence[str], *, sizes: Sequence[int] = NGRAM_SIZES, n_features: int = N_FEATURES
) -> tuple[IntArray, IntArray, FloatArray]:
    """Hashed character n-grams of ``texts`` (already normalised), vectorised with numpy.

    Returns ``(doc, feature, weight)`` triplets: each n-gram occurrence counts
    ``1/sqrt(n-grams in its document)``, so a linear model sees length-normalised counts.
    The hash (FNV-style over code points, seeded by ``n``) is stable across runs and machines,
    which is what lets the trained weights be shipped as a plain array.
    """
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    joined = "\x00" + "\x00".join(f" {t} " for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = codes == 0
    doc_of = np.cumsum(is_sep) - 1
    docs: list[IntArray] = []
    feats: list[IntArray] = []
    for n in sizes:
        length = len(codes) - n + 1
        if length <= 0:
            continue
        h = np.full(length, np.uint64((n * _MIX) % 2**64), dtype=np.uint64)
        for k in range(n):
            h = (h ^ codes[k : k + length]) * _PRIME
        h ^= h >> np.uint64(29)
        valid = (doc_of[:length] == doc_of[n - 1 : n - 1 + length]) & ~is_sep[:length]
        docs.append(doc_of[:length][valid].astype(np.int64))
        feats.append((h[valid] % np.uint64(n_features)).astype(np.int64))
    doc = np.concatenate(docs)
    feature = np.concatenate(feats)
    per_doc = np.bincount(doc, minlength=len(texts)).astype(np.float32)
    weight = (1.0 / np.sqrt(np.maximum(per_doc, 1.0)))[doc].astype(np.float32)
    return doc, feature, weight


@dataclass(frozen=True)
class ComplaintModel:
    """Logistic regression over ``[USE embedding, hashed n-grams]``, stored as plain arrays."""

    emb_weights: FloatArray
    hash_weights: FloatArray
    bias: float
    threshold: float
    version: str
    embedder: str
    metrics: dict[str, Any]

    @classmethod
    def load(cls, path: Path | None = None) -> ComplaintModel:
        """Read the artifact shipped in ``tocsin/enrichment/models`` (or ``path``)."""
        source = path or Path(str(files("tocsin.enrichment").joinpath("models", MODEL_FILE)))
        if not source.is_file():
            raise FileNotFoundError(
                f"complaint model {source} is missing; run "
                "`python -m tocsin.enrichment.training.intent` to train it"
            )
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(
                emb_weights=data["emb_weights"].astype(np.float32),
                hash_weights=data["hash_weights"].astype(np.float32),
                bias=float(data["bias"]),
                threshold=float(meta["threshold"]),
                version=str(meta["version"]),
                embedder=str(meta["embedder"]),
                metrics=dict(meta.get("metrics", {})),
            )

    def save(self, path: Path) -> None:
        meta = {
            "threshold": self.threshold,
            "version": self.version,
            "embedder": self.embedder,
            "metrics": self.metrics,
            "ngram_sizes": list(NGRAM_SIZES),
            "n_features": int(self.hash_weights.shape[0]),
        }
        np.savez_compressed(
            path,
            emb_weights=self.emb_weights.astype(np.float32),
            hash_weights=self.hash_weights.astype(np.float32),
            bias=np.float32(self.bias),
            meta=np.array(json.dumps(meta)),
        )

    def decision(self, texts: Sequence[str], embeddings: FloatArray) -> FloatArray:
        """Raw linear scores (log-odds) of ``texts`` given their embeddings."""
        normalised = [normalise_for_model(t) for t in texts]
        doc, feature, weight = hash_ngrams(normalised, n_features=self.hash_weights.shape[0])
        lexical = np.bincount(
            doc, weights=self.hash_weights[feature] * weight, minlength=len(texts)
        )
        scores = embeddings @ self.emb_weights + lexical + self.bias
        return np.asarray(scores, dtype=np.float32)

    def predict_proba(self, texts: Sequence[str], embeddings: FloatArray) -> FloatArray:
        """Probability that each text is a complaint."""
        scores = self.decision(texts, embeddings)
        return np.asarray(1.0 / (1.0 + np.exp(-scores)), dtype=np.float32)


@lru_cache(maxsize=1)
def default_complaint_model() -> ComplaintModel:
    """The shipped complaint model, read once per process."""
    return ComplaintModel.load()


_CLAUSE = re.compile(r"[^.!?;,:\n]*[?？]")
_WORDS = re.compile(r"[\w'-]+")
_LINK = re.compile(r"https?://\S+|www\.\S+")
_HANDLE_OR_TAG = re.compile(r"[@#][\w.]+")
_LETTERS = re.compile(r"[^\W\d_]")
_RULE_CONFIDENCE = 0.8
#: A complaint cue lowers the classifier's bar to this probability.
CUED_COMPLAINT_PROBABILITY = 0.3
#: Without a cue, strongly positive sentiment alone counts as praise above this score.
PRAISE_SENTIMENT = 0.6
#: Intents that put a post in the care team's queue (praise only when configured).
REPLY_INTENTS = frozenset({"question", "complaint", "request", "threat", "safety"})


Cues = dict[str, list[str]]


def _question_cue(
    text: str, folded: str, cues: Cues, matchers: Sequence[LexiconMatcher]
) -> str | None:
    """A question needs more than "?": an interrogative near the start of the clause, "¿",
    or a question phrase ("how do I", "est-ce que") even without a question mark."""
    if "¿" in text:
        return '"¿"'
    if "question_phrases" in cues:
        return f'"{cues["question_phrases"][0]}"'
    if "?" not in text and "？" not in text:
        return None
    for clause in _CLAUSE.findall(folded):
        head = " ".join(_WORDS.findall(clause)[:4])
        for matcher in matchers:
            if matcher.interrogative is None:
                continue
            found = matcher.interrogative.search(head)
            if found:
                return f'"{found.group(0)} …?"'
    return None


def _is_links_only(text: str) -> bool:
    if not _LINK.search(text):
        return False
    rest = _HANDLE_OR_TAG.sub(" ", _LINK.sub(" ", text))
    return len(_LETTERS.findall(rest)) < 4


def _spam_cue(text: str, cues: Cues) -> tuple[str, bool] | None:
    """The spam cue and whether it is strong (a spam phrase or links only) or only two weak
    words ("free" + "crypto"), which a real customer can also write."""
    if _is_links_only(text):
        return "links only", True
    if "spam" in cues:
        return f'"{cues["spam"][0]}"', True
    weak = list(cues.get("spam_weak", ()))
    if text.count("#") >= 6 and _LINK.search(text):
        weak.append("hashtag stuffing + link")
    if len(weak) >= 2:
        return " + ".join(f'"{w}"' for w in weak[:3]), False
    return None


@dataclass(frozen=True)
class IntentRules:
    """How rule and model signals combine; defaults documented in docs/enrichment.md."""

    reply_to_praise: bool = False
    complaint_threshold: float | None = None


class IntentEnricher:
    """Fills ``intents``, ``complaint`` and ``needs_reply`` (see the module docstring)."""

    name = "intent"

    def __init__(
        self, *, model: ComplaintModel | None = None, rules: IntentRules | None = None
    ) -> None:
        self._model = model
        self.rules = rules or IntentRules()
        self.version = f"intent-rules-1+{model.version}" if model else "intent-rules-1"

    @classmethod
    def default(cls, *, rules: IntentRules | None = None) -> IntentEnricher:
        """The enricher with the shipped complaint model."""
        return cls(model=default_complaint_model(), rules=rules)

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        probabilities: FloatArray | None = None
        if self._model is not None and context.has_embedder and batch:
            probabilities = self._model.predict_proba(context.texts, context.embeddings)
        threshold = self.rules.complaint_threshold or (
            self._model.threshold if self._model else 0.5
        )
        for i, (post, result) in enumerate(zip(batch, results, strict=True)):
            p = float(probabilities[i]) if probabilities is not None else None
            self._enrich_one(post.text, result, p, threshold)
            result.model_versions[self.name] = self.version

    def _enrich_one(
        self, text: str, result: Enrichment, probability: float | None, threshold: float
    ) -> None:
        folded = fold(text)
        langs = dict.fromkeys([(result.lang or "en").split("-")[0], "en"])
        matchers = [m for lang in langs if (m := lexicon_matcher(lang)) is not None]
        cues: Cues = {}
        for matcher in matchers:
            for kind, found in matcher.scan(folded).items():
                merged = cues.setdefault(kind, [])
                merged.extend(t for t in found if t not in merged)
        hits: list[IntentHit] = []

        def cue(kind: str) -> str | None:
            return cues[kind][0] if kind in cues else None

        question = _question_cue(text, folded, cues, matchers)
        if question:
            hits.append(IntentHit("question", 0.9, question))

        complaint_cue = cue("complaint")
        threat_legal, blackmail, safety = cue("legal_threat"), cue("blackmail"), cue("safety")
        result.complaint_probability = probability if probability is not None else 0.0
        if probability is not None and probability >= threshold:
            detail = f"classifier p={probability:.2f}"
            if complaint_cue:
                detail += f', cue "{complaint_cue}"'
            hits.append(IntentHit("complaint", probability, detail))
        elif complaint_cue and (probability is None or probability >= CUED_COMPLAINT_PROBABILITY):
            confidence = probability if probability is not None else _RULE_CONFIDENCE
            p_text = f" (classifier p={probability:.2f})" if probability is not None else ""
            hits.append(IntentHit("complaint", confidence, f'cue "{complaint_cue}"{p_text}'))

        for subtype in ("refund", "cancellation", "exchange"):
            asked = cue(subtype)
            if asked:
                hits.append(IntentHit("request", _RULE_CONFIDENCE, f'"{asked}"', subtype))
        if not any(h.name == "request" for h in hits):
            generic = cue("request")
            if generic:
                hits.append(IntentHit("request", 0.6, f'"{generic}"'))
        if blackmail:
            hits.append(IntentHit("threat", 0.9, f'"{blackmail}"', "blackmail"))
        if threat_legal:
            hits.append(IntentHit("threat", _RULE_CONFIDENCE, f'"{threat_legal}"', "legal"))
        if safety:
            hits.append(IntentHit("safety", _RULE_CONFIDENCE, f'"{safety}"'))

        is_complaint = any(h.name == "complaint" for h in hits)
        if not is_complaint and result.sentiment != "negative":
            praise = cue("praise")
            if praise:
                hits.append(IntentHit("praise", _RULE_CONFIDENCE, f'"{praise}"'))
            elif result.sentiment_score >= PRAISE_SENTIMENT and not question:
                hits.append(
                    IntentHit(
                        "praise", result.sentiment_score, f"sentiment {result.sentiment_score:+.2f}"
                    )
                )
        spam = _spam_cue(text, cues)
        grievance = any(h.name in ("complaint", "threat", "safety") for h in hits)
        # Weak spam words in a complaint ("your free promo is a scam") do not silence it.
        if spam and (spam[1] or not grievance):
            hits.append(IntentHit("spam", _RULE_CONFIDENCE if spam[1] else 0.6, spam[0]))

        result.intents = hits
        result.complaint = is_complaint
        names = {h.name for h in hits}
        wants_reply = bool(names & REPLY_INTENTS) or (
            self.rules.reply_to_praise and "praise" in names
        )
        result.needs_reply = wants_reply and "spam" not in names
        for hit in hits:
            label = f"{hit.name}/{hit.subtype}" if hit.subtype else hit.name
            result.explain(self.name, f"{label}: {hit.cue}")
        if "spam" in names and wants_reply:
            result.explain(self.name, "needs_reply: no (spam)")
