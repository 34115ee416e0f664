"""Batch screening: queries streamed from CSV or JSON lines, results streamed out.

Every query appears in the output, also one without a candidate or with an error,
so the output proves what was screened. Memory stays bounded whatever the input size.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from followthemoney.types import registry

from redthread.match.compare import check_name, check_schema
from redthread.match.index import DEFAULT_ALGORITHM, Candidate, MatchIndex, Query

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
            query_id = (row.get("id") or "").strip() or str(number)
            if None in row.values() or None in row:
                yield QueryRow(query_id, None, "the row does not have as many cells as the header")
                continue
            yield make_query(query_id, row)
        return
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield QueryRow(str(number), None, f"not JSON: {exc.msg}")
            continue
        if not isinstance(data, dict):
            yield QueryRow(str(number), None, "the line is not a JSON object")
            continue
        query_id = str(data.get("id") or number)
        yield make_query(query_id, data)


class ResultWriter:
    """Writes one query's outcome at a time, as JSON lines or CSV."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.csv = csv.writer(out) if fmt == "csv" else None
        if self.csv is not None:
            self.csv.writerow(["query_id", "error", *CANDIDATE_COLUMNS])

    def write(self, query_id: str, candidates: list[Candidate], error: str | None) -> None:
        if self.csv is None:
            record = {
                "query_id": query_id,
                "results": [c.to_dict() for c in candidates],
                "error": error,
            }
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        if not candidates:
            self.csv.writerow([query_id, error or "", *([""] * len(CANDIDATE_COLUMNS))])
        for candidate in candidates:
            row = candidate.to_dict()
            row["score"] = f"{candidate.score:.4f}"
            row["match"] = str(candidate.match).lower()
            self.csv.writerow([query_id, "", *(row[column] for column in CANDIDATE_COLUMNS)])


@dataclass
class BatchSummary:
    """Counts of a batch run."""

    queries: int = 0
    errors: int = 0
    matched: int = 0


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
) -> BatchSummary:
    """Screen each row and write its outcome; a bad row is written with its error."""
    summary = BatchSummary()
    for row in rows:
        summary.queries += 1
        if row.query is None:
            summary.errors += 1
            writer.write(row.query_id, [], row.error)
        else:
            candidates = index.search(
                row.query, threshold=threshold, limit=limit, lists=lists, algorithm=algorithm
            )
            summary.matched += any(c.match for c in candidates)
            writer.write(row.query_id, candidates, None)
        if progress is not None:
            progress()
    return summary
