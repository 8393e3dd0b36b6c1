"""The bell: a user's in-app notifications, the unread count, and marking them read.

A notification addressed to everyone is one row with ``user_id`` null. Marking it read must not
mark it read for the others, so reading it stores the user's own copy (same ``key``, already
read); from then on the user sees their copy instead of the shared row. No extra table needed,
and the ``(user_id, key)`` unique constraint keeps it to one copy per user.

Example::

    unread_count(session=s, user_id=7)            # 3
    mark_read(session=s, user_id=7, notification_id=12)
    unread_count(session=s, user_id=7)            # 2
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tocsin.notifications.models import InAppNotification
from tocsin.types import utcnow


def _visible_to(user_id: int) -> ColumnElement[bool]:
    own_keys = select(InAppNotification.key).where(InAppNotification.user_id == user_id)
    return or_(
        InAppNotification.user_id == user_id,
        and_(InAppNotification.user_id.is_(None), InAppNotification.key.not_in(own_keys)),
    )


def _unread(user_id: int) -> ColumnElement[bool]:
    return or_(InAppNotification.user_id.is_(None), InAppNotification.read_at.is_(None))


def list_for_user(
    *, session: Session, user_id: int, limit: int = 50, unread_only: bool = False
) -> list[InAppNotification]:
    """The user's notifications, newest first."""
    query = (
        select(InAppNotification)
        .where(_visible_to(user_id))
        .order_by(InAppNotification.created_at.desc(), InAppNotification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(_unread(user_id))
    return list(session.scalars(query))


def unread_count(*, session: Session, user_id: int) -> int:
    query = (
        select(func.count())
        .select_from(InAppNotification)
        .where(_visible_to(user_id), _unread(user_id))
    )
    return int(session.scalar(query) or 0)


class Shown(Protocol):
    """What the bell shows of a notification (a message, or another bell row)."""

    @property
    def key(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def severity(self) -> str: ...


def bell_row(note: Shown, *, user_id: int | None, **columns: Any) -> InAppNotification:
    """The bell's row for ``note``, for ``user_id`` (everyone when None); ``columns`` sets the
    times (``created_at``, ``read_at``) when they are not the defaults."""
    return InAppNotification(
        user_id=user_id,
        key=note.key,
        subject=note.subject,
        text=note.text,
        url=note.url,
        severity=note.severity,
        **columns,
    )


def is_unread(note: InAppNotification) -> bool:
    return note.user_id is None or note.read_at is None


def mark_read(*, session: Session, user_id: int, notification_id: int) -> bool:
    """Mark one notification read for ``user_id``; False when it is not theirs to see."""
    note = session.scalar(
        select(InAppNotification).where(
            InAppNotification.id == notification_id,
            or_(InAppNotification.user_id == user_id, InAppNotification.user_id.is_(None)),
        )
    )
    if note is None:
        return False
    if note.user_id is not None:
        note.read_at = note.read_at or utcnow()
        return True
    own = select(InAppNotification.id).where(
        InAppNotification.user_id == user_id, InAppNotification.key == note.key
    )
    if session.scalar(own) is not None:
        return True  # read before (their copy exists)
    copy = bell_row(note, user_id=user_id, created_at=note.created_at, read_at=utcnow())
    try:
        with session.begin_nested():
            session.add(copy)
    except IntegrityError:
        pass  # read twice at once (two tabs): the first copy stands
    return True


def mark_all_read(*, session: Session, user_id: int) -> int:
    """Mark every unread notification of ``user_id`` read; return how many."""
    unread = list_for_user(session=session, user_id=user_id, limit=1000, unread_only=True)
    for note in unread:
        mark_read(session=session, user_id=user_id, notification_id=note.id)
    return len(unread)
