"""What changed between two versions of a list: parties added, removed, and changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney.statement import StatementEntity


@dataclass(frozen=True)
class PropertyChange:
    """Values of one property that appeared or disappeared."""

    prop: str
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class EntityChange:
    """One entity (a party, or a sanction, link or wallet record) that differs."""

    list_id: str
    schema: str
    caption: str
    change: str  # "added", "removed" or "changed"
    properties: list[PropertyChange] = field(default_factory=list)

    @property
    def is_party(self) -> bool:
        """A listed party rather than a record about one (sanction, link, wallet)."""
        return self.schema not in ("Sanction", "UnknownLink", "CryptoWallet")

    def to_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "schema": self.schema,
            "caption": self.caption,
            "change": self.change,
            "properties": [
                {"prop": p.prop, "added": p.added, "removed": p.removed} for p in self.properties
            ],
        }


@dataclass
class ListDiff:
    """The differences between an old and a new version, keyed by the list's own ids."""

    old: str
    new: str
    added: list[EntityChange] = field(default_factory=list)
    removed: list[EntityChange] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)

    def parties(self, kind: str) -> list[EntityChange]:
        """The added, removed or changed listed parties (not their records)."""
        return [c for c in getattr(self, kind) if c.is_party]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "summary": {
                kind: {"parties": len(self.parties(kind)), "all": len(getattr(self, kind))}
                for kind in ("added", "removed", "changed")
            },
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def _key(entity: StatementEntity, prefix: str) -> str:
    entity_id = entity.id or ""
    return entity_id[len(prefix) :] if entity_id.startswith(prefix) else entity_id


def _values(entity: StatementEntity, prefix: str) -> dict[str, set[str]]:
    """Property values, with references to other entities of the list written as list ids."""
    values: dict[str, set[str]] = {}
    for prop, prop_values in entity.properties.items():
        is_ref = entity.schema.properties[prop].type.name == "entity"
        values[prop] = {v.removeprefix(prefix) if is_ref else v for v in prop_values}
    return values


def id_prefix(list_name: str) -> str:
    """The prefix of a list's entity ids: ``ofac_2025`` -> ``ofac-2025-``."""
    return list_name.replace("_", "-") + "-"


def diff_lists(
    old: Iterable[StatementEntity],
    new: Iterable[StatementEntity],
    *,
    old_name: str,
    new_name: str,
    old_label: str = "old",
    new_label: str = "new",
) -> ListDiff:
    """Compare two versions entity by entity, matching them by the list's own id.

    Two lists of different names can be compared: ``ofac-46431`` in one and
    ``ofac-2025-46431`` in the other are the same party.
    """
    old_prefix, new_prefix = id_prefix(old_name), id_prefix(new_name)
    before = {_key(e, old_prefix): e for e in old}
    after = {_key(e, new_prefix): e for e in new}
    result = ListDiff(old=old_label, new=new_label)
    for key in sorted(after.keys() - before.keys(), key=_natural):
        entity = after[key]
        result.added.append(EntityChange(key, entity.schema.name, entity.caption, "added"))
    for key in sorted(before.keys() - after.keys(), key=_natural):
        entity = before[key]
        result.removed.append(EntityChange(key, entity.schema.name, entity.caption, "removed"))
    for key in sorted(before.keys() & after.keys(), key=_natural):
        a = _values(before[key], old_prefix)
        b = _values(after[key], new_prefix)
        changes = [
            PropertyChange(
                prop,
                sorted(b.get(prop, set()) - a.get(prop, set())),
                sorted(a.get(prop, set()) - b.get(prop, set())),
            )
            for prop in sorted(a.keys() | b.keys())
            if a.get(prop, set()) != b.get(prop, set())
        ]
        schema_changed = before[key].schema.name != after[key].schema.name
        if schema_changed:
            changes.insert(
                0, PropertyChange("schema", [after[key].schema.name], [before[key].schema.name])
            )
        if changes:
            entity = after[key]
            result.changed.append(
                EntityChange(key, entity.schema.name, entity.caption, "changed", changes)
            )
    return result


def _natural(key: str) -> tuple[int, str]:
    """OFAC ids sort as numbers: 9 before 10."""
    head = key.split("-", 1)[0]
    return (int(head), key) if head.isdigit() else (1 << 62, key)
