"""The database tables. Plain SQLAlchemy Core, portable between SQLite and PostgreSQL.

Changing a table means adding an Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

document = Table(
    "document",
    metadata,
    Column("id", String(64), primary_key=True, comment="SHA-256 of the original bytes"),
    Column("source", Text, nullable=False, comment="path or URL it was read from"),
    Column("media_type", String(128), nullable=False),
    Column("title", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("meta", Text, nullable=False, server_default="{}", comment="JSON: what the format adds"),
    Column("status", String(32), nullable=False, server_default="pending"),
    Column("note", Text, comment="why the document is not extracted"),
)

# A case groups the documents of one investigation; a document can be in several.
case = Table(
    "case",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

case_document = Table(
    "case_document",
    metadata,
    Column("case_id", Integer, ForeignKey("case.id"), primary_key=True),
    Column("document_id", String(64), ForeignKey("document.id"), primary_key=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_document_document_id", "document_id"),
)

# FtM's statement model (followthemoney.statement.Statement), one row per statement.
statement = Table(
    "statement",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("entity_id", String(255), nullable=False, index=True),
    Column("canonical_id", String(255), nullable=False, index=True),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),
    Column("lang", String(16)),
    Column("dataset", String(128), nullable=False, index=True),
    Column("origin", String(255)),
    Column("external", Boolean, nullable=False, default=False),
    Column("first_seen", String(32), comment="ISO timestamp, as FtM writes it"),
    Column("last_seen", String(32), comment="ISO timestamp, as FtM writes it"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("document_id", String(64), ForeignKey("document.id"), nullable=False, index=True),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
    Column("text", Text, nullable=False, comment="the sentence that states the fact"),
)

statement_evidence = Table(
    "statement_evidence",
    metadata,
    Column("statement_id", String(255), ForeignKey("statement.id"), primary_key=True),
    Column("evidence_id", String(64), ForeignKey("evidence.id"), primary_key=True),
    Index("ix_statement_evidence_evidence_id", "evidence_id"),
)

claim = Table(
    "claim",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "entity_id", String(255), nullable=False, index=True, comment="the fact (an FtM entity)"
    ),
    Column("evidence_id", String(64), ForeignKey("evidence.id"), nullable=False, index=True),
    Column("stance", String(16), nullable=False),
    Column("attributed_to", Text),
)

list_version = Table(
    "list_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("published", Date),
    Column("row_count", Integer, nullable=False),
    Column("entity_count", Integer, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=False),
    Column("format", String(32), nullable=False, server_default="unknown"),
    Column("issue_count", Integer, nullable=False, server_default="0"),
    UniqueConstraint("name", "sha256", name="uq_list_version_name_sha256"),
)

# The statements of one list version. Versions are immutable snapshots, so they sit apart
# from the case statements in ``statement``: an older version stays queryable as it was.
list_statement = Table(
    "list_statement",
    metadata,
    Column("list_version_id", Integer, ForeignKey("list_version.id"), primary_key=True),
    Column("id", String(255), primary_key=True, comment="the FtM statement id"),
    Column("entity_id", String(255), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("original_value", Text),
    Column("lang", String(16)),
    Column("target", Boolean, nullable=False, comment="of a listed party (not a record about one)"),
    Index("ix_list_statement_version_entity", "list_version_id", "entity_id"),
)

# Every screening run, so a result can be reproduced and defended later.
screening_run = Table(
    "screening_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("algorithm", String(64), nullable=False),
    Column("algorithm_version", String(32), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("config", Text, nullable=False, comment="JSON: the settings that shaped scores"),
    Column("list_versions", Text, nullable=False, comment="JSON: [{name, id, sha256}]"),
    Column("query_count", Integer, nullable=False),
    Column("source", Text, nullable=False, comment="what was screened: a name, a file"),
)

# What a screening run found for each party: its candidates (matches and near misses),
# or one row without a candidate when it found none. Never rewritten.
screening_result = Table(
    "screening_result",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("screening_run.id"), nullable=False, index=True),
    Column("party", String(255), nullable=False, comment="the screened party's id"),
    Column("names", Text, nullable=False, comment="JSON: the names screened"),
    Column("schema", String(64), nullable=False),
    Column("list", String(128)),
    Column("list_version", Integer),
    Column("list_entity_id", String(255)),
    Column("caption", Text),
    Column("score", Float),
    Column("match", Boolean),
)

# Rows of a list's files that did not become part of it, and why.
list_issue = Table(
    "list_issue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("list_version_id", Integer, ForeignKey("list_version.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False, comment="bad_row (skipped) or dropped"),
    Column("file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("row", Text, nullable=False),
)

# People who use the server, and the tokens programs use in their name.
app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False, comment="argon2id"),
    Column("role", String(16), nullable=False, comment="viewer, analyst or admin"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("app_user.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the token"),
    Column("label", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, server_default="0"),
    Column(
        "expires_at",
        DateTime(timezone=True),
        comment="when a web session ends; null for API tokens",
    ),
)

# What an investigation found in a case (findings.json), for the web app; newest wins.
case_findings = Table(
    "case_findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("case.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("findings", Text, nullable=False, comment="JSON: findings.json"),
)

# The audit log: a reviewer confirms or dismisses a match or a merge, with a reason.
# Never rewritten; the newest decision on a (party, list entry) or a merge stands.
review_decision = Table(
    "review_decision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("reviewer", String(128), nullable=False),
    Column("kind", String(16), nullable=False, comment="match or merge"),
    Column("decision", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("case_name", String(255)),
    Column("party", String(255), nullable=False, index=True),
    Column("party_names", Text, nullable=False, comment="JSON"),
    Column("list", String(128)),
    Column("list_version", Integer),
    Column("list_entity_id", String(255)),
    Column("entry_sha256", String(64)),
    Column("members", Text, nullable=False, server_default="[]", comment="JSON"),
)
