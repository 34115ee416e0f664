"""What every list parser returns, and the errors it raises."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney import Dataset
from followthemoney.statement import Statement, StatementEntity
from followthemoney.types import registry

from redthread.model import RowIssue, sha256_hex


class ListFormatError(Exception):
    """A list file cannot be read at all (empty, binary, another format), or is misnamed."""


LIST_NAME = re.compile(r"^[a-z0-9_]{1,64}$")


def check_list_name(name: str) -> str:
    """A list's name is an FtM dataset name: lowercase letters, digits and '_'."""
    if not LIST_NAME.match(name):
        raise ListFormatError(
            f"invalid list name {name!r}: use lowercase letters, digits and '_' (e.g. ofac_2025)"
        )
    return name


@dataclass(frozen=True)
class SourceFile:
    """One file a list version was read from."""

    path: str
    kind: str
    sha256: str
    size: int

    @classmethod
    def from_path(cls, path: Path, kind: str) -> SourceFile:
        content = path.read_bytes()
        return cls(str(path.resolve()), kind, sha256_hex(content), len(content))


@dataclass
class ParsedList:
    """A list as parsed from its files, before it is stored.

    ``issues`` are malformed rows: a list with any fails to load unless the user
    allows bad rows. ``dropped`` are rows that are well formed but refer to no
    listed party (an alias row of another publication date); they are reported.
    """

    name: str
    format: str
    files: list[SourceFile]
    entities: list[StatementEntity]
    row_count: int
    listed_ids: set[str] = field(default_factory=set)
    issues: list[RowIssue] = field(default_factory=list)
    dropped: list[RowIssue] = field(default_factory=list)
    published: date | None = None

    @property
    def sha256(self) -> str:
        """The version's fingerprint: the file's SHA-256, or, for several files, the SHA-256
        of their ``kind:sha256`` lines in order (so ``sha256sum sdn.csv`` verifies a one-file list).
        """
        if len(self.files) == 1:
            return self.files[0].sha256
        lines = "".join(f"{f.kind}:{f.sha256}\n" for f in self.files)
        return hashlib.sha256(lines.encode("ascii")).hexdigest()

    @property
    def source(self) -> str:
        """The files, one per line."""
        return "\n".join(f.path for f in self.files)

    def listed_entities(self) -> list[StatementEntity]:
        """The parties on the list (not the Sanction, link and wallet records beside them)."""
        return [e for e in self.entities if e.id in self.listed_ids]

    def statements(self) -> list[Statement]:
        """Every statement of every entity."""
        return [stmt for entity in self.entities for stmt in entity.statements]


class EntityBuilder:
    """Adds values to an FtM entity; a value FtM cannot clean goes to ``notes`` with its label."""

    def __init__(self, dataset: Dataset, schema: str, id: str) -> None:
        self.entity = StatementEntity(dataset, {"schema": schema, "id": id})

    def add(self, prop: str, value: str | None, label: str | None = None) -> None:
        if value is None or not value.strip():
            return
        value = value.strip()
        schema = self.entity.schema
        cleaned = None
        if prop in schema.properties:
            cleaned = _clean(schema.properties[prop].type.name, value)
        if cleaned is None:
            self._keep(f"{label or prop}: {value}")
            return
        original = value if cleaned != value else None
        self.entity.add(prop, cleaned, cleaned=True, original_value=original)

    def _keep(self, text: str) -> None:
        """A value with no property to hold it is kept as text, never dropped."""
        schema = self.entity.schema
        for prop in ("notes", "description", "summary"):
            if prop in schema.properties:
                self.entity.add(prop, text)
                return
        raise ValueError(f"{schema.name} has no text property to keep {text!r}")


@functools.lru_cache(maxsize=50_000)
def _clean(type_name: str, value: str) -> str | None:
    """FtM's cleaning of one value for one property type (countries are slow and repeat)."""
    cleaned: str | None = registry.get(type_name).clean(value)
    return cleaned
