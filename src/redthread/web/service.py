"""The loaded lists as the server sees them: the index of the active versions (read again
when a list is loaded or updated), and list entities by id."""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path

from followthemoney.statement import StatementEntity

from redthread.match.index import MatchIndex
from redthread.match.screen import load_index
from redthread.model import ListVersion
from redthread.store import Store

#: How often the server looks for newly loaded list versions, in seconds.
RECHECK_SECONDS = 5.0


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
        self.entity = functools.lru_cache(maxsize=20_000)(self._entity)

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
                    self._versions = versions
                    self._key = key
                    self.entity.cache_clear()
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

    def _entity(self, entity_id: str) -> tuple[StatementEntity, ListVersion] | None:
        """A listed entity by its id (``ofac-46431``) in the active versions."""
        _, versions = self.current()
        for version in versions:
            if entity_id.startswith(version.name.replace("_", "-") + "-"):
                entity = self.store.list_entity(version, entity_id)
                if entity is not None:
                    return entity, version
        return None
