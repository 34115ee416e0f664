"""What every list parser returns, and the errors it raises."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney.statement import Statement, StatementEntity

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
        return [e for e in self.entities if e.schema.is_a("Thing") and e.has("topics")]

    def statements(self) -> list[Statement]:
        """Every statement of every entity."""
        return [stmt for entity in self.entities for stmt in entity.statements]
