"""Authors are also found by the platform's stable id: ``ix_authors_platform_external_id``.

A Bluesky post from Jetstream names its author by DID only; the handle is learned later
(identity events, ``app.bsky.actor.getProfiles``) and changes when the person changes it.
Ingestion and the handle updates look authors up by ``(platform, external_id)``, which needs
this index on a large table.  No data changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.create_index(
            "ix_authors_platform_external_id", ["platform", "external_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.drop_index("ix_authors_platform_external_id")
