"""``tocsin query-check``: validate a listening query and try it on a post, from a shell.

Example::

    $ tocsin query-check '(acme OR @acme) refund*' --text "@acme where is my refund"
    terms: acme, @acme, refund*
    matches: yes (acme, refund*)
"""

from __future__ import annotations

from typing import Annotated

import typer

from tocsin.listening.query.compiler import compile_query
from tocsin.listening.query.document import MatchablePost
from tocsin.listening.query.errors import QueryError


def register(app: typer.Typer) -> None:
    @app.command("query-check")
    def query_check(
        query: Annotated[str, typer.Argument(help="The listening query, quoted for the shell.")],
        text: Annotated[str | None, typer.Option(help="A post's text to try the query on.")] = None,
        lang: Annotated[str | None, typer.Option(help="The post's language (fr, en…).")] = None,
        platform: Annotated[str | None, typer.Option(help="The post's platform.")] = None,
        author: Annotated[str | None, typer.Option(help="The post author's handle.")] = None,
        title: Annotated[str | None, typer.Option(help="The post's title.")] = None,
    ) -> None:
        """Check a listening query; with --text, say whether a post matches it and why."""
        try:
            compiled = compile_query(query)
        except QueryError as error:
            typer.echo(f"error: {error}", err=True)
            typer.echo(error.caret().rsplit("\n", 1)[0], err=True)
            raise typer.Exit(2) from None
        typer.echo(f"terms: {', '.join(compiled.terms)}")
        if compiled.excluded_terms:
            typer.echo(f"excluded: {', '.join(compiled.excluded_terms)}")
        if compiled.triggers is None:
            typer.echo(
                "note: this query can match a post without any of its words, "
                "so it is tried on every post"
            )
        if text is None:
            return
        post = MatchablePost(text, lang=lang, platform=platform, author_handle=author, title=title)
        if compiled.matches(post):
            typer.echo(f"matches: yes ({', '.join(compiled.explain(post))})")
        else:
            typer.echo("matches: no")
