"""The shape every settings change shares, for the API and the pages alike.

A change runs a service function (which may raise :class:`AdminError`), writes one audit entry
naming who did what to which row, then commits, in that order: a refused change leaves no
audit entry and no half-written row.  :class:`Editor` holds the request, session and caller
so each route is one call; :func:`refusals` turns a refusal into the API's problem document.

Example::

    editor = Editor(request, session, who)
    with refusals():
        row = editor.apply(
            lambda: svc.create_calendar(session=session, data=body),
            action="calendar.created",
            target_type="business_calendar",
            detail=body.model_dump(mode="json"),
        )
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Path, Request
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.inbox.admin.service import AdminError
from tocsin.web.audit import record_change
from tocsin.web.deps import Principal, require
from tocsin.web.problems import Problem, refusal

ManageRules = Annotated[Principal, require(Permission.RULES_MANAGE)]
ManageSettings = Annotated[Principal, require(Permission.SETTINGS_MANAGE)]
ManageBrands = Annotated[Principal, require(Permission.BRANDS_MANAGE)]
SendReplies = Annotated[Principal, require(Permission.REPLIES_SEND)]
WorkCases = Annotated[Principal, require(Permission.CASES_WORK)]
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
LangPath = Annotated[str, Path(pattern=r"^[a-z]{2,3}$")]
KindPath = Annotated[Literal["eta", "redirect"], Path()]
R = TypeVar("R")


def audit(
    request: Request,
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: dict[str, Any] | None = None,
) -> None:
    """One audit entry (``inbox.<action>``) for a change made through the API or the pages."""
    record_change(
        request,
        session,
        who,
        action=f"inbox.{action}",
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )


def refused(exc: AdminError) -> Problem:
    return refusal(exc.status, str(exc), exc.errors)


@contextmanager
def refusals() -> Iterator[None]:
    """Inside, an :class:`AdminError` becomes a 422 (or 409) problem naming the fields."""
    try:
        yield
    except AdminError as exc:
        raise refused(exc) from exc


def found(session: Session, model: type[Any], row_id: int) -> Any:
    """The row, or a 404 problem naming it (``business calendar 7 does not exist``)."""
    row = session.get(model, row_id)
    if row is None:
        label = model.__tablename__.rstrip("s").replace("_", " ")
        raise Problem(404, "not-found", "Not found", f"{label} {row_id} does not exist")
    return row


@dataclass(frozen=True)
class Editor:
    """Who changes the settings, from which request: audits and commits each change."""

    request: Request
    session: Session
    who: Principal

    def commit(
        self, action: str, target_type: str, target_id: str | int, detail: Any = None
    ) -> None:
        audit(self.request, self.session, self.who, action, target_type, target_id, detail)
        self.session.commit()

    def apply(
        self,
        change: Callable[[], R],
        *,
        action: str,
        target_type: str,
        detail: dict[str, Any] | Callable[[R], dict[str, Any]] | None = None,
    ) -> R:
        """Run ``change`` (a create or an update returning the row), audit it, commit."""
        row = change()
        entry = detail(row) if callable(detail) else detail
        self.commit(action, target_type, getattr(row, "id", ""), entry)
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
        audit(self.request, self.session, self.who, action, target_type, row.id, detail)
        if remove is not None:
            remove()
        else:
            self.session.delete(row)
        self.session.commit()
