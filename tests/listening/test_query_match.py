"""What a single compiled query matches: operators, precedence, phrases, NEAR, fields."""

from __future__ import annotations

import pytest

from tocsin.listening.query import MatchablePost, compile_query


def matches(query: str, text: str, **fields: str) -> bool:
    return compile_query(query).matches(MatchablePost(text, **fields))


CASES = [
    # terms and implicit AND
    ("acme", "I love Acme!", True),
    ("acme", "I love acmes", False),
    ("acme refund", "acme, where is my refund", True),
    ("acme refund", "acme, where is my parcel", False),
    # AND / OR / NOT / -
    ("acme AND refund", "refund from ACME", True),
    ("acme AND refund", "refund from globex", False),
    ("acme OR globex", "globex is down", True),
    ("acme OR globex", "initech is down", False),
    ("acme NOT job", "acme is hiring for a job", False),
    ("acme NOT job", "acme is down", True),
    ("acme -job", "acme job offer", False),
    ("acme -job", "acme outage", True),
    ("acme AND NOT job", "acme job", False),
    ("acme -(job OR hiring)", "acme is hiring", False),
    ("acme -(job OR hiring)", "acme is down", True),
    ("acme NOT NOT down", "acme is down", True),
    ("acme NOT NOT down", "acme is up", False),
    # operators are upper-case only: lower-case ones are words
    ("acme or globex", "acme or globex", True),
    ("acme or globex", "acme is fine", False),
    ("not working", "the app is not working", True),
    ("not working", "the app is working", False),
    # precedence: NOT > AND > OR
    ("a OR b c", "b", False),
    ("a OR b c", "a", True),
    ("a OR b c", "b c", True),
    ("a b OR c", "c", True),
    ("a b OR c", "a", False),
    ("a OR b NOT c", "a c", True),
    ("a OR b NOT c", "b c", False),
    ("(a OR b) c", "a", False),
    ("(a OR b) c", "b c", True),
    ("NOT a b", "b", True),
    ("NOT a b", "a b", False),
    ("x AND (y OR (z -w))", "x z", True),
    ("x AND (y OR (z -w))", "x z w", False),
    # phrases
    ('"customer service"', "Customer Service was rude", True),
    ('"customer service"', "service to the customer", False),
    ('"customer service"', "customer, service", True),
    ('"crème brûlée"', "CREME BRULEE for dessert", True),
    ("crème", "CRÈME", True),
    ("strasse", "Hauptstraße", False),
    ("straße", "STRASSE", True),
    ('"l\'appli"', "l appli plante", True),
    ("t-shirt", "my T-Shirt shrank", True),
    ("t-shirt", "shirt t", False),
    ('"acme"', "#acme", True),
    # hashtags and handles
    ("#acmefail", "so bad #AcmeFail", True),
    ("#acmefail", "acmefail", False),
    ("acmefail", "so bad #AcmeFail", True),
    ("@acme", "hey @ACME help", True),
    ("@acme", "hey acme help", False),
    ("acme", "hey @acme help", False),
    ("@acme", "hey @acme_support help", False),
    ("@acme.bsky.social", "cc @acme.bsky.social", True),
    ("acme", "mail support@acme.com", True),
    ('"love #acme"', "love #acme", True),
    ('"love acme"', "love #acme", True),
    # wildcards
    ("refund*", "I want a REFUND", True),
    ("refund*", "refunded yesterday", True),
    ("refund*", "a prerefund", False),
    ("colo?r", "nice colour", True),
    ("colo?r", "nice color", True),
    ("colo?r", "nice colr", False),
    ("#acme*", "#AcmeFail", True),
    ("#acme*", "acmefail", False),
    ("@acme*", "cc @acme_support", True),
    ("acme refund*", "acme refunds", True),
    ("acme -refund*", "acme refunds", False),
    # emoji
    ("acme 😡", "acme again 😡😡", True),
    ("acme 😡", "acme again 😀", False),
    ("👍", "ok 👍🏽", True),
    # links are not words
    ("shop", "https://shop.acme.com/p/1", False),
]


@pytest.mark.parametrize(("query", "text", "expected"), CASES)
def test_matches(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected


NEAR_CASES = [
    ("acme NEAR/3 refund", "acme refund", True),
    ("acme NEAR/3 refund", "refund acme", True),
    ("acme NEAR/3 refund", "acme one two three refund", True),
    ("acme NEAR/3 refund", "acme one two three four refund", False),
    ("acme NEAR/3 refund", "refund one two three acme", True),
    ("acme NEAR/3 refund", "refund one two three four acme", False),
    ("acme NEAR/0 refund", "acme refund", True),
    ("acme NEAR/0 refund", "acme a refund", False),
    ("acme NEAR/3f refund", "acme one refund", True),
    ("acme NEAR/3f refund", "refund one acme", False),
    ("acme NEAR/2 refund", "acme x x x x refund ... refund x acme", True),
    ('"customer service" NEAR/3 acme', "customer service at acme", True),
    ('"customer service" NEAR/3 acme', "acme has great customer service", True),
    ('"customer service" NEAR/1 acme', "acme has great customer service", False),
    ('"customer service" NEAR/3 acme', "customer at acme service", False),
    ("acme NEAR/2 refund*", "acme refunded me", True),
    ("acme NEAR/2 (refund OR parcel)", "my parcel from acme", True),
    ("acme NEAR/2 (refund OR parcel)", "my order from acme", False),
    ("acme NEAR/1 acme", "acme", False),
    ("acme NEAR/1 acme", "acme acme", True),
    ("acme NEAR/2 late NEAR/2 parcel", "acme is late with my parcel", True),
    ("acme NEAR/2 late NEAR/2 parcel", "acme parcel is very very very late", False),
    ("#acme NEAR/1 fail", "#acme fail", True),
    ("acme NEAR/1 fail", "#acme fail", True),
]


@pytest.mark.parametrize(("query", "text", "expected"), NEAR_CASES)
def test_near(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected


FIELD_CASES = [
    ("acme lang:fr", {"lang": "fr"}, True),
    ("acme lang:fr", {"lang": "en"}, False),
    ("acme lang:fr", {}, False),
    ("acme lang:fr", {"lang": "fr-CA"}, True),
    ("acme lang:pt-br", {"lang": "pt_BR"}, True),
    ("acme lang:pt-br", {"lang": "pt"}, False),
    ("acme (lang:fr OR lang:es)", {"lang": "es"}, True),
    ("acme -lang:en", {"lang": "de"}, True),
    ("acme -lang:en", {"lang": "en"}, False),
    ("acme platform:bluesky", {"platform": "bluesky"}, True),
    ("acme platform:bluesky", {"platform": "x"}, False),
    ("acme platform:twitter", {"platform": "x"}, True),
    ("acme author:@Jane", {"author_handle": "jane"}, True),
    ("acme author:jane", {"author_handle": "@JANE"}, True),
    ("acme author:jane", {"author_handle": "janet"}, False),
    ("acme author:jane*", {"author_handle": "janet"}, True),
    ("acme -author:acme_support", {"author_handle": "acme_support"}, False),
    ("acme title:recall", {"title": "Big RECALL at the plant"}, True),
    ("acme title:recall", {"title": "All good"}, False),
    ('acme title:"product recall"', {"title": "A product recall"}, True),
    ('acme title:"product recall"', {"title": "A recall of product"}, False),
    ("acme title:recal*", {"title": "recalled"}, True),
]


@pytest.mark.parametrize(("query", "fields", "expected"), FIELD_CASES)
def test_fields(query: str, fields: dict[str, str], expected: bool) -> None:
    assert matches(query, "acme news", **fields) is expected


def test_plain_words_match_the_title_too() -> None:
    assert matches("recall", "nothing", title="Recall!")


def test_title_words_do_not_match_title_field_from_text() -> None:
    assert not matches("title:recall", "recall", title="nothing here")


def test_phrases_do_not_span_text_and_title() -> None:
    assert not matches('"acme recall"', "I like acme", title="recall")
    assert not matches("acme NEAR/5 recall", "I like acme", title="recall")


def test_url_field_matches_domain_and_subdomains() -> None:
    assert matches("url:acme.com", "see https://shop.acme.com/x")
    assert matches("url:acme.com", "see http://www.acme.com")
    assert not matches("url:acme.com", "see https://notacme.com")
    assert matches("url:acme*", "see https://acmeshop.io/x")
    assert matches("url:acme.com", "text", title="from https://acme.com")


def test_terms_and_explain() -> None:
    query = compile_query('(acme OR @acme) AND (refund* OR "customer service") -job*')
    assert query.terms == ("acme", "@acme", "refund*", '"customer service"')
    assert query.excluded_terms == ("job*",)
    post = MatchablePost("@Acme customer service never sent my refunds")
    assert query.matches(post)
    assert query.explain(post) == ["@acme", "refund*", '"customer service"']


def test_explain_lists_near_whole_and_never_excluded_terms() -> None:
    query = compile_query("acme NEAR/2 late -jobs")
    post = MatchablePost("acme so late jobs")
    assert query.explain(post) == ["acme NEAR/2 late"]
    assert not query.matches(post)


def test_triggers() -> None:
    assert compile_query("acme OR @acme").triggers == frozenset({"acme", "@acme"})
    assert compile_query("acme lang:fr").triggers == frozenset({"acme"})
    assert compile_query("lang:fr -acme").triggers == frozenset({"lang:fr"})
    assert compile_query("acme OR -globex").triggers is None
    assert compile_query("--acme").triggers == frozenset({"acme"})
    assert compile_query('"black friday"').clauses == (
        frozenset({"black"}),
        frozenset({"friday"}),
    )
