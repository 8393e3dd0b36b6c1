"""Canned replies: reusable answers per language, with variables filled per case.

Only known variables are replaced; anything else in braces is left as written, so a typo is
visible in the preview instead of raising.

Example::

    render_template("Hi {first_name}, case #{case_id}. {agent}", {"first_name": "Ana",
                    "case_id": "42", "agent": "Maya"})
    # -> "Hi Ana, case #42. Maya"
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.brands.models import Brand
from tocsin.inbox.models import Case
from tocsin.inbox.reply_models import CannedReply

VARIABLES = ("first_name", "name", "handle", "case_id", "agent", "brand")
_VARIABLE = re.compile(r"\{([a-z_]+)\}")


class CannedError(ValueError):
    """A canned reply is invalid; the message says what to fix."""


def render_template(text: str, variables: Mapping[str, str]) -> str:
    return _VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def case_variables(*, session: Session, case: Case, agent: User | None) -> dict[str, str]:
    """The values of :data:`VARIABLES` for a case (empty strings when unknown)."""
    author = case.author
    name = (author.display_name or author.handle) if author else ""
    brand = session.get(Brand, case.brand_id) if case.brand_id else None
    return {
        "first_name": name.split()[0] if name.split() else "",
        "name": name,
        "handle": f"@{author.handle}" if author else "",
        "case_id": str(case.id),
        "agent": (agent.name.split()[0] if agent and agent.name else ""),
        "brand": brand.name if brand else "",
    }


def create_canned(
    *, session: Session, name: str, lang: str, text: str, brand_id: int | None = None
) -> CannedReply:
    name, text = name.strip(), text.strip()
    if not name or not text:
        raise CannedError("a canned reply needs a name and a text")
    unknown = sorted(set(_VARIABLE.findall(text)) - set(VARIABLES))
    if unknown:
        raise CannedError(f"unknown variable(s) {', '.join(unknown)}: use {', '.join(VARIABLES)}")
    row = CannedReply(name=name, lang=lang, text=text, brand_id=brand_id)
    session.add(row)
    session.flush()
    return row


def list_canned(*, session: Session, lang: str | None = None) -> list[CannedReply]:
    """Canned replies, those in ``lang`` first."""
    rows = list(session.scalars(select(CannedReply).order_by(CannedReply.name, CannedReply.lang)))
    if lang:
        rows.sort(key=lambda r: r.lang != lang)
    return rows
