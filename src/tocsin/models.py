"""Import every ORM model so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from tocsin.accounts.models import ApiToken, LoginAttempt, Role, Team, TeamMember, User, WebSession
from tocsin.brands.models import Brand
from tocsin.connectors.models import PublishedReply, Source, WebhookReceipt
from tocsin.events.models import OutboxEvent
from tocsin.inbox.automation.models import AutomationRule, RuleRun
from tocsin.inbox.models import (
    AgentStatus,
    Case,
    CaseHistory,
    CaseNote,
    CasePresence,
    InboxSettings,
    PostTriage,
)
from tocsin.inbox.reply_models import AckTemplate, CannedReply, Reply, VoiceProfile
from tocsin.inbox.sla.models import AppliedSla, BusinessCalendar, SlaPolicy
from tocsin.ingestion.models import Author, Post, PostVersion, RawPayload
from tocsin.listening.models import PostBrand
from tocsin.notifications.models import (
    InAppNotification,
    NotificationChannel,
    NotificationDelivery,
)
from tocsin.privacy.models import AuditLog
from tocsin.workers.models import ScheduledJob

__all__ = [
    "AckTemplate",
    "AgentStatus",
    "AppliedSla",
    "AutomationRule",
    "BusinessCalendar",
    "CannedReply",
    "Case",
    "CaseHistory",
    "CaseNote",
    "CasePresence",
    "InboxSettings",
    "PostTriage",
    "Reply",
    "RuleRun",
    "SlaPolicy",
    "VoiceProfile",
    "ApiToken",
    "AuditLog",
    "Author",
    "Brand",
    "InAppNotification",
    "LoginAttempt",
    "NotificationChannel",
    "NotificationDelivery",
    "OutboxEvent",
    "Post",
    "PostBrand",
    "PostVersion",
    "PublishedReply",
    "RawPayload",
    "Role",
    "ScheduledJob",
    "Source",
    "Team",
    "TeamMember",
    "User",
    "WebSession",
    "WebhookReceipt",
]
