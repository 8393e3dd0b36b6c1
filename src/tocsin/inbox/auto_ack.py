"""Automatic acknowledgements: never silent out of hours or when the queue is long.

When a case opens outside business hours, or when the predicted wait exceeds its first-response
target, Tocsin answers in the author's language with a text that says it is automatic,
acknowledges receipt, and gives a realistic ETA computed from the live queue —
``ceil(position ÷ agents on shift) × median handle time``, counted from the next opening — or
points to another channel when one is configured for out-of-hours.

Guards: at most one per case per configured period; never to an automated account, another
brand's account, spam, or an automatic message; the reply is labelled automatic
(``Reply.is_automatic`` and ``Post.is_automatic``) and meets no SLA target.

Example::

    decision = acknowledge(session=s, case=case, now=now, registry=registry)
    decision.sent, decision.reason, decision.text
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.enrichment.models import PostEnrichment
from tocsin.inbox.canned import render_template
from tocsin.inbox.models import ACTIVE_STATUSES, AgentStatus, Case, CaseHistory
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.reply_models import AckTemplate, Reply
from tocsin.inbox.sla.calendar import Hours
from tocsin.inbox.sla.engine import open_targets
from tocsin.inbox.sla.policies import default_hours, inbox_settings
from tocsin.ingestion.models import Post

ACK_LANGUAGES = ("en", "fr", "es", "nl")
DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {
    ("en", "eta"): "This is an automatic message: we have received your message and a member of "
    "our team will reply in about {eta}. Case #{case_id}.",
    ("en", "redirect"): "This is an automatic message: we have received your message. Our team "
    "is away right now; for urgent help, {redirect}. Case #{case_id}.",
    ("fr", "eta"): "Ceci est un message automatique : nous avons bien reçu votre message et un "
    "membre de notre équipe vous répondra dans environ {eta}. Dossier n° {case_id}.",
    ("fr", "redirect"): "Ceci est un message automatique : nous avons bien reçu votre message. "
    "Notre équipe est absente pour le moment ; en cas d'urgence, {redirect}. Dossier n° {case_id}.",
    ("es", "eta"): "Este es un mensaje automático: hemos recibido tu mensaje y una persona de "
    "nuestro equipo te responderá en unos {eta}. Caso n.º {case_id}.",
    ("es", "redirect"): "Este es un mensaje automático: hemos recibido tu mensaje. Nuestro equipo "
    "no está disponible ahora; si es urgente, {redirect}. Caso n.º {case_id}.",
    ("nl", "eta"): "Dit is een automatisch bericht: we hebben je bericht ontvangen en iemand van "
    "ons team antwoordt je over ongeveer {eta}. Zaak #{case_id}.",
    ("nl", "redirect"): "Dit is een automatisch bericht: we hebben je bericht ontvangen. Ons team "
    "is nu niet bereikbaar; voor dringende hulp: {redirect}. Zaak #{case_id}.",
}
_UNITS = {
    "en": ("minutes", "hours"),
    "fr": ("minutes", "heures"),
    "es": ("minutos", "horas"),
    "nl": ("minuten", "uur"),
}
#: Handle times measured from at most this many recent cases.
HANDLE_SAMPLE = 200


@dataclass(frozen=True)
class AckDecision:
    sent: bool
    reason: str
    text: str = ""
    eta_minutes: int | None = None
    reply_id: int | None = None


def format_eta(minutes: int, lang: str) -> str:
    """``"25 minutes"``, ``"3 heures"``: whole minutes below two hours, else whole hours."""
    unit_minutes, unit_hours = _UNITS.get(lang, _UNITS["en"])
    if minutes < 120:
        return f"{max(5, math.ceil(minutes / 5) * 5)} {unit_minutes}"
    return f"{math.ceil(minutes / 60)} {unit_hours}"


def template_text(*, session: Session, lang: str, kind: str) -> str:
    """The stored template for ``lang``/``kind``, else the built-in one (English as last resort)."""
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is not None:
        return row.text
    return DEFAULT_TEMPLATES.get((lang, kind)) or DEFAULT_TEMPLATES[("en", kind)]


def median_handle_minutes(*, session: Session, default: int) -> float:
    """Median minutes from a case's first assignment to its first human reply (recent cases)."""
    assigned = (
        select(CaseHistory.case_id, func.min(CaseHistory.at).label("at"))
        .where(CaseHistory.action == "assigned", CaseHistory.actor_kind != "rule")
        .group_by(CaseHistory.case_id)
        .subquery()
    )
    replied = (
        select(CaseHistory.case_id, func.min(CaseHistory.at).label("at"))
        .where(CaseHistory.action == "replied")
        .group_by(CaseHistory.case_id)
        .subquery()
    )
    rows = session.execute(
        select(assigned.c.at, replied.c.at)
        .join(replied, replied.c.case_id == assigned.c.case_id)
        .order_by(replied.c.at.desc())
        .limit(HANDLE_SAMPLE)
    ).all()
    samples = [
        (replied_at - assigned_at).total_seconds() / 60
        for assigned_at, replied_at in rows
        if isinstance(replied_at, datetime)
        and isinstance(assigned_at, datetime)
        and replied_at >= assigned_at
    ]
    return statistics.median(samples) if len(samples) >= 5 else float(default)


def queue_position(*, session: Session, case: Case) -> int:
    """1 + the waiting cases served before this one (higher priority, or same and older)."""
    ahead = session.scalar(
        select(func.count(Case.id)).where(
            Case.status.in_(ACTIVE_STATUSES),
            Case.awaiting_reply.is_(True),
            Case.id != case.id,
            (Case.priority > case.priority)
            | (
                (Case.priority == case.priority)
                & (
                    (Case.opened_at < case.opened_at)
                    | ((Case.opened_at == case.opened_at) & (Case.id < case.id))
                )
            ),
        )
    )
    return int(ahead or 0) + 1


def agents_on_shift(*, session: Session) -> int:
    return int(session.scalar(select(func.count()).where(AgentStatus.status == "online")) or 0)


def predicted_reply_at(*, session: Session, case: Case, now: datetime, hours: Hours) -> datetime:
    settings = inbox_settings(session)
    handle = median_handle_minutes(session=session, default=settings.default_handle_minutes)
    agents = max(1, agents_on_shift(session=session))
    wait = math.ceil(queue_position(session=session, case=case) / agents) * handle
    return hours.add(hours.next_open(now), minutes=wait)


#: Posts older than this are never acknowledged automatically (imports, backfills, the demo
#: week): "we received your message" hours later helps nobody.
MAX_AGE = timedelta(hours=2)


def _refusal(session: Session, case: Case, now: datetime, period: timedelta) -> str:
    author = case.author
    if author is None:
        return "no_author"
    if author.is_automated:
        return "automated_author"
    if author.brand_id is not None:
        return "brand_account"
    first = session.get(Post, case.first_post_id) if case.first_post_id else None
    if first is not None and first.is_automatic:
        return "automatic_post"
    enrichment = session.get(PostEnrichment, case.first_post_id or 0)
    if enrichment is not None and "spam" in enrichment.intent_names:
        return "spam"
    from tocsin.inbox.replies import latest_inbound_post

    latest = latest_inbound_post(session=session, case_id=case.id)
    if latest is not None and latest.created_at < now - MAX_AGE:
        return "stale"  # history (an import, a backfill): an acknowledgement would be noise
    recent = session.scalar(
        select(Reply.id).where(
            Reply.case_id == case.id,
            Reply.is_automatic.is_(True),
            Reply.created_at > now - period,
        )
    )
    if recent is not None:
        return "already_acknowledged"
    return ""


def compose(*, session: Session, case: Case, now: datetime) -> tuple[str, str, int] | None:
    """``(kind, text, eta_minutes)`` when an acknowledgement is due for ``case``, else None."""
    settings = inbox_settings(session)
    hours = default_hours(session)
    out_of_hours = not hours.is_open(now)
    reply_at = predicted_reply_at(session=session, case=case, now=now, hours=hours)
    due = [
        t.due_at
        for t in open_targets(session=session, case_id=case.id, targets=("first_response",))
    ]
    long_wait = bool(due) and reply_at > min(due)
    if not (out_of_hours or long_wait):
        return None
    lang = case.lang if case.lang in ACK_LANGUAGES else "en"
    eta = max(1, math.ceil((reply_at - now).total_seconds() / 60))
    redirect = settings.auto_ack_redirect.get(lang) or settings.auto_ack_redirect.get("en")
    kind = "redirect" if out_of_hours and redirect else "eta"
    text = render_template(
        template_text(session=session, lang=lang, kind=kind),
        {"eta": format_eta(eta, lang), "redirect": redirect or "", "case_id": str(case.id)},
    )
    return kind, text, eta


def acknowledge(
    *, session: Session, case: Case, now: datetime, registry: PublisherRegistry
) -> AckDecision:
    """Send the acknowledgement if one is due and allowed (see the module docstring)."""
    from tocsin.inbox.replies import latest_inbound_post, publish_reply

    settings = inbox_settings(session)
    if not settings.auto_ack_enabled:
        return AckDecision(False, "disabled")
    if not case.is_active or not case.awaiting_reply:
        return AckDecision(False, "not_waiting")
    refusal = _refusal(session, case, now, timedelta(minutes=settings.auto_ack_period_minutes))
    if refusal:
        return AckDecision(False, refusal)
    composed = compose(session=session, case=case, now=now)
    if composed is None:
        return AckDecision(False, "in_hours_short_wait")
    kind, text, eta = composed
    target = latest_inbound_post(session=session, case_id=case.id)
    reply = Reply(
        case_id=case.id,
        in_reply_to_post_id=target.id if target else None,
        text=text,
        visibility=settings.auto_ack_visibility.get(case.platform, "public"),
        is_automatic=True,
        status="approved",
        created_at=now,
    )
    session.add(reply)
    session.flush()
    publish_reply(session=session, reply=reply, registry=registry, now=now)
    return AckDecision(True, kind, text=text, eta_minutes=eta, reply_id=reply.id)


def preview(*, session: Session, lang: str, kind: str, eta_minutes: int = 45) -> str:
    """The template rendered with sample values, for the settings page."""
    settings = inbox_settings(session)
    return render_template(
        template_text(session=session, lang=lang, kind=kind),
        {
            "eta": format_eta(eta_minutes, lang),
            "redirect": settings.auto_ack_redirect.get(lang, "…"),
            "case_id": "123",
        },
    )
