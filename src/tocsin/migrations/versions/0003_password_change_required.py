"""Users must replace a password that someone else set: ``users.password_change_required``.

Existing accounts get ``false``: nobody already signed in is suddenly locked out of their work.
The flag is set from now on when Tocsin generates a one-time password or an admin sets or resets
someone's password, and cleared when the user chooses their own.

Both directions alter ``users`` in place (``recreate="never"``): on SQLite, copying the table
would drop the original with foreign keys on, and that deletes every row that refers to a user
(sessions, tokens, team memberships) or fails. SQLite drops a plain column natively since 3.35.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "password_change_required",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("password_change_required")
