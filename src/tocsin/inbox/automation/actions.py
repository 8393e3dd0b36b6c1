"""Rule actions: a registry of named actions, each with a pydantic model of its parameters.

A stored action is ``{"type": "tag", "tags": ["billing"]}``; the type is looked up in
:data:`ACTIONS` (never with ``getattr`` on a user string) and its parameters validated before
the rule is saved.  Every change an action makes is attributed to the rule
(:meth:`Actor.rule`), so the events it causes are marked ``caused_by_automation`` and no rule
reacts to them.

Example::

    validate_actions([{"type": "set_priority", "priority": 80}])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.inbox.cases import Actor, add_tags, assign, record, set_priority, set_status
from tocsin.inbox.models import Case
from tocsin.inbox.publishing import PublisherRegistry
from tocsin.inbox.sla.engine import _new_row, open_targets
from tocsin.inbox.sla.models import SlaPolicy
from tocsin.inbox.sla.policies import targets_of
from tocsin.ingestion.models import Post
from tocsin.notifications.message import Notification
from tocsin.notifications.models import NotificationChannel
from tocsin.notifications.service import queue_notification


class ActionError(RuntimeError):
    """An action could not run (logged on the rule run; the next action still runs)."""


@dataclass
class ActionContext:
    session: Session
    rule_id: int
    case: Case | None
    post: Post | None
    now: datetime
    registry: PublisherRegistry
    event_key: str

    @property
    def actor(self) -> Actor:
        return Actor.rule(self.rule_id)

    def need_case(self) -> Case:
        if self.case is None:
            raise ActionError("this action needs a case, and the event has none")
        return self.case


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignParams(_Params):
    user_id: int | None = None
    #: ``True``: pick the least-loaded skilled agent on shift instead of ``user_id``.
    auto: bool = False


class TagParams(_Params):
    tags: list[str] = Field(min_length=1)


class PriorityParams(_Params):
    priority: int = Field(ge=0, le=100)


class PolicyParams(_Params):
    policy_id: int


class AutoReplyParams(_Params):
    text: str = Field(min_length=1, max_length=2000)


class NotifyParams(_Params):
    user_ids: list[int] = Field(default_factory=list)
    channel_ids: list[int] = Field(default_factory=list)
    subject: str = Field(default="Inbox rule matched", max_length=200)


class WebhookParams(_Params):
    channel_id: int


class EmptyParams(_Params):
    pass


def _assign(ctx: ActionContext, p: AssignParams) -> None:
    from tocsin.inbox.routing import pick_agent

    case = ctx.need_case()
    user_id = p.user_id
    if p.auto:
        agent = pick_agent(session=ctx.session, case=case)
        user_id = agent.id if agent else None
    assign(session=ctx.session, case=case, user_id=user_id, actor=ctx.actor, now=ctx.now)


def _tag(ctx: ActionContext, p: TagParams) -> None:
    add_tags(session=ctx.session, case=ctx.need_case(), tags=p.tags, actor=ctx.actor, now=ctx.now)


def _priority(ctx: ActionContext, p: PriorityParams) -> None:
    set_priority(
        session=ctx.session, case=ctx.need_case(), priority=p.priority, actor=ctx.actor, now=ctx.now
    )


def _apply_policy(ctx: ActionContext, p: PolicyParams) -> None:
    """Replace the case's open targets with the policy's, counted from when each started."""
    case = ctx.need_case()
    policy = ctx.session.get(SlaPolicy, p.policy_id)
    if policy is None:
        raise ActionError(f"SLA policy {p.policy_id} does not exist")
    targets = targets_of(policy)
    minutes = {
        "first_response": targets.first_response_minutes,
        "next_response": targets.next_response_minutes,
        "resolution": targets.resolution_minutes,
    }
    for row in open_targets(session=ctx.session, case_id=case.id):
        fresh = _new_row(
            case,
            targets,
            target=row.target,
            minutes=minutes[row.target],
            cycle=row.cycle,
            start=row.started_at,
        )
        row.policy_id, row.minutes = policy.id, fresh.minutes
        row.at_risk_at, row.due_at = fresh.at_risk_at, fresh.due_at
    record(
        session=ctx.session,
        case=case,
        action="sla_policy",
        actor=ctx.actor,
        now=ctx.now,
        details={"policy_id": policy.id},
    )


def _auto_reply(ctx: ActionContext, p: AutoReplyParams) -> None:
    from tocsin.inbox.canned import case_variables, render_template
    from tocsin.inbox.replies import latest_inbound_post, publish_reply
    from tocsin.inbox.reply_models import Reply

    case = ctx.need_case()
    if case.author is not None and (case.author.is_automated or case.author.brand_id is not None):
        raise ActionError("never auto-reply to an automated or brand account")
    text = render_template(p.text, case_variables(session=ctx.session, case=case, agent=None))
    target = latest_inbound_post(session=ctx.session, case_id=case.id)
    reply = Reply(
        case_id=case.id,
        in_reply_to_post_id=target.id if target else None,
        text=text,
        is_automatic=True,
        status="approved",
        created_at=ctx.now,
    )
    ctx.session.add(reply)
    ctx.session.flush()
    publish_reply(session=ctx.session, reply=reply, registry=ctx.registry, now=ctx.now)


def _channels(session: Session, ids: list[int]) -> list[NotificationChannel]:
    if not ids:
        return []
    return list(session.scalars(select(NotificationChannel).where(NotificationChannel.id.in_(ids))))


def _note(ctx: ActionContext, subject: str) -> Notification:
    case = ctx.case
    text = f"Rule {ctx.rule_id} matched" + (f" case #{case.id} ({case.platform})" if case else "")
    return Notification(
        key=f"rule:{ctx.rule_id}:{ctx.event_key}",
        subject=subject,
        text=text,
        url=f"/inbox/cases/{case.id}" if case else None,
        data={
            "rule_id": ctx.rule_id,
            "case_id": case.id if case else None,
            "post_id": ctx.post.id if ctx.post else None,
        },
    )


def _notify(ctx: ActionContext, p: NotifyParams) -> None:
    queue_notification(
        session=ctx.session,
        channels=_channels(ctx.session, p.channel_ids),
        note=_note(ctx, p.subject),
        user_ids=p.user_ids,
    )


def _webhook(ctx: ActionContext, p: WebhookParams) -> None:
    channels = _channels(ctx.session, [p.channel_id])
    if not channels or channels[0].kind != "webhook":
        raise ActionError(f"notification channel {p.channel_id} is not a webhook channel")
    queue_notification(
        session=ctx.session, channels=channels, note=_note(ctx, "Inbox rule webhook")
    )


def _escalate(ctx: ActionContext, _p: EmptyParams) -> None:
    from tocsin.inbox.routing import _escalation_targets

    case = ctx.need_case()
    targets = _escalation_targets(ctx.session, case)
    queue_notification(
        session=ctx.session,
        channels=[],
        note=_note(ctx, f"Escalated case #{case.id}"),
        user_ids=targets,
    )
    case.escalated_at = ctx.now
    record(
        session=ctx.session,
        case=case,
        action="escalated",
        actor=ctx.actor,
        now=ctx.now,
        details={"notified": targets},
    )


def _hide_spam(ctx: ActionContext, _p: EmptyParams) -> None:
    if ctx.post is not None:
        ctx.post.hidden = True
    if ctx.case is not None:
        add_tags(session=ctx.session, case=ctx.case, tags=["spam"], actor=ctx.actor, now=ctx.now)
        set_status(
            session=ctx.session, case=ctx.case, status="closed", actor=ctx.actor, now=ctx.now
        )


def _mark_handled(ctx: ActionContext, _p: EmptyParams) -> None:
    set_status(
        session=ctx.session, case=ctx.need_case(), status="resolved", actor=ctx.actor, now=ctx.now
    )


@dataclass(frozen=True)
class ActionSpec:
    params: type[_Params]
    run: Callable[[ActionContext, Any], None]


ACTIONS: dict[str, ActionSpec] = {
    "assign": ActionSpec(AssignParams, _assign),
    "tag": ActionSpec(TagParams, _tag),
    "set_priority": ActionSpec(PriorityParams, _priority),
    "apply_sla_policy": ActionSpec(PolicyParams, _apply_policy),
    "auto_reply": ActionSpec(AutoReplyParams, _auto_reply),
    "notify": ActionSpec(NotifyParams, _notify),
    "webhook": ActionSpec(WebhookParams, _webhook),
    "escalate": ActionSpec(EmptyParams, _escalate),
    "hide_spam": ActionSpec(EmptyParams, _hide_spam),
    "mark_handled": ActionSpec(EmptyParams, _mark_handled),
}


def validate_actions(actions: list[dict[str, Any]]) -> list[tuple[str, _Params]]:
    """Parse stored actions; raise ``ValueError`` naming the first bad one."""
    parsed = []
    for index, item in enumerate(actions):
        kind = item.get("type")
        spec = ACTIONS.get(str(kind))
        if spec is None:
            raise ValueError(f"action {index}: unknown type {kind!r}: use {', '.join(ACTIONS)}")
        params = {k: v for k, v in item.items() if k != "type"}
        try:
            parsed.append((str(kind), spec.params.model_validate(params)))
        except ValueError as exc:
            raise ValueError(f"action {index} ({kind}): {exc}") from exc
    return parsed
