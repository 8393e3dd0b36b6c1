"""The demo team's working set-up, so every management screen opens on something real.

A care team (the four demo agents, the demo administrator as lead), an in-app channel for
crisis alerts (not for unanswered-case escalations: the loaded week holds a thousand old
unanswered cases), an escalation policy that pages the lead when nobody acknowledges an alert
within 15 minutes (attached to our brands' radar policies), a brand-voice profile that warns
before a reply promises what legal would not, and two automation rules (legal threats go to the
top of the queue, tagged; spam is hidden).
Idempotent: each piece is created only when missing, and nothing a user changed is overwritten.

Example::

    ensure_demo_operations(session=session, admin=admin, agents=agents)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tocsin.accounts.models import Team, TeamMember, User
from tocsin.brands.models import Brand
from tocsin.crisis.models import EscalationPolicy, RadarPolicy
from tocsin.inbox.admin.rules_service import create_rule_row
from tocsin.inbox.admin.schemas import RuleIn
from tocsin.inbox.automation.models import AutomationRule
from tocsin.inbox.reply_models import VoiceProfile
from tocsin.notifications.models import NotificationChannel

TEAM = "Care"
CHANNEL = "Care team (in-app)"
ESCALATION = "Care on-call"
#: Promises a care agent must not make in writing, in the demo's four languages.
BANNED_PROMISES = ("guaranteed", "garanti", "garantizado", "gegarandeerd")


def ensure_demo_operations(*, session: Session, admin: User, agents: Sequence[User]) -> None:
    team = session.scalar(select(Team).where(Team.name == TEAM))
    if team is None:
        team = Team(name=TEAM)
        session.add(team)
        session.flush()
        session.add(TeamMember(team_id=team.id, user_id=admin.id, is_lead=True))
        session.add_all(TeamMember(team_id=team.id, user_id=a.id) for a in agents)
    channel = session.scalar(select(NotificationChannel).where(NotificationChannel.name == CHANNEL))
    if channel is None:
        channel = NotificationChannel(name=CHANNEL, kind="in_app", config={})
        session.add(channel)
        session.flush()
    policy = session.scalar(select(EscalationPolicy).where(EscalationPolicy.name == ESCALATION))
    if policy is None:
        policy = EscalationPolicy(
            name=ESCALATION,
            steps=[
                {"delay_minutes": 0, "channel_ids": [channel.id], "user_ids": []},
                {"delay_minutes": 15, "channel_ids": [], "user_ids": [admin.id]},
            ],
        )
        session.add(policy)
        session.flush()
    ours = select(Brand.id).where(Brand.competitor_of_id.is_(None))
    for radar in session.scalars(select(RadarPolicy).where(RadarPolicy.brand_id.in_(ours))):
        if radar.escalation_policy_id is None:
            radar.escalation_policy_id = policy.id
    if session.scalar(select(VoiceProfile).where(VoiceProfile.brand_id.is_(None))) is None:
        session.add(VoiceProfile(brand_id=None, banned_words=list(BANNED_PROMISES)))
    _ensure_rules(session)
    session.flush()


def _ensure_rules(session: Session) -> None:
    """Two rules, created through the same validation as the API (once: by name)."""
    if session.scalar(select(AutomationRule.id).limit(1)) is not None:
        return  # the user's own rules: leave them alone
    threat = {"field": "enrichment.intents", "op": "contains", "value": "threat"}
    spam = {"field": "enrichment.intents", "op": "contains", "value": "spam"}
    for body in (
        {
            "name": "Legal threats to the top",
            "event": "case.opened",
            "conditions": {"all": [threat]},
            "actions": [
                {"type": "set_priority", "priority": 95},
                {"type": "tag", "tags": ["legal"]},
            ],
            "position": 10,
        },
        {
            "name": "Hide spam",
            "event": "post.received",
            "conditions": {"all": [spam]},
            "actions": [{"type": "hide_spam"}],
            "position": 20,
        },
    ):
        create_rule_row(session=session, data=RuleIn.model_validate(body))
