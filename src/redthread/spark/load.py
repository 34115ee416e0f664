"""``redthread load DIR``: the output of ``redthread extract --engine spark`` into the store.

Each document goes in with everything it states (its statements, evidence and claims)
in one transaction, as the local pipeline stores it; the ids are the same, so loading
again changes nothing, and a load that was killed resumes when run again. Needs
pyarrow (the ``spark`` extra), not Spark.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney.statement import Statement

from redthread.model import Claim, Document, DocumentStatus, Evidence, Stance
from redthread.spark.extract import TABLES
from redthread.store import Store


class LoadError(Exception):
    """The folder is not the output of a Spark extraction."""


@dataclass
class LoadSummary:
    """Counts of a load, and the errors the extraction reported."""

    documents: int = 0
    new: int = 0
    statements: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    case: str | None = None


def _table(folder: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    path = folder / name
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def load_output(
    store: Store,
    folder: Path,
    case: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadSummary:
    """Put a Spark extraction output into ``store``, in ``case`` (default: the case the
    extraction ran for, from its run.json)."""
    from redthread.spark.session import require_pyspark

    require_pyspark()
    run_file = folder / "run.json"
    if not (folder / "documents").is_dir() or not run_file.is_file():
        raise LoadError(
            f"{folder} is not the output of redthread extract --engine spark "
            f"(it has no documents/ and run.json)"
        )
    run = json.loads(run_file.read_text())
    summary = LoadSummary(case=case or run.get("case"))
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name in TABLES:
        if name in ("documents", "errors"):
            continue
        for row in _table(folder, name):
            grouped[row["document_id"]][name].append(row)
    summary.errors = _table(folder, "errors")
    for row in sorted(_table(folder, "documents"), key=lambda r: (r["source"], r["document_id"])):
        document = _document(row)
        if progress is not None:
            progress(document.source)
        parts = grouped.get(document.id, {})
        statements = [_statement(s) for s in parts.get("statements", [])]
        with store.transaction() as writer:
            summary.new += writer.add_document(document)
            if summary.case is not None:
                writer.add_to_case(summary.case, document.id)
            summary.statements += writer.add_statements(statements)
            for item in parts.get("evidence", []):
                evidence = Evidence(document.id, item["start"], item["end"], item["text"])
                writer.add_evidence(evidence, list(item["statement_ids"] or []))
            for item in parts.get("claims", []):
                evidence = Evidence(document.id, item["start"], item["end"], item["text"])
                writer.add_claim(
                    Claim(
                        item["entity_id"], evidence, Stance(item["stance"]), item["attributed_to"]
                    )
                )
            if document.status is not DocumentStatus.PENDING:  # pending: its extraction failed
                writer.set_document_status(document.id, document.status, document.note)
        summary.documents += 1
    return summary


def _document(row: dict[str, Any]) -> Document:
    published = row.get("published")
    return Document(
        id=row["document_id"],
        source=row["source"],
        media_type=row["media_type"],
        text=row["text"] or "",
        title=row.get("title"),
        published=date.fromisoformat(published) if published else None,
        language=row.get("language"),
        meta=json.loads(row.get("meta") or "{}"),
        status=DocumentStatus(row["status"]),
        note=row.get("note"),
    )


def _statement(row: dict[str, Any]) -> Statement:
    data = {k: v for k, v in row.items() if k != "document_id"}
    return Statement.from_dict(data)  # type: ignore[arg-type]
