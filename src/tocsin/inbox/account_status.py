"""Cases of authors whose account is gone: closed once nothing is left to answer.

When a platform says an account was deleted or taken down, ingestion tombstones every post of
that author (:mod:`tocsin.ingestion.account_status`) and emits ``author.account_changed``.
The author's open, pending or snoozed cases whose posts are now all tombstones are closed by
the system, with the reason in the history; a case that still holds someone else's post (a
thread) stays as it is.  Closing an already closed case does nothing, so a redelivered event
is harmless.

Example::

    close_cases_of_erased_author(session=s, author_id=7, status="deleted", now=utcnow())
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.inbox.cases import SYSTEM, record, set_status
from tocsin.inbox.models import ACTIVE_STATUSES, Case, PostTriage
from tocsin.ingestion.models import Post


def close_cases_of_erased_author(
    *, session: Session, author_id: int, status: str, now: datetime
) -> list[int]:
    """Close the author's active cases whose every post is a tombstone; return their ids."""
    cases = session.scalars(
        select(Case)
        .where(Case.author_id == author_id, Case.status.in_(ACTIVE_STATUSES))
        .order_by(Case.id)
    ).all()
    closed: list[int] = []
    for case in cases:
        alive = session.scalar(
            select(Post.id)
            .join(PostTriage, PostTriage.post_id == Post.id)
            .where(PostTriage.case_id == case.id, Post.deleted.is_(False))
            .limit(1)
        )
        if alive is not None:
            continue
        record(
            session=session,
            case=case,
            action="author_gone",
            actor=SYSTEM,
            now=now,
            details={"account_status": status},
            emit_event=False,
        )
        set_status(session=session, case=case, status="closed", actor=SYSTEM, now=now)
        closed.append(case.id)
    return closed
