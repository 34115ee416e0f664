"""Screening against the loaded lists: the index of the active versions, and run records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followthemoney.statement import StatementEntity

from redthread.match.batch import (
    BatchSummary,
    ResultWriter,
    file_format,
    read_queries,
    screen_batch,
)
from redthread.match.index import ALGORITHMS, DEFAULT_ALGORITHM, Candidate, MatchIndex, Query
from redthread.model import ListVersion
from redthread.store import Store


class ScreeningError(Exception):
    """Screening cannot run: no list loaded, or an unknown list named."""


def index_path(data_dir: Path, version: ListVersion) -> Path:
    """Where the index of one list version is kept (rebuilt when missing)."""
    return data_dir / "index" / f"{version.name}-{version.id}-{version.sha256[:16]}.pickle"


def save_version_index(
    data_dir: Path, version: ListVersion, entities: list[StatementEntity]
) -> MatchIndex:
    """Build and keep the index of a version just loaded (its entities are in memory)."""
    index = MatchIndex.from_entities(entities, version.name, version.id or 0)
    index.save(index_path(data_dir, version))
    return index


def active_versions(store: Store, lists: list[str] | None = None) -> list[ListVersion]:
    """The active version of each list (or of the lists named)."""
    versions = store.list_versions(active_only=True)
    if lists:
        known = {v.name for v in versions}
        unknown = [name for name in lists if name not in known]
        if unknown:
            loaded = ", ".join(sorted(known)) or "none"
            raise ScreeningError(f"no loaded list named {', '.join(unknown)} (loaded: {loaded})")
        versions = [v for v in versions if v.name in lists]
    if not versions:
        raise ScreeningError(
            "no list is loaded: load one first, e.g. redthread lists load --bundled"
        )
    return versions


def load_index(store: Store, data_dir: Path, versions: list[ListVersion]) -> MatchIndex:
    """The index over ``versions``: each read from the data folder, or built and kept."""
    parts: list[MatchIndex] = []
    for version in versions:
        path = index_path(data_dir, version)
        index = MatchIndex.load(path)
        if index is None:
            entities = list(store.list_entities(version, targets_only=True))
            index = save_version_index(data_dir, version, entities)
        parts.append(index)
    return parts[0] if len(parts) == 1 else MatchIndex.merge(parts)


def record_run(
    store: Store,
    versions: list[ListVersion],
    threshold: float,
    limit: int,
    lists: list[str] | None,
    query_count: int,
    source: str,
    algorithm: str = DEFAULT_ALGORITHM,
    workers: int = 1,
    engine: dict[str, Any] | None = None,
) -> int:
    """Record a screening run with everything needed to reproduce it; returns its id.
    ``engine``: where it ran, when not here (``{"engine": "spark", "master": ...}``)."""
    config: dict[str, Any] = {"limit": limit, "lists": lists or "all active", "workers": workers}
    config.update(engine or {})
    with store.transaction() as tx:
        return tx.add_screening_run(
            algorithm=algorithm,
            algorithm_version=ALGORITHMS[algorithm],
            threshold=threshold,
            config=config,
            list_versions=versions,
            query_count=query_count,
            source=source,
        )


def screen_file(
    store: Store,
    data_dir: Path,
    input_path: Path,
    output_path: Path,
    *,
    threshold: float,
    limit: int = 5,
    lists: list[str] | None = None,
    progress: Callable[[], None] | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    workers: int = 1,
) -> tuple[int, BatchSummary]:
    """Screen every query of a file into another, then record the run; returns (run id, counts).

    The output is written to a temporary file beside it and renamed when complete,
    so an interrupted run leaves no half-written output.
    """
    in_format, out_format = file_format(input_path), file_format(output_path)
    versions = active_versions(store, lists)
    index = load_index(store, data_dir, versions)
    partial = output_path.with_name(output_path.name + ".partial")
    try:
        with (
            input_path.open("r", encoding="utf-8-sig", newline="") as source,
            partial.open("w", encoding="utf-8", newline="") as out,
        ):
            summary = screen_batch(
                index,
                read_queries(source, in_format),
                ResultWriter(out, out_format),
                threshold=threshold,
                limit=limit,
                progress=progress,
                algorithm=algorithm,
                workers=workers,
            )
        partial.replace(output_path)
    finally:
        partial.unlink(missing_ok=True)
    run_id = record_run(
        store,
        versions,
        threshold,
        limit,
        lists,
        summary.queries,
        f"file: {input_path}",
        algorithm,
        workers,
    )
    return run_id, summary


@dataclass(frozen=True)
class ScreeningResult:
    """Candidates for each query, and the recorded run that produced them."""

    run_id: int
    versions: list[ListVersion]
    results: list[tuple[Query, list[Candidate]]]


def screen(
    store: Store,
    data_dir: Path,
    queries: list[Query],
    *,
    threshold: float,
    limit: int = 5,
    lists: list[str] | None = None,
    source: str = "",
    algorithm: str = DEFAULT_ALGORITHM,
) -> ScreeningResult:
    """Screen queries against the active lists and record the run."""
    versions = active_versions(store, lists)
    index = load_index(store, data_dir, versions)
    results = [
        (q, index.search(q, threshold=threshold, limit=limit, algorithm=algorithm)) for q in queries
    ]
    run_id = record_run(store, versions, threshold, limit, lists, len(queries), source, algorithm)
    return ScreeningResult(run_id, versions, results)
