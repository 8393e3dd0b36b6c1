"""Reply to all similar in the browser's HTTP flow: list, send once, resubmit sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import csrf_from
from tocsin.accounts.models import User
from tocsin.connectors.fake import FakePublisher
from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.reply_models import Reply
from tocsin.inbox.triage import triage_posts
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ingest_posts

QUESTIONS = [
    ("ana", "en", "Is the Lumio app down? Nothing loads"),
    ("ben", "en", "Is the Lumio app down? It will not load for me"),
    ("chloe", "fr", "L'application Lumio est-elle en panne ? Rien ne charge"),
]


def _cases(factory: sessionmaker[Session]) -> list[int]:
    now = datetime.now(UTC) - timedelta(minutes=5)
    with factory() as s:
        ids = []
        for i, (handle, lang, text) in enumerate(QUESTIONS):
            post = CanonicalPost.model_validate(
                {
                    "platform": "x",
                    "external_id": f"sim-{i}",
                    "text": text,
                    "lang": lang,
                    "created_at": now,
                    "author": {"handle": handle},
                }
            )
            post_id = ingest_posts(session=s, posts=[post]).outcomes[0].post_id
            s.add(PostEnrichment(post_id=post_id, lang=lang, needs_reply=True, priority=20))
            s.flush()
            ids += triage_posts(session=s, post_ids=[post_id], now=now).opened
        s.commit()
        return ids


def test_similar_page_and_send(
    app: FastAPI,
    client: TestClient,
    signed_in: Callable[..., User],
    session_factory: sessionmaker[Session],
) -> None:
    registry = PublisherRegistry(use_connectors=False)
    registry.register(FakePublisher("x"))
    app.state.inbox_publishers = registry
    source, ben, chloe = _cases(session_factory)
    signed_in("agent")
    page = client.get(f"/inbox/cases/{source}/similar")
    assert page.status_code == 200
    assert f'name="case_ids" value="{ben}" checked' in page.text
    assert f'name="case_ids" value="{chloe}" checked' in page.text
    form = {
        "csrf_token": csrf_from(page.text),
        "group_key": page.text.split('name="group_key" value="')[1].split('"')[0],
        "text": "Hi {first_name}, we are fixing it.",
        "case_ids": [str(ben)],
    }
    sent = client.post(f"/inbox/cases/{source}/similar", data=form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/inbox/cases/{source}?flash=similar_sent"
    again = client.post(f"/inbox/cases/{source}/similar", data=form)
    assert again.status_code == 303
    with session_factory() as s:
        texts = dict(s.execute(select(Reply.case_id, Reply.text)).all())
        assert texts == {source: "Hi ana, we are fixing it.", ben: "Hi ben, we are fixing it."}
        assert s.scalar(select(func.count(Reply.id))) == 2
        assert s.get(Case, chloe).awaiting_reply  # type: ignore[union-attr]
    assert client.get(f"/inbox/cases/{source}?flash=similar_sent").status_code == 200
