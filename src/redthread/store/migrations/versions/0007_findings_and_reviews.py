"""an investigation's findings per case, and the reviewers' decisions (the audit log)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False, comment="JSON: findings.json"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_findings_case_id_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_findings")),
    )
    op.create_index("ix_case_findings_case_id", "case_findings", ["case_id"])
    op.create_table(
        "review_decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="match or merge"),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("case_name", sa.String(length=255)),
        sa.Column("party", sa.String(length=255), nullable=False),
        sa.Column("party_names", sa.Text(), nullable=False, comment="JSON"),
        sa.Column("list", sa.String(length=128)),
        sa.Column("list_version", sa.Integer()),
        sa.Column("list_entity_id", sa.String(length=255)),
        sa.Column("entry_sha256", sa.String(length=64)),
        sa.Column("members", sa.Text(), nullable=False, server_default="[]", comment="JSON"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decision")),
    )
    op.create_index("ix_review_decision_party", "review_decision", ["party"])


def downgrade() -> None:
    op.drop_index("ix_review_decision_party", table_name="review_decision")
    op.drop_table("review_decision")
    op.drop_index("ix_case_findings_case_id", table_name="case_findings")
    op.drop_table("case_findings")
