"""A writer killed with SIGKILL half way through a batch leaves no partial rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from followthemoney.statement import Statement
from sqlalchemy import text

from redthread.store import Store

WRITER = textwrap.dedent(
    """
    import sys, time
    from followthemoney.statement import Statement
    from redthread.model import Document
    from redthread.store import Store

    store = Store.open(sys.argv[1])
    with store.transaction() as tx:
        doc = Document.from_content(b"doc", source="x", media_type="text/plain", text="doc")
        tx.add_document(doc)
        rows = (
            Statement(
                entity_id=f"e{i}", prop="name", schema="Company", value=f"Co {i}", dataset="batch"
            )
            for i in range(4000)
        )
        tx.add_statements(rows)  # half of the batch is now written inside the transaction
        print("half written", flush=True)
        time.sleep(120)  # killed here, before the rest of the batch and the commit
        tx.add_statements(
            Statement(entity_id=f"f{i}", prop="name", schema="Company", value="x", dataset="batch")
            for i in range(4000)
        )
    """
)


def test_killed_writer_leaves_previous_state_intact(db_url: str) -> None:
    with Store.open(db_url) as store, store.transaction() as tx:
        tx.add_statements(
            [
                Statement(
                    entity_id="kept", prop="name", schema="Company", value="Kept", dataset="old"
                )
            ]
        )

    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "half written", proc.stderr.read() if proc.stderr else ""
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with Store.open(db_url) as store:
        assert store.count("statement") == 1
        assert store.count("document") == 0
        assert [s.entity_id for s in store.statements()] == ["kept"]
        if store.engine.dialect.name == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with store.transaction() as tx:  # and the store takes new writes
            tx.add_statements(
                [
                    Statement(
                        entity_id="new", prop="name", schema="Company", value="New", dataset="old"
                    )
                ]
            )
        assert store.count("statement") == 2
