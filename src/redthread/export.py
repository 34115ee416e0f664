"""Exports of what the store holds: FtM entities (JSON lines)."""

from __future__ import annotations

from itertools import groupby

from followthemoney.statement import StatementEntity

from redthread.ingest.parties import make_dataset
from redthread.store import Store


def ftm_entities(store: Store, dataset_name: str) -> list[StatementEntity]:
    """The entities of one dataset (a case's), built from their stored statements."""
    dataset = make_dataset(dataset_name)
    statements = sorted(store.statements(dataset=dataset_name), key=lambda s: s.entity_id)
    return [
        StatementEntity.from_statements(dataset, list(group))
        for _, group in groupby(statements, key=lambda s: s.entity_id)
    ]
