"""Notification channels and deliveries in the API (``/api/v1/notifications``).

Secrets are write-only: a Slack/Teams URL, a webhook's URL and signing secret go in, and only a
masked ``target`` (``https://hooks.slack.com/…/WXYZ``) comes out; a signing secret Tocsin
generates is returned once, by the request that generated it.

Example::

    POST /api/v1/notifications/channels
    {"name": "SIEM", "kind": "webhook", "url": "https://siem.example/hooks/tocsin"}
    → 201 {"id": 4, …, "target": "https://siem.example/…/ocsin", "signing_secret": "whsec_…"}
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.notifications.access import ManageChannels, ViewChannels, audit_channel
from tocsin.notifications.admin_service import (
    ChannelInUse,
    InvalidChannelError,
    add_channel,
    change_channel,
    channel_read,
    delivery_read,
    list_channels,
    list_deliveries,
    remove_channel,
)
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.probe import prepare_test, run_test
from tocsin.notifications.schemas import (
    ChannelCreate,
    ChannelCreated,
    ChannelRead,
    ChannelTestResult,
    ChannelUpdate,
    DeliveryPage,
    DeliveryStatus,
)
from tocsin.web.deps import AppSettings, DbSession, Principal
from tocsin.web.problems import Problem

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
MAX_PAGE = 200


def _invalid(exc: InvalidChannelError) -> Problem:
    return Problem(
        422, "invalid-channel", "Invalid notification channel", str(exc), errors=exc.errors
    )


def _found(session: Session, channel_id: int) -> NotificationChannel:
    channel = session.get(NotificationChannel, channel_id)
    if channel is None:
        raise Problem(404, "not-found", "Not found", f"no notification channel {channel_id}")
    return channel


@router.get("/channels", summary="List notification channels (targets masked)")
def api_list(session: DbSession, settings: AppSettings, who: ViewChannels) -> list[ChannelRead]:
    return [
        channel_read(session=session, settings=settings, channel=c)
        for c in list_channels(session=session)
    ]


@router.get("/channels/{channel_id}", summary="Read a notification channel")
def api_read(
    channel_id: int, session: DbSession, settings: AppSettings, who: ViewChannels
) -> ChannelRead:
    return channel_read(session=session, settings=settings, channel=_found(session, channel_id))


@router.post("/channels", status_code=201, summary="Create a notification channel")
def api_create(
    data: ChannelCreate,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
) -> ChannelCreated:
    try:
        channel, generated = add_channel(session=session, settings=settings, data=data)
    except InvalidChannelError as exc:
        session.rollback()
        raise _invalid(exc) from None
    audit_channel(session, who, request, "notification_channel.create", channel)
    session.commit()
    shown = channel_read(session=session, settings=settings, channel=channel, recent=[])
    return ChannelCreated(**shown.model_dump(), signing_secret=generated)


@router.patch(
    "/channels/{channel_id}",
    summary="Rename, enable/disable, change recipients or rotate a channel's secret",
)
def api_update(
    channel_id: int,
    data: ChannelUpdate,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
) -> ChannelCreated:
    channel = _found(session, channel_id)
    try:
        changed, generated = change_channel(
            session=session, settings=settings, channel=channel, data=data
        )
    except InvalidChannelError as exc:
        session.rollback()
        raise _invalid(exc) from None
    if changed:
        audit_channel(
            session, who, request, "notification_channel.update", channel, changed=changed
        )
    session.commit()
    shown = channel_read(session=session, settings=settings, channel=channel)
    return ChannelCreated(**shown.model_dump(), signing_secret=generated)


@router.delete(
    "/channels/{channel_id}",
    status_code=204,
    summary="Delete a channel (409 while an escalation policy sends to it)",
)
def api_delete(
    channel_id: int, request: Request, session: DbSession, who: ManageChannels
) -> Response:
    channel = _found(session, channel_id)
    audit_channel(session, who, request, "notification_channel.delete", channel)
    try:
        remove_channel(session=session, channel=channel)
    except ChannelInUse as exc:
        session.rollback()
        raise Problem(
            409,
            "channel-in-use",
            "Channel in use",
            str(exc),
            errors=[
                {
                    "field": f"/escalation_policies/{p.id}",
                    "message": f"escalation policy {p.name!r} sends to this channel",
                }
                for p in exc.policies
            ],
        ) from None
    session.commit()
    return Response(status_code=204)


def send_test_now(
    *,
    session: Session,
    settings: Settings,
    channel: NotificationChannel,
    who: Principal,
    request: Request,
) -> ChannelTestResult:
    """Send a test through ``channel`` and record it; shared by the API and the page."""
    probe = prepare_test(session=session, settings=settings, channel=channel, user_id=who.user.id)
    session.commit()  # no transaction stays open while the receiver is waited for
    outcome = run_test(probe)
    audit_channel(
        session, who, request, "notification_channel.test", channel, outcome=outcome.status
    )
    session.commit()
    return outcome


@router.post(
    "/channels/{channel_id}/test",
    summary="Send a test notification now; answers with the outcome (ok, or the error)",
)
def api_test(
    channel_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
) -> ChannelTestResult:
    channel = _found(session, channel_id)
    return send_test_now(
        session=session, settings=settings, channel=channel, who=who, request=request
    )


@router.get("/deliveries", summary="Recent deliveries, newest first, with a cursor")
def api_deliveries(
    session: DbSession,
    who: ViewChannels,
    channel_id: Annotated[int | None, Query(ge=1)] = None,
    status: Annotated[DeliveryStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=20, pattern=r"^[0-9]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> DeliveryPage:
    rows = list_deliveries(
        session=session,
        channel_id=channel_id,
        status=status,
        before_id=int(cursor) if cursor else None,
        limit=limit + 1,
    )
    items = [delivery_read(d) for d in rows[:limit]]
    more = len(rows) > limit
    return DeliveryPage(items=items, next_cursor=str(items[-1].id) if more and items else None)
