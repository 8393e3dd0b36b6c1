"""How the inbox's configuration reads out: JSON shapes and previews shared by API and pages.

The API returns these dictionaries and the settings pages render the same ones, so both show
the same truth (a template marked ``custom`` in one is custom in the other).

Example::

    preview_canned(session=s, text="Hi {first_name}, case #{case_id}", case_id=None, agent=me)
    # -> {"text": "Hi Ana, case #123", "unknown": [], "variables": {...}}
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.inbox.auto_ack import ACK_LANGUAGES, DEFAULT_TEMPLATES, format_eta
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.canned import VARIABLES, case_variables, render_template
from tocsin.inbox.models import AgentStatus, Case, InboxSettings
from tocsin.inbox.reply_models import AckTemplate, CannedReply, VoiceProfile
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.ingestion.models import Post
from tocsin.web.problems import Problem

#: Values shown in a preview when no case is given (obviously made up).
SAMPLE_VARIABLES = {
    "first_name": "Ana",
    "name": "Ana Example",
    "handle": "@ana.example",
    "case_id": "123",
    "brand": "Acme",
}
ACK_KINDS = ("eta", "redirect")
_VARIABLE = re.compile(r"\{([a-z_]+)\}")


def calendar_dict(row: BusinessCalendar) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "time_zone": row.time_zone,
        "weekly": row.weekly,
        "holidays": row.holidays,
    }


def policy_dict(row: SlaPolicy) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "platform": row.platform,
        "min_priority": row.min_priority,
        "brand_id": row.brand_id,
        "first_response_minutes": row.first_response_minutes,
        "next_response_minutes": row.next_response_minutes,
        "resolution_minutes": row.resolution_minutes,
        "at_risk_ratio": row.at_risk_ratio,
        "calendar_id": row.calendar_id,
        "enabled": row.enabled,
    }


def canned_dict(row: CannedReply) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "lang": row.lang,
        "text": row.text,
        "brand_id": row.brand_id,
        "uses": row.uses,
    }


def rule_dict(row: AutomationRule) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "event": row.event,
        "conditions": row.conditions,
        "actions": row.actions,
        "minutes": row.minutes,
        "position": row.position,
        "enabled": row.enabled,
    }


def settings_dict(row: InboxSettings) -> dict[str, Any]:
    return {
        "routing_mode": row.routing_mode,
        "follow_up_window_minutes": row.follow_up_window_minutes,
        "escalation_minutes": row.escalation_minutes,
        "auto_ack_enabled": row.auto_ack_enabled,
        "auto_ack_period_minutes": row.auto_ack_period_minutes,
        "auto_ack_visibility": dict(row.auto_ack_visibility or {}),
        "auto_ack_redirect": dict(row.auto_ack_redirect or {}),
        "default_handle_minutes": row.default_handle_minutes,
        "calendar_id": row.calendar_id,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def voice_dict(row: VoiceProfile) -> dict[str, Any]:
    return {
        "id": row.id,
        "brand_id": row.brand_id,
        "banned_words": list(row.banned_words or []),
        "required": {k: list(v) for k, v in (row.required or {}).items()},
        "max_lengths": dict(row.max_lengths or {}),
    }


def match_dict(post: Post, case_id: int | None) -> dict[str, Any]:
    return {
        "post_id": post.id,
        "case_id": case_id,
        "platform": post.platform,
        "created_at": post.created_at.isoformat(),
        "author": post.author.handle if post.author else None,
        "text": post.text[:280],
    }


def preview_canned(
    *, session: Session, text: str, case_id: int | None, agent: User
) -> dict[str, Any]:
    """``text`` with the variables of case ``case_id`` (or sample values) filled in."""
    if case_id is None:
        variables = SAMPLE_VARIABLES | {"agent": (agent.name or "").split(" ")[0]}
    else:
        case = session.get(Case, case_id)
        if case is None:
            raise Problem(404, "not-found", "Not found", f"case {case_id} does not exist")
        variables = case_variables(session=session, case=case, agent=agent)
    rendered = render_template(text, variables)
    unknown = sorted(set(_VARIABLE.findall(text)) - set(VARIABLES))
    return {"text": rendered, "unknown": unknown, "variables": variables}


def preview_ack(
    *, session: Session, lang: str, kind: str, text: str | None, eta_minutes: int = 45
) -> str:
    """A stored, built-in or draft acknowledgement with a sample ETA and case number."""
    if text is None:
        text = _template(session, lang, kind)[0]
    redirect = inbox_settings(session).auto_ack_redirect
    return render_template(
        text,
        {
            "eta": format_eta(eta_minutes, lang),
            "redirect": redirect.get(lang) or redirect.get("en") or "…",
            "case_id": "123",
        },
    )


def _template(session: Session, lang: str, kind: str) -> tuple[str, bool]:
    row = session.scalar(
        select(AckTemplate).where(AckTemplate.lang == lang, AckTemplate.kind == kind)
    )
    if row is not None:
        return row.text, True
    return DEFAULT_TEMPLATES.get((lang, kind)) or DEFAULT_TEMPLATES[("en", kind)], False


def template_dicts(*, session: Session) -> list[dict[str, Any]]:
    """Every language × kind: the text in force and whether it is a stored (custom) one."""
    stored = {r.lang for r in session.scalars(select(AckTemplate))}
    out = []
    for lang in sorted(set(ACK_LANGUAGES) | stored):
        for kind in ACK_KINDS:
            text, custom = _template(session, lang, kind)
            out.append({"lang": lang, "kind": kind, "text": text, "custom": custom})
    return out


def agent_dicts(*, session: Session) -> list[dict[str, Any]]:
    """Active users who may work cases, with their status (``offline`` when never set)."""
    statuses = {s.user_id: s for s in session.scalars(select(AgentStatus))}
    users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.name))
    out = []
    for user in users:
        if not user.can(Permission.CASES_WORK):
            continue
        row = statuses.get(user.id)
        out.append(
            {
                "user_id": user.id,
                "name": user.name,
                "status": row.status if row else "offline",
                "on_call": bool(row.on_call) if row else False,
                "updated_at": row.updated_at.isoformat() if row else None,
            }
        )
    return out
