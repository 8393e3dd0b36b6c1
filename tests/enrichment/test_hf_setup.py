"""The Hugging Face enricher's wiring: settings, lazy import, loading, ``tocsin analyze``, store.

Nothing here needs transformers or the network: a fake ``transformers`` module is installed in
``sys.modules`` where loading is tested, and imports are blocked and recorded where the default
configuration must not touch it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fakes.huggingface import (
    COMMIT,
    THREE,
    FakeClassifier,
    FakeTransformers,
    ImportRecorder,
    install,
)
from tocsin.config import Settings
from tocsin.enrichment.commands import register
from tocsin.enrichment.hf import (
    HuggingFaceError,
    HuggingFaceOptions,
    HuggingFaceSentimentEnricher,
    options_from_settings,
    parse_model_spec,
)
from tocsin.enrichment.pipeline import EnrichmentPipeline, PipelineConfig, build_enricher
from tocsin.enrichment.service import enrich_posts, get_enrichment
from tocsin.ingestion.models import Author, Post

CARDIFF = "cardiffnlp/twitter-roberta-base-sentiment"


# --- settings and the pipeline's choice ------------------------------------------------------


def test_model_spec() -> None:
    assert parse_model_spec("builtin") is None
    assert parse_model_spec("hf:org/name") == ("org/name", None)
    assert parse_model_spec(" hf:org/name@refs/pr/3 ") == ("org/name", "refs/pr/3")
    with pytest.raises(HuggingFaceError, match="hf:<model name or path>"):
        parse_model_spec("org/name")


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_SENTIMENT_MODEL", f"hf:{CARDIFF}@main")
    monkeypatch.setenv("TOCSIN_HF_DEVICE", "cuda:1")
    monkeypatch.setenv("TOCSIN_HF_BATCH_SIZE", "64")
    monkeypatch.setenv("TOCSIN_HF_LOCAL_ONLY", "true")
    monkeypatch.setenv("TOCSIN_HF_LABEL_MAP", '{"LABEL_0": "Negative", "LABEL_2": "positive"}')
    options = options_from_settings(Settings())
    assert options == HuggingFaceOptions(
        model=CARDIFF,
        revision="main",
        device="cuda:1",
        batch_size=64,
        local_only=True,
        label_map={"LABEL_0": "negative", "LABEL_2": "positive"},
    )
    assert options_from_settings(Settings(), sentiment_model="builtin") is None


def test_builtin_is_the_default() -> None:
    settings = Settings()
    assert settings.sentiment_model == "builtin" and not settings.hf_local_only
    assert options_from_settings(settings) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sentiment_model", "cardiffnlp/x", "must be builtin or hf:"),
        ("sentiment_model", "hf:", "must be builtin or hf:"),
        ("hf_device", "gpu", "cpu, cuda, cuda:N or mps"),
        ("hf_label_map", "{LABEL_0: negative}", "must be a JSON object"),
        ("hf_label_map", '{"LABEL_0": "bad"}', "map 'LABEL_0' to negative"),
        ("hf_batch_size", "0", "greater than or equal to 1"),
    ],
)
def test_bad_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, field: str, value: str, message: str
) -> None:
    monkeypatch.setenv(f"TOCSIN_{field.upper()}", value)
    with pytest.raises(ValidationError, match=message):
        Settings()


@pytest.fixture
def no_transformers(monkeypatch: pytest.MonkeyPatch) -> Iterator[ImportRecorder]:
    """transformers and torch cannot be imported, and every attempt is recorded."""
    for name in ("transformers", "torch"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    recorder = ImportRecorder("transformers", "torch")
    sys.meta_path.insert(0, recorder)
    yield recorder
    sys.meta_path.remove(recorder)


def test_default_sentiment_never_imports_transformers(no_transformers: ImportRecorder) -> None:
    enricher = build_enricher("sentiment", PipelineConfig())
    assert not enricher.version.startswith("hf:")
    assert no_transformers.attempts == []


def test_default_config_leaves_transformers_out_of_sys_modules() -> None:
    """In a fresh interpreter: importing the CLI's enrichment commands and building the default
    sentiment enricher loads neither transformers nor torch."""
    code = (
        "import sys\n"
        "from tocsin.config import Settings\n"
        "import tocsin.enrichment.commands\n"
        "from tocsin.enrichment.hf import options_from_settings\n"
        "from tocsin.enrichment.pipeline import PipelineConfig, build_enricher\n"
        "config = PipelineConfig(hf_sentiment=options_from_settings(Settings()))\n"
        "build_enricher('sentiment', config)\n"
        "print(sorted(m for m in ('transformers', 'torch') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOCSIN_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_missing_transformers_is_a_one_line_error_with_the_fix(
    no_transformers: ImportRecorder,
) -> None:
    config = PipelineConfig(hf_sentiment=HuggingFaceOptions(model=CARDIFF))
    with pytest.raises(HuggingFaceError) as caught:
        build_enricher("sentiment", config)
    assert str(caught.value) == (
        "a Hugging Face sentiment model needs transformers: pip install 'tocsin[transformers]'"
    )
    assert no_transformers.attempts == ["transformers"]


# --- loading through a fake transformers module ---------------------------------------------


def test_loader_passes_revision_local_only_and_device(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = install(monkeypatch, FakeTransformers())
    options = HuggingFaceOptions(
        model=CARDIFF, revision="main", device="cuda:0", batch_size=8, local_only=True
    )
    enricher = build_enricher("sentiment", PipelineConfig(hf_sentiment=options))
    hub = {"revision": "main", "local_files_only": True}
    assert fake.loads == [("tokenizer", CARDIFF, hub), ("model", CARDIFF, hub)]
    (made,) = fake.pipelines
    assert made["task"] == "text-classification" and made["device"] == "cuda:0"
    assert enricher.version == f"hf:{CARDIFF}@{COMMIT}"


def test_transformers_5_commit_comes_from_the_cached_snapshot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install(monkeypatch, FakeTransformers(commit=None))
    snapshot = tmp_path / "models--cardiffnlp--x" / "snapshots" / COMMIT / "config.json"
    asked: list[tuple[str, str, str | None]] = []

    def try_to_load_from_cache(repo: str, filename: str, revision: str | None = None) -> str:
        asked.append((repo, filename, revision))
        return str(snapshot)

    hub = ModuleType("huggingface_hub")
    hub.try_to_load_from_cache = try_to_load_from_cache  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "huggingface_hub", hub)
    enricher = HuggingFaceSentimentEnricher(HuggingFaceOptions(model=CARDIFF, revision="main"))
    assert enricher.version == f"hf:{CARDIFF}@{COMMIT}"
    assert asked == [(CARDIFF, "config.json", "main")]


def test_missing_torch_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, FakeTransformers())
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(HuggingFaceError, match=r"needs torch: pip install torch"):
        HuggingFaceSentimentEnricher(HuggingFaceOptions(model=CARDIFF))


def test_model_absent_from_the_local_cache_says_how_to_fetch_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offline = OSError(
        "We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find "
        "them in the cached files.\nCheck your internet connection."
    )
    install(monkeypatch, FakeTransformers(fail=offline))
    with pytest.raises(HuggingFaceError) as caught:
        HuggingFaceSentimentEnricher(HuggingFaceOptions(model=CARDIFF, local_only=True))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"cannot load Hugging Face model '{CARDIFF}' (We couldn't connect")
    assert f"hf download {CARDIFF}" in message and "TOCSIN_HF_LOCAL_ONLY" in message


# --- the CLI and the store --------------------------------------------------------------------


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_analyze_without_transformers_fails_in_one_line(
    no_transformers: ImportRecorder, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "hello"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli(), ["analyze", "-i", str(source), "--sentiment-model", f"hf:{CARDIFF}"]
    )
    assert result.exit_code == 2
    assert "pip install 'tocsin[transformers]'" in result.output
    assert "Traceback" not in result.output


def test_analyze_rejects_a_bad_model_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli(), ["analyze", "--sentiment-model", "gpt"])
    assert result.exit_code == 2
    assert "must be builtin or hf:" in result.output


def test_analyze_help_names_the_setting() -> None:
    result = CliRunner().invoke(cli(), ["analyze", "--help"], env={"COLUMNS": "200"})
    assert "--sentiment-model" in result.output and "TOCSIN_SENTIMENT_MODEL" in result.output


def test_analyze_uses_the_configured_hugging_face_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install(monkeypatch, FakeTransformers())
    monkeypatch.setenv("TOCSIN_SENTIMENT_MODEL", f"hf:{CARDIFF}")
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "My kettle is broken, I want a refund"}\n'
        '{"id": "b", "text": "I love it"}\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli(), ["analyze", "-i", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"sentiment model: hf:{CARDIFF}@{COMMIT}" in result.output
    first, second = (json.loads(line) for line in target.read_text("utf-8").splitlines())
    assert (first["sentiment"], second["sentiment"]) == ("negative", "positive")
    assert first["model_versions"]["sentiment"] == f"hf:{CARDIFF}@{COMMIT}"
    assert first["complaint"]  # the other enrichers still run


def test_stored_enrichment_records_the_hf_model(session: Session) -> None:
    post = Post(
        platform="x",
        external_id="hf-1",
        text="Totally broken after a day",
        author=Author(platform="x", handle="hf_someone", followers=10),
        created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )
    session.add(post)
    session.flush()
    enricher = HuggingFaceSentimentEnricher(
        HuggingFaceOptions(model=CARDIFF), classifier=FakeClassifier(THREE, commit=COMMIT)
    )
    pipeline = EnrichmentPipeline([enricher], embedder=None)
    assert enrich_posts(session=session, post_ids=[post.id], pipeline=pipeline) == 1
    row = get_enrichment(session=session, post_id=post.id)
    assert row is not None
    assert (row.sentiment, row.sentiment_score) == ("negative", -0.75)
    assert row.model_versions["sentiment"] == f"hf:{CARDIFF}@{COMMIT}"


def test_eval_names_the_measured_and_the_configured_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tocsin.enrichment.evaluate as evaluate

    monkeypatch.setattr(evaluate, "evaluate_all", lambda data_dir: {"sentiment": {"en": 70.0}})
    monkeypatch.setenv("TOCSIN_SENTIMENT_MODEL", f"hf:{CARDIFF}")
    result = CliRunner().invoke(cli(), ["eval", "--data-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert f"the pipeline uses hf:{CARDIFF}; the sentiment figures are the builtin" in result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["sentiment"]["model"].startswith("builtin sentiment-")
    assert report["sentiment"]["pipeline_model"] == f"hf:{CARDIFF}"


def test_the_worker_enriches_with_the_configured_model(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    from tocsin.enrichment.tasks import subscribe
    from tocsin.events.outbox import Subscribers

    install(monkeypatch, FakeTransformers())
    subscribers = Subscribers()
    subscribe(subscribers, settings.model_copy(update={"sentiment_model": f"hf:{CARDIFF}"}))
    (warm_up,) = subscribers.warmups
    warm_up()
    pipeline = warm_up.__self__.get()  # type: ignore[attr-defined]
    assert isinstance(pipeline, EnrichmentPipeline)
    assert pipeline.versions["sentiment"] == f"hf:{CARDIFF}@{COMMIT}"
