"""A Hugging Face sentiment classifier behind the enricher interface (``tocsin[transformers]``).

Tocsin's own sentiment model needs no network and no GPU.  A team that has a model hub or a
GPU can plug any Hugging Face *text-classification* sentiment model in its place, by name::

    TOCSIN_SENTIMENT_MODEL=hf:cardiffnlp/twitter-xlm-roberta-base-sentiment
    TOCSIN_HF_DEVICE=cuda:0 TOCSIN_HF_BATCH_SIZE=64 TOCSIN_HF_LOCAL_ONLY=true

``transformers`` is imported only when such a model is configured, so the default install never
loads it.  The model's own labels (``model.config.id2label``) are mapped to negative / neutral /
positive (:func:`resolve_label_map`), the probabilities of labels with the same polarity are
added up, and the score is P(positive) − P(negative), as for the builtin model.  Each post
stores ``hf:<name>@<commit>`` as its sentiment model version.

Example::

    options = HuggingFaceOptions(model="cardiffnlp/twitter-xlm-roberta-base-sentiment")
    enricher = HuggingFaceSentimentEnricher(options)  # loads transformers and the model
    enricher.version  # 'hf:cardiffnlp/twitter-xlm-roberta-base-sentiment@f2f1202b…'
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from tocsin.config import Settings
    from tocsin.enrichment.base import BatchContext, Enrichment, PostInput

Polarity = Literal["negative", "neutral", "positive"]
POLARITIES: tuple[Polarity, Polarity, Polarity] = ("negative", "neutral", "positive")
INSTALL_HINT = "pip install 'tocsin[transformers]'"
BUILTIN = "builtin"
HF_PREFIX = "hf:"
MAX_CHARS = 2000
"""Longer posts are cut before tokenising (the tokenizer truncates to the model's length too)."""

#: Label spellings seen on the hub (lower-cased, ``_``/``-`` read as spaces).
SPELLINGS: dict[str, Polarity] = {
    **dict.fromkeys(("negative", "neg", "negatif", "négatif", "negativo", "negatief"), "negative"),
    **dict.fromkeys(("very negative", "strongly negative", "negativ"), "negative"),
    **dict.fromkeys(("neutral", "neu", "neutre", "neutro", "neutraal", "mixed"), "neutral"),
    **dict.fromkeys(("positive", "pos", "positif", "positivo", "positief", "positiv"), "positive"),
    **dict.fromkeys(("very positive", "strongly positive"), "positive"),
}
#: The cardiffnlp (TweetEval / XLM-T) convention for models whose config says only LABEL_n.
CARDIFFNLP_LABELS: dict[str, Polarity] = {
    "LABEL_0": "negative",
    "LABEL_1": "neutral",
    "LABEL_2": "positive",
}
#: Known families whose labels are bare ``LABEL_n``, by model-name prefix.
KNOWN_LABEL_MAPS: dict[str, Mapping[str, Polarity]] = {"cardiffnlp/": CARDIFFNLP_LABELS}
_STARS = re.compile(r"([1-5])\s*(?:stars?|étoiles?|estrellas?|sterren|sterne?)")
_STAR_POLARITY: dict[str, Polarity] = {
    "1": "negative",
    "2": "negative",
    "3": "neutral",
    "4": "positive",
    "5": "positive",
}
_COMMIT = re.compile(r"[0-9a-f]{40}")


class HuggingFaceError(RuntimeError):
    """A Hugging Face model cannot be used; the one-line message says why and how to fix it."""


class TextClassifier(Protocol):
    """What Tocsin needs of a ``transformers`` text-classification pipeline (or a test fake)."""

    model: Any

    def __call__(self, inputs: list[str], **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class HuggingFaceOptions:
    """Which Hugging Face model to run and how (see :func:`options_from_settings`)."""

    model: str
    revision: str | None = None
    device: str = "cpu"
    batch_size: int = 32
    local_only: bool = False
    label_map: Mapping[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> str:
        """The name as written in ``TOCSIN_SENTIMENT_MODEL``, e.g. ``hf:org/name@v1``."""
        at = f"@{self.revision}" if self.revision else ""
        return f"{HF_PREFIX}{self.model}{at}"


def parse_model_spec(spec: str) -> tuple[str, str | None] | None:
    """``builtin`` → ``None``; ``hf:<name>[@revision]`` → ``(name, revision)``.

    >>> parse_model_spec("hf:nlptown/bert-base-multilingual-uncased-sentiment@main")
    ('nlptown/bert-base-multilingual-uncased-sentiment', 'main')
    """
    spec = spec.strip()
    if spec == BUILTIN:
        return None
    name, _, revision = spec.removeprefix(HF_PREFIX).partition("@")
    if not spec.startswith(HF_PREFIX) or not name.strip():
        raise HuggingFaceError(
            f"sentiment model {spec!r}: use builtin or hf:<model name or path>[@revision]"
        )
    return name.strip(), revision.strip() or None


def options_from_settings(
    settings: Settings, *, sentiment_model: str | None = None
) -> HuggingFaceOptions | None:
    """The Hugging Face options the settings ask for, or ``None`` for the builtin model."""
    parsed = parse_model_spec(sentiment_model or settings.sentiment_model)
    if parsed is None:
        return None
    name, revision = parsed
    return HuggingFaceOptions(
        model=name,
        revision=revision,
        device=settings.hf_device,
        batch_size=settings.hf_batch_size,
        local_only=settings.hf_local_only,
        label_map=dict(settings.hf_label_map),
    )


def polarity_of(label: str) -> Polarity | None:
    """The polarity a label spells, if it spells one: ``"NEG"``, ``"Positive"``, ``"4 stars"``.

    Star ratings (nlptown-style, 1–5) read 1–2 as negative, 3 as neutral and 4–5 as positive.

    >>> polarity_of("2 stars"), polarity_of("Neutral"), polarity_of("LABEL_0")
    ('negative', 'neutral', None)
    """
    key = " ".join(label.strip().lower().replace("_", " ").replace("-", " ").split())
    stars = _STARS.fullmatch(key)
    if stars:
        return _STAR_POLARITY[stars.group(1)]
    return SPELLINGS.get(key)


def resolve_label_map(
    id2label: Mapping[Any, str], *, model: str, override: Mapping[str, str] | None = None
) -> dict[str, Polarity]:
    """Each label the model outputs → its polarity; raises :class:`HuggingFaceError` when unsure.

    In order: the explicit ``override`` (``TOCSIN_HF_LABEL_MAP``, keyed by the label, by
    ``LABEL_<id>`` or by the id), a known family's convention (cardiffnlp's LABEL_0/1/2 =
    negative/neutral/positive), then the label's spelling (:func:`polarity_of`).  A label that
    none of them maps stops the start-up rather than being guessed.

    >>> resolve_label_map({0: "1 star", 1: "3 stars", 2: "5 stars"}, model="m")
    {'1 star': 'negative', '3 stars': 'neutral', '5 stars': 'positive'}
    """
    override = {str(key).strip().lower(): str(value) for key, value in (override or {}).items()}
    family = next(
        (known for prefix, known in KNOWN_LABEL_MAPS.items() if model.startswith(prefix)), {}
    )
    mapping: dict[str, Polarity] = {}
    used: set[str] = set()
    unmapped: list[str] = []
    for index, label in id2label.items():
        aliases = [str(label).lower(), f"label_{index}", str(index)]
        key = next((alias for alias in aliases if alias in override), None)
        if key is not None:
            used.add(key)
            polarity = polarity_of(override[key])
        else:
            polarity = family.get(str(label)) or polarity_of(str(label))
        if polarity is None:
            unmapped.append(str(label))
        else:
            mapping[str(label)] = polarity
    unknown = sorted(set(override) - used)
    if unknown:
        raise HuggingFaceError(
            f"TOCSIN_HF_LABEL_MAP names {', '.join(map(repr, unknown))}, which {model} does not "
            f"output (its labels: {', '.join(map(repr, id2label.values()))})"
        )
    if unmapped:
        example = ", ".join(f'"{label}": "…"' for label in unmapped[:3])
        raise HuggingFaceError(
            f"{model}: cannot tell the polarity of label(s) {', '.join(map(repr, unmapped))}; "
            f"set TOCSIN_HF_LABEL_MAP='{{{example}}}' (negative, neutral or positive)"
        )
    if not {"negative", "positive"} <= set(mapping.values()):
        raise HuggingFaceError(
            f"{model} is not a sentiment model: it needs a negative and a positive label "
            f"(its labels: {', '.join(map(repr, id2label.values()))})"
        )
    return mapping


def _import(module: str, fix: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise HuggingFaceError(f"a Hugging Face sentiment model needs {module}: {fix}") from None


def load_classifier(options: HuggingFaceOptions) -> tuple[TextClassifier, str | None]:
    """Load the tokenizer, the model and a text-classification pipeline; also the commit hash.

    The tokenizer and the model are loaded explicitly so that ``local_files_only`` and
    ``revision`` reach both, the same way in transformers 4.x and 5.x; the pipeline then gets
    objects, not a name, and never looks the model up on the hub.
    """
    transformers = _import("transformers", INSTALL_HINT)
    _import(
        "torch",
        "pip install torch (CPU only: add --index-url https://download.pytorch.org/whl/cpu)",
    )
    hub = {"revision": options.revision, "local_files_only": options.local_only}
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(options.model, **hub)
        model = transformers.AutoModelForSequenceClassification.from_pretrained(
            options.model, **hub
        )
        classifier = transformers.pipeline(
            "text-classification", model=model, tokenizer=tokenizer, device=options.device
        )
    except (OSError, ValueError, ImportError) as exc:
        raise HuggingFaceError(_load_failure(options, exc)) from exc
    return classifier, _commit_of(options, model)


def _load_failure(options: HuggingFaceOptions, exc: BaseException) -> str:
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if options.local_only:
        hint = (
            "it must be in the local cache (TOCSIN_HF_LOCAL_ONLY is set): on a connected machine "
            f"run hf download {options.model} and copy the cache (HF_HOME) to this server"
        )
    else:
        hint = "check the name, or download it first and set TOCSIN_HF_LOCAL_ONLY=true"
    return f"cannot load Hugging Face model {options.model!r} ({first_line}); {hint}"


def _commit_of(options: HuggingFaceOptions, model: Any) -> str | None:
    """The exact commit of a hub model: transformers 4 keeps it on the config; otherwise it is
    the snapshot folder the cached ``config.json`` sits in."""
    commit = getattr(getattr(model, "config", None), "_commit_hash", None)
    if isinstance(commit, str) and _COMMIT.fullmatch(commit):
        return commit
    if Path(options.model).exists():
        return None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    try:
        cached = try_to_load_from_cache(options.model, "config.json", revision=options.revision)
    except ValueError:  # not a valid repository id: a folder that moved, say
        return None
    if isinstance(cached, str) and Path(cached).parent.parent.name == "snapshots":
        return Path(cached).parent.name
    return None


class HuggingFaceSentimentEnricher:
    """Sets ``sentiment`` and ``sentiment_score`` with a Hugging Face text classifier.

    ``classifier`` is a ``transformers`` text-classification pipeline (loaded from ``options``
    when not given; tests give a fake with the same call and output shapes).
    """

    name = "sentiment"

    def __init__(
        self,
        options: HuggingFaceOptions,
        *,
        classifier: TextClassifier | None = None,
        commit: str | None = None,
    ) -> None:
        if classifier is None:
            classifier, commit = load_classifier(options)
        self.options = options
        self._classifier = classifier
        id2label = classifier.model.config.id2label
        self._labels = resolve_label_map(id2label, model=options.model, override=options.label_map)
        pinned = commit or getattr(classifier.model.config, "_commit_hash", None)
        at = pinned or options.revision
        self.version = f"{HF_PREFIX}{options.model}" + (f"@{at}" if at else "")

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        texts = [text[:MAX_CHARS] for text in context.texts]
        outputs = self._classifier(
            texts, top_k=None, truncation=True, batch_size=self.options.batch_size
        )
        if len(outputs) != len(texts):
            raise HuggingFaceError(
                f"{self.options.model} answered {len(outputs)} results for {len(texts)} texts"
            )
        for result, scores in zip(results, outputs, strict=True):
            self._fill(result, [scores] if isinstance(scores, dict) else list(scores))

    def _fill(self, result: Enrichment, scores: list[dict[str, Any]]) -> None:
        totals = dict.fromkeys(POLARITIES, 0.0)
        for item in scores:
            polarity = self._labels.get(str(item["label"]))
            if polarity is None:
                raise HuggingFaceError(
                    f"{self.options.model} answered label {item['label']!r}, absent from its config"
                )
            totals[polarity] += float(item["score"])
        mass = sum(totals.values()) or 1.0
        probabilities = {polarity: totals[polarity] / mass for polarity in POLARITIES}
        label = max(POLARITIES, key=probabilities.__getitem__)
        top = max(scores, key=lambda item: float(item["score"]))
        result.sentiment = label
        result.sentiment_score = round(probabilities["positive"] - probabilities["negative"], 4)
        result.explain(
            self.name,
            f"{self.options.spec} confidence {probabilities[label]:.2f} "
            f"(model label {top['label']!r} p={float(top['score']):.2f})",
        )
        result.model_versions[self.name] = self.version
