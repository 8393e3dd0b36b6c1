"""Authors remember when the platform says their account is not active: ``account_status``.

A Bluesky account can be deleted, taken down, suspended or deactivated (Jetstream ``account``
events).  ``authors.account_status`` holds the status (``NULL`` while active) and
``authors.account_status_us`` the stream position of the change applied last, so a replayed
or late event never undoes a newer one.  Existing authors get ``NULL`` for both: active, as
far as anyone told us.  The index serves the "hide inactive authors' posts" filters.

Both directions alter ``authors`` in place (``recreate="never"``): adding or dropping a
nullable column and an index needs no table copy on SQLite (it drops a column natively since
3.35), so the rows that refer to authors are never touched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("authors", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("account_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("account_status_us", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_authors_account_status", ["account_status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("authors", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_authors_account_status")
        batch_op.drop_column("account_status_us")
        batch_op.drop_column("account_status")
