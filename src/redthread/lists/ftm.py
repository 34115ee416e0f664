"""FtM JSON lines (OpenSanctions' ``entities.ftm.json``: one entity per line) -> a list.

Entity ids become ``<list>-<id>`` (references between entities are rewritten the
same way), so two lists never share an id. Listed parties are the entities marked
``"target": true``; a file without that flag lists every person, company,
organisation, vessel and aircraft in it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import Dataset, model
from followthemoney.exc import InvalidData
from followthemoney.statement import StatementEntity
from followthemoney.types import registry

from redthread.lists.common import EntityBuilder, ListFormatError, ParsedList, SourceFile
from redthread.model import RowIssue

PARTY_SCHEMATA = ("LegalEntity", "Vessel", "Airplane")


def _prefixed(prefix: str, entity_id: str) -> str:
    return entity_id if entity_id.startswith(prefix) else prefix + entity_id


def _entity(dataset: Dataset, data: dict[str, Any], prefix: str) -> StatementEntity:
    """One line's entity, with its id and references prefixed. Raises ValueError if unusable."""
    raw_id, schema_name = data.get("id"), data.get("schema")
    if not isinstance(raw_id, str) or not raw_id:
        raise ValueError("the entity has no id")
    schema = model.get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        raise ValueError(f"unknown schema {schema_name!r}")
    new_id = _prefixed(prefix, raw_id)
    if registry.entity.clean(new_id) is None:
        raise ValueError(f"the id {raw_id!r} is not a valid FtM id")
    builder = EntityBuilder(dataset, schema.name, new_id)
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValueError("'properties' is not an object")
    for prop_name, values in properties.items():
        prop = schema.get(prop_name)
        if prop is None:
            raise ValueError(f"{schema.name} has no property {prop_name!r}")
        values = values if isinstance(values, list) else [values]
        for value in values:
            if not isinstance(value, str):
                raise ValueError(f"a value of {prop_name!r} is not a string")
            if prop.type.name == "entity":
                value = _prefixed(prefix, value)
            builder.add(prop.name, value)
    return builder.entity


def parse_ftm(path: Path, *, name: str, published: date | None = None) -> ParsedList:
    """Read FtM entities, one JSON object per line. Bad lines are reported, never guessed at."""
    dataset = Dataset.make({"name": name, "title": name})
    prefix = name.replace("_", "-") + "-"
    issues: list[RowIssue] = []
    entities: dict[str, StatementEntity] = {}
    targets: set[str] = set()
    any_target_flag = False
    rows = 0
    try:
        handle = path.open("r", encoding="utf-8", errors="strict")
        with handle:
            for line_no, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                rows += 1
                try:
                    data = json.loads(line)
                    if not isinstance(data, dict):
                        raise ValueError("the line is not a JSON object")
                    entity = _entity(dataset, data, prefix)
                except (ValueError, InvalidData) as exc:
                    issues.append(RowIssue(path.name, line_no, str(exc), line.strip()[:2000]))
                    continue
                assert entity.id is not None
                if entity.id in entities:
                    entities[entity.id].merge(entity)
                else:
                    entities[entity.id] = entity
                if "target" in data:
                    any_target_flag = True
                    if data["target"] is True:
                        targets.add(entity.id)
    except UnicodeDecodeError as exc:
        raise ListFormatError(
            f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    if rows == 0:
        raise ListFormatError(f"{path.name} is empty")
    if not entities:
        raise ListFormatError(
            f"{path.name} does not look like FtM JSON lines (first problem: {issues[0].reason})"
        )
    if not any_target_flag:
        targets = {
            eid for eid, e in entities.items() if any(e.schema.is_a(s) for s in PARTY_SCHEMATA)
        }
    return ParsedList(
        name=name,
        format="ftm",
        files=[SourceFile.from_path(path, "ftm")],
        entities=list(entities.values()),
        row_count=rows,
        listed_ids=targets,
        issues=issues,
        published=published,
    )
