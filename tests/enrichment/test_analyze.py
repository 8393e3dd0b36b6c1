"""``tocsin analyze``: the JSON Lines contract, bad lines, order, and the command itself."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from tocsin.enrichment.base import BatchContext, Enrichment, PostInput
from tocsin.enrichment.commands import analyze_stream, parse_line, register
from tocsin.enrichment.intent import IntentEnricher
from tocsin.enrichment.pipeline import EnrichmentPipeline
from tocsin.enrichment.priority import PriorityEnricher

REQUIRED = {
    "id",
    "lang",
    "sentiment",
    "sentiment_score",
    "intents",
    "complaint",
    "needs_reply",
    "priority",
    "pii",
    "priority_reasons",
    "explanations",
}


class TinyEmbedder:
    name = "tiny"
    dim = 512

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), self.dim), dtype=np.float32)


class FixedSentiment:
    name = "sentiment"
    version = "fixed"

    def enrich(
        self, batch: Sequence[PostInput], results: list[Enrichment], context: BatchContext
    ) -> None:
        for result in results:
            result.sentiment, result.sentiment_score = "neutral", 0.0


def pipeline(batch_size: int = 2) -> EnrichmentPipeline:
    return EnrichmentPipeline(
        [FixedSentiment(), IntentEnricher.default(), PriorityEnricher()],
        embedder=TinyEmbedder(),
        batch_size=batch_size,
    )


def run(lines: list[str], batch_size: int = 2) -> list[dict[str, object]]:
    source = io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8"))
    sink = io.StringIO()
    analyze_stream(source, sink, pipeline=pipeline(batch_size), batch_size=batch_size)
    return [json.loads(line) for line in sink.getvalue().splitlines()]


def test_one_output_line_per_input_in_order_with_bad_lines_in_place() -> None:
    lines = [
        json.dumps({"id": 1, "text": "Where is my parcel?", "lang": "en"}),
        "{not json",
        json.dumps({"id": "b", "text": "Refund me or I post this everywhere"}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": 5, "text": 42}),
        json.dumps({"id": 6}),
        json.dumps([1, 2]),
        "",
        json.dumps({"id": 9, "text": "Merci, au top !", "lang": "fr", "platform": "x"}),
    ]
    out = run(lines)
    assert len(out) == 8  # the blank line is not an input
    assert out[0]["id"] == 1 and out[2]["id"] == "b" and out[7]["id"] == 9
    assert set(out[0]) >= REQUIRED
    assert out[0]["needs_reply"] is True
    assert any(i["name"] == "threat" and i["subtype"] == "blackmail" for i in out[2]["intents"])
    assert out[1] == {"line": 2, "error": out[1]["error"]} and "not JSON" in out[1]["error"]
    assert out[3] == {"line": 4, "error": "id is missing"}
    assert out[4]["line"] == 5 and "text" in out[4]["error"]
    assert out[5] == {"line": 6, "error": "text is missing"}
    assert out[6] == {"line": 7, "error": "not a JSON object"}
    assert out[7]["lang"] == "fr"


def test_invalid_utf8_is_a_bad_line() -> None:
    assert parse_line(3, b'{"id": 1, "text": "\xff"}')[2] == "not UTF-8"


@pytest.mark.parametrize("batch_size", [1, 3, 100])
def test_batching_does_not_change_results(batch_size: int) -> None:
    lines = [json.dumps({"id": i, "text": f"Can you help with order {i}?"}) for i in range(7)]
    out = run(lines, batch_size=batch_size)
    assert [o["id"] for o in out] == list(range(7))
    assert all(o["needs_reply"] for o in out)


def test_optional_author_fields_feed_priority() -> None:
    plain, famous = run(
        [
            json.dumps({"id": 1, "text": "My order never arrived"}),
            json.dumps(
                {"id": 2, "text": "My order never arrived", "followers": 90000, "verified": True}
            ),
        ]
    )
    assert famous["priority"] > plain["priority"]
    assert any(r["factor"] == "reach" for r in famous["priority_reasons"])


# --- the command ----------------------------------------------------------------------------


def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_missing_input_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli(), ["analyze", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_bad_pii_mode_is_rejected() -> None:
    result = CliRunner().invoke(cli(), ["analyze", "--pii", "everything"])
    assert result.exit_code == 2
    assert "--pii fast" in result.output


def test_bench_group_is_shared() -> None:
    app = typer.Typer()
    register(app)
    names = [group.name for group in app.registered_groups]
    assert names == ["bench"]


def test_analyze_command_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("tocsin.enrichment.language")
    pytest.importorskip("tocsin.enrichment.sentiment")
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {"id": 1, "text": "Où est ma commande #FR-20931 ? Appelez-moi au 06 12 34 56 78"}
        )
        + "\nnot json\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli(), ["analyze", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in target.read_text(encoding="utf-8").splitlines())
    assert first["lang"] == "fr" and first["needs_reply"]
    assert {span["type"] for span in first["pii"]} >= {"ORDER_NUMBER", "PHONE"}
    assert second == {"line": 2, "error": second["error"]}
