"""``redthread compare``: score name pairs, one or a CSV file of them, with explanations."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from followthemoney import model

from redthread.match.names import compare_names
from redthread.match.ofac_score import ALGORITHM as OFAC_ALGORITHM
from redthread.match.ofac_score import ofac_score

MAX_NAME_LENGTH = 500
REQUIRED_COLUMNS = ("name1", "name2")


class CompareInputError(Exception):
    """The pairs file cannot be read at all (not a CSV, no name1/name2 columns)."""


@dataclass(frozen=True)
class PairResult:
    """A scored pair, or the reason it could not be scored."""

    schema: str
    name1: str
    name2: str
    score: float | None
    match: bool | None
    explanation: str
    error: str | None = None


def check_name(name: str) -> str | None:
    """Why a name cannot be compared, or None."""
    if not name.strip():
        return "the name is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    if any(ord(ch) < 32 and ch not in "\t" for ch in name):
        return "the name contains control characters"
    return None


def check_schema(schema: str) -> str | None:
    """Why a schema cannot be used for names, or None."""
    found = model.get(schema)
    if found is None or not any(found.is_a(s) for s in ("LegalEntity", "Vessel", "Airplane")):
        return (
            f"unknown schema {schema!r}: use Person, Company, Organization, LegalEntity, "
            "Vessel or Airplane"
        )
    return None


def compare_pair(
    name1: str, name2: str, schema: str, threshold: float, algorithm: str = "redthread"
) -> PairResult:
    """Score one pair; problems with the input become the result's ``error``.

    ``algorithm`` ``ofac`` scores on the scale of OFAC's search tool (as a fraction).
    """
    error = check_schema(schema) or check_name(name1) or check_name(name2)
    if error:
        return PairResult(schema, name1, name2, None, None, "", error)
    if algorithm == OFAC_ALGORITHM:
        ofac = ofac_score(name1, name2)
        score = ofac.score / 100
        return PairResult(schema, name1, name2, score, score >= threshold, ofac.explain())
    result = compare_names(name1, name2, schema)
    return PairResult(
        schema, name1, name2, result.score, result.score >= threshold, result.explain()
    )


def compare_csv(
    source: TextIO, threshold: float, default_schema: str, algorithm: str = "redthread"
) -> Iterator[PairResult]:
    """Score every row of a CSV with the columns schema (optional), name1, name2.

    A row that cannot be scored is yielded with its error; the rest go on.
    """
    reader = csv.DictReader(source)
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CompareInputError(
            f"the pairs file needs the columns schema, name1, name2; missing: {', '.join(missing)}"
            f" (found: {', '.join(header) or 'nothing'})"
        )
    for row in reader:
        schema = (row.get("schema") or "").strip() or default_schema
        name1, name2 = row.get("name1"), row.get("name2")
        if name1 is None or name2 is None:
            yield PairResult(schema, name1 or "", name2 or "", None, None, "", "the row is short")
            continue
        yield compare_pair(name1, name2, schema, threshold, algorithm)


def write_results(results: Iterator[PairResult], output: Path) -> int:
    """Write scored pairs as CSV: schema, name1, name2, score, match, explanation, error."""
    count = 0
    with output.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["schema", "name1", "name2", "score", "match", "explanation", "error"])
        for result in results:
            writer.writerow(
                [
                    result.schema,
                    result.name1,
                    result.name2,
                    "" if result.score is None else f"{result.score:.4f}",
                    "" if result.match is None else str(result.match).lower(),
                    result.explanation,
                    result.error or "",
                ]
            )
            count += 1
    return count
