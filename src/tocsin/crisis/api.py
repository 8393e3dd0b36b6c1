"""The crisis API: alerts (list, read, acknowledge, resolve), series for charts, incidents.

Example::

    curl -H "Authorization: Bearer $TOKEN" https://tocsin.example.com/api/v1/crisis/alerts?open=1
    curl -X POST -H "Authorization: Bearer $TOKEN" …/api/v1/crisis/alerts/42/acknowledge
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from tocsin.accounts.permissions import Permission
from tocsin.brands.models import Brand
from tocsin.crisis import incidents
from tocsin.crisis.alerts import AlertStateError, acknowledge_alert, list_alerts, resolve_alert
from tocsin.crisis.incident_models import Incident
from tocsin.crisis.models import Alert
from tocsin.crisis.series import chart_series
from tocsin.types import utcnow
from tocsin.web.deps import DbSession, Principal, require
from tocsin.web.problems import Problem

router = APIRouter(prefix="/api/v1/crisis", tags=["crisis"])
Read = Annotated[Principal, require(Permission.ALERTS_READ)]
Manage = Annotated[Principal, require(Permission.INCIDENTS_MANAGE)]


class AlertRead(BaseModel):
    id: int
    brand_id: int
    brand: str
    status: str
    severity: str
    score: float
    title: str
    summary: str
    metrics: dict[str, Any]
    explanation: dict[str, Any]
    window_start: datetime
    window_end: datetime
    trigger_post_id: int | None
    incident_id: int | None
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, alert: Alert) -> AlertRead:
        return cls(
            brand=alert.brand.name,
            **{name: getattr(alert, name) for name in cls.model_fields if name != "brand"},
        )


class Resolution(BaseModel):
    resolution: str = Field(default="", max_length=2000)


class IncidentCreate(BaseModel):
    brand_id: int
    title: str = Field(min_length=1, max_length=300)
    severity: str = Field(default="warning", pattern="^(info|warning|critical)$")
    alert_id: int | None = None


class TimelineEntry(BaseModel):
    at: datetime
    kind: str
    text: str
    actor_id: int | None


class IncidentRead(BaseModel):
    id: int
    brand_id: int
    title: str
    severity: str
    status: str
    owner_id: int | None
    automatic: bool
    opened_at: datetime
    resolved_at: datetime | None
    timeline: list[TimelineEntry]


def _alert(session: DbSession, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise Problem(404, "not-found", "No such alert", f"there is no alert #{alert_id}")
    return alert


@router.get("/alerts", response_model=list[AlertRead])
def get_alerts(session: DbSession, who: Read, open: bool = False) -> list[AlertRead]:
    return [AlertRead.of(a) for a in list_alerts(session=session, open_only=open, limit=200)]


@router.get("/alerts/{alert_id}", response_model=AlertRead)
def get_alert(alert_id: int, session: DbSession, who: Read) -> AlertRead:
    return AlertRead.of(_alert(session, alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertRead)
def post_acknowledge(alert_id: int, session: DbSession, who: Manage) -> AlertRead:
    alert = _alert(session, alert_id)
    try:
        acknowledge_alert(session=session, alert=alert, user_id=who.user.id, now=utcnow())
    except AlertStateError as exc:
        raise Problem(409, "conflict", "Cannot acknowledge", str(exc)) from exc
    session.commit()
    return AlertRead.of(alert)


@router.post("/alerts/{alert_id}/resolve", response_model=AlertRead)
def post_resolve(alert_id: int, body: Resolution, session: DbSession, who: Manage) -> AlertRead:
    alert = _alert(session, alert_id)
    resolve_alert(
        session=session, alert=alert, user_id=who.user.id, now=utcnow(), resolution=body.resolution
    )
    session.commit()
    return AlertRead.of(alert)


@router.get("/series")
def get_series(
    session: DbSession,
    who: Read,
    brand_id: int,
    hours: Annotated[int, Query(ge=1, le=24 * 14)] = 48,
    until: datetime | None = None,
) -> dict[str, Any]:
    """Aligned columns for uPlot: ``t`` (epoch seconds), ``volume``, ``negative_share``…"""
    if session.get(Brand, brand_id) is None:
        raise Problem(404, "not-found", "No such brand", f"there is no brand #{brand_id}")
    end = until or utcnow()
    return dict(
        chart_series(
            session=session,
            brand_id=brand_id,
            start=end - timedelta(hours=hours),
            end=end,
            metrics=("volume", "negative_volume", "negative_share"),
        )
    )


def incident_read(session: DbSession, incident: Incident) -> IncidentRead:
    entries = incidents.timeline(session=session, incident_id=incident.id)
    return IncidentRead(
        id=incident.id,
        brand_id=incident.brand_id,
        title=incident.title,
        severity=incident.severity,
        status=incident.status,
        owner_id=incident.owner_id,
        automatic=incident.automatic,
        opened_at=incident.opened_at,
        resolved_at=incident.resolved_at,
        timeline=[
            TimelineEntry(at=e.at, kind=e.kind, text=e.text, actor_id=e.actor_id) for e in entries
        ],
    )


@router.post("/incidents", response_model=IncidentRead, status_code=201)
def post_incident(body: IncidentCreate, session: DbSession, who: Manage) -> IncidentRead:
    if session.get(Brand, body.brand_id) is None:
        raise Problem(422, "validation", "No such brand", f"there is no brand #{body.brand_id}")
    alert = _alert(session, body.alert_id) if body.alert_id is not None else None
    incident = incidents.open_incident(
        session=session,
        brand_id=body.brand_id,
        title=body.title,
        severity=body.severity,
        owner_id=who.user.id,
        opened_by_id=who.user.id,
        alert=alert,
    )
    session.commit()
    return incident_read(session, incident)


@router.get("/incidents/{incident_id}", response_model=IncidentRead)
def get_incident(incident_id: int, session: DbSession, who: Read) -> IncidentRead:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise Problem(404, "not-found", "No such incident", f"there is no incident #{incident_id}")
    return incident_read(session, incident)
