"""What extraction finds in one document: entities with their mentions, relations with
their evidence, stance and attribution. Plain data, turned into FtM entities and
claims by the extract stage; ``to_dict`` is the JSON of ``redthread extract --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redthread.model.evidence import Evidence, Stance


@dataclass(frozen=True)
class Mention:
    """Where a document names an entity: character offsets into its text."""

    start: int
    end: int
    text: str
    label: str  # ORG, PERSON, GPE, PRODUCT, MONEY, ...


@dataclass
class ExtractedEntity:
    """One party, place or product of one document, with every mention of it."""

    id: str
    schema: str  # FtM: Organization, Company, Person, Address, Project, ...
    names: list[str]
    mentions: list[Mention] = field(default_factory=list)
    identifiers: dict[str, list[str]] = field(default_factory=dict)  # FtM property -> values
    country: str | None = None
    #: a party the text describes without naming it ('a Russian firm that acts as an
    #: intermediary'): named 'unnamed Russian firm', never screened, never merged
    unnamed: bool = False
    #: the words that describe an unnamed party, as written
    description: str = ""

    @property
    def caption(self) -> str:
        return self.names[0]

    def to_dict(self, document_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "names": self.names,
            "mentions": [
                {"document": document_id, "start": m.start, "end": m.end, "text": m.text}
                for m in self.mentions
            ],
            "identifiers": self.identifiers,
            **({"unnamed": True, "description": self.description} if self.unnamed else {}),
        }


@dataclass(frozen=True)
class Attribution:
    """Who states a fact: an entity of the document where one is named, and the words."""

    text: str
    entity: str | None = None


@dataclass
class Relation:
    """A fact linking two entities, typed with the FtM schema that fits, and its evidence."""

    id: str
    type: str  # the FtM schema: Ownership, Representation, UnknownLink, ...
    role: str
    source: str  # entity ids, in FtM's edge direction (owner -> asset, agent -> client...)
    target: str
    #: the sentences that state it (a relation stated twice in a document has two)
    evidence: list[Evidence]
    stance: Stance = Stance.ASSERTED
    attributed_to: Attribution | None = None
    #: what else the sentence says: percentage, amount, currency, goods, date, place
    details: dict[str, str] = field(default_factory=dict)

    def absorb(self, other: Relation) -> None:
        """The same fact stated again: keep its sentences and the details it adds."""
        self.evidence.extend(e for e in other.evidence if e not in self.evidence)
        for name, value in other.details.items():
            self.details.setdefault(name, value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "role": self.role,
            "source": self.source,
            "target": self.target,
            "stance": self.stance.value,
            "attributed_to": (
                {"entity": self.attributed_to.entity, "text": self.attributed_to.text}
                if self.attributed_to
                else None
            ),
            "details": self.details,
            "evidence": [
                {"document": e.document_id, "start": e.start, "end": e.end, "text": e.text}
                for e in self.evidence
            ],
        }


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document_id: str
    entities: list[ExtractedEntity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str) -> ExtractedEntity:
        return next(e for e in self.entities if e.id == entity_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document_id,
            "entities": [e.to_dict(self.document_id) for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
        }
