"""Metadata of one loaded version of a sanctions or watch list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ListVersion:
    """One version of a list, identified by the hash of its source files.

    ``name`` is the list's short name ("ofac", "un", "my-watchlist"), used as
    the FtM dataset of its statements. ``published`` is the date the publisher
    gives, when known; ``loaded_at`` is when redthread stored it.
    """

    name: str
    source: str
    sha256: str
    row_count: int
    entity_count: int
    published: date | None = None
    loaded_at: datetime | None = None
    id: int | None = None
    active: bool = True
    format: str = "unknown"
    issue_count: int = 0

    def age_days(self, today: date) -> int | None:
        """Days since the list was published (or, failing that, loaded)."""
        reference = self.published or (self.loaded_at.date() if self.loaded_at else None)
        if reference is None:
            return None
        return (today - reference).days


@dataclass(frozen=True)
class RowIssue:
    """A row of a list file that did not become part of the list, and why.

    ``kind`` is "bad_row" for a malformed row (a list with any fails to load unless
    bad rows are allowed) or "dropped" for a well-formed row that refers to no
    listed party, such as an alias row from another publication date.
    """

    file: str
    line: int
    reason: str
    row: str
    kind: str = "bad_row"


@dataclass(frozen=True)
class ListLink:
    """A link a list states between two of its entities: OFAC's "Linked To:" (an
    UnknownLink), or an Ownership (OpenSanctions' data), with its percentage.

    ``listed``: the ends that are listed parties (targets), not related entities the
    list only mentions; ``captions``: each end's name, as the list gives it."""

    source: str
    target: str
    type: str = "UnknownLink"
    role: str = "linked to"
    percentage: float | None = None
    listed: frozenset[str] = frozenset()
    captions: tuple[tuple[str, str], ...] = ()
