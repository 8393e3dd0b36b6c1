"""Permissions and the built-in roles.

A route declares the permission it needs; roles are rows (``roles`` table) seeded from
:data:`BUILTIN_ROLES`, so an administrator can inspect them.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    POSTS_READ = "posts:read"
    POSTS_WRITE = "posts:write"
    PII_UNMASK = "pii:unmask"
    CASES_READ = "cases:read"
    CASES_WORK = "cases:work"
    REPLIES_SEND = "replies:send"
    REPLIES_APPROVE = "replies:approve"
    RULES_MANAGE = "rules:manage"
    ALERTS_READ = "alerts:read"
    INCIDENTS_MANAGE = "incidents:manage"
    LISTENING_READ = "listening:read"
    CLAIMS_MANAGE = "claims:manage"
    BRANDS_MANAGE = "brands:manage"
    SOURCES_MANAGE = "sources:manage"
    USERS_MANAGE = "users:manage"
    TOKENS_MANAGE = "tokens:manage"
    AUDIT_READ = "audit:read"
    PRIVACY_MANAGE = "privacy:manage"
    SETTINGS_MANAGE = "settings:manage"


_READ = [
    Permission.POSTS_READ,
    Permission.CASES_READ,
    Permission.ALERTS_READ,
    Permission.LISTENING_READ,
]
_AGENT = [*_READ, Permission.CASES_WORK, Permission.REPLIES_SEND, Permission.TOKENS_MANAGE]
_MANAGER = [
    *_AGENT,
    Permission.POSTS_WRITE,
    Permission.PII_UNMASK,
    Permission.REPLIES_APPROVE,
    Permission.RULES_MANAGE,
    Permission.INCIDENTS_MANAGE,
    Permission.CLAIMS_MANAGE,
    Permission.BRANDS_MANAGE,
]

BUILTIN_ROLES: dict[str, tuple[str, list[Permission]]] = {
    "viewer": ("Reads dashboards, posts (masked) and alerts", _READ),
    "agent": ("Works cases and sends replies", _AGENT),
    "manager": ("Leads a team: approvals, rules, incidents, unmasking", _MANAGER),
    "admin": ("Everything, including users, sources and privacy", list(Permission)),
}

ROLE_ORDER = ("viewer", "agent", "manager", "admin")
