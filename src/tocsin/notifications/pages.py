"""Settings → Notifications (``/settings/notifications``): channels, their tests and deliveries.

Forms work without JavaScript (every field shown, with a hint saying which kinds use it); with
htmx, choosing a kind swaps in only its fields and "Send test" shows the outcome in place.
A generated webhook signing secret is rendered once, in the answer to the POST that made it.

Example::

    POST /settings/notifications  name=SIEM&kind=webhook&url=https://siem.example/hook
    → 200, page with "Copy the signing secret now: whsec_…"
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tocsin.config import Settings
from tocsin.notifications.access import MANAGE, ManageChannels, ViewChannels, audit_channel
from tocsin.notifications.admin_service import (
    URL_KINDS,
    ChannelInUse,
    InvalidChannelError,
    add_channel,
    change_channel,
    channel_read,
    list_channels,
    list_deliveries,
    remove_channel,
)
from tocsin.notifications.api import send_test_now
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.schemas import ChannelCreate, ChannelTestResult, ChannelUpdate
from tocsin.notifications.service import CHANNEL_KINDS
from tocsin.web.deps import AppSettings, DbSession, Principal
from tocsin.web.problems import Problem, validation_errors
from tocsin.web.templating import render

router = APIRouter(include_in_schema=False)
BASE = "/settings/notifications"
RECENT = 20
Text = Annotated[str, Form(max_length=4000)]


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def _first_error(exc: ValidationError | InvalidChannelError) -> str:
    errors = validation_errors(exc.errors()) if isinstance(exc, ValidationError) else exc.errors
    first = errors[0]
    return f"{first['field'].lstrip('/') or 'channel'}: {first['message']}"


def _found(session: Session, channel_id: int) -> NotificationChannel:
    channel = session.get(NotificationChannel, channel_id)
    if channel is None:
        raise Problem(404, "not-found", "Not found", f"no notification channel {channel_id}")
    return channel


def _list_page(
    request: Request,
    session: Session,
    settings: Settings,
    who: Principal,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    rows = []
    for channel in list_channels(session=session):
        recent = list_deliveries(session=session, channel_id=channel.id, limit=RECENT)
        shown = channel_read(session=session, settings=settings, channel=channel, recent=recent)
        rows.append({"channel": shown, "deliveries": recent})
    full = {
        "rows": rows,
        "kinds": CHANNEL_KINDS,
        "url_kinds": URL_KINDS,
        "can_manage": who.can(MANAGE),
        "values": {},
        "error": "",
        **context,
    }
    return render(
        request, "notifications/channels.html", full, active="settings", status_code=status_code
    )


@router.get(BASE)
def channels_page(
    request: Request, session: DbSession, settings: AppSettings, who: ViewChannels
) -> Response:
    return _list_page(request, session, settings, who)


@router.get(f"{BASE}/fields")
def kind_fields(
    request: Request,
    who: ManageChannels,
    kind: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    """The fields of one kind (htmx swaps them in when the kind select changes)."""
    shown = [kind] if kind in CHANNEL_KINDS else list(CHANNEL_KINDS)
    context = {"shown": shown, "values": {}, "url_kinds": URL_KINDS}
    return render(request, "notifications/_fields.html", context)


@router.post(BASE)
def create_from_form(
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
    name: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=16)] = "",
    recipients: Text = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    signing_secret: Annotated[str, Form(max_length=300)] = "",
    enabled: Annotated[str, Form(max_length=8)] = "",
    inbox_escalations: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    values = {
        "name": name,
        "kind": kind,
        "recipients": recipients,
        "url": url,
        "enabled": enabled,
        "inbox_escalations": inbox_escalations,
    }
    try:
        # Without JavaScript every field is on the form: keep only those of the chosen kind.
        data = ChannelCreate(
            name=name,
            kind=kind,  # validated by pydantic
            enabled=bool(enabled),
            recipients=_lines(recipients) if kind == "email" else [],
            url=(url.strip() or None) if kind in URL_KINDS else None,
            signing_secret=(signing_secret.strip() or None) if kind == "webhook" else None,
            inbox_escalations=bool(inbox_escalations),
        )
        channel, generated = add_channel(session=session, settings=settings, data=data)
    except (ValidationError, InvalidChannelError) as exc:
        session.rollback()
        return _list_page(
            request, session, settings, who, error=_first_error(exc), values=values, status_code=422
        )
    audit_channel(session, who, request, "notification_channel.create", channel)
    session.commit()
    if generated:
        return _list_page(request, session, settings, who, created=channel, shown_secret=generated)
    return RedirectResponse(BASE, status_code=303)


def _channel_page(
    request: Request,
    session: Session,
    settings: Settings,
    who: Principal,
    channel: NotificationChannel,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    recent = list_deliveries(session=session, channel_id=channel.id, limit=RECENT)
    full = {
        "channel": channel_read(session=session, settings=settings, channel=channel, recent=recent),
        "deliveries": recent,
        "url_kinds": URL_KINDS,
        "can_manage": who.can(MANAGE),
        "error": "",
        **context,
    }
    return render(
        request, "notifications/channel.html", full, active="settings", status_code=status_code
    )


@router.get(f"{BASE}/{{channel_id}}")
def channel_page(
    channel_id: int, request: Request, session: DbSession, settings: AppSettings, who: ViewChannels
) -> Response:
    return _channel_page(request, session, settings, who, _found(session, channel_id))


@router.post(f"{BASE}/{{channel_id}}")
def update_from_form(
    channel_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
    name: Annotated[str, Form(max_length=200)] = "",
    recipients: Text = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    signing_secret: Annotated[str, Form(max_length=300)] = "",
    rotate_signing_secret: Annotated[str, Form(max_length=8)] = "",
    inbox_escalations: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Save the edit form; an empty URL or secret field keeps the stored one."""
    channel = _found(session, channel_id)
    try:
        data = ChannelUpdate(
            name=name,
            recipients=_lines(recipients) if channel.kind == "email" else None,
            url=(url.strip() or None) if channel.kind in URL_KINDS else None,
            signing_secret=(signing_secret.strip() or None) if channel.kind == "webhook" else None,
            rotate_signing_secret=bool(rotate_signing_secret) and channel.kind == "webhook",
            inbox_escalations=bool(inbox_escalations),
        )
        changed, generated = change_channel(
            session=session, settings=settings, channel=channel, data=data
        )
    except (ValidationError, InvalidChannelError) as exc:
        session.rollback()
        return _channel_page(
            request, session, settings, who, channel, error=_first_error(exc), status_code=422
        )
    if changed:
        audit_channel(
            session, who, request, "notification_channel.update", channel, changed=changed
        )
    session.commit()
    if generated:
        return _channel_page(request, session, settings, who, channel, shown_secret=generated)
    return RedirectResponse(f"{BASE}/{channel.id}?saved=1", status_code=303)


@router.post(f"{BASE}/{{channel_id}}/enabled")
def toggle_from_form(
    channel_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
    enabled: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    channel = _found(session, channel_id)
    changed, _ = change_channel(
        session=session,
        settings=settings,
        channel=channel,
        data=ChannelUpdate(enabled=enabled == "1"),
    )
    if changed:
        audit_channel(
            session, who, request, "notification_channel.update", channel, changed=changed
        )
        session.commit()
    return RedirectResponse(BASE, status_code=303)


@router.post(f"{BASE}/{{channel_id}}/delete")
def delete_from_form(
    channel_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
) -> Response:
    channel = _found(session, channel_id)
    audit_channel(session, who, request, "notification_channel.delete", channel)
    try:
        remove_channel(session=session, channel=channel)
    except ChannelInUse as exc:
        session.rollback()
        return _list_page(
            request,
            session,
            settings,
            who,
            in_use=exc.policies,
            in_use_name=channel.name,
            status_code=409,
        )
    session.commit()
    return RedirectResponse(BASE, status_code=303)


@router.post(f"{BASE}/{{channel_id}}/test")
def test_from_form(
    channel_id: int,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    who: ManageChannels,
) -> Response:
    """Send a test now; htmx gets the outcome fragment, a plain form the whole page."""
    channel = _found(session, channel_id)
    outcome: ChannelTestResult = send_test_now(
        session=session, settings=settings, channel=channel, who=who, request=request
    )
    if request.headers.get("hx-request"):
        return render(request, "notifications/_test_result.html", {"outcome": outcome})
    return _list_page(request, session, settings, who, tested=channel.id, outcome=outcome)
