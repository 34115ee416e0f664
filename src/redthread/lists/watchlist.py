"""In-house watchlists as CSV: one party per row, columns mapped by name.

Canonical columns: ``name`` (required), ``id``, ``schema``, ``country``,
``birth_date``, ``identifiers``, ``aliases`` (several values in a cell are
separated by ``;``). Other column names are mapped with ``--column name=Full Name``
or a small YAML file (see docs/lists.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from followthemoney import Dataset

from redthread.lists.common import EntityBuilder, ListFormatError, ParsedList, SourceFile
from redthread.lists.ofac import parse_date, read_text
from redthread.model import RowIssue

FIELDS = ("id", "name", "schema", "country", "birth_date", "identifiers", "aliases")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "record_id"),
    "name": ("name", "full_name", "full name", "party", "entity_name"),
    "schema": ("schema", "type", "entity_type", "kind"),
    "country": ("country", "countries", "nationality", "jurisdiction"),
    "birth_date": ("birth_date", "birthdate", "dob", "date_of_birth", "date of birth"),
    "identifiers": ("identifiers", "identifier", "id_number", "registration_number", "tax_id"),
    "aliases": ("aliases", "alias", "aka", "also_known_as"),
}
SCHEMATA = {
    "person": "Person",
    "individual": "Person",
    "company": "Company",
    "organization": "Organization",
    "organisation": "Organization",
    "legalentity": "LegalEntity",
    "entity": "LegalEntity",
    "vessel": "Vessel",
    "airplane": "Airplane",
    "aircraft": "Airplane",
}


@dataclass
class WatchlistMapping:
    """Which CSV column holds which field, and how cells are split."""

    columns: dict[str, str] = field(default_factory=dict)
    schema: str = "LegalEntity"
    separator: str = ";"

    @classmethod
    def from_yaml(cls, path: Path) -> WatchlistMapping:
        """Read a mapping file: ``columns: {name: "Full Name"}``, ``schema``, ``separator``."""
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ListFormatError(f"cannot read mapping {path}: {exc}") from None
        if not isinstance(data, dict):
            raise ListFormatError(f"mapping {path} must be a YAML mapping")
        unknown = set(data) - {"columns", "schema", "separator"}
        if unknown:
            raise ListFormatError(f"mapping {path}: unknown keys {sorted(unknown)}")
        mapping = cls(
            columns={str(k): str(v) for k, v in (data.get("columns") or {}).items()},
            schema=str(data.get("schema", "LegalEntity")),
            separator=str(data.get("separator", ";")),
        )
        mapping.check()
        return mapping

    def check(self) -> None:
        """Refuse fields we do not know and default schemata FtM does not have."""
        unknown = set(self.columns) - set(FIELDS)
        if unknown:
            raise ListFormatError(
                f"unknown watchlist field(s) {sorted(unknown)}: the fields are {', '.join(FIELDS)}"
            )
        if self.schema.lower() not in SCHEMATA:
            raise ListFormatError(
                f"unknown schema {self.schema!r}: use one of Person, Company, Organization, "
                "LegalEntity, Vessel, Airplane"
            )


def _header_map(header: list[str], mapping: WatchlistMapping) -> dict[str, int]:
    positions = {column.strip().lower(): i for i, column in enumerate(header)}
    found: dict[str, int] = {}
    for field_name in FIELDS:
        if field_name in mapping.columns:
            column = mapping.columns[field_name].strip().lower()
            if column not in positions:
                raise ListFormatError(
                    f"column {mapping.columns[field_name]!r} (for {field_name}) is not in the "
                    f"header: {', '.join(header)}"
                )
            found[field_name] = positions[column]
            continue
        for synonym in SYNONYMS[field_name]:
            if synonym in positions:
                found[field_name] = positions[synonym]
                break
    if "name" not in found:
        raise ListFormatError(
            f"no name column in the header ({', '.join(header)}): name it 'name' or map it "
            "with --column name=COLUMN"
        )
    return found


def _row_id(prefix: str, values: dict[str, str], given: str | None) -> str:
    if given:
        safe = re.sub(r"[^0-9a-zA-Z.-]+", "-", given).strip("-.")
        if safe:
            return prefix + safe
    key = "|".join(values.get(f, "") for f in ("name", "schema", "birth_date", "country")).lower()
    return prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def parse_watchlist(
    path: Path,
    *,
    name: str,
    mapping: WatchlistMapping | None = None,
    published: date | None = None,
) -> ParsedList:
    """Read an in-house watchlist CSV; a row with no name or an unknown schema is a bad row."""
    mapping = mapping or WatchlistMapping()
    mapping.check()
    text = read_text(path)
    if not text.strip():
        raise ListFormatError(f"{path.name} is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = next(reader)
    columns = _header_map(header, mapping)
    dataset = Dataset.make({"name": name, "title": name})
    prefix = name.replace("_", "-") + "-"
    entities: dict[str, EntityBuilder] = {}
    issues: list[RowIssue] = []
    rows = 0
    for cells in reader:
        line_no = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        raw = ",".join(cells)
        if len(cells) != len(header):
            issues.append(RowIssue(path.name, line_no, f"expected {len(header)} columns", raw))
            continue
        values = {f: cells[i].strip() for f, i in columns.items()}
        if not values.get("name"):
            issues.append(RowIssue(path.name, line_no, "the name is empty", raw))
            continue
        schema = SCHEMATA.get((values.get("schema") or mapping.schema).replace(" ", "").lower())
        if schema is None:
            issues.append(RowIssue(path.name, line_no, f"unknown schema {values['schema']!r}", raw))
            continue
        values["schema"] = schema
        entity_id = _row_id(prefix, values, values.get("id"))
        if entity_id in entities:
            issues.append(RowIssue(path.name, line_no, f"the id {entity_id} appears twice", raw))
            continue
        builder = entities[entity_id] = EntityBuilder(dataset, schema, entity_id)
        builder.add("name", values["name"])
        split = mapping.separator
        for alias in (values.get("aliases") or "").split(split):
            builder.add("alias", alias)
        country_prop = "nationality" if schema == "Person" else "country"
        for country in (values.get("country") or "").split(split):
            builder.add(country_prop, country, "country")
        date_prop = "birthDate" if schema == "Person" else "incorporationDate"
        for text_date in (values.get("birth_date") or "").split(split):
            if text_date.strip():
                dates = parse_date(text_date) or [text_date]
                for value in dates:
                    builder.add(date_prop, value, "birth_date")
        id_prop = {"Vessel": "imoNumber", "Airplane": "registrationNumber"}.get(schema, "idNumber")
        for identifier in (values.get("identifiers") or "").split(split):
            builder.add(id_prop, identifier, "identifier")
    if rows == 0:
        raise ListFormatError(f"{path.name} has a header but no rows")
    return ParsedList(
        name=name,
        format="watchlist-csv",
        files=[SourceFile.from_path(path, "watchlist")],
        entities=[b.entity for b in entities.values()],
        row_count=rows,
        listed_ids=set(entities),
        issues=issues,
        published=published,
    )
