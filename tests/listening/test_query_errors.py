"""Malformed queries: each error says what is wrong and where (0-based character)."""

from __future__ import annotations

import pytest

from tocsin.listening.query import QueryError, QuerySet, compile_query

ERRORS = [
    # (query, position, words expected in the message)
    ("", 0, "empty"),
    ("   ", 0, "empty"),
    ("(acme OR globex", 0, "never closed"),
    ("acme (x (y) z", 5, "never closed"),
    ("acme)", 4, "closes nothing"),
    ("(acme))", 6, "closes nothing"),
    ("()", 0, "empty parentheses"),
    ("acme ()", 5, "empty parentheses"),
    ("acme OR", 5, "'OR' needs a term on its right"),
    ("acme AND", 5, "'AND' needs a term on its right"),
    ("OR acme", 0, "'OR' needs a term on its left"),
    ("AND acme", 0, "'AND' needs a term on its left"),
    ("acme AND OR globex", 5, "'AND' needs a term on its right"),
    ("acme OR )", 5, "'OR' needs a term on its right"),
    ("acme NOT", 5, "'NOT' needs a term after it"),
    ("(NOT) acme", 1, "'NOT' needs a term after it"),
    ("acme NEAR/3", 5, "'NEAR/3' needs a term on its right"),
    ("acme NEAR/3 OR x", 5, "'NEAR/3' needs a term on its right"),
    ("NEAR/3 acme", 0, "needs a term on its left"),
    ("acme - globex", 5, "'-' must touch"),
    ("acme -", 5, "'-' must touch"),
    ('""', 0, "empty phrase"),
    ('acme "  "', 5, "empty phrase"),
    ('acme "!!"', 5, "empty phrase"),
    ('acme "refund', 5, "never closed"),
    ("acme ”refund", 5, "closing quote has no opening"),
    ("acme country:fr", 5, "unknown field 'country:'"),
    ("acme https://acme.com", 5, "url:acme.com"),
    ("acme www.acme.com", 5, "url:acme.com"),
    ("acme lang:", 5, "'lang:' needs a value"),
    ("acme lang:(fr OR en)", 5, "one value"),
    ("acme lang:french", 10, "language code"),
    ("acme platform:myspace", 14, "unknown platform"),
    ("acme author:", 5, "needs a value"),
    ("acme author:a,b", 12, "needs a handle"),
    ("acme url:acme.com/refunds", 9, "no path"),
    ("acme url:acme", 9, "domain"),
    ("acme NEAR refund", 5, "NEAR needs a distance"),
    ("acme NEAR/ refund", 5, "NEAR needs a distance"),
    ("acme NEAR/x refund", 5, "NEAR needs a distance"),
    ("acme NEAR/101 refund", 5, "100 words at most"),
    ("acme NEAR/3 lang:fr", 12, "NEAR links words"),
    ("acme NEAR/3 -refund", 12, "NEAR links words"),
    ("(acme refund) NEAR/3 x", 1, "NEAR links words"),
    ("acme re*", 7, "wildcard too short"),
    ("a*", 1, "wildcard too short"),
    ("acme ab?c", 7, "wildcard too short"),
    ("acme #ab*", 8, "wildcard too short"),
    ("acme author:ab*", 12, "wildcard too short"),
    ("acme ref*nd", 8, "'*' can only end a word"),
    ("acme *", 5, "wildcard too short"),
    ("acme title:*", 11, "wildcard too short"),
    ("acme t-shi*", 5, "one word"),
    ("acme !!!", 5, "nothing to search for"),
    ("NOT acme", 0, "only excludes"),
    ("-acme -globex", 0, "only excludes"),
    ("(" * 60 + "acme" + ")" * 60, 50, "nests more than 50"),
    ("NOT " * 60 + "acme", 200, "nests more than 50"),
]


@pytest.mark.parametrize(("query", "position", "message"), ERRORS)
def test_errors_say_what_and_where(query: str, position: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    error = caught.value
    assert message in error.message
    assert error.position == position
    assert error.query == query


def test_caret_points_at_the_problem() -> None:
    with pytest.raises(QueryError) as caught:
        compile_query("acme AND (refund OR")
    assert caught.value.caret().splitlines() == [
        "acme AND (refund OR",
        "                 ^^",
        "'OR' needs a term on its right, found the end (character 17)",
    ]


def test_caret_keeps_alignment_with_tabs_and_newlines() -> None:
    with pytest.raises(QueryError) as caught:
        compile_query("acme\n\tOR")
    lines = caught.value.caret().splitlines()
    assert lines[0] == "acme  OR"
    assert lines[1] == "      ^^"


def test_query_error_is_a_value_error_with_a_readable_str() -> None:
    error = QueryError("bad thing", 3, query="abcdef")
    assert isinstance(error, ValueError)
    assert str(error) == "bad thing (character 3)"


def test_query_set_names_the_broken_query() -> None:
    with pytest.raises(QueryError) as caught:
        QuerySet({"acme": "acme", "globex": "globex OR"})
    assert caught.value.name == "globex"
    assert caught.value.query == "globex OR"
    assert caught.value.position == 7
    assert str(caught.value).startswith("query 'globex': 'OR' needs a term")
