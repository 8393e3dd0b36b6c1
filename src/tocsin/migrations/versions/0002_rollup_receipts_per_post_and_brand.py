"""Rollup receipts: what each (post, brand) pair added to the listening counts.

An edit or a deletion subtracts exactly the stored receipt.  Receipts written before this
revision hold no such detail, so the counts are dropped and the ``listening.rollups`` catch-up
job (cursor reset here) recounts every matched post from the store on the next worker pass;
``tocsin listening-rollups`` does the same at once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import tocsin.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT_TABLES = (
    "listening_post_rollups",
    "listening_daily_items",
    "listening_daily",
    "listening_hourly",
)


def upgrade() -> None:
    for table in COUNT_TABLES:
        op.execute(sa.text(f"DELETE FROM {table}"))
    op.execute(sa.text("DELETE FROM listening_cursors WHERE name = 'rollups'"))
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
    with op.batch_alter_table("listening_post_rollups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bucket", tocsin.types.UTCDateTime(timezone=True), nullable=False)
        )
        batch_op.add_column(sa.Column("platform", sa.String(length=32), nullable=False))
        batch_op.add_column(sa.Column("lang", sa.String(length=8), nullable=False))
        batch_op.add_column(sa.Column("complaint", sa.Boolean(), nullable=False))
        batch_op.add_column(sa.Column("reach", sa.BigInteger(), nullable=False))
        batch_op.add_column(sa.Column("engagement", sa.BigInteger(), nullable=False))
        batch_op.add_column(sa.Column("handle", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("items", json_type, nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("listening_post_rollups", schema=None) as batch_op:
        for column in ("items", "handle", "engagement", "reach", "complaint", "lang"):
            batch_op.drop_column(column)
        batch_op.drop_column("platform")
        batch_op.drop_column("bucket")
