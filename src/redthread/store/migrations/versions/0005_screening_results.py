"""screening results per party, for re-screening

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screening_result",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column(
            "party", sa.String(length=255), nullable=False, comment="the screened party's id"
        ),
        sa.Column("names", sa.Text(), nullable=False, comment="JSON: the names screened"),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("list", sa.String(length=128), nullable=True),
        sa.Column("list_version", sa.Integer(), nullable=True),
        sa.Column("list_entity_id", sa.String(length=255), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("match", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["screening_run.id"], name=op.f("fk_screening_result_run_id_screening_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_result")),
    )
    op.create_index("ix_screening_result_run_id", "screening_result", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_screening_result_run_id", table_name="screening_result")
    op.drop_table("screening_result")
