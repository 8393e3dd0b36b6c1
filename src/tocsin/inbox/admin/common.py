"""What the inbox's settings routes share, for the API and the pages alike.

Every change goes through :func:`inbox_editor`, the shared :class:`~tocsin.web.editing.Editor`
(service call, audit entry, commit) with its actions audited as ``inbox.<action>``; an API
route wraps it in :func:`~tocsin.web.editing.refusals` so a refusal becomes a problem document.

Example::

    inbox_editor(request, session, who).commit("rule.enabled", "automation_rule", rule.id)
    # audited as ``inbox.rule.enabled`` by ``who``, then committed
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Request
from sqlalchemy.orm import Session

from tocsin.accounts.permissions import Permission
from tocsin.web.deps import Principal, require
from tocsin.web.editing import Editor
from tocsin.web.problems import Problem

ManageRules = Annotated[Principal, require(Permission.RULES_MANAGE)]
ManageSettings = Annotated[Principal, require(Permission.SETTINGS_MANAGE)]
ManageBrands = Annotated[Principal, require(Permission.BRANDS_MANAGE)]
SendReplies = Annotated[Principal, require(Permission.REPLIES_SEND)]
WorkCases = Annotated[Principal, require(Permission.CASES_WORK)]
ReadCases = Annotated[Principal, require(Permission.CASES_READ)]
LangPath = Annotated[str, Path(pattern=r"^[a-z]{2,3}$")]
KindPath = Annotated[Literal["eta", "redirect"], Path()]


def inbox_editor(request: Request, session: Session, who: Principal) -> Editor:
    """The editor for a change to the inbox's settings: audited as ``inbox.<action>``."""
    return Editor(request, session, who, domain="inbox")


def found(session: Session, model: type[Any], row_id: int) -> Any:
    """The row, or a 404 problem naming it (``business calendar 7 does not exist``)."""
    row = session.get(model, row_id)
    if row is None:
        label = model.__tablename__.rstrip("s").replace("_", " ")
        raise Problem(404, "not-found", "Not found", f"{label} {row_id} does not exist")
    return row
