"""documents: format metadata and pipeline status; cases

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(
            sa.Column(
                "meta",
                sa.Text(),
                nullable=False,
                server_default="{}",
                comment="JSON: what the format adds",
            )
        )
        batch.add_column(
            sa.Column("status", sa.String(length=32), nullable=False, server_default="pending")
        )
        batch.add_column(
            sa.Column("note", sa.Text(), nullable=True, comment="why the document is not extracted")
        )
    op.create_table(
        "case",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case")),
        sa.UniqueConstraint("name", name=op.f("uq_case_name")),
    )
    op.create_table(
        "case_document",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case.id"], name=op.f("fk_case_document_case_id_case")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_case_document_document_id_document")
        ),
        sa.PrimaryKeyConstraint("case_id", "document_id", name=op.f("pk_case_document")),
    )
    op.create_index("ix_case_document_document_id", "case_document", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_case_document_document_id", table_name="case_document")
    op.drop_table("case_document")
    op.drop_table("case")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("note")
        batch.drop_column("status")
        batch.drop_column("meta")
