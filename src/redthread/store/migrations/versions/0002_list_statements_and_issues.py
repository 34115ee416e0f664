"""list statements and issues

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "list_issue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.String(length=16), nullable=False, comment="bad_row (skipped) or dropped"
        ),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_version.id"],
            name=op.f("fk_list_issue_list_version_id_list_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_issue")),
    )
    with op.batch_alter_table("list_issue", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_list_issue_list_version_id"), ["list_version_id"], unique=False
        )

    op.create_table(
        "list_statement",
        sa.Column("list_version_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=255), nullable=False, comment="the FtM statement id"),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column(
            "target",
            sa.Boolean(),
            nullable=False,
            comment="of a listed party (not a record about one)",
        ),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["list_version.id"],
            name=op.f("fk_list_statement_list_version_id_list_version"),
        ),
        sa.PrimaryKeyConstraint("list_version_id", "id", name=op.f("pk_list_statement")),
    )
    with op.batch_alter_table("list_statement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_list_statement_version_entity", ["list_version_id", "entity_id"], unique=False
        )

    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("format", sa.String(length=32), server_default="unknown", nullable=False)
        )
        batch_op.add_column(
            sa.Column("issue_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.drop_column("issue_count")
        batch_op.drop_column("format")

    with op.batch_alter_table("list_statement", schema=None) as batch_op:
        batch_op.drop_index("ix_list_statement_version_entity")

    op.drop_table("list_statement")
    with op.batch_alter_table("list_issue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_issue_list_version_id"))

    op.drop_table("list_issue")
