"""Priority: every factor adds capped, explained points; the sum is the score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.enrichment.base import BatchContext, Enrichment, IntentHit, PostInput
from tocsin.enrichment.priority import PriorityEnricher, PriorityWeights


def enrichment(*intents: str, sentiment: float = 0.0, lang: str = "en") -> Enrichment:
    label = "negative" if sentiment < -0.05 else "positive" if sentiment > 0.05 else "neutral"
    result = Enrichment(post_id="1", lang=lang, sentiment=label, sentiment_score=sentiment)
    for name in intents:
        base, _, subtype = name.partition("/")
        result.intents.append(IntentHit(base, 0.9, "test cue", subtype or None))
    return result


def score(post: PostInput, result: Enrichment, **kwargs: object) -> tuple[int, dict[str, float]]:
    enricher = PriorityEnricher(**kwargs)  # type: ignore[arg-type]
    value, reasons = enricher.score(post, result, age_hours=post.age_hours)
    return value, {r.factor: r.points for r in reasons}


def test_plain_post_scores_zero_with_no_reasons() -> None:
    assert score(PostInput(id="1", text="nice weather"), enrichment()) == (0, {})


def test_reasons_add_up_to_the_priority() -> None:
    post = PostInput(
        id="1",
        text="my lawyer will hear about this",
        author_followers=12_000,
        author_verified=True,
        likes=300,
        reposts=100,
        age_hours=2.0,
    )
    value, reasons = score(post, enrichment("complaint", "threat/legal", sentiment=-0.8))
    assert set(reasons) == {"intent", "sentiment", "reach", "velocity", "risk"}
    assert reasons["intent"] == 40  # complaint 20 + threat 35, capped at 40
    assert reasons["sentiment"] == 12
    assert reasons["reach"] == 20  # 4 * log10(12001) + 4 = 20.3, capped
    assert reasons["velocity"] == pytest.approx(5 * 2.303, abs=0.1)  # 200 per hour
    assert reasons["risk"] == 10
    assert value == round(sum(reasons.values()))


def test_threat_outranks_a_question_from_a_bigger_account() -> None:
    threat, _ = score(PostInput(id="1", text="x"), enrichment("threat/blackmail"))
    question, _ = score(PostInput(id="2", text="x", author_followers=5_000), enrichment("question"))
    assert threat > question


def test_reach_grows_with_log_followers() -> None:
    small = score(PostInput(id="1", text="x", author_followers=10), enrichment())[1]["reach"]
    big = score(PostInput(id="1", text="x", author_followers=100_000), enrichment())[1]["reach"]
    assert small == pytest.approx(4.2, abs=0.1)
    assert big == 20


def test_velocity_uses_created_at_when_age_is_unknown() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    post = PostInput(id="1", text="x", likes=100, created_at=now - timedelta(hours=1))
    result = enrichment()
    PriorityEnricher().enrich([post], [result], BatchContext(texts=["x"], embedder=None, now=now))
    velocity = next(r for r in result.priority_reasons if r.factor == "velocity")
    assert velocity.points == pytest.approx(10.0, abs=0.1)
    assert "100/h" in velocity.detail


def test_young_posts_do_not_explode_velocity() -> None:
    post = PostInput(id="1", text="x", likes=5, age_hours=0.001)
    # 5 engagements spread over the 15-minute floor: 20/h, not 5,000/h
    assert score(post, enrichment())[1]["velocity"] == pytest.approx(5 * 1.322, abs=0.1)


def test_vip_by_list_or_flag() -> None:
    listed = PostInput(id="1", text="x", author_handle="@LeMonde")
    assert score(listed, enrichment(), vip_handles=["lemonde"])[1]["vip"] == 15
    flagged = PostInput(id="1", text="x", is_vip=True)
    assert score(flagged, enrichment())[1]["vip"] == 15


@pytest.mark.parametrize(
    ("text", "lang", "category"),
    [
        ("Je vais voir mon avocat", "fr", "legal"),
        ("Ce produit fait l'objet d'un rappel conso", "fr", "recall"),
        ("Mi abogado ya tiene el caso", "es", "legal"),
        ("Mijn advocaat neemt contact op", "nl", "legal"),
        ("Is there a recall on this model?", "en", "recall"),
        ("I'm a journalist writing about your delays", "en", "media"),
    ],
)
def test_risk_terms_per_language(text: str, lang: str, category: str) -> None:
    enricher = PriorityEnricher()
    _, reasons = enricher.score(PostInput(id="1", text=text), enrichment(lang=lang))
    risk = next(r for r in reasons if r.factor == "risk")
    assert risk.points == 10
    assert category in risk.detail


def test_custom_risk_terms() -> None:
    post = PostInput(id="1", text="Contacting the Acme Consumer Circle")
    assert "risk" not in score(post, enrichment())[1]
    assert score(post, enrichment(), risk_terms=["acme consumer circle"])[1]["risk"] == 10


def test_spam_is_capped_whatever_its_reach() -> None:
    post = PostInput(id="1", text="x", author_followers=1_000_000, is_vip=True)
    value, reasons = score(post, enrichment("spam", "question"))
    assert value == 5
    assert reasons["spam"] < 0


def test_score_is_clamped_to_100() -> None:
    post = PostInput(
        id="1",
        text="lawyer recall journalist",
        author_followers=10**7,
        likes=10**6,
        age_hours=1,
        is_vip=True,
    )
    value, reasons = score(post, enrichment("threat", "safety", sentiment=-1.0))
    assert sum(reasons.values()) > 100
    assert value == 100


def test_weights_are_configurable() -> None:
    weights = PriorityWeights(intent_points={"question": 30.0}, intent_cap=30.0)
    value, _ = score(PostInput(id="1", text="x"), enrichment("question"), weights=weights)
    assert value == 30
