"""Import every ORM model so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from tocsin.accounts.models import ApiToken, LoginAttempt, Role, Team, TeamMember, User, WebSession
from tocsin.brands.models import Brand
from tocsin.connectors.models import Source
from tocsin.events.models import OutboxEvent
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
    "RawPayload",
    "Role",
    "ScheduledJob",
    "Source",
    "Team",
    "TeamMember",
    "User",
    "WebSession",
]
