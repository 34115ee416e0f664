"""Evidence (where a fact is stated) and claims (who asserts or denies it).

FtM records facts as statements; it cannot say "Reuters reports this, the
company denies it". A :class:`Claim` ties a fact (an FtM entity, usually a
relation such as Ownership) to the evidence that states it, with a stance and
the party the statement is attributed to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Stance(StrEnum):
    """How a source relates to a fact."""

    ASSERTED = "asserted"
    DENIED = "denied"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Evidence:
    """A span of a document that states a fact: character offsets into its text, the sentence."""

    document_id: str
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid evidence span {self.start}..{self.end}")

    @property
    def id(self) -> str:
        """A stable id: the same span of the same document is the same evidence."""
        key = f"{self.document_id}:{self.start}:{self.end}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Claim:
    """A source's stance on a fact (``entity_id``), stated in ``evidence``.

    ``attributed_to`` names who makes the claim ("two sources from a European
    intelligence agency", "the company", an entity id); ``None`` means the
    document states it in its own voice.
    """

    entity_id: str
    evidence: Evidence
    stance: Stance = Stance.ASSERTED
    attributed_to: str | None = None

    @property
    def id(self) -> str:
        """A stable id built from the fact, the evidence, the stance and the attribution."""
        key = f"{self.entity_id}|{self.evidence.id}|{self.stance}|{self.attributed_to or ''}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()
