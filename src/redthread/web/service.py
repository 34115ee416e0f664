"""The loaded lists as the server sees them: the index of the active versions (read again
when a list is loaded or updated), and list entities by id."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redthread.match.index import Candidate, MatchIndex, Query, keep_for_the_process
from redthread.match.screen import load_index, record_run
from redthread.model import ListVersion
from redthread.store import Store
from redthread.web.yente import EntityExample, entity_data, queries_for

#: How often the server looks for newly loaded list versions, in seconds.
RECHECK_SECONDS = 5.0
#: Listed entities kept in memory, ready to answer with.
ENTITY_CACHE = 50_000


class UnknownDataset(LookupError):
    """A dataset name that is neither ``default`` nor a loaded list."""


class NoListLoaded(LookupError):
    """Nothing to screen against."""


class ListService:
    """The active list versions and their index, shared by the server's requests."""

    def __init__(self, store: Store, data_dir: Path) -> None:
        self.store = store
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._key: tuple[tuple[int | None, str], ...] | None = None
        self._checked = 0.0
        self._versions: list[ListVersion] = []
        self._index: MatchIndex | None = None
        self._entities: dict[str, dict[str, Any] | None] = {}

    def current(self) -> tuple[MatchIndex, list[ListVersion]]:
        """The index of the active versions, and the versions (checked every few seconds)."""
        with self._lock:
            now = time.monotonic()
            if self._key is None or now - self._checked > RECHECK_SECONDS:
                versions = self.store.list_versions(active_only=True)
                key = tuple((v.id, v.sha256) for v in versions)
                if key != self._key:
                    self._index = (
                        load_index(self.store, self.data_dir, versions) if versions else None
                    )
                    if self._index is not None:
                        self._index.warm()  # a server answers many queries: analyse names now
                        keep_for_the_process()
                    self._versions = versions
                    self._key = key
                    self._entities = {}
                self._checked = now
            if self._index is None:
                raise NoListLoaded(
                    "no list is loaded: load one first, e.g. redthread lists load --bundled"
                )
            return self._index, self._versions

    def lists_for(self, dataset: str) -> tuple[MatchIndex, list[ListVersion], list[str] | None]:
        """The index, the versions a dataset covers, and the list names to screen against
        (None: all of them). ``default`` (as in yente) is every loaded list."""
        index, versions = self.current()
        if dataset == "default":
            return index, versions, None
        chosen = [v for v in versions if v.name == dataset]
        if not chosen:
            known = ", ".join(["default", *sorted(v.name for v in versions)])
            raise UnknownDataset(f"no dataset {dataset!r} (known: {known})")
        return index, chosen, [dataset]

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """A listed entity by its id (``ofac-46431``) in the active versions, as the API
        gives it (read-only: every request gets the same dict), or None."""
        return self.entities([entity_id]).get(entity_id)

    def entities(self, entity_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Listed entities by id, as the API gives them: from memory, or read in one
        query per list version (and kept: at most ENTITY_CACHE of them)."""
        _, versions = self.current()
        known = self._entities
        missing = [i for i in entity_ids if i not in known]
        for version in versions:
            prefix = version.name.replace("_", "-") + "-"
            wanted = [i for i in missing if i.startswith(prefix)]
            if wanted:
                found = self.store.list_entities_by_id(version, wanted)
                for entity_id in wanted:
                    entity = found.get(entity_id)
                    if entity is not None or entity_id not in known:
                        known[entity_id] = entity_data(entity, version) if entity else None
        if len(known) > ENTITY_CACHE:
            known.clear()  # rare: a fresh start costs a few queries
        return {i: data for i in entity_ids if (data := known.get(i)) is not None}


#: What a search without a schema looks through: every kind of listed party.
SEARCH_SCHEMAS = ("LegalEntity", "Vessel", "Airplane")


def search_queries(name: str, schema: str | None = None) -> list[Query]:
    """The queries of a name search (yente's /search, the search page): the name as each
    kind of listed party, or as ``schema``. Raises QueryError for a name that is not one."""
    return [
        query
        for one in ([schema] if schema else list(SEARCH_SCHEMAS))
        for query in queries_for(EntityExample(schema_=one, properties={"name": [name]}))
    ]


def best_candidates(
    index: MatchIndex,
    queries: list[Query],
    threshold: float,
    limit: int,
    lists: list[str] | None,
    algorithm: str,
) -> list[Candidate]:
    """The candidates of all a query's names: each listed party at its best score."""
    best: dict[str, Candidate] = {}
    for query in queries:
        for candidate in index.search(
            query, threshold=threshold, limit=limit, lists=lists, algorithm=algorithm
        ):
            known = best.get(candidate.entity_id)
            if known is None or candidate.score > known.score:
                best[candidate.entity_id] = candidate
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.list, c.list_entity_id))
    return ranked[:limit]


#: How often the API's screening runs are written, in seconds.
FLUSH_SECONDS = 5.0

_RunKey = tuple[tuple[int | None, ...], float, int, tuple[str, ...] | None, str, str]


class RunRecorder:
    """The API's screening runs, written in batches so that requests never wait on a
    database write: per interval, one run for each (dataset, list versions, algorithm,
    threshold, limit) with the number of queries screened and the interval's start and
    end. What a result depended on is recorded as for any other run."""

    def __init__(self, store: Store, interval: float = FLUSH_SECONDS) -> None:
        self.store = store
        self.interval = interval
        self._lock = threading.Lock()
        self._pending: dict[_RunKey, dict[str, Any]] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def add(
        self,
        versions: list[ListVersion],
        threshold: float,
        limit: int,
        lists: list[str] | None,
        queries: int,
        source: str,
        algorithm: str,
    ) -> None:
        """Count ``queries`` screened with these settings (written within the interval)."""
        key = (
            tuple(v.id for v in versions),
            threshold,
            limit,
            tuple(lists) if lists else None,
            source,
            algorithm,
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            entry = self._pending.get(key)
            if entry is None:
                entry = {"versions": versions, "queries": 0, "requests": 0, "from": now}
                self._pending[key] = entry
            entry["queries"] += queries
            entry["requests"] += 1
            entry["to"] = now
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="run-recorder", daemon=True)
                self._thread.start()

    def flush(self) -> int:
        """Write what was counted since the last flush; returns the runs written."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for (_, threshold, limit, lists, source, algorithm), entry in pending.items():
            record_run(
                self.store,
                entry["versions"],
                threshold,
                limit,
                list(lists) if lists else None,
                entry["queries"],
                f"{source} ({entry['requests']} requests, {entry['from']} to {entry['to']})",
                algorithm,
            )
        return len(pending)

    def close(self) -> None:
        """Stop the background writer and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval * 2)
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()
