"""Accounts deleted, taken down, deactivated or back: what happens to their stored posts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.listening.factories import NOW, brands
from tests.listening.rollup_helpers import dispatch_all, fake_enrichment
from tocsin.config import Settings
from tocsin.enrichment.models import PostEnrichment
from tocsin.events.models import OutboxEvent
from tocsin.events.outbox import Subscribers
from tocsin.inbox.models import Case
from tocsin.inbox.pages import CaseFilters, list_cases
from tocsin.ingestion.account_status import (
    AccountStatusChange,
    AppliedChange,
    apply_account_statuses,
)
from tocsin.ingestion.models import Author, Post, PostVersion, RawPayload
from tocsin.ingestion.schemas import CanonicalPost
from tocsin.ingestion.service import ERASED, ingest_posts
from tocsin.listening import tasks as listening_tasks
from tocsin.listening.dashboard import DashboardFilters, build_dashboard
from tocsin.privacy.models import AuditLog
from tocsin.types import utcnow
from tocsin.web.post_search import PostFilters, search_posts

ANA = "did:plc:ana00000000000000000000000"
BEN = "did:plc:ben00000000000000000000000"
ZOE = "did:plc:zoe00000000000000000000000"
START = 1_767_225_600_000_000  # a Jetstream time_us: 2026-01-01T00:00:00Z


def _post(did: str, n: int, text: str, **extra: Any) -> CanonicalPost:
    """A post as the Jetstream normaliser makes it (author named by DID)."""
    uri = f"at://{did}/app.bsky.feed.post/3laaaaaaa{n:04d}"
    return CanonicalPost.model_validate(
        {
            "platform": "bluesky",
            "external_id": uri,
            "text": text,
            "created_at": (NOW - timedelta(hours=2)).isoformat(),
            "author": {"handle": did, "external_id": did},
            "lang": "en",
            "raw": {"did": did, "kind": "commit", "commit": {"rkey": f"r{n}", "text": text}},
            **extra,
        }
    )


def _change(did: str, n: int, status: str | None = None) -> AccountStatusChange:
    return AccountStatusChange(did, active=status is None, status=status, position=START + n)


def _apply(
    session: Session, *changes: AccountStatusChange, create: set[str] | None = None
) -> list[AppliedChange]:
    return apply_account_statuses(
        session=session,
        platform="bluesky",
        changes=list(changes),
        create=create or set(),
        now=utcnow(),
    )


def _ids(session: Session, did: str) -> list[int]:
    stmt = (
        select(Post.id).join(Author, Author.id == Post.author_id).where(Author.external_id == did)
    )
    return list(session.scalars(stmt.order_by(Post.id)))


def _status(session: Session, did: str) -> str | None:
    session.expire_all()
    return session.scalar(select(Author.account_status).where(Author.external_id == did))


def _events(session: Session, name: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(OutboxEvent).where(OutboxEvent.name == name).order_by(OutboxEvent.id)
    )
    return [row.payload for row in rows]


def test_a_deleted_account_is_erased_like_single_deletions_and_the_counts_drop(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as s:
        ours, _ = brands(s)
        s.commit()
    subscribers = Subscribers()
    fake_enrichment(subscribers)
    listening_tasks.subscribe(subscribers, settings)
    with session_factory() as s:
        ingest_posts(
            session=s,
            posts=[
                _post(ANA, 1, "Lumio kettle arrived broken, call me on 0612345678"),
                _post(ANA, 2, "Lumio lamp is fine"),
                _post(BEN, 3, "Lumio lamp is lovely"),
            ],
        )
        ingest_posts(session=s, posts=[_post(ANA, 2, "Lumio lamp is fine, edited")])
        s.commit()
    dispatch_all(session_factory, subscribers)
    with session_factory() as s:
        first = _ids(s, ANA)[0]
        enrichment = s.get(PostEnrichment, first)
        assert enrichment is not None
        enrichment.pii_spans = [{"type": "PHONE", "start": 38, "end": 48, "score": 1.0}]
        enrichment.intents = [{"name": "complaint", "confidence": 0.9, "cue": "arrived broken"}]
        enrichment.explanations = {"sentiment": ["'broken' -0.6"]}
        s.commit()

    def total() -> int:
        with session_factory() as s:
            filters = DashboardFilters(brand_id=ours.id, since=NOW - timedelta(days=1), until=NOW)
            return build_dashboard(session=s, filters=filters).total

    assert total() == 3

    with session_factory() as s:
        applied = _apply(s, _change(ANA, 10, "deleted"))
        s.commit()
    assert [(a.status, a.previous, a.erased, a.posts) for a in applied] == [
        ("deleted", "active", True, 2)
    ]
    dispatch_all(session_factory, subscribers)
    assert total() == 1

    with session_factory() as s:
        ana_posts = [s.get(Post, i) for i in _ids(s, ANA)]
        assert all(
            p is not None and p.deleted and p.text == "" and p.raw is None for p in ana_posts
        )
        assert s.scalar(select(func.count()).select_from(PostVersion)) == 0
        raws = s.scalars(select(RawPayload).where(RawPayload.external_id.contains(ANA))).all()
        assert raws and all(r.payload == {} and r.error == ERASED for r in raws)
        enrichment = s.get(PostEnrichment, first)
        assert enrichment is not None and enrichment.pii_spans == []
        assert enrichment.explanations == {} and enrichment.intents[0]["cue"] == ""
        assert enrichment.intents[0]["name"] == "complaint"
        [ben_post] = [s.get(Post, i) for i in _ids(s, BEN)]
        assert ben_post is not None and not ben_post.deleted and ben_post.text
        [audit] = s.scalars(select(AuditLog).where(AuditLog.action == "author.account_status"))
        assert audit.detail == {
            "platform": "bluesky",
            "external_id": ANA,
            "status": "deleted",
            "previous": "active",
            "erased": True,
            "posts": 2,
        }
        [changed] = _events(s, "author.account_changed")
        assert changed["external_id"] == ANA and changed["posts"] == 2
        assert "Lumio" not in json.dumps([audit.detail, changed])
        assert len(_events(s, "post.deleted")) == 2

    with session_factory() as s:  # a replay, then an older event: nothing changes
        assert _apply(s, _change(ANA, 10, "deleted")) == []
        assert _apply(s, _change(ANA, 9)) == []
        assert _status(s, ANA) == "deleted"
        # a post of the erased author delivered late is stored as a tombstone
        report = ingest_posts(session=s, posts=[_post(ANA, 4, "Lumio again, late")])
        late = s.get(Post, report.outcomes[0].post_id)
        assert late is not None and late.deleted and late.text == ""
        s.commit()
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 1
    dispatch_all(session_factory, subscribers)
    assert total() == 1


def test_a_takedown_erases_and_a_reversal_lets_new_posts_in(session: Session) -> None:
    ingest_posts(session=session, posts=[_post(ANA, 1, "first"), _post(ANA, 2, "second")])
    [done] = _apply(session, _change(ANA, 5, "takendown"))
    assert (done.status, done.erased, done.posts) == ("takendown", True, 2)

    [back] = _apply(session, _change(ANA, 6))
    assert (back.status, back.previous, back.erased, back.posts) == (
        "active",
        "takendown",
        False,
        0,
    )
    ingest_posts(session=session, posts=[_post(ANA, 1, "first, again"), _post(ANA, 3, "new")])
    session.expire_all()
    posts = {p.external_id[-1]: p for p in session.scalars(select(Post).order_by(Post.id))}
    assert posts["1"].deleted and posts["1"].text == ""  # a tombstone stays one
    assert not posts["3"].deleted and posts["3"].text == "new"


def test_deactivation_hides_and_reactivation_shows_without_destroying(session: Session) -> None:
    ingest_posts(
        session=session,
        posts=[
            _post(ANA, 1, "Where is my parcel?"),
            _post(ANA, 2, "Still waiting"),
            _post(BEN, 3, "Hi"),
        ],
    )
    ana = session.scalar(select(Author).where(Author.external_id == ANA))
    ben = session.scalar(select(Author).where(Author.external_id == BEN))
    assert ana is not None and ben is not None
    for author in (ana, ben):
        session.add(
            Case(
                platform="bluesky",
                author_id=author.id,
                status="open",
                opened_at=NOW,
                last_inbound_at=NOW,
                tags=[],
            )
        )
    session.flush()

    def visible() -> tuple[set[str], set[int | None]]:
        session.expire_all()
        page = search_posts(session=session, filters=PostFilters(), limit=50)
        cases = list_cases(session=session, filters=CaseFilters(status="all"))
        return {p.text for p in page.items}, {c.author_id for c in cases}

    assert visible() == ({"Where is my parcel?", "Still waiting", "Hi"}, {ana.id, ben.id})

    [hidden] = _apply(session, _change(ANA, 5, "deactivated"))
    assert (hidden.status, hidden.erased, hidden.posts) == ("deactivated", False, 2)
    assert visible() == ({"Hi"}, {ben.id})
    assert _apply(session, _change(ANA, 4)) == []  # older than the deactivation
    assert visible() == ({"Hi"}, {ben.id})

    [shown] = _apply(session, _change(ANA, 7))
    assert (shown.status, shown.previous, shown.posts) == ("active", "deactivated", 2)
    assert visible() == ({"Where is my parcel?", "Still waiting", "Hi"}, {ana.id, ben.id})
    assert _apply(session, _change(ANA, 7)) == []  # the same event again

    [suspended] = _apply(session, _change(ANA, 8, "suspended"))
    assert suspended.status == "suspended" and visible()[0] == {"Hi"}
    [odd] = _apply(session, _change(ANA, 9, "a status nobody documented"))
    assert odd.status == "inactive" and _status(session, ANA) == "inactive"
    session.expire_all()
    assert all(not p.deleted and p.text for p in session.scalars(select(Post)))


def test_several_changes_in_one_flush_apply_in_order(session: Session) -> None:
    ingest_posts(session=session, posts=[_post(ANA, 1, "one")])
    applied = _apply(session, _change(ANA, 9), _change(ANA, 5, "takendown"))
    assert [a.status for a in applied] == ["takendown", "active"]
    assert _status(session, ANA) is None
    assert session.scalar(select(Post.deleted)) is True


def test_accounts_we_never_stored_are_not_tracked_unless_their_posts_are_arriving(
    session: Session,
) -> None:
    assert _apply(session, _change(ZOE, 1, "deleted")) == []
    assert session.scalar(select(func.count()).select_from(Author)) == 0

    [created] = _apply(session, _change(ZOE, 2, "deleted"), create={ZOE})
    assert (created.status, created.posts) == ("deleted", 0)
    report = ingest_posts(session=session, posts=[_post(ZOE, 1, "posted just before leaving")])
    post = session.get(Post, report.outcomes[0].post_id)
    assert post is not None and post.deleted and post.text == ""
    assert session.scalar(select(func.count()).select_from(Author)) == 1
