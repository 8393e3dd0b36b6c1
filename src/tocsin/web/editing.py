"""How a management route changes something: service call, audit entry, commit.

A change runs a service function (which may raise :class:`~tocsin.errors.AdminError`), writes
one audit entry naming who did what to which row, then commits, in that order: a refused
change leaves no audit entry and no half-written row.  :class:`Editor` holds the request,
session and caller so each route is one call, for the inbox, crisis and team APIs and pages
alike; :func:`refusals` turns a refusal into the API's problem document.

Example::

    editor = Editor(request, session, who, domain="inbox")
    with refusals(session):
        row = editor.apply(
            lambda: svc.create_calendar(session=session, data=body),
            action="calendar.created",          # audited as ``inbox.calendar.created``
            target_type="business_calendar",
            detail=body.model_dump(mode="json"),
        )
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.orm import Session

from tocsin.errors import AdminError
from tocsin.web.audit import record_change
from tocsin.web.deps import Principal
from tocsin.web.problems import refusal

R = TypeVar("R")


@contextmanager
def refusals(session: Session | None = None) -> Iterator[None]:
    """Inside, an :class:`AdminError` becomes a 404, 409 or 422 problem naming the fields.

    With ``session``, the refused change is rolled back first, releasing any row it locked.
    """
    try:
        yield
    except AdminError as exc:
        if session is not None:
            session.rollback()
        raise refusal(exc) from exc


@dataclass(frozen=True)
class Editor:
    """Who changes what, from which request: audits and commits each change.

    ``domain`` prefixes the audit actions (``inbox`` → ``inbox.rule.updated``); empty, the
    action is recorded as given (``user.created``).
    """

    request: Request
    session: Session
    who: Principal
    domain: str = ""

    def record(
        self, action: str, target_type: str, target_id: str | int, detail: Any = None
    ) -> None:
        """One audit entry, in the change's transaction; the caller commits."""
        record_change(
            self.request,
            self.session,
            self.who,
            action=f"{self.domain}.{action}" if self.domain else action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
        )

    def commit(
        self, action: str, target_type: str, target_id: str | int, detail: Any = None
    ) -> None:
        """Audit a change already made, then commit it."""
        self.record(action, target_type, target_id, detail)
        self.session.commit()

    def apply(
        self,
        change: Callable[[], R],
        *,
        action: str,
        target_type: str,
        target_id: str | int | None = None,
        detail: dict[str, Any] | Callable[[R], dict[str, Any]] | None = None,
    ) -> R:
        """Run ``change`` (a create or an update returning the row), audit it, commit.

        The entry names the row's ``id`` unless ``target_id`` is given (a scope, a language);
        a callable ``detail`` is given the row.
        """
        row = change()
        entry = detail(row) if callable(detail) else detail
        target = getattr(row, "id", "") if target_id is None else target_id
        self.commit(action, target_type, target, entry)
        return row

    def delete(
        self,
        row: Any,
        *,
        action: str,
        target_type: str,
        detail: dict[str, Any] | None = None,
        remove: Callable[[], None] | None = None,
    ) -> None:
        """Audit, then delete ``row`` (or run ``remove`` when deleting needs more), commit."""
        self.record(action, target_type, row.id, detail)
        if remove is not None:
            remove()
        else:
            self.session.delete(row)
        self.session.commit()
