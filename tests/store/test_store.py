"""The store on real databases: SQLite files always, PostgreSQL when the test run provides one."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from followthemoney.statement import Statement
from sqlalchemy import text

from redthread.model import Claim, Document, Evidence, ListVersion, Stance
from redthread.store import Store, StoreError, normalise_url, redact_url
from redthread.store.store import head_revision
from redthread.store.tables import metadata

TABLES = {
    "alembic_version",
    "api_token",
    "app_user",
    "case",
    "case_document",
    "case_findings",
    "claim",
    "document",
    "evidence",
    "list_issue",
    "list_statement",
    "list_version",
    "review_decision",
    "screening_result",
    "screening_run",
    "statement",
    "statement_evidence",
    "store_meta",
}


def make_doc(content: str = "IEMZ Kupol is a subsidiary of Almaz-Antey.") -> Document:
    return Document.from_content(
        content.encode(),
        source="article.txt",
        media_type="text/plain",
        text=content,
        title="Kupol",
        published=date(2023, 9, 25),
        language="en",
    )


def stmt(
    entity: str, prop: str, value: str, schema: str = "Company", seen: str = "2024-05-03T00:00:00"
) -> Statement:
    return Statement(
        entity_id=entity,
        prop=prop,
        schema=schema,
        value=value,
        dataset="case",
        first_seen=seen,
        last_seen=seen,
    )


def test_open_creates_the_schema_at_the_newest_version(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.schema_version() == head_revision()
        assert set(store.table_names()) == TABLES
    with Store.open(db_url) as again:  # migrating an up-to-date store changes nothing
        assert again.schema_version() == head_revision()


def test_migrations_match_the_table_definitions(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_sqlite_uses_wal_and_foreign_keys(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_documents_are_stored_once_by_content(db_url: str) -> None:
    doc = make_doc()
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            assert tx.add_document(doc) is True
        with store.transaction() as tx:
            assert tx.add_document(doc) is False
        assert store.count("document") == 1
        assert store.get_document(doc.id) == doc
        assert store.get_document("0" * 64) is None


def test_statements_round_trip_and_update_last_seen(db_url: str) -> None:
    first = [
        stmt("kupol", "name", "IEMZ Kupol"),
        stmt("kupol", "country", "ru"),
        stmt("almaz", "name", "Almaz-Antey", seen="2024-05-03T00:00:00"),
    ]
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            assert tx.add_statements(first) == 3
        later = stmt("kupol", "name", "IEMZ Kupol", seen="2025-01-01T00:00:00")
        with store.transaction() as tx:
            tx.add_statements([later])
        stored = {s.prop: s for s in store.statements(entity_id="kupol")}
        assert set(stored) == {"name", "country"}
        assert stored["name"].first_seen == "2024-05-03T00:00:00"
        assert stored["name"].last_seen == "2025-01-01T00:00:00"
        assert stored["name"].id == first[0].id
        assert stored["country"].schema == "Company"
        assert len(store.statements(dataset="case")) == 3


def test_evidence_links_statements_to_the_sentence(db_url: str) -> None:
    doc = make_doc()
    owner = stmt("own-1", "owner", "almaz", schema="Ownership")
    asset = stmt("own-1", "asset", "kupol", schema="Ownership")
    evidence = Evidence(doc.id, 0, len(doc.text), doc.text)
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            tx.add_document(doc)
            tx.add_statements([owner, asset])
            tx.add_evidence(evidence, [str(owner.id), str(asset.id)])
            tx.add_evidence(evidence, [str(owner.id)])  # linking twice is harmless
        assert store.evidence_for(str(owner.id)) == [evidence]
        assert store.evidence_for(str(asset.id)) == [evidence]
        assert store.count("statement_evidence") == 2


def test_claims_keep_stance_and_attribution(db_url: str) -> None:
    doc = make_doc("Reuters reports the deal. Kupol denied any involvement.")
    said = Evidence(doc.id, 0, 25, "Reuters reports the deal.")
    denied = Evidence(doc.id, 26, len(doc.text), "Kupol denied any involvement.")
    claims = [
        Claim("rel-1", said, Stance.ASSERTED, "Reuters"),
        Claim("rel-1", denied, Stance.DENIED, "Kupol"),
    ]
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            tx.add_document(doc)
            for claim in claims:
                tx.add_claim(claim)
        assert store.claims_for("rel-1") == claims
        assert store.claims_for("rel-2") == []


def test_evidence_must_point_at_a_stored_document(db_url: str) -> None:
    with Store.open(db_url) as store:
        with pytest.raises(Exception, match=r"(?i)foreign key"), store.transaction() as tx:
            tx.add_evidence(Evidence("f" * 64, 0, 1, "x"))
        assert store.count("evidence") == 0


def test_a_new_active_list_version_deactivates_the_old(db_url: str) -> None:
    old = ListVersion("ofac", "sdn-2024.csv", "a" * 64, 14965, 14965, published=date(2024, 5, 3))
    new = ListVersion("ofac", "sdn-2025.csv", "b" * 64, 15026, 15026, published=date(2025, 1, 1))
    other = ListVersion("un", "un.xml", "c" * 64, 1000, 990)
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            stored = tx.add_list_version(old)
            tx.add_list_version(other)
        assert stored.id is not None and stored.loaded_at is not None
        with store.transaction() as tx:
            tx.add_list_version(new)
        active = {lv.name: lv.sha256 for lv in store.list_versions(active_only=True)}
        assert active == {"ofac": "b" * 64, "un": "c" * 64}
        assert [lv.sha256 for lv in store.list_versions(name="ofac")] == ["b" * 64, "a" * 64]
        reloaded = store.list_versions(name="ofac")[1]
        assert reloaded.published == date(2024, 5, 3)
        assert reloaded.loaded_at is not None and reloaded.loaded_at.tzinfo is not None


def test_an_error_in_a_transaction_leaves_nothing_behind(db_url: str) -> None:
    with Store.open(db_url) as store:
        with store.transaction() as tx:
            tx.add_statements([stmt("kept", "name", "Kept Ltd")])
        with pytest.raises(RuntimeError), store.transaction() as tx:
            tx.add_document(make_doc())
            tx.add_statements(stmt(f"e{i}", "name", f"Company {i}") for i in range(5000))
            raise RuntimeError("the parser failed half way")
        assert store.count("statement") == 1
        assert store.count("document") == 0


def test_a_database_written_by_a_newer_redthread_is_refused(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer than this redthread"):
        Store.open(sqlite_url)


def test_check_writable_fails_on_a_read_only_file(sqlite_url: str, tmp_path: object) -> None:
    with Store.open(sqlite_url) as store:
        store.check_writable()
    read_only = sqlite_url + "?mode=ro"
    with (
        Store.open(
            read_only.replace("sqlite:///", "sqlite:///file:") + "&uri=true", migrate=False
        ) as store,
        pytest.raises(StoreError, match="not writable"),
    ):
        store.check_writable()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:secret@h/db", "postgresql+psycopg://u:secret@h/db"),
        ("postgres://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg2://h/db", "postgresql+psycopg2://h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_passwords_are_never_printed() -> None:
    assert "secret" not in redact_url("postgresql://u:secret@h/db")


def test_bad_urls_give_a_clear_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("no such thing")


def test_findings_keep_the_newest_runs_of_each_case(db_url: str) -> None:
    with Store.open(db_url) as store:
        for run in range(4):
            with store.transaction() as writer:
                writer.add_findings("a", {"run": run}, keep=2)
                writer.add_findings("b", {"run": run}, keep=2)
        latest = store.latest_findings("a")
        assert latest is not None and latest[1] == {"run": 3}
        assert store.count("case_findings") == 4  # two of each case
        assert set(store.investigated_cases()) == {"a", "b"}
        assert store.latest_findings("c") is None
