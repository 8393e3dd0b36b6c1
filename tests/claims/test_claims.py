"""The fact sheet: multilingual matching with evidence, corrections through approval, spread."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.listening.factories import NOW, brands, post
from tocsin.accounts.service import create_user
from tocsin.claims.corrections import CorrectionError, decide_correction
from tocsin.claims.evaluate import evaluate
from tocsin.claims.models import ClaimCorrection
from tocsin.claims.service import (
    ClaimError,
    create_claim,
    match_posts_to_claims,
    misinformed,
    spread,
)

DATA = Path(__file__).parent / "data" / "paraphrases.json"


def _claim(session: Session, brand_id: int):  # type: ignore[no-untyped-def]
    return create_claim(
        session=session,
        brand_id=brand_id,
        statement="The Lumio app sells your personal data to advertisers.",
        verdict="false",
        corrections={
            "en": "Lumio does not sell personal data.",
            "fr": "Lumio ne vend pas de données personnelles.",
        },
        source_url="https://lumio.example/privacy",
        keywords=["data", "données", "sell", "vend", "revend"],
    )


def test_invalid_claims_are_refused(session: Session) -> None:
    ours, _ = brands(session)
    with pytest.raises(ClaimError, match="verdict"):
        create_claim(
            session=session,
            brand_id=ours.id,
            statement="x y z",
            verdict="maybe",
            corrections={"en": "no"},
            source_url="https://a.example",
        )
    with pytest.raises(ClaimError, match="http"):
        create_claim(
            session=session,
            brand_id=ours.id,
            statement="x y z",
            verdict="false",
            corrections={"en": "no"},
            source_url="javascript:alert(1)",
        )
    with pytest.raises(ClaimError, match="correction"):
        create_claim(
            session=session,
            brand_id=ours.id,
            statement="x y z",
            verdict="false",
            corrections={},
            source_url="https://a.example",
        )


def test_matching_explains_and_corrections_need_a_manager(session: Session) -> None:
    ours, _ = brands(session)
    claim = _claim(session, ours.id)
    french = post(
        session,
        "Attention : Lumio revend vos données perso aux publicitaires !",
        lang="fr",
        at=NOW - timedelta(days=1),
    )
    denial = post(session, "Non, Lumio ne vend pas vos données, leur audit est public", lang="fr")
    other = post(session, "Lumio bulbs are bright and cheap")
    matches = match_posts_to_claims(session=session, post_ids=[french.id, denial.id, other.id])
    assert [m.post_id for m in matches] == [french.id]
    match = matches[0]
    assert match.similarity >= 0.5 and "revend" in match.keywords
    assert match.correction_similarity < match.similarity
    assert match_posts_to_claims(session=session, post_ids=[french.id]) == []  # idempotent
    assert list(misinformed(session=session, post_ids=[french.id, other.id])) == [french.id]

    correction = session.query(ClaimCorrection).filter_by(post_id=french.id).one()
    assert correction.lang == "fr" and correction.status == "pending_approval"
    assert correction.text.endswith("Source: https://lumio.example/privacy")
    assert correction.text.startswith("Lumio ne vend pas")

    agent = create_user(
        session=session, email="a@example.com", password="pw-123456789", role="agent"
    )
    with pytest.raises(CorrectionError):
        decide_correction(session=session, correction=correction, user=agent, approve=True, now=NOW)
    manager = create_user(
        session=session, email="m@example.com", password="pw-123456789", role="manager"
    )
    decide_correction(session=session, correction=correction, user=manager, approve=True, now=NOW)
    assert correction.status == "approved" and correction.decided_by_id == manager.id
    with pytest.raises(CorrectionError, match="already"):
        decide_correction(
            session=session, correction=correction, user=manager, approve=False, now=NOW
        )

    days = spread(session=session, claim_id=claim.id, since=NOW - timedelta(days=3), until=NOW)
    assert sum(n for _, n in days) == 1 and len(days) == 4  # three days back from noon


def test_precision_and_recall_on_the_labelled_paraphrases() -> None:
    from tocsin.enrichment.embedding import default_embedder

    report = evaluate(json.loads(DATA.read_text()), default_embedder())
    assert report.examples >= 80
    assert report.precision >= 0.9, report.mistakes
    assert report.recall >= 0.85, report.mistakes
