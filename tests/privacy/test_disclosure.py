"""Personal data is masked for readers without pii:unmask; every reveal is audited."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tocsin.accounts.service import create_user
from tocsin.accounts.tokens import create_token
from tocsin.ingestion.schemas import CanonicalAuthor, CanonicalPost
from tocsin.ingestion.service import ingest_posts
from tocsin.privacy.disclosure import disclose
from tocsin.privacy.models import AuditLog

TEXT = "Call me on +33 6 12 34 56 78 or write to ana.lopez@example.org about LM-482913"


@pytest.fixture
def post(session):
    report = ingest_posts(
        session=session,
        posts=[
            CanonicalPost(
                platform="x",
                external_id="pii-1",
                text=TEXT,
                title=None,
                created_at=datetime(2026, 11, 20, tzinfo=UTC),
                author=CanonicalAuthor(handle="ana"),
            )
        ],
    )
    session.commit()
    from tocsin.ingestion.models import Post

    return session.get(Post, report.outcomes[0].post_id)


def test_masked_by_default_even_before_enrichment(session, post):
    shown = disclose(session=session, posts=[post])[post.id]
    assert shown.masked
    assert "ana.lopez@example.org" not in shown.text
    assert "6 12 34 56 78" not in shown.text
    assert {"EMAIL", "PHONE"} <= set(shown.pii_types)


def test_reveal_is_audited(session, post):
    shown = disclose(session=session, posts=[post], reveal=True, actor_user_id=None)[post.id]
    assert shown.text == TEXT
    entry = session.scalar(select(AuditLog).where(AuditLog.action == "pii.unmask"))
    assert entry.detail["post_ids"] == [post.id]


def test_title_and_text_offsets_are_split(session, post):
    from tocsin.enrichment.models import PostEnrichment

    post.title = "Mail me at bob@example.com"
    post.text = "phone +34 612 34 56 78"
    combined = f"{post.title}\n{post.text}"
    e_start = combined.index("bob@")
    p_start = combined.index("+34")
    session.add(
        PostEnrichment(
            post_id=post.id,
            pii_spans=[
                {"type": "EMAIL", "start": e_start, "end": e_start + 15, "score": 1.0},
                {"type": "PHONE", "start": p_start, "end": len(combined), "score": 1.0},
            ],
        )
    )
    session.flush()
    shown = disclose(session=session, posts=[post])[post.id]
    assert shown.title == "Mail me at [EMAIL]"
    assert shown.text == "phone [PHONE]"


def _token(session, role):
    user = create_user(
        session=session, email=f"{role}@example.com", password="a-long-password-1", role=role
    )
    scopes = ["posts:read", "pii:unmask"] if role == "manager" else ["posts:read"]
    issued = create_token(session=session, user=user, name="t", scopes=scopes)
    session.commit()
    return issued.secret


def _client(settings, session_factory):
    from fastapi.testclient import TestClient

    from tocsin.web.app import create_app

    return TestClient(create_app(settings, session_factory=session_factory))


def test_api_masks_for_agents_and_refuses_their_unmask(session, session_factory, settings, post):
    secret = _token(session, "agent")
    client = _client(settings, session_factory)
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get(f"/api/v1/posts/{post.id}", headers=headers).json()
    assert body["masked"] is True
    assert "example.org" not in body["text"]
    denied = client.get(f"/api/v1/posts/{post.id}?unmask=true", headers=headers)
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")


def test_api_unmask_for_managers_is_audited(session, session_factory, settings, post):
    secret = _token(session, "manager")
    client = _client(settings, session_factory)
    body = client.get(
        "/api/v1/posts?unmask=true", headers={"Authorization": f"Bearer {secret}"}
    ).json()
    assert body["items"][0]["text"] == TEXT
    assert session.scalar(select(AuditLog).where(AuditLog.action == "pii.unmask")) is not None
