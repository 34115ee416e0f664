"""Persistence: documents, FtM statements, evidence, claims and list versions in SQL.

SQLite (WAL mode) by default, PostgreSQL for teams; the same code runs on both.
Every write goes through :meth:`Store.transaction`, so a batch lands whole or not at all.
"""

from redthread.store.store import Store, StoreError, StoreWriter, normalise_url, redact_url

__all__ = ["Store", "StoreError", "StoreWriter", "normalise_url", "redact_url"]
