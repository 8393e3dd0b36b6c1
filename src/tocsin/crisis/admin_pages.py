"""``/crisis/settings``: radar policies, escalation policies, statement and playbook templates,
plus the war room's owner and severity forms.

Plain HTML forms (no script needed): each posts with the CSRF token and comes back to its tab
(303); a refused value re-renders the tab with a one-line message and what was typed (422).
Viewing needs ``alerts:read``; saving needs ``incidents:manage``; every change is audited like
its API twin in :mod:`tocsin.crisis.admin_api`.

Example: ``/crisis/settings?tab=escalation&edit=3`` opens policy 3 with its steps as rows (delay,
channels, people) and two blank rows to add steps.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.crisis import admin_service as svc
from tocsin.crisis import admin_templates as tpl
from tocsin.crisis.admin_api import audit
from tocsin.crisis.admin_schemas import (
    EscalationPolicyIn,
    EscalationPolicyPatch,
    RadarPolicyIn,
)
from tocsin.crisis.models import EscalationPolicy
from tocsin.crisis.policies import SEVERITIES
from tocsin.crisis.statements import LANGUAGES
from tocsin.errors import AdminError
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem, validation_errors
from tocsin.web.templating import render

pages = APIRouter(include_in_schema=False)
Read = Annotated[Principal, require(Permission.ALERTS_READ)]
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]
TABS = ("radar", "escalation", "statements", "playbooks")
AUTO_INCIDENT = ("never", *SEVERITIES)
STEP_ROWS = 10


class FormError(ValueError):
    """A form value the page refuses; the message is shown above the form."""


def _one_line(errors: list[dict[str, str]]) -> str:
    first = errors[0]
    parts = first.get("field", "").split("/")
    if len(parts) > 2 and parts[1] == "steps" and parts[2].isdigit():
        return f"#{int(parts[2]) + 1}: {first['message']}"
    return first["message"]


def _back(tab: str, **query: str) -> Response:
    extra = "".join(f"&{k}={v}" for k, v in query.items() if v)
    return RedirectResponse(f"/crisis/settings?tab={tab}{extra}&saved=1", status_code=303)


def _steps_from(form: FormData) -> list[dict[str, Any]]:
    """Rows ``delay_N`` / ``channels_N`` / ``users_N``; a row left blank is no step."""
    rows: list[dict[str, Any]] = []
    for index in range(STEP_ROWS):
        delay = str(form.get(f"delay_{index}", "") or "").strip()
        channels = [str(v) for v in form.getlist(f"channels_{index}")]
        users = [str(v) for v in form.getlist(f"users_{index}")]
        if not delay and not channels and not users:
            continue
        if not all(v.isdigit() for v in (delay or "x", *channels, *users)):
            raise FormError(f"#{len(rows) + 1}: give the delay in whole minutes")
        rows.append(
            {
                "delay_minutes": int(delay),
                "channel_ids": [int(c) for c in channels],
                "user_ids": [int(u) for u in users],
            }
        )
    return rows


def _scope_brand(session: Session, scope: str) -> Brand | None:
    try:
        return svc.scope_brand(session=session, scope=scope)
    except AdminError as exc:
        raise Problem(404, "not-found", "Not found", str(exc)) from None


def _page(
    request: Request,
    session: Session,
    who: Principal,
    *,
    tab: str,
    scope: str = svc.DEFAULT_SCOPE,
    error: str = "",
    editing: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    previews: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    tab = tab if tab in TABS else "radar"
    brands = svc.brands(session=session)
    brand = _scope_brand(session, scope) if tab in ("statements", "playbooks") else None
    policies = svc.escalation_policies(session=session)
    context: dict[str, Any] = {
        "tab": tab,
        "tabs": TABS,
        "error": error,
        "saved": request.query_params.get("saved") == "1" and not error,
        "can_manage": who.can(Permission.INCIDENTS_MANAGE),
        "brands": brands,
        "scope": svc.scope_of(brand),
        "policies": policies,
        "policy_names": {p.id: p.name for p in policies},
        "values": values or {},
        "previews": previews or {},
    }
    if tab == "radar":
        context["radar"] = [
            svc.radar_policy_view(session=session, brand=b) for b in (None, *brands)
        ]
        context["auto_incident"] = AUTO_INCIDENT
    elif tab == "escalation":
        channels = svc.active_channels(session=session)
        people = svc.active_users(session=session)
        context |= {
            "channels": channels,
            "people": people,
            "channel_names": {c.id: c.name for c in channels},
            "people_names": {u.id: u.name or u.email for u in people},
            "used_by": {p.id: svc.policy_users(session=session, policy_id=p.id) for p in policies},
            "editing": editing or _editing(session, request.query_params.get("edit", "")),
        }
    elif tab == "statements":
        context["templates"] = tpl.statement_templates(session=session, brand=brand)
        context["placeholders"] = tpl.PLACEHOLDERS
    else:
        context["playbook"] = tpl.playbook_view(session=session, brand=brand)
    return render(
        request, "crisis/settings.html", context, active="crisis", status_code=status_code
    )


def _editing(session: Session, ident: str) -> dict[str, Any]:
    """The escalation form's state: the policy being edited (or a new one), padded with blank
    rows so steps can be added without a script."""
    policy = session.get(EscalationPolicy, int(ident)) if ident.isdigit() else None
    steps = [dict(s) for s in policy.steps] if policy is not None else []
    return _padded(policy.id if policy else None, policy.name if policy else "", steps)


def _padded(policy_id: int | None, name: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [
        {
            "delay": str(s.get("delay_minutes", "")),
            "channel_ids": list(s.get("channel_ids", [])),
            "user_ids": list(s.get("user_ids", [])),
        }
        for s in steps
    ]
    if not rows:
        rows.append({"delay": "0", "channel_ids": [], "user_ids": []})
    blanks = max(0, min(2, STEP_ROWS - len(rows)))
    rows += [{"delay": "", "channel_ids": [], "user_ids": []} for _ in range(blanks)]
    return {"id": policy_id, "name": name, "steps": rows}


@pages.get("/crisis/settings")
def settings_page(request: Request, session: DbSession, who: Read) -> Response:
    query = request.query_params
    return _page(
        request,
        session,
        who,
        tab=query.get("tab", "radar"),
        scope=query.get("scope", svc.DEFAULT_SCOPE) or svc.DEFAULT_SCOPE,
    )


# -- escalation policies ------------------------------------------------------------------------


async def _save_escalation(
    request: Request, session: Session, who: Principal, policy: EscalationPolicy | None
) -> Response:
    form = await request.form()
    name = str(form.get("name", "") or "").strip()
    steps: list[dict[str, Any]] = []
    try:
        steps = _steps_from(form)
        data = EscalationPolicyIn.model_validate({"name": name, "steps": steps})
        if policy is None:
            policy = svc.create_escalation_policy(session=session, data=data)
            action = "create"
        else:
            patch = EscalationPolicyPatch(name=data.name, steps=data.steps)
            svc.update_escalation_policy(session=session, policy=policy, data=patch)
            action = "update"
    except (FormError, ValidationError, AdminError) as exc:
        session.rollback()
        if isinstance(exc, ValidationError):
            message = _one_line(validation_errors(exc.errors()))
        elif isinstance(exc, AdminError) and exc.errors:
            message = _one_line(exc.errors)
        else:
            message = str(exc)
        editing = _padded(policy.id if policy else None, name, steps)
        return _page(
            request,
            session,
            who,
            tab="escalation",
            error=message,
            editing=editing,
            status_code=422,
        )
    audit(
        request,
        session,
        who,
        f"escalation_policy.{action}",
        "escalation_policy",
        policy.id,
        {"name": policy.name, "steps": policy.steps},
    )
    session.commit()
    return _back("escalation")


@pages.post("/crisis/settings/escalation")
async def create_escalation(request: Request, session: DbSession, who: Manage) -> Response:
    return await _save_escalation(request, session, who, None)


def _policy(session: Session, policy_id: int) -> EscalationPolicy:
    policy = session.get(EscalationPolicy, policy_id)
    if policy is None:
        raise Problem(
            404, "not-found", "Not found", f"escalation policy {policy_id} does not exist"
        )
    return policy


@pages.post("/crisis/settings/escalation/{policy_id}")
async def update_escalation(
    policy_id: int, request: Request, session: DbSession, who: Manage
) -> Response:
    return await _save_escalation(request, session, who, _policy(session, policy_id))


@pages.post("/crisis/settings/escalation/{policy_id}/delete")
def delete_escalation(
    policy_id: int, request: Request, session: DbSession, who: Manage
) -> Response:
    policy = _policy(session, policy_id)
    name = policy.name
    try:
        svc.delete_escalation_policy(session=session, policy=policy)
    except AdminError as exc:
        session.rollback()
        return _page(request, session, who, tab="escalation", error=str(exc), status_code=409)
    audit(
        request,
        session,
        who,
        "escalation_policy.delete",
        "escalation_policy",
        policy_id,
        {"name": name},
    )
    session.commit()
    return _back("escalation")


# -- radar policies -----------------------------------------------------------------------------


@pages.post("/crisis/settings/radar/{scope}")
async def save_radar(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope_brand(session, scope)
    form = await request.form()
    if form.get("op") == "revert":
        try:
            svc.delete_radar_policy(session=session, brand=brand)
        except AdminError:
            return _back("radar")
        audit(request, session, who, "radar_policy.delete", "radar_policy", scope)
        session.commit()
        return _back("radar")
    fields = ("auto_incident", "cooldown_minutes", "episode_gap_minutes", "min_volume")
    raw: dict[str, Any] = {name: str(form.get(name, "") or "").strip() for name in fields}
    raw["escalation_policy_id"] = str(form.get("escalation_policy_id", "") or "") or None
    try:
        data = RadarPolicyIn.model_validate(raw)
        svc.put_radar_policy(session=session, brand=brand, data=data)
    except (ValidationError, AdminError) as exc:
        session.rollback()
        errors = validation_errors(exc.errors()) if isinstance(exc, ValidationError) else exc.errors
        label = brand.name if brand else svc.DEFAULT_SCOPE
        message = f"{label}: {errors[0]['field'].lstrip('/')}: {errors[0]['message']}"
        return _page(request, session, who, tab="radar", error=message, status_code=422)
    audit(request, session, who, "radar_policy.update", "radar_policy", scope, data.model_dump())
    session.commit()
    return _back("radar")


# -- templates ----------------------------------------------------------------------------------


@pages.post("/crisis/settings/statements/{scope}/{lang}")
async def save_statement(
    scope: str, lang: str, request: Request, session: DbSession, who: Manage
) -> Response:
    brand = _scope_brand(session, scope)
    if lang not in LANGUAGES:
        raise Problem(404, "not-found", "Not found", f"no statement template in {lang!r}")
    form = await request.form()
    body = str(form.get("body", "") or "").strip()
    op = form.get("op", "save")
    try:
        if op == "preview":
            text = tpl.preview(
                body, brand_name=brand.name if brand else tpl.SAMPLE_BRAND, values={}
            )
            return _page(
                request,
                session,
                who,
                tab="statements",
                scope=scope,
                values={lang: body},
                previews={lang: text},
            )
        if op == "revert":
            tpl.delete_statement_template(session=session, brand=brand, lang=lang)
            action, detail = "delete", {"scope": scope, "lang": lang}
        else:
            if not body:
                raise AdminError("write the statement first")
            tpl.put_statement_template(session=session, brand=brand, lang=lang, body=body)
            action, detail = "update", {"scope": scope, "lang": lang, "body": body}
    except AdminError as exc:
        session.rollback()
        return _page(
            request,
            session,
            who,
            tab="statements",
            scope=scope,
            error=f"{lang}: {exc}",
            values={lang: body},
            status_code=422,
        )
    audit(
        request,
        session,
        who,
        f"statement_template.{action}",
        "statement_template",
        f"{scope}/{lang}",
        detail,
    )
    session.commit()
    return _back("statements", scope=scope)


@pages.post("/crisis/settings/playbooks/{scope}")
async def save_playbook(scope: str, request: Request, session: DbSession, who: Manage) -> Response:
    brand = _scope_brand(session, scope)
    form = await request.form()
    text = str(form.get("items", "") or "")
    detail: dict[str, Any]
    try:
        if form.get("op") == "revert":
            tpl.delete_playbook(session=session, brand=brand)
            action, detail = "delete", {"scope": scope}
        else:
            row = tpl.put_playbook(session=session, brand=brand, items=text.splitlines())
            action, detail = "update", {"scope": scope, "items": row.items}
    except AdminError as exc:
        session.rollback()
        return _page(
            request,
            session,
            who,
            tab="playbooks",
            scope=scope,
            error=str(exc),
            values={"items": text},
            status_code=422,
        )
    audit(request, session, who, f"playbook_template.{action}", "playbook_template", scope, detail)
    session.commit()
    return _back("playbooks", scope=scope)
