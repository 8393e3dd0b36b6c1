"""Senders: one small class per channel kind behind the :class:`Sender` protocol.

HTTP senders take an injectable ``httpx`` transport, so tests run against local receivers or
``httpx.MockTransport``.  The generic webhook is signed like Stripe's: the header
``X-Tocsin-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``; receivers verify
with :func:`verify_signature` (or the same three lines in any language).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from tocsin.notifications.message import Notification, email_bodies, slack_payload, teams_payload

SIGNATURE_HEADER = "X-Tocsin-Signature"
DELIVERY_HEADER = "X-Tocsin-Delivery"


class DeliveryError(RuntimeError):
    """The receiver refused or could not be reached; ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Sender(Protocol):
    kind: str

    def send(self, note: Notification) -> None: ...


class EmailSender:
    kind = "email"

    def __init__(
        self, *, host: str, port: int, sender: str, recipients: Sequence[str], timeout: float = 10
    ) -> None:
        if not recipients:
            raise ValueError("an e-mail channel needs at least one recipient")
        self.host, self.port, self.sender = host, port, sender
        self.recipients = list(recipients)
        self.timeout = timeout

    def build(self, note: Notification) -> EmailMessage:
        plain, rich = email_bodies(note)
        message = EmailMessage()
        message["Subject"] = f"[Tocsin] {note.subject}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Message-ID"] = make_msgid(idstring=hashlib.sha1(note.key.encode()).hexdigest())  # noqa: S324
        message["X-Tocsin-Key"] = note.key
        message.set_content(plain)
        message.add_alternative(rich, subtype="html")
        return message

    def send(self, note: Notification) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(self.build(note))
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {exc}") from exc


class _HttpSender:
    kind = "http"

    def __init__(
        self, *, url: str, transport: httpx.BaseTransport | None = None, timeout: float = 10
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("the webhook URL must start with https://")
        self.url = url
        #: What error messages show: a Slack or Teams URL *is* the credential.
        self.shown_url = mask_url(url)
        self._client = httpx.Client(transport=transport, timeout=timeout)

    def _post(self, body: bytes, headers: dict[str, str]) -> None:
        try:
            response = self._client.post(
                self.url, content=body, headers={"Content-Type": "application/json", **headers}
            )
        except httpx.HTTPError as exc:
            reason = str(exc).replace(self.url, self.shown_url) or type(exc).__name__
            raise DeliveryError(f"{self.shown_url}: {reason}") from exc
        if response.status_code >= 300:
            retry_after = response.headers.get("Retry-After")
            raise DeliveryError(
                f"{self.shown_url} answered HTTP {response.status_code}",
                retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
            )


class SlackSender(_HttpSender):
    kind = "slack"

    def send(self, note: Notification) -> None:
        self._post(json.dumps(slack_payload(note)).encode(), {})


class TeamsSender(_HttpSender):
    kind = "teams"

    def send(self, note: Notification) -> None:
        self._post(json.dumps(teams_payload(note)).encode(), {})


class WebhookSender(_HttpSender):
    kind = "webhook"

    def __init__(
        self,
        *,
        url: str,
        secret: str,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10,
    ) -> None:
        super().__init__(url=url, transport=transport, timeout=timeout)
        if len(secret) < 16:
            raise ValueError("the webhook signing secret must have at least 16 characters")
        self.secret = secret

    def send(self, note: Notification) -> None:
        body = json.dumps({"event": "tocsin.notification", **note.to_dict()}).encode()
        headers = {
            SIGNATURE_HEADER: sign(self.secret, body),
            DELIVERY_HEADER: note.key,
        }
        self._post(body, headers)


def mask_url(url: str) -> str:
    """``url`` with its path hidden but its last four characters, safe to show and to log.

    >>> mask_url("https://hooks.slack.com/services/T0/B0/abcdWXYZ")
    'https://hooks.slack.com/…/WXYZ'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    tail = url[-4:] if len(url) > len(f"{parts.scheme}://{host}") + 4 else ""
    return f"{parts.scheme}://{host}/…/{tail}" if tail else f"{parts.scheme}://{host}/…"


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={ts},v1={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance: int = 300, now: int | None = None
) -> bool:
    """Check a ``X-Tocsin-Signature`` header; refuse it when older than ``tolerance`` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        ts = int(parts["t"])
        given = parts["v1"]
    except (ValueError, KeyError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - ts) > tolerance:
        return False
    expected = sign(secret, body, timestamp=ts).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)
