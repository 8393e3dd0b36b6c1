"""Seeding the built-in roles (idempotent: run by ``tocsin init`` and migrations)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tocsin.accounts.models import Role
from tocsin.accounts.permissions import BUILTIN_ROLES


def ensure_builtin_roles(session: Session) -> None:
    """Create or update the admin/manager/agent/viewer roles to their current permissions."""
    for name, (description, permissions) in BUILTIN_ROLES.items():
        role = session.get(Role, name)
        values = sorted(str(p) for p in permissions)
        if role is None:
            session.add(Role(name=name, description=description, permissions=values))
        else:
            role.description = description
            role.permissions = values
    session.flush()
