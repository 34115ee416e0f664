"""screening runs

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("algorithm", sa.String(length=64), nullable=False),
        sa.Column("algorithm_version", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column(
            "config", sa.Text(), nullable=False, comment="JSON: the settings that shaped scores"
        ),
        sa.Column("list_versions", sa.Text(), nullable=False, comment="JSON: [{name, id, sha256}]"),
        sa.Column("query_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False, comment="what was screened: a name, a file"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_run")),
    )


def downgrade() -> None:
    op.drop_table("screening_run")
