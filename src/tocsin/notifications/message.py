"""The channel-neutral notification and its renderings for each channel.

Example::

    note = Notification(
        key="alert:42",
        subject="Spike: 412 mentions of Lumio in 5 min",
        text="4.8x the usual for Tuesday 14:00. Top terms: #LumioDown, outage.",
        severity="critical",
        url="https://tocsin.example.com/crisis/alerts/42",
        facts={"Brand": "Lumio", "Negative share": "81%"},
    )
    slack_payload(note)
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warning", "critical"]
_EMOJI = {"info": "ℹ️", "warning": "⚠️", "critical": "🚨"}
_TEAMS_COLOR = {"info": "Accent", "warning": "Warning", "critical": "Attention"}


@dataclass(frozen=True)
class Notification:
    key: str
    subject: str
    text: str
    severity: Severity = "info"
    url: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    #: Structured data for machine receivers (the generic webhook).
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Notification:
        return cls(**value)


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn treats <, > and & as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(note: Notification) -> dict[str, Any]:
    """A Slack incoming-webhook body (``text`` fallback + Block Kit blocks)."""
    title = f"{_EMOJI[note.severity]} {_slack_escape(note.subject)}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": note.subject[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(note.text)[:3000]}},
    ]
    if note.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(k)}*\n{_slack_escape(v)}"}
                    for k, v in list(note.facts.items())[:10]
                ],
            }
        )
    if note.url:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in Tocsin"},
                        "url": note.url,
                    }
                ],
            }
        )
    return {"text": title, "blocks": blocks}


def teams_payload(note: Notification) -> dict[str, Any]:
    """A Microsoft Teams incoming-webhook body carrying an Adaptive Card."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": note.subject,
            "weight": "Bolder",
            "size": "Medium",
            "color": _TEAMS_COLOR[note.severity],
            "wrap": True,
        },
        {"type": "TextBlock", "text": note.text, "wrap": True},
    ]
    if note.facts:
        body.append(
            {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in note.facts.items()]}
        )
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if note.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open in Tocsin", "url": note.url}]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def email_bodies(note: Notification) -> tuple[str, str]:
    """Plain-text and HTML bodies; every value is escaped in the HTML one."""
    lines = [note.text, ""]
    lines += [f"{k}: {v}" for k, v in note.facts.items()]
    if note.url:
        lines += ["", note.url]
    plain = "\n".join(lines).strip() + "\n"
    rows = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in note.facts.items()
    )
    link = (
        f"<p><a href='{html.escape(note.url, quote=True)}'>Open in Tocsin</a></p>"
        if note.url
        else ""
    )
    rich = (
        f"<html><body><h2>{html.escape(note.subject)}</h2>"
        f"<p>{html.escape(note.text)}</p><table>{rows}</table>{link}</body></html>"
    )
    return plain, rich
