"""Import every ORM model so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from tocsin.accounts.models import ApiToken, LoginAttempt, Role, Team, TeamMember, User, WebSession
from tocsin.brands.models import Brand
from tocsin.claims.models import Claim, ClaimCorrection, ClaimMatch
from tocsin.connectors.models import PublishedReply, Source, WebhookReceipt
from tocsin.crisis.incident_models import (
    Communique,
    HoldingStatement,
    Incident,
    IncidentEvent,
    IncidentLink,
    PlaybookItem,
    PlaybookTemplate,
    StatementTemplate,
)
from tocsin.crisis.models import (
    Alert,
    DetectorState,
    EscalationPolicy,
    MetricBucket,
    RadarPolicy,
    RadarProgress,
)
from tocsin.enrichment.models import PostEnrichment
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
from tocsin.listening.narratives_models import Narrative, PostNarrative
from tocsin.listening.rollups_models import (
    DailyRollup,
    DailyTopItem,
    HourlyRollup,
    ListeningCursor,
    PostRollup,
)
from tocsin.listening.tracking_models import (
    AmicableResolution,
    Campaign,
    DigestSchedule,
    OpportunityDecision,
    PoachingAlert,
    RightOfReply,
)
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
    "Alert",
    "AmicableResolution",
    "ApiToken",
    "AppliedSla",
    "AuditLog",
    "Author",
    "AutomationRule",
    "Brand",
    "BusinessCalendar",
    "Campaign",
    "CannedReply",
    "Case",
    "CaseHistory",
    "CaseNote",
    "CasePresence",
    "Claim",
    "ClaimCorrection",
    "ClaimMatch",
    "Communique",
    "DailyRollup",
    "DailyTopItem",
    "DetectorState",
    "DigestSchedule",
    "EscalationPolicy",
    "HoldingStatement",
    "HourlyRollup",
    "InAppNotification",
    "InboxSettings",
    "Incident",
    "IncidentEvent",
    "IncidentLink",
    "ListeningCursor",
    "LoginAttempt",
    "MetricBucket",
    "Narrative",
    "NotificationChannel",
    "NotificationDelivery",
    "OpportunityDecision",
    "OutboxEvent",
    "PlaybookItem",
    "PlaybookTemplate",
    "PoachingAlert",
    "Post",
    "PostBrand",
    "PostEnrichment",
    "PostNarrative",
    "PostRollup",
    "PostTriage",
    "PostVersion",
    "PublishedReply",
    "RadarPolicy",
    "RadarProgress",
    "RawPayload",
    "Reply",
    "RightOfReply",
    "Role",
    "RuleRun",
    "ScheduledJob",
    "SlaPolicy",
    "Source",
    "StatementTemplate",
    "Team",
    "TeamMember",
    "User",
    "VoiceProfile",
    "WebSession",
    "WebhookReceipt",
]
