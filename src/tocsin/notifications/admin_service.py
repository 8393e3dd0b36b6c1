"""Managing notification channels: validation per kind, create, change, delete, read shapes.

Secrets (a Slack/Teams URL, a webhook's URL and signing secret) are encrypted with
:class:`~tocsin.privacy.secrets.SecretBox` and only ever shown masked; a signing secret that
Tocsin generates is returned once, by the call that generated it.

Example::

    channel, shown_once = add_channel(
        session=s, settings=settings,
        data=ChannelCreate(name="SIEM", kind="webhook", url="https://siem.example/hook"),
    )
    shown_once        # 'whsec_…' — the receiver needs it to verify signatures
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tocsin.config import Environment, Settings
from tocsin.crisis.models import EscalationPolicy
from tocsin.notifications.models import NotificationChannel, NotificationDelivery
from tocsin.notifications.schemas import (
    ChannelCreate,
    ChannelRead,
    ChannelUpdate,
    DeliveryRead,
    PolicyRef,
)
from tocsin.notifications.senders import mask_url
from tocsin.notifications.service import create_channel
from tocsin.privacy.secrets import SecretBox, SecretError

URL_KINDS = ("slack", "teams", "webhook")
SLACK_HOST = "hooks.slack.com"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
#: Shown instead of a target encrypted with an earlier TOCSIN_SECRET_KEY.
UNREADABLE = "unreadable: enter the URL again"
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

FieldError = dict[str, str]


class InvalidChannelError(ValueError):
    """The channel cannot be saved as asked; ``errors`` point at the fields (JSON Pointers)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))


class ChannelInUse(Exception):  # noqa: N818 - reads as a state
    """Escalation policies still send to this channel; ``policies`` names them."""

    def __init__(self, policies: Sequence[EscalationPolicy]) -> None:
        self.policies = list(policies)
        names = ", ".join(repr(p.name) for p in self.policies)
        super().__init__(f"escalation policies {names} send to this channel; remove it there first")


def generate_signing_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _url_problem(kind: str, url: str, settings: Settings) -> str | None:
    """Why ``url`` cannot be a ``kind`` target here, or None when it can."""
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "the URL must not contain spaces or control characters"
    parts = urlsplit(url)
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "the URL has an invalid port"
    if parts.scheme not in ("http", "https") or not host:
        return "use an http(s) URL such as https://example.com/hook"
    if host in LOCAL_HOSTS:
        if settings.environment is Environment.PRODUCTION:
            return "a local address is accepted only in development and test environments"
        return None
    if kind == "slack" and (parts.scheme != "https" or host != SLACK_HOST):
        return f"a Slack incoming webhook starts with https://{SLACK_HOST}/services/"
    if kind == "teams" and parts.scheme != "https":
        return "a Teams incoming webhook is an https:// URL"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if address.is_loopback or address.is_link_local or address.is_unspecified:
        return "loopback and link-local addresses are refused"
    return None


def check_target(
    *,
    settings: Settings,
    kind: str,
    recipients: list[str] | None,
    url: str | None,
    signing_secret: str | None,
    creating: bool,
) -> tuple[list[str] | None, list[FieldError]]:
    """Apply the per-kind rules; return the cleaned recipients and the errors found.

    On creation a field the kind needs must be given; on update an omitted field is kept.
    """
    errors: list[FieldError] = []
    cleaned: list[str] | None = None
    if recipients is not None:
        if kind != "email":
            if recipients:
                errors.append(
                    {"field": "/recipients", "message": "only e-mail channels have recipients"}
                )
        else:
            cleaned = []
            for index, address in enumerate(recipients):
                address = address.strip()
                if len(address) > 254 or not _EMAIL.match(address):
                    errors.append(
                        {
                            "field": f"/recipients/{index}",
                            "message": f"{address!r} is not an e-mail address "
                            "such as oncall@example.com",
                        }
                    )
                elif address.lower() not in (c.lower() for c in cleaned):
                    cleaned.append(address)
            if not recipients:
                errors.append({"field": "/recipients", "message": "give at least one address"})
    elif kind == "email" and creating:
        errors.append({"field": "/recipients", "message": "give at least one address"})
    if url is not None:
        if kind not in URL_KINDS:
            errors.append({"field": "/url", "message": f"{kind} channels have no URL"})
        elif problem := _url_problem(kind, url, settings):
            errors.append({"field": "/url", "message": problem})
    elif kind in URL_KINDS and creating:
        errors.append({"field": "/url", "message": "the URL to post to is required"})
    if signing_secret is not None:
        if kind != "webhook":
            errors.append({"field": "/signing_secret", "message": "only webhooks are signed"})
        elif len(signing_secret) < 16:
            errors.append(
                {
                    "field": "/signing_secret",
                    "message": "use at least 16 characters, or leave it empty to generate one",
                }
            )
    return cleaned, errors


def _name_taken(session: Session, name: str, *, other_than: int | None = None) -> bool:
    query = select(NotificationChannel.id).where(
        func.lower(NotificationChannel.name) == name.lower()
    )
    if other_than is not None:
        query = query.where(NotificationChannel.id != other_than)
    return session.scalar(query) is not None


def add_channel(
    *, session: Session, settings: Settings, data: ChannelCreate
) -> tuple[NotificationChannel, str | None]:
    """Create a channel; the second value is a generated signing secret to show once."""
    recipients, errors = check_target(
        settings=settings,
        kind=data.kind,
        recipients=data.recipients if data.kind == "email" or data.recipients else None,
        url=data.url,
        signing_secret=data.signing_secret,
        creating=True,
    )
    if _name_taken(session, data.name):
        errors.insert(0, {"field": "/name", "message": f"a channel named {data.name!r} exists"})
    if errors:
        raise InvalidChannelError(errors)
    generated = None
    secret: dict[str, str] = {}
    if data.kind in URL_KINDS and data.url:
        secret["url"] = data.url
    if data.kind == "webhook":
        if not data.signing_secret:
            generated = generate_signing_secret()
        secret["signing_secret"] = data.signing_secret or generated or ""
    config: dict[str, Any] = {"recipients": recipients} if data.kind == "email" else {}
    if data.inbox_escalations:
        config["inbox_escalations"] = True
    channel = create_channel(
        session=session,
        settings=settings,
        name=data.name,
        kind=data.kind,
        config=config,
        secret=secret or None,
    )
    channel.enabled = data.enabled
    return channel, generated


def change_channel(
    *, session: Session, settings: Settings, channel: NotificationChannel, data: ChannelUpdate
) -> tuple[list[str], str | None]:
    """Apply ``data``; return the names of the fields changed and a generated secret, if any.

    Nothing is written when any field is invalid.
    """
    given = data.model_fields_set
    if "name" in given and data.name is None:
        raise InvalidChannelError([{"field": "/name", "message": "a channel needs a name"}])
    recipients, errors = check_target(
        settings=settings,
        kind=channel.kind,
        recipients=data.recipients,
        url=data.url,
        signing_secret=data.signing_secret,
        creating=False,
    )
    if data.rotate_signing_secret and channel.kind != "webhook":
        errors.append({"field": "/rotate_signing_secret", "message": "only webhooks are signed"})
    if data.rotate_signing_secret and data.signing_secret is not None:
        errors.append(
            {"field": "/signing_secret", "message": "give a secret or ask for a new one, not both"}
        )
    if data.name is not None and _name_taken(session, data.name, other_than=channel.id):
        errors.insert(0, {"field": "/name", "message": f"a channel named {data.name!r} exists"})
    if errors:
        raise InvalidChannelError(errors)

    changed: list[str] = []
    if data.name is not None and data.name != channel.name:
        channel.name = data.name
        changed.append("name")
    if data.enabled is not None and data.enabled != channel.enabled:
        channel.enabled = data.enabled
        changed.append("enabled")
    if recipients is not None and recipients != channel.config.get("recipients"):
        channel.config = {**channel.config, "recipients": recipients}
        changed.append("recipients")
    paging = bool(channel.config.get("inbox_escalations"))
    if data.inbox_escalations is not None and data.inbox_escalations != paging:
        channel.config = {**channel.config, "inbox_escalations": data.inbox_escalations}
        changed.append("inbox_escalations")
    generated = generate_signing_secret() if data.rotate_signing_secret else None
    new_secret = data.signing_secret or generated
    if data.url is not None or new_secret:
        box = SecretBox(settings.secret_key)
        try:
            secret = box.decrypt_json(channel.secret_encrypted) if channel.secret_encrypted else {}
        except SecretError:
            secret = {}  # unreadable after a key change: what is given now replaces it
        if data.url is not None and data.url != secret.get("url"):
            secret["url"] = data.url
            changed.append("url")
        if new_secret:
            secret["signing_secret"] = new_secret
            changed.append("signing_secret")
        channel.secret_encrypted = box.encrypt_json(secret)
    session.flush()
    return changed, generated


def policies_using(*, session: Session, channel_id: int) -> list[EscalationPolicy]:
    """The escalation policies with a step that sends to ``channel_id`` (steps are JSON)."""
    policies = session.scalars(select(EscalationPolicy).order_by(EscalationPolicy.name))
    return [
        policy
        for policy in policies
        if any(
            channel_id in [int(c) for c in step.get("channel_ids", [])]
            for step in (policy.steps or [])
        )
    ]


def remove_channel(*, session: Session, channel: NotificationChannel) -> None:
    """Delete ``channel`` and its delivery history; refused while a policy uses it."""
    if used := policies_using(session=session, channel_id=channel.id):
        raise ChannelInUse(used)
    session.delete(channel)
    session.flush()


def list_channels(*, session: Session) -> list[NotificationChannel]:
    """Every channel by name (the escalation-policy form offers these)."""
    return list(session.scalars(select(NotificationChannel).order_by(NotificationChannel.name)))


def delivery_read(delivery: NotificationDelivery) -> DeliveryRead:
    return DeliveryRead(
        id=delivery.id,
        channel_id=delivery.channel_id,
        channel_name=delivery.channel.name,
        key=delivery.key,
        subject=delivery.subject,
        status=delivery.status,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        sent_at=delivery.sent_at,
    )


def list_deliveries(
    *,
    session: Session,
    channel_id: int | None = None,
    status: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[NotificationDelivery]:
    """Deliveries newest first; ``before_id`` continues a previous page."""
    query = select(NotificationDelivery).order_by(NotificationDelivery.id.desc()).limit(limit)
    if channel_id is not None:
        query = query.where(NotificationDelivery.channel_id == channel_id)
    if status is not None:
        query = query.where(NotificationDelivery.status == status)
    if before_id is not None:
        query = query.where(NotificationDelivery.id < before_id)
    return list(session.scalars(query))


def channel_read(
    *,
    session: Session,
    settings: Settings,
    channel: NotificationChannel,
    recent: Sequence[NotificationDelivery] | None = None,
) -> ChannelRead:
    """The channel with its target masked, the policies using it and its last delivery."""
    if recent is None:
        recent = list_deliveries(session=session, channel_id=channel.id, limit=1)
    raw = channel.config.get("recipients", [])
    recipients = [str(r) for r in raw] if isinstance(raw, list) else []
    target, hint = ", ".join(recipients), None
    if channel.secret_encrypted:
        try:
            secret = SecretBox(settings.secret_key).decrypt_json(channel.secret_encrypted)
        except SecretError:
            secret = {}
        target = mask_url(str(secret["url"])) if "url" in secret else UNREADABLE
        if signing := str(secret.get("signing_secret", "")):
            hint = "…" + signing[-4:]
    return ChannelRead(
        id=channel.id,
        name=channel.name,
        kind=channel.kind,
        enabled=channel.enabled,
        inbox_escalations=bool(channel.config.get("inbox_escalations")),
        recipients=recipients,
        target=target,
        signing_secret_hint=hint,
        created_at=channel.created_at,
        used_by=[
            PolicyRef(id=p.id, name=p.name)
            for p in policies_using(session=session, channel_id=channel.id)
        ],
        last_delivery=delivery_read(recent[0]) if recent else None,
    )
