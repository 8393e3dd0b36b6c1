"""Many named queries at once, brand default queries, and the index never losing a match."""

from __future__ import annotations

import random
import re

import pytest

from tocsin.listening.query import (
    MatchablePost,
    QueryError,
    QuerySet,
    brand_default_query,
    compile_query,
)
from tocsin.listening.query.parser import And, Near, Node, Not, Or, Phrase, Term, Wildcard, parse
from tocsin.listening.query.text import normalise, tokenize

BRANDS = {
    "acme": 'acme OR @acme OR "acme corp" OR #acmefail',
    "globex": "(globex OR @globex) -job*",
    "acme-complaints": '(acme OR @acme) AND (refund* OR late OR "customer service")',
    "french": "(acme OR globex) lang:fr",
    "everything-but-initech": "lang:de -initech",
}


def test_a_post_can_match_several_queries_in_the_sets_order() -> None:
    queries = QuerySet(BRANDS)
    post = MatchablePost("Globex beats ACME Corp, still no refund from @acme", lang="en")
    assert queries.match(post) == ["acme", "globex", "acme-complaints"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("nothing to see here", "en", []),
        ("globex job offer", "en", []),
        ("acme est en retard", "fr", ["acme", "french"]),
        ("hallo welt", "de", ["everything-but-initech"]),
        ("initech ist toll", "de", []),
        ("#AcmeFail again", None, ["acme"]),
    ],
)
def test_match(text: str, lang: str | None, expected: list[str]) -> None:
    assert QuerySet(BRANDS).match(MatchablePost(text, lang=lang)) == expected


def test_match_batch_explain_and_introspection() -> None:
    queries = QuerySet(BRANDS)
    posts = [MatchablePost("acme is late"), MatchablePost("nothing"), MatchablePost("globex")]
    assert queries.match_batch(posts) == [["acme", "acme-complaints"], [], ["globex"]]
    assert queries.explain(posts[0]) == {"acme": ["acme"], "acme-complaints": ["acme", "late"]}
    assert len(queries) == 5
    assert list(queries) == list(BRANDS)
    assert "acme" in queries
    assert queries["globex"].text == BRANDS["globex"]
    assert queries.untriggered == ()
    assert QuerySet({"risky": "acme OR -globex"}).untriggered == ("risky",)


def test_query_set_accepts_compiled_queries() -> None:
    queries = QuerySet({"acme": compile_query("acme"), "globex": "globex"})
    assert queries.match(MatchablePost("acme and globex")) == ["acme", "globex"]


def test_empty_query_set_matches_nothing() -> None:
    assert QuerySet({}).match(MatchablePost("anything")) == []


def test_shared_campaign_words_do_not_hide_matches() -> None:
    queries = QuerySet(
        {f"brand{i}": f'"black friday" AND (brand{i} OR #brand{i}deals)' for i in range(30)}
    )
    post = MatchablePost("Black Friday at brand7 and #brand12deals")
    assert queries.match(post) == ["brand7", "brand12"]
    assert queries.match(MatchablePost("black friday everywhere")) == []


def test_wildcards_shared_between_queries() -> None:
    queries = QuerySet({"a": "refund*", "b": "refunde?", "c": "acme refund*", "d": "#refund*"})
    assert queries.match(MatchablePost("acme refunded")) == ["a", "b", "c"]
    assert queries.match(MatchablePost("#refunds")) == ["a", "d"]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("acme AND refund*", "acme refunds"),
        ("refund* AND acme", "acme refunds"),
        ("refund* AND colo?r*", "colours refunded"),
        ("(acme OR globex) AND (refund* OR late)", "globex refunds"),
        ("acme title:recall*", "acme"),
        ("acme author:jan*", "acme"),
    ],
)
def test_wildcards_in_any_clause_are_found(query: str, text: str) -> None:
    post = MatchablePost(text, title="Recalled", author_handle="janet")
    assert compile_query(query).matches(post)
    assert QuerySet({"q": query, "other": "acme"}).match(post)[:1] == ["q"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"name": "Acme"}, "Acme"),
        ({"name": "Acme Corp", "aliases": ["ACME", "Acmé"]}, '"Acme Corp" OR ACME'),
        (
            {"name": "Acme", "handles": [{"platform": "x", "handle": "@acme"}, "acme.bsky.social"]},
            "Acme OR @acme OR @acme.bsky.social",
        ),
        (
            {"name": "Acme", "keywords": ["Road Runner", "roadrunner"]},
            'Acme OR "Road Runner" OR roadrunner',
        ),
        ({"name": "OR"}, '"OR"'),
        ({"name": 'Toys"R"Us'}, '"Toys R Us"'),
        ({"name": "Yahoo!", "aliases": ["!!!", ""]}, '"Yahoo!"'),
        ({"name": "Acme", "handles": ["not a handle"]}, "Acme"),
    ],
)
def test_brand_default_query(kwargs: dict[str, object], expected: str) -> None:
    query = brand_default_query(**kwargs)  # type: ignore[arg-type]
    assert query == expected
    compile_query(query)


def test_brand_default_query_matches_what_it_should() -> None:
    query = compile_query(
        brand_default_query("Crème Co", aliases=["Creme"], handles=["cremeco"], keywords=["OR"])
    )
    assert query.matches(MatchablePost("CREME CO rocks"))
    assert query.matches(MatchablePost("cc @CremeCo"))
    assert query.matches(MatchablePost("this OR that"))
    assert not query.matches(MatchablePost("co-op"))


def test_brand_default_query_needs_something_to_search() -> None:
    with pytest.raises(ValueError, match="no name, handle or keyword"):
        brand_default_query("!!!")


# --- the index never loses a match: random queries against an independent evaluator -----

WORDS = ["acme", "globex", "refund", "late", "parcel", "#acme", "@acme", "😡", "colour", "the"]
PATTERNS = ["refund*", "colo?r", "#acm*", "parc*"]
PHRASES = ['"acme refund"', '"late parcel"', '"the acme"']
FIELDS = ["lang:fr", "lang:en"]
POST_WORDS = [
    "acme", "globex", "refund", "refunds", "late", "parcel", "parcels", "#acme", "#acmefail",
    "@acme", "😡", "colour", "color", "the", "ACME", "Late",
]  # fmt: skip


def random_query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth == 0 and roll < 0.3:  # two plain leaves: the commonest shape, and the index's
        leaves = WORDS + PATTERNS + PATTERNS + PHRASES + FIELDS
        return f"{rng.choice(leaves)} {rng.choice(['AND ', 'OR ', ''])}{rng.choice(leaves)}"
    if depth > 1 or roll < 0.35:
        return rng.choice(WORDS + PATTERNS + PATTERNS + PHRASES + FIELDS)
    if roll < 0.45:
        return f"NOT {random_query(rng, depth + 1)}"
    if roll < 0.55:
        left = rng.choice(WORDS[:5] + PATTERNS + PHRASES)
        right = rng.choice(WORDS[:5] + PATTERNS + PHRASES)
        return f"{left} NEAR/{rng.randint(0, 3)}{rng.choice(['', 'f'])} {right}"
    operator = rng.choice([" AND ", " OR ", " "])
    parts = [random_query(rng, depth + 1) for _ in range(rng.randint(2, 3))]
    return "(" + operator.join(parts) + ")"


def reference(node: Node, tokens: list[str], lang: str) -> bool:
    """A slow, obvious evaluator: scans the token list, never uses sets or the index."""
    if isinstance(node, Not):
        return not reference(node.operand, tokens, lang)
    if isinstance(node, And):
        return all(reference(item, tokens, lang) for item in node.items)
    if isinstance(node, Or):
        return any(reference(item, tokens, lang) for item in node.items)
    if isinstance(node, Term) and node.key.startswith("lang:"):
        return node.key == f"lang:{lang}"
    return bool(spans(node, tokens))


def spans(node: Node, tokens: list[str]) -> list[tuple[int, int]]:
    def same(token: str, wanted: str) -> bool:
        return token == wanted or (token.startswith("#") and token[1:] == wanted)

    if isinstance(node, Term):
        return [(i, i) for i, token in enumerate(tokens) if same(token, node.key)]
    if isinstance(node, Wildcard):
        body = node.pattern.rstrip("*")
        regex = re.compile(
            ".?".join(map(re.escape, body.split("?")))
            + (".*" if node.pattern.endswith("*") else "")
        )
        return [
            (i, i)
            for i, token in enumerate(tokens)
            if regex.fullmatch(token) or (token.startswith("#") and regex.fullmatch(token[1:]))
        ]
    if isinstance(node, Phrase):
        size = len(node.words)
        return [
            (i, i + size - 1)
            for i in range(len(tokens) - size + 1)
            if all(same(tokens[i + k], word) for k, word in enumerate(node.words))
        ]
    if isinstance(node, Or):
        return [span for item in node.items for span in spans(item, tokens)]
    assert isinstance(node, Near)
    found = []
    for a, b in spans(node.left, tokens):
        for c, d in spans(node.right, tokens):
            gap = c - b - 1 if b < c else (a - d - 1 if d < a and not node.ordered else None)
            if gap is not None and gap <= node.distance:
                found.append((min(a, c), max(b, d)))
    return found


def random_queries(rng: random.Random, count: int) -> dict[str, str]:
    queries: dict[str, str] = {}
    while len(queries) < count:
        text = random_query(rng)
        try:
            compile_query(text)
        except QueryError:
            continue
        queries[f"q{len(queries)}"] = text
    return queries


@pytest.mark.parametrize(("seed", "size"), [(0, 2), (1, 3), (2, 5), (3, 20), (4, 60)])
def test_query_set_agrees_with_a_naive_evaluator(seed: int, size: int) -> None:
    """Small sets matter as much as large ones: they file queries under other clauses."""
    rng = random.Random(seed)
    matched_any = 0
    for _ in range(120 // size + 5):
        queries = random_queries(rng, size)
        query_set = QuerySet(queries)
        trees = {name: parse(text) for name, text in queries.items()}
        for _ in range(60):
            words = rng.choices(POST_WORDS, k=rng.randint(1, 10))
            lang = rng.choice(["fr", "en", "de"])
            post = MatchablePost(" ".join(words), lang=lang)
            tokens = tokenize(normalise(post.text))
            expected = [name for name, tree in trees.items() if reference(tree, tokens, lang)]
            assert query_set.match(post) == expected, (queries, post)
            matched_any += bool(expected)
    assert matched_any > 100
