"""What each ``/inbox/settings`` tab shows: its rows, its choices and its forms' values.

Only the open tab's rows are read.  ``forms`` holds one dict per form of the tab (``calendar``
and ``policy`` on the SLA tab): the posted values after a refusal, else the row named by
``?<kind>=<id>`` (an ``Edit`` link), else empty (a new row).

Example::

    tab_context(request, session, "rules", None)["forms"]["rule"]   # {} or rule 3's values
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.brands.models import Brand
from tocsin.inbox.admin import forms
from tocsin.inbox.admin.read import agent_dicts, rule_dict, template_dicts, voice_dict
from tocsin.inbox.admin.rules_service import list_rules
from tocsin.inbox.admin.settings_service import list_voice_profiles
from tocsin.inbox.admin.vocabulary import vocabulary
from tocsin.inbox.auto_ack import ACK_LANGUAGES
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.automation.rules import RULE_EVENTS
from tocsin.inbox.canned import VARIABLES, list_canned
from tocsin.inbox.reply_models import CannedReply, VoiceProfile
from tocsin.inbox.routing import AGENT_STATUSES
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy
from tocsin.inbox.sla.policies import inbox_settings
from tocsin.inbox.voice import PLATFORM_LIMITS
from tocsin.ingestion.schemas import PLATFORMS
from tocsin.web.i18n import Translator, catalogue
from tocsin.web.templating import request_locale

#: Which form of which tab an ``Edit`` link (``?calendar=3``) fills, and from which rows.
EDITABLE: dict[str, tuple[str, type[Any], Callable[[Any], dict[str, Any]]]] = {
    "calendar": ("sla", BusinessCalendar, forms.calendar_form),
    "policy": ("sla", SlaPolicy, forms.policy_form),
    "canned": ("canned", CannedReply, forms.canned_form),
    "rule": ("rules", AutomationRule, forms.rule_form),
    "profile": ("voice", VoiceProfile, forms.voice_form),
}
TAB_FORMS = {"sla": ("calendar", "policy"), "canned": ("canned",), "rules": ("rule",)}
TAB_FORMS |= {"voice": ("profile",), "general": ("general",)}


def _calendars(session: Session) -> list[BusinessCalendar]:
    return list(session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.name)))


def _policies(session: Session) -> list[SlaPolicy]:
    return list(session.scalars(select(SlaPolicy).order_by(SlaPolicy.platform, SlaPolicy.name)))


def _forms(
    request: Request, session: Session, tab: str, posted: dict[str, Any] | None
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind in TAB_FORMS.get(tab, ()):
        if posted is not None and posted.get("kind", kind) == kind:
            out[kind] = posted
        elif kind == "general":
            out[kind] = forms.settings_form(inbox_settings(session))
        else:
            wanted = request.query_params.get(kind, "")
            row = session.get(EDITABLE[kind][1], int(wanted)) if wanted.isdigit() else None
            out[kind] = EDITABLE[kind][2](row) if row is not None else {}
    return out


def _general(session: Session, form: dict[str, Any]) -> dict[str, Any]:
    stored = inbox_settings(session)
    languages = dict.fromkeys([*ACK_LANGUAGES, *sorted(stored.auto_ack_redirect or {})])
    languages |= dict.fromkeys(k[9:] for k in form if k.startswith("redirect_"))
    return {"calendars": _calendars(session), "redirect_languages": list(languages)}


def _voice(session: Session, form: dict[str, Any]) -> dict[str, Any]:
    profiles = [voice_dict(p) for p in list_voice_profiles(session=session)]
    languages = dict.fromkeys([*ACK_LANGUAGES])
    for profile in profiles:
        languages |= dict.fromkeys(profile["required"])
    languages |= dict.fromkeys(k[9:] for k in form if k.startswith("required_"))
    platforms = dict.fromkeys([*PLATFORM_LIMITS])
    for profile in profiles:
        platforms |= dict.fromkeys(profile["max_lengths"])
    brands = list(session.scalars(select(Brand).order_by(Brand.name)))
    return {
        "profiles": profiles,
        "brands": brands,
        "brand_names": {b.id: b.name for b in brands},
        "voice_languages": list(languages),
        "voice_platforms": list(platforms),
        "platform_limits": PLATFORM_LIMITS,
    }


def _rules(session: Session, t: Translator) -> dict[str, Any]:
    agents = agent_dicts(session=session)
    choices = {
        "policy_id": [{"value": p.id, "label": p.name} for p in _policies(session)],
        "user_id": [{"value": a["user_id"], "label": a["name"]} for a in agents],
    }
    return {
        "rules": [rule_dict(r) for r in list_rules(session=session)],
        "events": RULE_EVENTS,
        "vocabulary": vocabulary(t, choices=choices),
    }


def tab_context(
    request: Request, session: Session, tab: str, posted: dict[str, Any] | None
) -> dict[str, Any]:
    """The rows, choices and form values of ``tab`` for the settings template."""
    form_values = _forms(request, session, tab, posted)
    t = Translator.for_locale(request_locale(request))
    known = catalogue("en")
    context: dict[str, Any] = {
        "forms": form_values,
        "lang_label": lambda code: t(f"lang.{code}") if f"lang.{code}" in known else code,
        "platforms": PLATFORMS,
        "weekly_text": forms.weekly_text,
    }
    if tab == "general":
        context |= _general(session, form_values["general"])
    elif tab == "sla":
        context |= {"calendars": _calendars(session), "policies": _policies(session)}
    elif tab == "canned":
        context |= {"canned": list_canned(session=session), "variables": VARIABLES}
    elif tab == "voice":
        context |= _voice(session, form_values["profile"])
    elif tab == "rules":
        context |= _rules(session, t)
    elif tab == "ack":
        context["templates"] = template_dicts(session=session)
    elif tab == "agents":
        context |= {"agents": agent_dicts(session=session), "statuses": AGENT_STATUSES}
    return context
