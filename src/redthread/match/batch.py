"""Batch screening: queries streamed from CSV or JSON lines, results streamed out.

Every query appears in the output, also one without a candidate or with an error,
so the output proves what was screened. Memory stays bounded whatever the input size.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, TextIO

from followthemoney.types import registry

from redthread.match.compare import check_name, check_schema
from redthread.match.index import (
    DEFAULT_ALGORITHM,
    Candidate,
    MatchIndex,
    Query,
    keep_for_the_process,
)

CANDIDATE_COLUMNS = (
    "list",
    "list_version",
    "list_entity_id",
    "caption",
    "schema",
    "score",
    "match",
    "explanation",
)


class BatchInputError(Exception):
    """The input cannot be read at all (unknown format, no name column)."""


@dataclass(frozen=True)
class QueryRow:
    """One input row: a query, or the reason it is not one."""

    query_id: str
    query: Query | None
    error: str | None = None


def file_format(path: Path) -> str:
    """csv or jsonl, by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    raise BatchInputError(f"{path.name}: use a .csv or .jsonl file")


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def make_query(query_id: str, data: dict[str, Any]) -> QueryRow:
    """Validate one row's fields into a query."""
    name = data.get("name")
    if not isinstance(name, str):
        return QueryRow(query_id, None, "the name is missing")
    schema = str(data.get("schema") or "").strip() or "LegalEntity"
    problem = check_name(name) or check_schema(schema)
    if problem:
        return QueryRow(query_id, None, problem)
    countries: list[str] = []
    for value in _split(data.get("country")):
        code = registry.country.clean(value)
        if code is None:
            return QueryRow(query_id, None, f"unknown country {value!r}")
        countries.append(code)
    birth_date = str(data.get("birth_date") or "").strip() or None
    query = Query(
        name=name.strip(),
        schema=schema,
        countries=tuple(countries),
        birth_date=birth_date,
        identifiers=tuple(_split(data.get("identifier"))),
        id=query_id,
    )
    return QueryRow(query_id, query)


def read_queries(source: TextIO, fmt: str) -> Iterator[QueryRow]:
    """Stream the queries of a CSV (with a header) or JSON-lines input."""
    if fmt == "csv":
        reader = csv.DictReader(source)
        if "name" not in (reader.fieldnames or []):
            found = ", ".join(reader.fieldnames or []) or "nothing"
            raise BatchInputError(f"the input needs a 'name' column (found: {found})")
        for number, row in enumerate(reader, 1):
            yield record_query(number, row, complete=None not in row.values() and None not in row)
        return
    for number, line in enumerate(source, 1):
        if line.strip():
            yield json_line_query(number, line)


def record_query(number: int, record: dict[str, Any], complete: bool = True) -> QueryRow:
    """A table row's query (a CSV or Parquet row; ``number`` counts from 1 and is the
    query id where the row has none). ``complete``: the row has as many cells as the header."""
    query_id = str(record.get("id") or "").strip() or str(number)
    if not complete:
        return QueryRow(query_id, None, "the row does not have as many cells as the header")
    return make_query(query_id, record)


def json_line_query(number: int, line: str) -> QueryRow:
    """A JSON line's query (``number``: the line's, the query id where the object has none)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return QueryRow(str(number), None, f"not JSON: {exc.msg}")
    if not isinstance(data, dict):
        return QueryRow(str(number), None, "the line is not a JSON object")
    return make_query(str(data.get("id") or number), data)


class ResultWriter:
    """Writes one query's outcome at a time, as JSON lines or CSV."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        if fmt == "csv":
            csv.writer(out).writerow(["query_id", "error", *CANDIDATE_COLUMNS])

    def write(self, text: str) -> None:
        """Write outcomes already rendered (``render``) in this writer's format."""
        self.out.write(text)


def render(fmt: str, query_id: str, candidates: list[Candidate], error: str | None) -> str:
    """One query's outcome as output text: a JSON line, or its CSV rows."""
    if fmt != "csv":
        record = {
            "query_id": query_id,
            "results": [c.to_dict() for c in candidates],
            "error": error,
        }
        return json.dumps(record, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if not candidates:
        writer.writerow([query_id, error or "", *([""] * len(CANDIDATE_COLUMNS))])
    for candidate in candidates:
        row = candidate.to_dict()
        row["score"] = f"{candidate.score:.4f}"
        row["match"] = str(candidate.match).lower()
        writer.writerow([query_id, "", *(row[column] for column in CANDIDATE_COLUMNS)])
    return buffer.getvalue()


@dataclass
class BatchSummary:
    """Counts of a batch run."""

    queries: int = 0
    errors: int = 0
    matched: int = 0


#: Queries sent to a worker process at a time.
CHUNK = 500
#: Chunks in flight per worker: enough to keep them busy, few enough to bound memory.
IN_FLIGHT = 2

#: A query's outcome, rendered where it was screened: (text, had an error, has a match).
Outcome = tuple[str, bool, bool]
_WORKER: dict[str, Any] = {}


def _screen_rows(rows: list[QueryRow]) -> list[Outcome]:
    """Screen a chunk of rows with the index this process was given (in a worker process)."""
    index: MatchIndex = _WORKER["index"]
    options = _WORKER["options"]
    return [_screen_row(index, row, **options) for row in rows]


def screen_row(
    index: MatchIndex,
    row: QueryRow,
    *,
    threshold: float,
    limit: int,
    lists: list[str] | None,
    algorithm: str,
) -> tuple[list[Candidate], str | None]:
    """One row's candidates, or why it has none (its error): the same for every engine."""
    if row.query is None:
        return [], row.error or "not a query"
    try:
        candidates = index.search(
            row.query, threshold=threshold, limit=limit, lists=lists, algorithm=algorithm
        )
    except ValueError as exc:  # a query the index refuses (an unknown schema or algorithm)
        return [], str(exc)
    return candidates, None


def _screen_row(index: MatchIndex, row: QueryRow, *, fmt: str, **options: Any) -> Outcome:
    candidates, error = screen_row(index, row, **options)
    text = render(fmt, row.query_id, candidates, error)
    return text, error is not None, any(c.match for c in candidates)


def _parallel(
    index: MatchIndex, rows: Iterator[QueryRow], options: dict[str, Any], workers: int
) -> Iterator[Outcome]:
    """Outcomes in input order, screened by ``workers`` forked processes sharing the index.

    At most IN_FLIGHT chunks per worker are read ahead, so memory stays bounded."""
    chunks: Iterator[list[QueryRow]] = iter(lambda: list(itertools.islice(rows, CHUNK)), [])
    first = next(chunks, None)
    if first is None:
        return
    if len(first) == CHUNK:  # a large input: analyse the names now, and keep them
        index.warm()  # (analysed once here, not once per worker)
        keep_for_the_process()
    if len(first) < CHUNK or workers <= 1 or "fork" not in mp.get_all_start_methods():
        # a small input, or no cheap way to share the index: screen here
        for chunk in itertools.chain([first], chunks):
            yield from (_screen_row(index, row, **options) for row in chunk)
        return
    _WORKER.update(index=index, options=options)  # inherited by the forked workers
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            pending: deque[AsyncResult[list[Outcome]]] = deque()
            for chunk in itertools.chain([first], chunks):
                pending.append(pool.apply_async(_screen_rows, (chunk,)))
                if len(pending) >= workers * IN_FLIGHT:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        _WORKER.clear()


def screen_batch(
    index: MatchIndex,
    rows: Iterator[QueryRow],
    writer: ResultWriter,
    *,
    threshold: float,
    limit: int,
    lists: list[str] | None = None,
    progress: Callable[[], None] | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
    workers: int = 1,
) -> BatchSummary:
    """Screen each row and write its outcome, in input order; a bad row is written with
    its error. With ``workers`` > 1, chunks of rows are screened in parallel processes."""
    summary = BatchSummary()
    options = {
        "threshold": threshold,
        "limit": limit,
        "lists": lists,
        "algorithm": algorithm,
        "fmt": writer.fmt,
    }
    for text, failed, matched in _parallel(index, rows, options, workers):
        summary.queries += 1
        summary.errors += failed
        summary.matched += matched
        writer.write(text)
        if progress is not None:
            progress()
    return summary
