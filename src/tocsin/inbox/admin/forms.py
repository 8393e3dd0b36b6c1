"""Settings forms both ways: a row as the strings a form shows, and posted strings as a body.

Each ``*_form`` turns a stored row into the values its form is filled with (``Edit``);
each ``*_body`` turns the posted fields into the API's schema, so a form is checked exactly
like an API call.  Weekly hours are one day per line; lists one item per line; per-language
and per-platform maps are one field each (``required_fr``, ``max_length_x``).

Example::

    parse_weekly("mon 09:00-12:00 13:00-18:00")   # -> {"mon": [["09:00", "12:00"], …]}
    rule_body({"name": "VIP", "event": "case.opened", "actions": '[{"type": "escalate"}]'})
"""

from __future__ import annotations

import json
from typing import Any

from tocsin.inbox.admin.schemas import CalendarIn, CannedIn, PolicyIn, RuleIn
from tocsin.inbox.admin.service import fail
from tocsin.inbox.admin.settings_schemas import InboxSettingsPatch, VoiceProfileIn
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.models import InboxSettings
from tocsin.inbox.reply_models import CannedReply, VoiceProfile
from tocsin.inbox.sla.calendar import DAY_NAMES
from tocsin.inbox.sla.models import BusinessCalendar, SlaPolicy

CHECKED = ("1", "true", "on", "yes")


def parse_weekly(text: str) -> dict[str, list[list[str]]]:
    """``"mon 09:00-12:00 13:00-18:00"`` per line → ``{"mon": [["09:00", "12:00"], …]}``."""
    weekly: dict[str, list[list[str]]] = {}
    for line in filter(str.strip, text.splitlines()):
        day, *ranges = line.split()
        if not ranges:
            raise fail("/weekly", f"{day}: no hours given")
        for item in ranges:
            start, sep, end = item.partition("-")
            if not sep:
                raise fail("/weekly", f"{item!r}: write start-end, e.g. 09:00-18:00")
            weekly.setdefault(day.lower(), []).append([start, end])
    return weekly


def weekly_text(weekly: dict[str, list[list[str]]]) -> str:
    days = sorted(weekly, key=lambda d: DAY_NAMES.index(d) if d in DAY_NAMES else 9)
    return "\n".join(f"{d} " + " ".join(f"{a}-{b}" for a, b in weekly[d]) for d in days)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _json(text: str, field: str, default: Any) -> Any:
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(field, f"not JSON: {exc.msg}") from exc


def prefixed(form: dict[str, str], prefix: str) -> dict[str, str]:
    """``{"required_fr": "x"}`` with prefix ``required_`` → ``{"fr": "x"}`` (empty ones too)."""
    return {k[len(prefix) :]: v for k, v in form.items() if k.startswith(prefix) and k != prefix}


# -- calendars and policies -------------------------------------------------------------------


def calendar_form(row: BusinessCalendar) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "time_zone": row.time_zone,
        "weekly": weekly_text(row.weekly),
        "holidays": "\n".join(row.holidays),
    }


def calendar_body(form: dict[str, str]) -> CalendarIn:
    return CalendarIn.model_validate(
        {
            "name": form.get("name", ""),
            "time_zone": form.get("time_zone") or "UTC",
            "weekly": parse_weekly(form.get("weekly", "")),
            "holidays": form.get("holidays", "").replace(",", " ").split(),
        }
    )


def policy_form(row: SlaPolicy) -> dict[str, Any]:
    keys = (
        "name",
        "platform",
        "min_priority",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "at_risk_ratio",
        "calendar_id",
    )
    return {"id": row.id} | {k: "" if getattr(row, k) is None else getattr(row, k) for k in keys}


def policy_body(form: dict[str, str], *, enabled: bool = True) -> PolicyIn:
    first = form.get("first_response_minutes", "")
    return PolicyIn.model_validate(
        {
            "name": form.get("name", ""),
            "platform": form.get("platform") or None,
            "min_priority": form.get("min_priority") or 0,
            "first_response_minutes": first,
            "next_response_minutes": form.get("next_response_minutes") or first,
            "resolution_minutes": form.get("resolution_minutes", ""),
            "at_risk_ratio": form.get("at_risk_ratio") or 0.75,
            "calendar_id": form.get("calendar_id") or None,
            "enabled": enabled,
        }
    )


# -- canned replies, rules --------------------------------------------------------------------


def canned_form(row: CannedReply) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "lang": row.lang, "text": row.text}


def canned_body(form: dict[str, str]) -> CannedIn:
    return CannedIn(
        name=form.get("name", ""), lang=form.get("lang") or "en", text=form.get("text", "")
    )


def rule_form(row: AutomationRule) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "event": row.event,
        "minutes": row.minutes or "",
        "conditions": json.dumps(row.conditions, ensure_ascii=False) if row.conditions else "",
        "actions": json.dumps(row.actions, ensure_ascii=False),
    }


def rule_body(form: dict[str, str], *, position: int = 100, enabled: bool = True) -> RuleIn:
    return RuleIn.model_validate(
        {
            "name": form.get("name", ""),
            "event": form.get("event") or "case.opened",
            "conditions": _json(form.get("conditions", ""), "/conditions", {}),
            "actions": _json(form.get("actions", ""), "/actions", []),
            "minutes": form.get("minutes") or None,
            "position": form.get("position") or position,
            "enabled": enabled,
        }
    )


# -- general settings, voice profiles ---------------------------------------------------------


def settings_form(row: InboxSettings) -> dict[str, Any]:
    form: dict[str, Any] = {
        "routing_mode": row.routing_mode,
        "auto_ack_enabled": row.auto_ack_enabled,
        "calendar_id": row.calendar_id or "",
    }
    for key in ("follow_up_window_minutes", "escalation_minutes", "auto_ack_period_minutes"):
        form[key] = getattr(row, key)
    form["default_handle_minutes"] = row.default_handle_minutes
    form |= {f"visibility_{k}": v for k, v in (row.auto_ack_visibility or {}).items()}
    form |= {f"redirect_{k}": v for k, v in (row.auto_ack_redirect or {}).items()}
    return form


def settings_body(form: dict[str, str]) -> InboxSettingsPatch:
    """Every field of the General tab; a platform left on "public" is not stored."""
    visibility = {k: v for k, v in prefixed(form, "visibility_").items() if v != "public"}
    return InboxSettingsPatch.model_validate(
        {
            "routing_mode": form.get("routing_mode", ""),
            "follow_up_window_minutes": form.get("follow_up_window_minutes", ""),
            "escalation_minutes": form.get("escalation_minutes", ""),
            "auto_ack_enabled": form.get("auto_ack_enabled", "") in CHECKED,
            "auto_ack_period_minutes": form.get("auto_ack_period_minutes", ""),
            "auto_ack_visibility": visibility,
            "auto_ack_redirect": prefixed(form, "redirect_"),
            "default_handle_minutes": form.get("default_handle_minutes", ""),
            "calendar_id": form.get("calendar_id") or None,
        }
    )


def voice_form(row: VoiceProfile) -> dict[str, Any]:
    form: dict[str, Any] = {
        "id": row.id,
        "brand_id": row.brand_id or "",
        "banned_words": "\n".join(row.banned_words or []),
    }
    form |= {f"required_{k}": "\n".join(v) for k, v in (row.required or {}).items()}
    form |= {f"max_length_{k}": v for k, v in (row.max_lengths or {}).items()}
    return form


def voice_body(form: dict[str, str]) -> VoiceProfileIn:
    required = {k: lines(v) for k, v in prefixed(form, "required_").items() if lines(v)}
    lengths = {k: v.strip() for k, v in prefixed(form, "max_length_").items() if v.strip()}
    return VoiceProfileIn.model_validate(
        {
            "brand_id": form.get("brand_id") or None,
            "banned_words": lines(form.get("banned_words", "")),
            "required": required,
            "max_lengths": lengths,
        }
    )
