"""Fakes for the Hugging Face enricher: shaped like transformers, importing nothing of it.

:class:`FakeClassifier` answers like ``transformers.pipeline("text-classification")`` called with
``top_k=None`` (one list of ``{"label", "score"}`` per text, best first);
:class:`FakeTransformers` stands in for the ``transformers`` module (``AutoTokenizer``,
``AutoModelForSequenceClassification``, ``pipeline``) and records what it was asked;
:class:`ImportRecorder` proves that something is never imported.

Example::

    monkeypatch.setitem(sys.modules, "transformers", FakeTransformers())
    HuggingFaceSentimentEnricher(HuggingFaceOptions(model="cardiffnlp/x")).version
    # 'hf:cardiffnlp/x@f2f1202b…'
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from importlib.abc import MetaPathFinder
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

COMMIT = "f2f1202b1bdeb07342385c3f807f9c07cd8f5cf8"
THREE = {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}

Scorer = Callable[[str], Sequence[float]]


def by_keyword(text: str) -> Sequence[float]:
    """Scores in id2label order for a 3-label model: negative, neutral, positive."""
    lowered = text.lower()
    if "broken" in lowered or "nul" in lowered:
        return (0.8, 0.15, 0.05)
    if "love" in lowered or "génial" in lowered:
        return (0.1, 0.2, 0.7)
    return (0.2, 0.6, 0.2)


class FakeClassifier:
    """Shaped like ``transformers.pipeline("text-classification")``: ``.model.config`` and a
    call that honours ``batch_size`` and returns every label's score, best first."""

    def __init__(
        self, id2label: Mapping[int, str], scorer: Scorer = by_keyword, commit: str | None = None
    ) -> None:
        self.model = SimpleNamespace(config=SimpleNamespace(id2label=dict(id2label)))
        if commit:
            self.model.config._commit_hash = commit
        self.scorer = scorer
        self.calls: list[dict[str, Any]] = []
        self.forward_sizes: list[int] = []

    def __call__(self, inputs: list[str], **kwargs: Any) -> list[list[dict[str, Any]]]:
        assert isinstance(inputs, list)
        assert kwargs.get("top_k", "") is None, "all scores are needed, not only the best"
        self.calls.append({"texts": list(inputs), **kwargs})
        size = int(kwargs.get("batch_size", 1))
        outputs = []
        for start in range(0, len(inputs), size):
            chunk = inputs[start : start + size]
            self.forward_sizes.append(len(chunk))
            for text in chunk:
                scores = self.scorer(text)
                labels = self.model.config.id2label
                ranked = [{"label": labels[i], "score": s} for i, s in enumerate(scores)]
                outputs.append(sorted(ranked, key=lambda item: -item["score"]))
        return outputs


class ImportRecorder(MetaPathFinder):
    """Records (and refuses) every attempt to import the given top-level packages."""

    def __init__(self, *names: str) -> None:
        self.names = set(names)
        self.attempts: list[str] = []

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.split(".")[0] in self.names:
            self.attempts.append(fullname)
            raise ImportError(f"blocked {fullname}")


class FakeTransformers(ModuleType):
    """``AutoTokenizer``, ``AutoModelForSequenceClassification`` and ``pipeline``, recorded."""

    def __init__(self, *, fail: Exception | None = None, commit: str | None = COMMIT) -> None:
        """``commit`` is set on the loaded config as transformers 4 does; 5 leaves it out."""
        super().__init__("transformers")
        self.loads: list[tuple[str, str, dict[str, Any]]] = []
        self.pipelines: list[dict[str, Any]] = []
        self.classifier = FakeClassifier(THREE)
        module = self

        class Loader:
            def __init__(self, kind: str) -> None:
                self.kind = kind

            def from_pretrained(self, name: str, **kwargs: Any) -> Any:
                module.loads.append((self.kind, name, kwargs))
                if fail is not None:
                    raise fail
                return SimpleNamespace(config=SimpleNamespace(_commit_hash=commit))

        self.AutoTokenizer = Loader("tokenizer")
        self.AutoModelForSequenceClassification = Loader("model")

    def pipeline(self, task: str, **kwargs: Any) -> FakeClassifier:
        self.pipelines.append({"task": task, **kwargs})
        return self.classifier


def install(monkeypatch: pytest.MonkeyPatch, module: FakeTransformers) -> FakeTransformers:
    monkeypatch.setitem(sys.modules, "transformers", module)
    monkeypatch.setitem(sys.modules, "torch", ModuleType("torch"))
    return module
