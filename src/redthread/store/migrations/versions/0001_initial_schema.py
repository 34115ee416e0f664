"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column(
            "id", sa.String(length=64), nullable=False, comment="SHA-256 of the original bytes"
        ),
        sa.Column("source", sa.Text(), nullable=False, comment="path or URL it was read from"),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    op.create_table(
        "list_version",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("entity_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_version")),
        sa.UniqueConstraint("name", "sha256", name="uq_list_version_name_sha256"),
    )
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_version_name"), ["name"], unique=False)

    op.create_table(
        "statement",
        sa.Column("id", sa.String(length=255), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("canonical_id", sa.String(length=255), nullable=False),
        sa.Column("schema", sa.String(length=64), nullable=False),
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("original_value", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("dataset", sa.String(length=128), nullable=False),
        sa.Column("origin", sa.String(length=255), nullable=True),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column(
            "first_seen",
            sa.String(length=32),
            nullable=True,
            comment="ISO timestamp, as FtM writes it",
        ),
        sa.Column(
            "last_seen",
            sa.String(length=32),
            nullable=True,
            comment="ISO timestamp, as FtM writes it",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_canonical_id"), ["canonical_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_statement_dataset"), ["dataset"], unique=False)
        batch_op.create_index(batch_op.f("ix_statement_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_meta")),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, comment="the sentence that states the fact"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_evidence_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_document_id"), ["document_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column(
            "entity_id", sa.String(length=255), nullable=False, comment="the fact (an FtM entity)"
        ),
        sa.Column("evidence_id", sa.String(length=64), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("attributed_to", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_claim_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_evidence_id"), ["evidence_id"], unique=False)

    op.create_table(
        "statement_evidence",
        sa.Column("statement_id", sa.String(length=255), nullable=False),
        sa.Column("evidence_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_statement_evidence_evidence_id_evidence"),
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
            name=op.f("fk_statement_evidence_statement_id_statement"),
        ),
        sa.PrimaryKeyConstraint("statement_id", "evidence_id", name=op.f("pk_statement_evidence")),
    )
    with op.batch_alter_table("statement_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_statement_evidence_evidence_id", ["evidence_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("statement_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_statement_evidence_evidence_id")

    op.drop_table("statement_evidence")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_evidence_id"))
        batch_op.drop_index(batch_op.f("ix_claim_entity_id"))

    op.drop_table("claim")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_document_id"))

    op.drop_table("evidence")
    op.drop_table("store_meta")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_entity_id"))
        batch_op.drop_index(batch_op.f("ix_statement_dataset"))
        batch_op.drop_index(batch_op.f("ix_statement_canonical_id"))

    op.drop_table("statement")
    with op.batch_alter_table("list_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_version_name"))

    op.drop_table("list_version")
    op.drop_table("document")
