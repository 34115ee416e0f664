"""The :class:`Store`: opens the database, migrates it, reads, and writes in transactions."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from followthemoney import Dataset
from followthemoney.statement import Statement, StatementEntity
from sqlalchemy import (
    Connection,
    Engine,
    Select,
    Table,
    create_engine,
    delete,
    event,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from redthread.model import (
    Claim,
    Document,
    DocumentStatus,
    Evidence,
    ListLink,
    ListVersion,
    RowIssue,
    Stance,
)
from redthread.store import tables

MIGRATIONS = Path(__file__).parent / "migrations"
#: Rows sent to the database per executemany call.
CHUNK = 2000


class StoreError(Exception):
    """The database cannot be opened or used; the message says why."""


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact_url(url: str) -> str:
    """The URL with any password hidden, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The schema version this code expects."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise StoreError("no migrations found: the installation is incomplete")
    return head


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin,
    # so that DDL is transactional too (see "Serializable isolation" in SQLAlchemy's docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the write lock up front: two writers then queue on busy_timeout
    # instead of failing on a lock upgrade half way through a batch.
    immediate = conn.get_execution_options().get("redthread_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's wrapping and links."""
    original = getattr(exc, "orig", None)
    return " ".join(str(original or exc).split())


def _list_statement(row: Any, version: ListVersion) -> Statement:
    return Statement(
        id=row.id,
        entity_id=row.entity_id,
        schema=row.schema,
        prop=row.prop,
        value=row.value,
        original_value=row.original_value,
        lang=row.lang,
        dataset=version.name,
    )


#: Investigations of a case kept in the store (the web pages show the newest).
FINDINGS_KEPT = 10
#: The schemata of the links a list states, and the properties of their two ends.
LINK_ENDS = {"UnknownLink": ("subject", "object"), "Ownership": ("owner", "asset")}


def _percentage(values: list[str]) -> float | None:
    for value in values:
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            continue
    return None


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """A redthread database. Create it with :meth:`open`; close it with :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect to ``url`` and, unless ``migrate`` is false, bring the schema up to date.

        For SQLite the file's folder is created when missing.
        """
        url = normalise_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"not a database URL: {url!r}") from None
        is_sqlite = parsed.get_backend_name() == "sqlite"
        if is_sqlite and parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {path}: {exc}") from None
        try:
            engine = create_engine(url)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use database {redact_url(url)}: {exc}") from None
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    # -- schema ---------------------------------------------------------------

    def migrate(self) -> None:
        """Upgrade the schema to the newest version, in one transaction."""
        current = self.schema_version()
        head = head_revision()
        if current == head:
            return
        known = {
            rev.revision for rev in ScriptDirectory.from_config(_alembic_config()).walk_revisions()
        }
        if current is not None and current not in known:
            raise StoreError(
                f"the database schema ({current}) is newer than this redthread ({head}): "
                "upgrade redthread"
            )
        config = _alembic_config()
        try:
            with (
                self.engine.connect().execution_options(redthread_write=True) as conn,
                conn.begin(),
            ):
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot migrate {self.url}: {_reason(exc)}") from None

    def schema_version(self) -> str | None:
        """The schema revision stored in the database, or None for an empty database."""
        try:
            with self.engine.connect() as conn:
                current: str | None = MigrationContext.configure(conn).get_current_revision()
                return current
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read {self.url}: {_reason(exc)}") from None

    def table_names(self) -> list[str]:
        """The tables present in the database."""
        with self.engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())

    # -- writing --------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[StoreWriter]:
        """A write transaction: everything written inside lands together, or nothing does."""
        with (
            self.engine.connect().execution_options(redthread_write=True) as conn,
            conn.begin(),
        ):
            yield StoreWriter(conn)

    # -- reading --------------------------------------------------------------

    def count(self, table_name: str) -> int:
        """Rows in one of the store's tables."""
        table = tables.metadata.tables[table_name]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def get_document(self, document_id: str) -> Document | None:
        """The stored document with this id, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(tables.document).where(tables.document.c.id == document_id)
            ).first()
        return None if row is None else _row_to_document(row)

    def documents(self, case: str | None = None) -> list[Document]:
        """The stored documents (of one case), in the order they were ingested."""
        query = select(tables.document)
        if case is not None:
            query = (
                query.join(
                    tables.case_document,
                    tables.case_document.c.document_id == tables.document.c.id,
                )
                .join(tables.case, tables.case.c.id == tables.case_document.c.case_id)
                .where(tables.case.c.name == case)
            )
        query = query.order_by(tables.document.c.ingested_at, tables.document.c.id)
        with self.engine.connect() as conn:
            return [_row_to_document(row) for row in conn.execute(query)]

    def cases(self) -> list[tuple[str, int]]:
        """Each case's name and how many documents it holds."""
        query = (
            select(tables.case.c.name, func.count(tables.case_document.c.document_id))
            .select_from(tables.case)
            .outerjoin(tables.case_document, tables.case_document.c.case_id == tables.case.c.id)
            .group_by(tables.case.c.name)
            .order_by(tables.case.c.name)
        )
        with self.engine.connect() as conn:
            return [(row[0], int(row[1])) for row in conn.execute(query)]

    def statements(
        self, entity_id: str | None = None, dataset: str | None = None
    ) -> list[Statement]:
        """Stored statements, optionally for one entity and/or one dataset."""
        query = select(tables.statement).order_by(tables.statement.c.id)
        if entity_id is not None:
            query = query.where(tables.statement.c.entity_id == entity_id)
        if dataset is not None:
            query = query.where(tables.statement.c.dataset == dataset)
        with self.engine.connect() as conn:
            return [_row_to_statement(row._mapping) for row in conn.execute(query)]

    def evidence_for(self, statement_id: str) -> list[Evidence]:
        """The evidence linked to one statement, in document order."""
        ev, link = tables.evidence, tables.statement_evidence
        query = (
            select(ev)
            .join(link, link.c.evidence_id == ev.c.id)
            .where(link.c.statement_id == statement_id)
            .order_by(ev.c.document_id, ev.c.start_char)
        )
        with self.engine.connect() as conn:
            return [
                Evidence(row.document_id, row.start_char, row.end_char, row.text)
                for row in conn.execute(query)
            ]

    def claims_for(self, entity_id: str) -> list[Claim]:
        """Every claim about one fact, with its evidence."""
        cl, ev = tables.claim, tables.evidence
        query = (
            select(cl.c.entity_id, cl.c.stance, cl.c.attributed_to, ev)
            .join(ev, ev.c.id == cl.c.evidence_id)
            .where(cl.c.entity_id == entity_id)
            .order_by(ev.c.document_id, ev.c.start_char)
        )
        with self.engine.connect() as conn:
            return [
                Claim(
                    entity_id=row.entity_id,
                    evidence=Evidence(row.document_id, row.start_char, row.end_char, row.text),
                    stance=Stance(row.stance),
                    attributed_to=row.attributed_to,
                )
                for row in conn.execute(query)
            ]

    def list_versions(
        self, name: str | None = None, active_only: bool = False
    ) -> list[ListVersion]:
        """Loaded list versions, newest first."""
        lv = tables.list_version
        query = select(lv).order_by(lv.c.name, lv.c.loaded_at.desc(), lv.c.id.desc())
        if name is not None:
            query = query.where(lv.c.name == name)
        if active_only:
            query = query.where(lv.c.active.is_(True))
        with self.engine.connect() as conn:
            return [_row_to_list_version(row._mapping) for row in conn.execute(query)]

    def find_list_version(self, name: str, sha256: str) -> ListVersion | None:
        """The stored version of list ``name`` with this fingerprint, if any."""
        lv = tables.list_version
        query = select(lv).where(lv.c.name == name, lv.c.sha256 == sha256)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _row_to_list_version(row._mapping) if row is not None else None

    def get_list_version(self, version_id: int) -> ListVersion | None:
        """A list version by its id."""
        lv = tables.list_version
        with self.engine.connect() as conn:
            row = conn.execute(select(lv).where(lv.c.id == version_id)).first()
        return _row_to_list_version(row._mapping) if row is not None else None

    def list_entities(
        self, version: ListVersion, targets_only: bool = False
    ) -> Iterator[StatementEntity]:
        """The entities of one list version, rebuilt from statements.

        All of them (parties, sanctions, links), or with ``targets_only`` the listed parties.
        """
        ls = tables.list_statement
        query = (
            select(ls).where(ls.c.list_version_id == version.id).order_by(ls.c.entity_id, ls.c.id)
        )
        if targets_only:
            query = query.where(ls.c.target.is_(True))
        yield from self._list_entities(version, query)

    def list_entity(self, version: ListVersion, entity_id: str) -> StatementEntity | None:
        """One entity of a list version (``ofac-46431``), or None."""
        return self.list_entities_by_id(version, [entity_id]).get(entity_id)

    def list_entities_by_id(
        self, version: ListVersion, entity_ids: Sequence[str]
    ) -> dict[str, StatementEntity]:
        """Some entities of a list version, by id, in one query (those it has)."""
        ls = tables.list_statement
        # no ORDER BY: SQLite would then walk the primary key instead of the entity index
        query = select(ls).where(
            ls.c.list_version_id == version.id, ls.c.entity_id.in_(list(entity_ids))
        )
        grouped: dict[str, list[Statement]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                grouped.setdefault(row.entity_id, []).append(_list_statement(row, version))
        dataset = Dataset.make({"name": version.name, "title": version.name})
        return {
            entity_id: StatementEntity.from_statements(
                dataset, sorted(rows, key=lambda s: s.id or "")
            )
            for entity_id, rows in grouped.items()
        }

    def list_links(self, version: ListVersion) -> list[ListLink]:
        """A version's own links between its entities: OFAC's "Linked To:" (UnknownLink)
        and Ownership (with its percentage), read without building every entity."""
        ls = tables.list_statement
        query = select(ls.c.entity_id, ls.c.schema, ls.c.prop, ls.c.value).where(
            ls.c.list_version_id == version.id,
            ls.c.schema.in_(tuple(LINK_ENDS)),
            ls.c.prop.in_(("subject", "object", "owner", "asset", "role", "percentage")),
        )
        links: dict[str, dict[str, list[str]]] = {}
        schemata: dict[str, str] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                links.setdefault(row.entity_id, {}).setdefault(row.prop, []).append(row.value)
                schemata[row.entity_id] = row.schema
        ends = {
            v
            for props in links.values()
            for p in ("subject", "object", "owner", "asset")
            for v in props.get(p, [])
        }
        listed, captions = self._list_ends(version, sorted(ends))
        found: list[ListLink] = []
        for link_id in sorted(links):
            props, schema = links[link_id], schemata[link_id]
            start, end = LINK_ENDS[schema]
            roles = sorted(props.get("role", []))
            percentage = _percentage(props.get("percentage", []))
            for source in sorted(props.get(start, [])):
                for target in sorted(props.get(end, [])):
                    found.append(
                        ListLink(
                            source,
                            target,
                            schema,
                            roles[0]
                            if roles
                            else ("owner" if schema == "Ownership" else "linked to"),
                            percentage,
                            frozenset({source, target} & listed),
                            tuple((e, captions[e]) for e in (source, target) if e in captions),
                        )
                    )
        return found

    def _list_ends(
        self, version: ListVersion, entity_ids: Sequence[str]
    ) -> tuple[set[str], dict[str, str]]:
        """Which of these entities are listed parties, and their names."""
        ls = tables.list_statement
        listed: set[str] = set()
        names: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(entity_ids), 500):
                chunk = list(entity_ids[start : start + 500])
                query = select(ls.c.entity_id, ls.c.target, ls.c.value).where(
                    ls.c.list_version_id == version.id,
                    ls.c.entity_id.in_(chunk),
                    ls.c.prop == "name",
                )
                for row in conn.execute(query):
                    if row.target:
                        listed.add(row.entity_id)
                    names.setdefault(row.entity_id, []).append(row.value)
        return listed, {entity_id: min(values) for entity_id, values in names.items()}

    def list_sanctions(
        self, version: ListVersion, entity_ids: Sequence[str]
    ) -> dict[str, list[StatementEntity]]:
        """The Sanction records of some listed parties (by party id), in one version."""
        ls = tables.list_statement
        query = select(ls.c.entity_id, ls.c.value).where(
            ls.c.list_version_id == version.id,
            ls.c.schema == "Sanction",
            ls.c.prop == "entity",
            ls.c.value.in_(list(entity_ids)),
        )
        with self.engine.connect() as conn:
            owners = {row.entity_id: row.value for row in conn.execute(query)}
        found: dict[str, list[StatementEntity]] = {}
        records = self.list_entities_by_id(version, list(owners))
        for sanction_id, sanction in sorted(records.items()):
            found.setdefault(owners[sanction_id], []).append(sanction)
        return found

    def _list_entities(self, version: ListVersion, query: Select[Any]) -> Iterator[StatementEntity]:
        dataset = Dataset.make({"name": version.name, "title": version.name})
        with self.engine.connect() as conn:
            batch: list[Statement] = []
            for row in conn.execution_options(yield_per=5000).execute(query):
                if batch and batch[0].entity_id != row.entity_id:
                    yield StatementEntity.from_statements(dataset, batch)
                    batch = []
                batch.append(_list_statement(row, version))
            if batch:
                yield StatementEntity.from_statements(dataset, batch)

    def list_issues(self, version_id: int) -> list[RowIssue]:
        """The rows of a version's files that were skipped or dropped, in file order."""
        li = tables.list_issue
        query = select(li).where(li.c.list_version_id == version_id).order_by(li.c.id)
        with self.engine.connect() as conn:
            return [
                RowIssue(row.file, row.line, row.reason, row.row, kind=row.kind)
                for row in conn.execute(query)
            ]

    def users(self) -> list[dict[str, Any]]:
        """The server's users (name, role, created_at, disabled, password_hash), by name."""
        u = tables.app_user
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(u).order_by(u.c.name))]

    def user(self, name: str) -> dict[str, Any] | None:
        """One user by name, or None."""
        u = tables.app_user
        with self.engine.connect() as conn:
            row = conn.execute(select(u).where(u.c.name == name)).first()
        return None if row is None else dict(row._mapping)

    def token_user(self, token_hash: str) -> dict[str, Any] | None:
        """The enabled user an unrevoked, unexpired token (by its SHA-256) belongs to."""
        u, t = tables.app_user, tables.api_token
        query = (
            select(u)
            .join(t, t.c.user_id == u.c.id)
            .where(
                t.c.token_hash == token_hash,
                t.c.revoked.is_(False),
                u.c.disabled.is_(False),
                or_(t.c.expires_at.is_(None), t.c.expires_at > _now()),
            )
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else dict(row._mapping)

    def tokens(self, user: str | None = None) -> list[dict[str, Any]]:
        """API tokens (id, user, label, created_at, revoked), never the tokens themselves."""
        u, t = tables.app_user, tables.api_token
        query = (
            select(t.c.id, u.c.name.label("user"), t.c.label, t.c.created_at, t.c.revoked)
            .join(u, u.c.id == t.c.user_id)
            .order_by(t.c.id)
        )
        if user is not None:
            query = query.where(u.c.name == user)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def screening_runs(self) -> list[dict[str, Any]]:
        """Recorded screening runs, newest first, with their JSON fields decoded."""
        sr = tables.screening_run
        with self.engine.connect() as conn:
            rows = conn.execute(select(sr).order_by(sr.c.id.desc())).mappings().all()
        return [
            {
                **row,
                "config": json.loads(row["config"]),
                "list_versions": json.loads(row["list_versions"]),
            }
            for row in rows
        ]

    def screening_results(self, run_id: int) -> list[dict[str, Any]]:
        """What one screening run found, party by party (names decoded)."""
        sr = tables.screening_result
        with self.engine.connect() as conn:
            rows = (
                conn.execute(select(sr).where(sr.c.run_id == run_id).order_by(sr.c.id))
                .mappings()
                .all()
            )
        return [{**row, "names": json.loads(row["names"])} for row in rows]

    def latest_findings(self, case: str) -> tuple[datetime, dict[str, Any]] | None:
        """When the case was last investigated and what was found (findings.json), or None."""
        cf, c = tables.case_findings, tables.case
        query = (
            select(cf.c.created_at, cf.c.findings)
            .join(c, c.c.id == cf.c.case_id)
            .where(c.c.name == case)
            .order_by(cf.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (row[0], json.loads(row[1]))

    def investigated_cases(self) -> dict[str, datetime]:
        """Each investigated case and when it was last investigated."""
        cf, c = tables.case_findings, tables.case
        query = (
            select(c.c.name, func.max(cf.c.created_at))
            .join(cf, cf.c.case_id == c.c.id)
            .group_by(c.c.name)
        )
        with self.engine.connect() as conn:
            return {row[0]: row[1] for row in conn.execute(query)}

    def reviews(
        self, *, kind: str | None = None, case: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Reviewers' decisions (the audit log), newest first, JSON fields decoded."""
        rd = tables.review_decision
        query = select(rd).order_by(rd.c.id.desc())
        if kind is not None:
            query = query.where(rd.c.kind == kind)
        if case is not None:
            query = query.where(rd.c.case_name == case)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            {
                **row,
                "party_names": json.loads(row["party_names"]),
                "members": json.loads(row["members"]),
            }
            for row in rows
        ]

    def check_writable(self) -> None:
        """Raise :class:`StoreError` unless a write transaction can be opened and rolled back."""
        try:
            with self.engine.connect().execution_options(redthread_write=True) as conn:
                trans = conn.begin()
                conn.execute(
                    tables.store_meta.insert().values(
                        key="doctor-write-probe", value=_now().isoformat()
                    )
                )
                trans.rollback()
        except SQLAlchemyError as exc:
            raise StoreError(f"{self.url} is not writable: {_reason(exc)}") from None


class StoreWriter:
    """Writes inside one transaction; obtained from :meth:`Store.transaction`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        dialect = self.conn.dialect.name
        if dialect == "sqlite":
            return sqlite.insert(table)
        if dialect == "postgresql":
            return postgresql.insert(table)
        raise StoreError(f"unsupported database: {dialect} (use SQLite or PostgreSQL)")

    def _insert_many(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Plain inserts in chunks; returns how many rows."""
        count = 0
        for chunk in _chunks(rows, CHUNK):
            self.conn.execute(table.insert(), chunk)
            count += len(chunk)
        return count

    def add_document(self, doc: Document) -> bool:
        """Store a document; returns False when a document with the same content was there."""
        stmt = self._insert(tables.document).values(
            id=doc.id,
            source=doc.source,
            media_type=doc.media_type,
            title=doc.title,
            published=doc.published,
            language=doc.language,
            text=doc.text,
            ingested_at=_now(),
            meta=json.dumps(doc.meta, sort_keys=True, ensure_ascii=False),
            status=doc.status.value,
            note=doc.note,
        )
        stmt = stmt.on_conflict_do_nothing(index_elements=["id"])
        inserted = self.conn.execute(stmt.returning(tables.document.c.id)).first()
        return inserted is not None

    def set_document_status(
        self, document_id: str, status: DocumentStatus, note: str | None = None
    ) -> None:
        """Mark where a document stands in the pipeline (extracted, not extracted)."""
        self.conn.execute(
            update(tables.document)
            .where(tables.document.c.id == document_id)
            .values(status=status.value, note=note)
        )

    def _case_id(self, case: str) -> int:
        """A case's id; the case is created when new."""
        case_id = self.conn.execute(
            select(tables.case.c.id).where(tables.case.c.name == case)
        ).scalar()
        if case_id is None:
            case_id = self.conn.execute(
                tables.case.insert()
                .values(name=case, created_at=_now())
                .returning(tables.case.c.id)
            ).scalar_one()
        return int(case_id)

    def add_to_case(self, case: str, document_id: str) -> bool:
        """Put a stored document in a case (created when new); False when it was there."""
        case_id = self._case_id(case)
        stmt = self._insert(tables.case_document).values(
            case_id=case_id, document_id=document_id, added_at=_now()
        )
        stmt = stmt.on_conflict_do_nothing(index_elements=["case_id", "document_id"])
        return self.conn.execute(stmt).rowcount == 1

    def add_statements(self, statements: Iterable[Statement]) -> int:
        """Store statements; a statement already there only has its ``last_seen`` updated."""
        base = self._insert(tables.statement)
        stmt = base.on_conflict_do_update(
            index_elements=["id"],
            set_={"last_seen": base.excluded.last_seen},
        )
        count = 0
        for chunk in _chunks((_statement_to_row(s) for s in statements), CHUNK):
            self.conn.execute(stmt, chunk)
            count += len(chunk)
        return count

    def add_evidence(self, evidence: Evidence, statement_ids: Sequence[str] = ()) -> str:
        """Store a span of evidence and link it to the statements it supports; returns its id."""
        self.add_evidence_many([(evidence, statement_ids)])
        return evidence.id

    def add_evidence_many(self, items: Iterable[tuple[Evidence, Sequence[str]]]) -> None:
        """Store spans of evidence and their links to statements, in a few statements."""
        spans: dict[str, dict[str, Any]] = {}
        links: dict[tuple[str, str], dict[str, str]] = {}
        for evidence, statement_ids in items:
            spans.setdefault(
                evidence.id,
                {
                    "id": evidence.id,
                    "document_id": evidence.document_id,
                    "start_char": evidence.start,
                    "end_char": evidence.end,
                    "text": evidence.text,
                },
            )
            for sid in statement_ids:
                links[(sid, evidence.id)] = {"statement_id": sid, "evidence_id": evidence.id}
        insert_spans = self._insert(tables.evidence).on_conflict_do_nothing(index_elements=["id"])
        for chunk in _chunks(spans.values(), CHUNK):
            self.conn.execute(insert_spans, chunk)
        insert_links = self._insert(tables.statement_evidence).on_conflict_do_nothing(
            index_elements=["statement_id", "evidence_id"]
        )
        for chunk in _chunks(links.values(), CHUNK):
            self.conn.execute(insert_links, chunk)

    def add_claims(self, claims: Iterable[Claim]) -> None:
        """Store claims (and their evidence), in a few statements."""
        claims = list(claims)
        self.add_evidence_many((c.evidence, ()) for c in claims)
        rows = {
            c.id: {
                "id": c.id,
                "entity_id": c.entity_id,
                "evidence_id": c.evidence.id,
                "stance": c.stance.value,
                "attributed_to": c.attributed_to,
            }
            for c in claims
        }
        insert = self._insert(tables.claim).on_conflict_do_nothing(index_elements=["id"])
        for chunk in _chunks(rows.values(), CHUNK):
            self.conn.execute(insert, chunk)

    def add_claim(self, claim: Claim) -> str:
        """Store a claim (and its evidence); returns its id."""
        self.add_claims([claim])
        return claim.id

    def add_list_version(self, version: ListVersion) -> ListVersion:
        """Record a list version. When it is active, other versions of that list become inactive."""
        lv = tables.list_version
        if version.active:
            self.conn.execute(update(lv).where(lv.c.name == version.name).values(active=False))
        loaded_at = version.loaded_at or _now()
        result = self.conn.execute(
            lv.insert().values(
                name=version.name,
                source=version.source,
                sha256=version.sha256,
                published=version.published,
                row_count=version.row_count,
                entity_count=version.entity_count,
                loaded_at=loaded_at,
                active=version.active,
                format=version.format,
                issue_count=version.issue_count,
            )
        )
        (new_id,) = result.inserted_primary_key or (None,)
        return replace(version, id=new_id, loaded_at=loaded_at)

    def activate_list_version(self, version: ListVersion) -> None:
        """Make ``version`` the one screening uses for its list; the others stay queryable."""
        lv = tables.list_version
        self.conn.execute(update(lv).where(lv.c.name == version.name).values(active=False))
        self.conn.execute(update(lv).where(lv.c.id == version.id).values(active=True))

    def add_list_statements(
        self, version: ListVersion, statements: Iterable[Statement], listed_ids: set[str]
    ) -> int:
        """Store the statements of a list version (a stored version: it has an id).

        ``listed_ids`` are the entities that are listed parties (screening targets).
        """
        if version.id is None:
            raise StoreError("store the list version before its statements")
        rows = (
            {
                "list_version_id": version.id,
                "id": stmt.id or stmt.generate_key(),
                "entity_id": stmt.entity_id,
                "schema": stmt.schema,
                "prop": stmt.prop,
                "value": stmt.value,
                "original_value": stmt.original_value,
                "lang": stmt.lang,
                "target": stmt.entity_id in listed_ids,
            }
            for stmt in statements
        )
        return self._insert_many(tables.list_statement, rows)

    def add_user(self, name: str, password_hash: str, role: str) -> int:
        """A new user; returns its id."""
        u = tables.app_user
        values = {"name": name, "password_hash": password_hash, "role": role}
        result = self.conn.execute(u.insert().values(**values, created_at=_now(), disabled=False))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def update_user(self, name: str, **values: Any) -> bool:
        """Change a user's password_hash, role or disabled; False when there is no such user."""
        u = tables.app_user
        result = self.conn.execute(update(u).where(u.c.name == name).values(**values))
        return bool(result.rowcount)

    def add_token(
        self, user_id: int, token_hash: str, label: str, expires_at: datetime | None = None
    ) -> int:
        """A new token (by its SHA-256) for a user; returns its id. ``expires_at``: when
        it ends (a web session); None: when revoked (an API token)."""
        t = tables.api_token
        result = self.conn.execute(
            t.insert().values(
                user_id=user_id,
                token_hash=token_hash,
                label=label,
                created_at=_now(),
                revoked=False,
                expires_at=expires_at,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def revoke_token(self, token_id: int) -> bool:
        """Revoke a token for good; False when there is no such token."""
        t = tables.api_token
        result = self.conn.execute(update(t).where(t.c.id == token_id).values(revoked=True))
        return bool(result.rowcount)

    def add_findings(self, case: str, findings: dict[str, Any], keep: int = FINDINGS_KEPT) -> int:
        """Keep what an investigation of ``case`` found (findings.json), and the ``keep``
        newest runs of the case (older ones go: findings.json files hold them); returns
        its id."""
        case_id = self._case_id(case)
        cf = tables.case_findings
        result = self.conn.execute(
            cf.insert().values(
                case_id=case_id,
                created_at=_now(),
                findings=json.dumps(findings, ensure_ascii=False),
            )
        )
        kept = select(cf.c.id).where(cf.c.case_id == case_id).order_by(cf.c.id.desc()).limit(keep)
        self.conn.execute(
            delete(cf).where(cf.c.case_id == case_id, cf.c.id.not_in(kept.scalar_subquery()))
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def add_review(
        self,
        *,
        reviewer: str,
        kind: str,
        decision: str,
        reason: str,
        party: str,
        party_names: Sequence[str],
        case: str | None = None,
        list_name: str | None = None,
        list_version: int | None = None,
        list_entity_id: str | None = None,
        entry_sha256: str | None = None,
        members: Sequence[str] = (),
    ) -> int:
        """Add a reviewer's decision to the audit log; returns its id."""
        result = self.conn.execute(
            tables.review_decision.insert().values(
                created_at=_now(),
                reviewer=reviewer,
                kind=kind,
                decision=decision,
                reason=reason,
                case_name=case,
                party=party,
                party_names=json.dumps(list(party_names), ensure_ascii=False),
                list=list_name,
                list_version=list_version,
                list_entity_id=list_entity_id,
                entry_sha256=entry_sha256,
                members=json.dumps(list(members)),
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def revoke_token_hash(self, token_hash: str) -> bool:
        """Revoke a token by its SHA-256 (a login session ending); False when unknown."""
        t = tables.api_token
        result = self.conn.execute(
            update(t).where(t.c.token_hash == token_hash).values(revoked=True)
        )
        return bool(result.rowcount)

    def add_screening_run(
        self,
        *,
        algorithm: str,
        algorithm_version: str,
        threshold: float,
        config: dict[str, Any],
        list_versions: list[ListVersion],
        query_count: int,
        source: str,
    ) -> int:
        """Record a screening run; returns its id."""
        versions = [{"name": v.name, "id": v.id, "sha256": v.sha256} for v in list_versions]
        result = self.conn.execute(
            tables.screening_run.insert().values(
                started_at=_now(),
                algorithm=algorithm,
                algorithm_version=algorithm_version,
                threshold=threshold,
                config=json.dumps(config, sort_keys=True),
                list_versions=json.dumps(versions),
                query_count=query_count,
                source=source,
            )
        )
        (run_id,) = result.inserted_primary_key or (0,)
        return int(run_id)

    def add_screening_results(self, run_id: int, rows: Iterable[dict[str, Any]]) -> int:
        """Store a run's results: dicts with party, names (a list), schema, and the
        candidate's list, list_version, list_entity_id, caption, score, match (None for a
        party without candidates)."""
        empty = dict.fromkeys(
            ("list", "list_version", "list_entity_id", "caption", "score", "match")
        )
        prepared = [
            {**empty, **row, "run_id": run_id, "names": json.dumps(row["names"])} for row in rows
        ]
        return self._insert_many(tables.screening_result, prepared)

    def add_list_issues(self, version: ListVersion, issues: Iterable[RowIssue]) -> int:
        """Record the rows of a version's files that did not become part of it."""
        rows = (
            {
                "list_version_id": version.id,
                "kind": issue.kind,
                "file": issue.file,
                "line": issue.line,
                "reason": issue.reason,
                "row": issue.row,
            }
            for issue in issues
        )
        return self._insert_many(tables.list_issue, rows)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _statement_to_row(stmt: Statement) -> dict[str, Any]:
    return {
        "id": stmt.id or stmt.generate_key(),
        "entity_id": stmt.entity_id,
        "canonical_id": stmt.canonical_id or stmt.entity_id,
        "schema": stmt.schema,
        "prop": stmt.prop,
        "value": stmt.value,
        "original_value": stmt.original_value,
        "lang": stmt.lang,
        "dataset": stmt.dataset,
        "origin": stmt.origin,
        "external": bool(stmt.external),
        "first_seen": stmt.first_seen,
        "last_seen": stmt.last_seen,
    }


def _row_to_document(row: Any) -> Document:
    return Document(
        id=row.id,
        source=row.source,
        media_type=row.media_type,
        text=row.text,
        title=row.title,
        published=row.published,
        language=row.language,
        meta=json.loads(row.meta or "{}"),
        status=DocumentStatus(row.status),
        note=row.note,
    )


def _row_to_statement(row: Any) -> Statement:
    return Statement(
        id=row["id"],
        entity_id=row["entity_id"],
        canonical_id=row["canonical_id"],
        schema=row["schema"],
        prop=row["prop"],
        value=row["value"],
        original_value=row["original_value"],
        lang=row["lang"],
        dataset=row["dataset"],
        origin=row["origin"],
        external=row["external"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
    )


def _row_to_list_version(row: Any) -> ListVersion:
    loaded_at: datetime = row["loaded_at"]
    if loaded_at.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        loaded_at = loaded_at.replace(tzinfo=UTC)
    return ListVersion(
        id=row["id"],
        name=row["name"],
        source=row["source"],
        sha256=row["sha256"],
        published=row["published"],
        row_count=row["row_count"],
        entity_count=row["entity_count"],
        loaded_at=loaded_at,
        active=bool(row["active"]),
        format=row["format"],
        issue_count=row["issue_count"],
    )
