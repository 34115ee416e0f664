"""Tables (CSV, XLSX): rows as dictionaries, and rows mapped to FtM entities.

The mapping is followthemoney's (the one ``ftm map`` and Aleph use), written in YAML:

    entities:
      supplier:
        schema: Company
        keys: [supplier]
        properties:
          name: {column: supplier}

See docs/ingest.md for a full invoice-ledger example.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model
from followthemoney.exc import InvalidMapping
from followthemoney.mapping import QueryMapping
from followthemoney.statement import StatementEntity

from redthread.ingest.parties import make_dataset

#: Rows kept from one table, at most; a bigger table is refused with this number.
MAX_ROWS = 1_000_000


class MappingError(Exception):
    """A mapping file that cannot be used; the message says why."""


def load_mapping(path: Path, dataset: str = "documents") -> QueryMapping:
    """A followthemoney mapping from YAML: a query (``entities: ...``), or a file with
    ``queries: [...]`` or ``query: ...`` (the first query is used)."""
    return make_mapping(read_mapping(path, dataset), dataset, path)


def make_mapping(query: dict[str, Any], dataset: str, path: Path | None = None) -> QueryMapping:
    """The mapping of a query read by :func:`read_mapping` (a mapping object cannot be
    pickled: the Spark engine ships the query and makes the mapping on each executor)."""
    try:
        return model.make_mapping(dict(query), key_prefix=dataset, dataset=dataset)
    except InvalidMapping as exc:
        raise MappingError(f"{path or 'the mapping'}: {exc}") from exc


def read_mapping(path: Path, dataset: str = "documents") -> dict[str, Any]:
    """The query of a followthemoney mapping file (see :func:`load_mapping`), checked."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"cannot read the mapping {path}: {exc}") from exc
    if isinstance(data, dict) and len(data) == 1 and "entities" not in data:
        only = next(iter(data.values()))  # {dataset_name: {queries: [...]}}, as ftm writes it
        if isinstance(only, dict):
            data = only
    if isinstance(data, dict) and "queries" in data and isinstance(data["queries"], list):
        data = data["queries"][0] if data["queries"] else {}
    elif isinstance(data, dict) and isinstance(data.get("query"), dict):
        data = data["query"]
    if not isinstance(data, dict) or "entities" not in data:
        raise MappingError(f"{path}: a mapping needs an 'entities' section (see docs/ingest.md)")
    query = dict(data)
    query.setdefault("csv_url", "file:///dev/null")  # rows come from the ingested file
    make_mapping(query, dataset, path)  # refused here, not on an executor
    return query


def table_rows(name: str, content: bytes, is_xlsx: bool) -> tuple[list[str], list[dict[str, str]]]:
    """The header (column names) and the rows as {column: text}."""
    from redthread.ingest.readers import ReadError, decode_text

    if is_xlsx:
        grid = _xlsx_grid(content)
    else:
        text, _ = decode_text(content)
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        if name.lower().endswith(".tsv"):
            dialect = csv.excel_tab
        else:
            try:
                dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
        grid = list(csv.reader(io.StringIO(text), dialect))
    grid = [row for row in grid if any(cell.strip() for cell in row)]
    if not grid:
        raise ReadError("the table has no rows")
    if len(grid) > MAX_ROWS:
        raise ReadError(f"the table has {len(grid):,} rows, more than {MAX_ROWS:,}")
    header = [cell.strip() or f"column_{i + 1}" for i, cell in enumerate(grid[0])]
    rows = [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        for row in grid[1:]
    ]
    return header, rows


def _xlsx_grid(content: bytes) -> list[list[str]]:
    """The first sheet's cells as text (read-only, values not formulas)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        grid: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            grid.append(["" if v is None else _cell_text(v) for v in values])
            if len(grid) > MAX_ROWS:
                break
        return grid
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, date | datetime | time):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def map_rows(
    mapping: QueryMapping, rows: list[dict[str, str]], dataset: str
) -> tuple[list[StatementEntity], list[str]]:
    """The entities the rows state (merged by id), and the problems of rows that failed."""
    target = make_dataset(dataset)
    entities: dict[str, StatementEntity] = {}
    problems: list[str] = []
    for number, row in enumerate(rows, start=2):
        record = {k: v for k, v in row.items() if v}
        try:
            mapped = mapping.map(record)
        except (InvalidMapping, ValueError, TypeError) as exc:
            problems.append(f"row {number}: {exc}")
            continue
        for proxy in mapped.values():
            if proxy.id is None:
                continue
            entity = entities.get(proxy.id)
            if entity is None:
                entity = StatementEntity(target, {"schema": proxy.schema.name, "id": proxy.id})
                entities[proxy.id] = entity
            for prop, values in proxy.properties.items():
                for value in values:
                    entity.add(prop, value, cleaned=True)
    return list(entities.values()), problems
