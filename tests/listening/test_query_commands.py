"""``tocsin query-check`` on a bare Typer app (the lead wires it into the main CLI)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from tocsin.listening.query.commands import register


def run(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    register(app)

    @app.command("noop")
    def noop() -> None:  # a second command keeps "query-check" as a named sub-command
        """Nothing."""

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_valid_query_lists_terms() -> None:
    code, out, _ = run("query-check", "(acme OR @acme) refund* -job")
    assert code == 0
    assert "terms: acme, @acme, refund*" in out
    assert "excluded: job" in out


def test_query_tried_on_a_post() -> None:
    code, out, _ = run("query-check", "acme lang:fr", "--text", "ACME en retard", "--lang", "fr")
    assert (code, out.splitlines()[-1]) == (0, "matches: yes (acme, lang:fr)")
    code, out, _ = run("query-check", "acme lang:fr", "--text", "ACME late", "--lang", "en")
    assert out.splitlines()[-1] == "matches: no"


def test_untriggered_query_is_flagged() -> None:
    _, out, _ = run("query-check", "acme OR -globex")
    assert "tried on every post" in out


def test_malformed_query_exits_2_with_message_and_caret() -> None:
    code, out, err = run("query-check", "acme AND (refund OR")
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "error: 'OR' needs a term on its right, found the end (character 17)",
        "acme AND (refund OR",
        "                 ^^",
    ]
