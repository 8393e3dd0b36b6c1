"""Holding statements: drafted from a template per language, approved, then published.

A statement is *official* once published: it carries the label "Official statement" and the
approver's name in the war room, the report and the staff communiqué.  Only someone allowed to
approve replies (``replies:approve``) may approve, and never the author of the draft when
``four_eyes`` is on.

Example::

    draft = draft_statement(session=s, incident=incident, lang="fr", drafted_by_id=me.id,
                            values={"issue": "une panne de connexion"})
    approve_statement(session=s, statement=draft, approver_id=boss.id, now=utcnow())
    publish_statement(session=s, statement=draft, actor_id=me.id, now=utcnow())
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.crisis.incident_models import HoldingStatement, Incident, StatementTemplate
from tocsin.crisis.incidents import add_event

LANGUAGES = ("en", "fr", "es", "nl")
BUILTIN_TEMPLATES = {
    "en": (
        "We are aware that some customers are experiencing {issue}. Our teams are working on it "
        "and we will share an update by {next_update}. Thank you for your patience — for help, "
        "please contact us at {channel}. — {brand}"
    ),
    "fr": (
        "Nous savons que certains clients rencontrent {issue}. Nos équipes sont mobilisées et "
        "nous donnerons des nouvelles d'ici {next_update}. Merci de votre patience ; pour toute "
        "aide, contactez-nous sur {channel}. — {brand}"
    ),
    "es": (
        "Sabemos que algunos clientes están teniendo {issue}. Nuestros equipos están trabajando "
        "en ello y compartiremos novedades antes de {next_update}. Gracias por su paciencia; "
        "para cualquier ayuda, escríbanos en {channel}. — {brand}"
    ),
    "nl": (
        "We weten dat sommige klanten last hebben van {issue}. Onze teams werken eraan en we "
        "geven een update voor {next_update}. Bedankt voor uw geduld; voor hulp kunt u ons "
        "bereiken via {channel}. — {brand}"
    ),
}
DEFAULT_VALUES = {
    "issue": "a problem",
    "next_update": "the next hour",
    "channel": "our help centre",
}


class StatementError(ValueError):
    """The statement cannot make that move; the message says why."""


def template_for(*, session: Session, brand_id: int, lang: str) -> str:
    """The brand's stored template for ``lang``, else the shared one, else the built-in one."""
    if lang not in LANGUAGES:
        raise StatementError(f"statements exist in {', '.join(LANGUAGES)}, not {lang!r}")
    rows = {
        row.brand_id: row.body
        for row in session.scalars(
            select(StatementTemplate).where(
                StatementTemplate.lang == lang,
                (StatementTemplate.brand_id == brand_id) | StatementTemplate.brand_id.is_(None),
            )
        )
    }
    return rows.get(brand_id) or rows.get(None) or BUILTIN_TEMPLATES[lang]


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def draft_statement(
    *,
    session: Session,
    incident: Incident,
    lang: str,
    drafted_by_id: int | None,
    values: dict[str, str] | None = None,
    text: str | None = None,
) -> HoldingStatement:
    """A draft from the template (placeholders filled from ``values``) or from ``text``."""
    body = text
    if body is None:
        template = template_for(session=session, brand_id=incident.brand_id, lang=lang)
        filled = _Blank({**DEFAULT_VALUES, "brand": incident.brand.name, **(values or {})})
        body = template.format_map(filled)
    if not body.strip():
        raise StatementError("a statement cannot be empty")
    statement = HoldingStatement(
        incident_id=incident.id,
        lang=lang,
        text=body.strip(),
        status="draft",
        drafted_by_id=drafted_by_id,
    )
    session.add(statement)
    session.flush()
    add_event(
        session=session,
        incident_id=incident.id,
        kind="statement",
        text=f"Holding statement drafted ({lang})",
        actor_id=drafted_by_id,
        data={"statement_id": statement.id, "status": "draft"},
    )
    return statement


def edit_statement(*, session: Session, statement: HoldingStatement, text: str) -> HoldingStatement:
    """Change a draft's text (an approved or published statement is never changed)."""
    if statement.status != "draft":
        raise StatementError("only a draft can be edited: draft a new statement instead")
    if not text.strip():
        raise StatementError("a statement cannot be empty")
    statement.text = text.strip()
    return statement


def approve_statement(
    *,
    session: Session,
    statement: HoldingStatement,
    approver_id: int,
    now: datetime,
    four_eyes: bool = True,
) -> HoldingStatement:
    if statement.status != "draft":
        raise StatementError(f"this statement is {statement.status} already")
    if four_eyes and statement.drafted_by_id == approver_id:
        raise StatementError("another manager must approve a statement you drafted")
    statement.status = "approved"
    statement.approved_by_id = approver_id
    statement.approved_at = now
    add_event(
        session=session,
        incident_id=statement.incident_id,
        kind="statement",
        text=f"Holding statement approved ({statement.lang})",
        actor_id=approver_id,
        data={"statement_id": statement.id, "status": "approved"},
    )
    return statement


def publish_statement(
    *, session: Session, statement: HoldingStatement, actor_id: int | None, now: datetime
) -> HoldingStatement:
    """Mark an approved statement as the official word (shown on the communiqué page)."""
    if statement.status != "approved":
        raise StatementError("a statement must be approved before it is published")
    statement.status = "published"
    statement.published_at = now
    add_event(
        session=session,
        incident_id=statement.incident_id,
        kind="statement",
        text=f"Official statement published ({statement.lang}): {statement.text}",
        actor_id=actor_id,
        data={"statement_id": statement.id, "status": "published"},
    )
    return statement


def statements(*, session: Session, incident_id: int) -> list[HoldingStatement]:
    return list(
        session.scalars(
            select(HoldingStatement)
            .where(HoldingStatement.incident_id == incident_id)
            .order_by(HoldingStatement.created_at, HoldingStatement.id)
        )
    )
