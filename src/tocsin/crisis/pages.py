"""The crisis pages: the overview, an alert, the incident war room, and its report.

Viewing needs ``alerts:read``; every action (acknowledge, open an incident, timeline entries,
statements, playbook, communiqué) needs ``incidents:manage``, and approving a statement also
``replies:approve``.  Forms post with the CSRF token and come back to the page (303).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from tocsin.accounts.models import User
from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.crisis import communique as communiques
from tocsin.crisis import incidents, statements
from tocsin.crisis.admin_service import owner_candidates
from tocsin.crisis.alerts import AlertStateError, acknowledge_alert, list_alerts, resolve_alert
from tocsin.crisis.incident_models import HoldingStatement, Incident, IncidentLink
from tocsin.crisis.models import Alert
from tocsin.crisis.policies import SEVERITIES
from tocsin.crisis.report import render_html, render_pdf, report_data
from tocsin.notifications.models import NotificationChannel
from tocsin.types import utcnow
from tocsin.web.deps import AppSettings, DbSession, Principal, require
from tocsin.web.problems import Problem
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
Read = Annotated[Principal, require(Permission.ALERTS_READ)]
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]
SERVICE_ERRORS = (
    AlertStateError,
    incidents.IncidentError,
    statements.StatementError,
    communiques.CommuniqueError,
)


def _back(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str)}


def _alert(session: DbSession, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise Problem(404, "not-found", "No such alert", f"there is no alert #{alert_id}")
    return alert


def _incident(session: DbSession, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise Problem(404, "not-found", "No such incident", f"there is no incident #{incident_id}")
    return incident


def _refuse(exc: Exception) -> Problem:
    return Problem(409, "conflict", "This change is not possible", str(exc))


@router.get("/crisis")
def overview(request: Request, session: DbSession, who: Read) -> Response:
    brands = list(
        session.scalars(select(Brand).order_by(Brand.competitor_of_id.is_not(None), Brand.name))
    )
    chosen = request.query_params.get("brand", "")
    brand_id = int(chosen) if chosen.isdigit() else (brands[0].id if brands else None)
    return render(
        request,
        "crisis/index.html",
        {
            "open_alerts": list_alerts(session=session, open_only=True),
            "recent_alerts": list_alerts(session=session, limit=10),
            "incidents": incidents.list_incidents(session=session, limit=10),
            "brands": brands,
            "brand_id": brand_id,
            "can_manage": who.can(Permission.INCIDENTS_MANAGE),
        },
        active="crisis",
    )


@router.get("/crisis/alerts/{alert_id}")
def alert_page(alert_id: int, request: Request, session: DbSession, who: Read) -> Response:
    alert = _alert(session, alert_id)
    return render(
        request,
        "crisis/alert.html",
        {
            "alert": alert,
            "facts": alert.explanation,
            "can_manage": who.can(Permission.INCIDENTS_MANAGE),
        },
        active="crisis",
    )


@router.post("/crisis/alerts/{alert_id}/acknowledge")
def acknowledge(alert_id: int, session: DbSession, who: Manage) -> Response:
    try:
        acknowledge_alert(
            session=session, alert=_alert(session, alert_id), user_id=who.user.id, now=utcnow()
        )
    except AlertStateError as exc:
        raise _refuse(exc) from exc
    session.commit()
    return _back(f"/crisis/alerts/{alert_id}")


@router.post("/crisis/alerts/{alert_id}/resolve")
async def resolve(alert_id: int, request: Request, session: DbSession, who: Manage) -> Response:
    form = await _form(request)
    resolve_alert(
        session=session,
        alert=_alert(session, alert_id),
        user_id=who.user.id,
        now=utcnow(),
        resolution=form.get("resolution", ""),
    )
    session.commit()
    return _back(f"/crisis/alerts/{alert_id}")


@router.post("/crisis/alerts/{alert_id}/incident")
def incident_from_alert(alert_id: int, session: DbSession, who: Manage) -> Response:
    alert = _alert(session, alert_id)
    if alert.incident_id is None:
        incident = incidents.open_incident(
            session=session,
            brand_id=alert.brand_id,
            title=alert.title,
            severity=alert.severity,
            owner_id=who.user.id,
            opened_by_id=who.user.id,
            alert=alert,
            summary=alert.summary,
        )
        session.commit()
        return _back(f"/crisis/incidents/{incident.id}")
    return _back(f"/crisis/incidents/{alert.incident_id}")


@router.post("/crisis/incidents")
async def open_by_hand(request: Request, session: DbSession, who: Manage) -> Response:
    form = await _form(request)
    brand_id = form.get("brand_id", "")
    if not brand_id.isdigit() or session.get(Brand, int(brand_id)) is None:
        raise Problem(422, "validation", "Choose a brand", "pick the brand this incident is about")
    try:
        incident = incidents.open_incident(
            session=session,
            brand_id=int(brand_id),
            title=form.get("title", ""),
            severity=form.get("severity", "warning"),
            owner_id=who.user.id,
            opened_by_id=who.user.id,
        )
    except incidents.IncidentError as exc:
        raise Problem(422, "validation", "The incident needs more", str(exc)) from exc
    session.commit()
    return _back(f"/crisis/incidents/{incident.id}")


@router.get("/crisis/incidents/{incident_id}")
def war_room(incident_id: int, request: Request, session: DbSession, who: Read) -> Response:
    incident = _incident(session, incident_id)
    users = {u.id: u for u in session.scalars(select(User))}
    note = communiques.latest_communique(session=session, incident_id=incident.id)
    settings = request.app.state.settings
    context: dict[str, Any] = {
        "incident": incident,
        "events": incidents.timeline(session=session, incident_id=incident.id),
        "playbook": incidents.playbook(session=session, incident_id=incident.id),
        "statements": statements.statements(session=session, incident_id=incident.id),
        "alerts": list(session.scalars(select(Alert).where(Alert.incident_id == incident.id))),
        "links": list(
            session.scalars(select(IncidentLink).where(IncidentLink.incident_id == incident.id))
        ),
        "communique": note,
        "shared_url": communiques.shared_url(note, settings.base_url) if note else "",
        "users": users,
        "languages": statements.LANGUAGES,
        "statuses": incidents.STATUSES,
        "severities": SEVERITIES,
        "owner_choices": owner_candidates(session=session),
        "can_manage": who.can(Permission.INCIDENTS_MANAGE),
        "can_approve": who.can(Permission.REPLIES_APPROVE),
    }
    return render(request, "crisis/incident.html", context, active="crisis")


@router.post("/crisis/incidents/{incident_id}/{action}")
async def incident_action(
    incident_id: int,
    action: str,
    request: Request,
    session: DbSession,
    who: Manage,
    settings: AppSettings,
) -> Response:
    """One form per war-room action; the action name is looked up in a fixed table."""
    incident = _incident(session, incident_id)
    form = await _form(request)
    handler = _ACTIONS.get(action)
    if handler is None:
        raise Problem(404, "not-found", "No such action", f"unknown action {action!r}")
    try:
        handler(session, incident, form, who, settings.base_url)
    except (ValueError, *SERVICE_ERRORS) as exc:
        raise _refuse(exc) from exc
    session.commit()
    return _back(f"/crisis/incidents/{incident_id}")


def _note(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    kind = form.get("kind", "note")
    if kind not in ("note", "decision"):
        raise ValueError("a timeline entry is a note or a decision")
    if not form.get("text"):
        raise ValueError("write something first")
    incidents.add_event(
        session=session, incident_id=incident.id, kind=kind, text=form["text"], actor_id=who.user.id
    )


def _status(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    incidents.set_status(
        session=session,
        incident=incident,
        status=form.get("status", ""),
        actor_id=who.user.id,
        now=utcnow(),
    )


def _link(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    target = form.get("target_id", "")
    if not target.isdigit():
        raise ValueError("give the number of the post or case")
    if form.get("kind") == "case":
        incidents.link_case(
            session=session,
            incident=incident,
            case_id=int(target),
            actor_id=who.user.id,
            note=form.get("note", ""),
        )
    else:
        incidents.link_post(
            session=session,
            incident=incident,
            post_id=int(target),
            actor_id=who.user.id,
            note=form.get("note", ""),
        )


def _check(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    item = form.get("item_id", "")
    if not item.isdigit():
        raise ValueError("unknown checklist item")
    incidents.check_item(
        session=session,
        incident=incident,
        item_id=int(item),
        actor_id=who.user.id,
        done=form.get("done") == "1",
        now=utcnow(),
    )


def _draft(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    values = {k: form[k] for k in ("issue", "next_update", "channel") if form.get(k)}
    statements.draft_statement(
        session=session,
        incident=incident,
        lang=form.get("lang", "en"),
        drafted_by_id=who.user.id,
        values=values,
    )


def _statement(session: DbSession, incident: Incident, form: dict[str, str]) -> HoldingStatement:
    ident = form.get("statement_id", "")
    row = session.get(HoldingStatement, int(ident)) if ident.isdigit() else None
    if row is None or row.incident_id != incident.id:
        raise ValueError("unknown statement")
    return row


def _edit(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    statements.edit_statement(
        session=session, statement=_statement(session, incident, form), text=form.get("text", "")
    )


def _approve(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    if not who.can(Permission.REPLIES_APPROVE):
        raise ValueError("approving a statement needs the replies:approve permission")
    statements.approve_statement(
        session=session,
        statement=_statement(session, incident, form),
        approver_id=who.user.id,
        now=utcnow(),
    )


def _publish(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, _: str
) -> None:
    statements.publish_statement(
        session=session,
        statement=_statement(session, incident, form),
        actor_id=who.user.id,
        now=utcnow(),
    )


def _communique(
    session: DbSession, incident: Incident, form: dict[str, str], who: Principal, base_url: str
) -> None:
    note = communiques.write_communique(
        session=session,
        incident=incident,
        created_by_id=who.user.id,
        what_happened=form.get("what_happened", ""),
        what_to_say=form.get("what_to_say", ""),
        where_to_point=form.get("where_to_point", ""),
    )
    if form.get("send") == "1":
        channels = list(
            session.scalars(
                select(NotificationChannel).where(
                    NotificationChannel.kind == "email", NotificationChannel.enabled.is_(True)
                )
            )
        )
        communiques.send_communique(
            session=session,
            communique=note,
            channels=channels,
            base_url=base_url,
            now=utcnow(),
            actor_id=who.user.id,
        )


_ACTIONS = {
    "note": _note,
    "status": _status,
    "link": _link,
    "playbook": _check,
    "draft": _draft,
    "edit": _edit,
    "approve": _approve,
    "publish": _publish,
    "communique": _communique,
}


@router.get("/crisis/incidents/{incident_id}/report.html")
def report_html(incident_id: int, session: DbSession, who: Read) -> Response:
    html = render_html(report_data(session=session, incident=_incident(session, incident_id)))
    return Response(html, media_type="text/html; charset=utf-8")


@router.get("/crisis/incidents/{incident_id}/report.pdf")
def report_pdf(incident_id: int, session: DbSession, who: Read) -> Response:
    pdf = render_pdf(report_data(session=session, incident=_incident(session, incident_id)))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="incident-{incident_id}-report.pdf"'
        },
    )
