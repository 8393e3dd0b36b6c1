"""Request and response shapes for notification channels and deliveries (API and pages).

The shapes check structure only (types, lengths, unknown fields); the rules that depend on the
kind and on the environment (a Slack URL must be ``https://hooks.slack.com/…``; a local
``http://127.0.0.1`` receiver only outside production) live in
:func:`tocsin.notifications.admin_service.check_channel`, so the API and the form share them.

Example::

    ChannelCreate(name="On-call Slack", kind="slack", url="https://hooks.slack.com/services/…")
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChannelKind = Literal["email", "slack", "teams", "webhook", "in_app"]
DeliveryStatus = Literal["pending", "sent", "retrying", "failed"]


class ChannelCreate(BaseModel):
    """A new channel. ``url`` and ``signing_secret`` are stored encrypted and never returned."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    kind: ChannelKind
    enabled: bool = True
    #: E-mail channels: the addresses to write to.
    recipients: list[str] = Field(default_factory=list, max_length=50)
    #: Slack, Teams and webhook channels: where to POST.
    url: str | None = Field(default=None, max_length=2000)
    #: Webhook channels: the HMAC-SHA256 key; generated (and shown once) when omitted.
    signing_secret: str | None = Field(default=None, max_length=200)
    #: Also page the lead here when an inbox case stays unanswered (issue #4's escalation).
    inbox_escalations: bool = False


class ChannelUpdate(BaseModel):
    """Changes to a channel; a field left out is kept. The kind cannot change."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=120)
    enabled: bool | None = None
    recipients: list[str] | None = Field(default=None, max_length=50)
    #: A new URL (Slack/Teams: this rotates the credential).
    url: str | None = Field(default=None, max_length=2000)
    signing_secret: str | None = Field(default=None, max_length=200)
    #: Webhook channels: replace the signing secret by a generated one, shown once.
    rotate_signing_secret: bool = False
    inbox_escalations: bool | None = None


class PolicyRef(BaseModel):
    id: int
    name: str


class DeliveryRead(BaseModel):
    id: int
    channel_id: int
    channel_name: str
    key: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class ChannelRead(BaseModel):
    """A channel as the API shows it: the target is masked, secrets are never included."""

    id: int
    name: str
    kind: str
    enabled: bool
    inbox_escalations: bool
    recipients: list[str]
    #: ``https://hooks.slack.com/…/WXYZ``, the recipients, or ``""`` for in-app channels.
    target: str
    #: Last four characters of the webhook signing secret, e.g. ``…x9Qa``.
    signing_secret_hint: str | None
    created_at: datetime
    used_by: list[PolicyRef]
    last_delivery: DeliveryRead | None


class ChannelCreated(ChannelRead):
    #: The generated signing secret, shown in this answer only (like an API token).
    signing_secret: str | None = None


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    #: Pass as ``cursor`` for older deliveries; null on the last page.
    next_cursor: str | None


class ChannelTestResult(BaseModel):
    """What ``POST /channels/{id}/test`` did: ``ok`` and, when it failed, why."""

    ok: bool
    status: str
    error: str | None
    delivery_id: int | None
