"""An extraction as FtM entities, evidence and claims, and into the store.

- Each party is its FtM schema (Person, Company, Organization, PublicBody, Vessel) with
  its names (the first as ``name``, the others as ``alias``) and identifiers.
- A place a party is based in: a country becomes the party's ``country``; any other
  place an ``Address`` entity (``full``) linked by the party's ``addressEntity``.
- A product model is a ``Project`` (FtM has no schema for one), its maker linked by a
  ``ProjectParticipant`` with the role (developer, producer).
- A relation is its edge entity (Ownership, Representation, UnknownLink...) with the
  role, and the stance in ``status`` ('asserted', 'denied', 'unconfirmed'), so that
  another FtM tool never reads a denied link as a fact; Payment has no ``status``, so
  its stance goes in ``summary``.
- The document is a ``Document`` entity (``Article`` for HTML and text) whose id is
  ``doc-`` and its SHA-256; each entity
  is tied to it by a ``Mention`` (the name as written) and a ``Documentation``.
- Each relation's sentences are stored as evidence of its statements, and a claim
  (stance, attributed to) per sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from followthemoney import model
from followthemoney.statement import Statement, StatementEntity
from followthemoney.types import registry

from redthread.ingest.parties import make_dataset
from redthread.model import Claim, Document, DocumentStatus, Evidence
from redthread.model.extraction import Extraction, Relation
from redthread.model.ids import stable_id
from redthread.store import Store

#: Each relation type's edge properties: (source property, target property).
EDGES = {
    "Ownership": ("owner", "asset"),
    "Control": ("controller", "controlled"),
    "Representation": ("agent", "client"),
    "Employment": ("employee", "employer"),
    "Directorship": ("director", "organization"),
    "Membership": ("member", "organization"),
    "UnknownLink": ("subject", "object"),
    "Payment": ("payer", "beneficiary"),
    "ProjectParticipant": ("participant", "project"),
    "Family": ("relative", "person"),  # 'Saeed, his brother': Saeed is the relative
}


def to_ftm(extraction: Extraction, document: Document, dataset_name: str) -> list[StatementEntity]:
    """The FtM entities of one document's extraction."""
    dataset = make_dataset(dataset_name)
    origin = f"document:{document.id}"
    by_id: dict[str, StatementEntity] = {}

    def make(schema: str, entity_id: str) -> StatementEntity:
        entity = by_id.get(entity_id)
        if entity is None:
            entity = StatementEntity(dataset, {"schema": schema, "id": entity_id})
            by_id[entity_id] = entity
        return entity

    doc_entity = add_document(make, document, origin)

    countries: dict[str, str] = {}
    for extracted in extraction.entities:
        if extracted.schema == "Address":
            code = registry.country.clean(extracted.caption)
            if code:
                countries[extracted.id] = code
                continue
        made = add_party(
            make, extracted.id, extracted.schema, extracted.names, extracted.identifiers, origin
        )
        if extracted.unnamed:  # 'unnamed Russian firm': the words that describe it
            made.add("description", extracted.description, origin=origin)
        mention = make("Mention", stable_id("mention", document.id, extracted.id))
        mention.add("document", doc_entity.id, origin=origin)
        mention.add("resolved", extracted.id, origin=origin)
        mention.add("name", extracted.names, origin=origin)
        mention.add("detectedSchema", extracted.schema, origin=origin)
        documentation = make("Documentation", stable_id("documentation", document.id, extracted.id))
        documentation.add("document", doc_entity.id, origin=origin)
        documentation.add("entity", extracted.id, origin=origin)
    for relation in extraction.relations:
        if relation.type == "Address":
            party = by_id.get(relation.source)
            if party is None:
                continue
            if relation.target in countries:
                party.add("country", countries[relation.target], origin=origin)
            else:
                party.add("addressEntity", relation.target, quiet=True, origin=origin)
            continue
        add_edge(make, relation, origin)
    return list(by_id.values())


#: Makes (or returns the one already made) the entity of a schema and id.
Maker = Callable[[str, str], StatementEntity]


def add_document(make: Maker, document: Document, origin: str | None = None) -> StatementEntity:
    """The document as an FtM Article (text, HTML) or Document; its id holds the
    document's SHA-256 (FtM's contentHash is a SHA-1)."""
    schema = "Article" if document.media_type.startswith("text/") else "Document"
    entity = make(schema, f"doc-{document.id}")
    file_name = document.source.rsplit("/", 1)[-1]
    entity.add("title", document.title or file_name, origin=origin)
    entity.add("fileName", file_name, origin=origin)
    if document.language:
        entity.add("language", document.language, quiet=True, origin=origin)
    if document.published:
        entity.add("publishedAt", document.published.isoformat(), origin=origin)
    return entity


def add_party(
    make: Maker,
    entity_id: str,
    schema: str,
    names: list[str],
    identifiers: dict[str, list[str]],
    origin: str | None = None,
) -> StatementEntity:
    """A party, place or product: its names (the first as ``name``), its identifiers."""
    entity = make(schema, entity_id)
    if schema == "Address":
        entity.add("full", names[0], origin=origin)
        return entity
    entity.add("name", names[0], origin=origin)
    if len(names) > 1:
        entity.add("alias", names[1:], origin=origin)
    if schema == "Project":
        entity.add("summary", "product model", origin=origin)
    for prop, values in identifiers.items():
        entity.add(prop, values, quiet=True, origin=origin)
    return entity


def add_edge(make: Maker, relation: Relation, origin: str | None = None) -> None:
    """A relation as its FtM edge, with the role, and the stance in ``status``."""
    schema = model.get(relation.type)
    if schema is None or relation.type not in EDGES:
        return
    source_prop, target_prop = EDGES[relation.type]
    edge = make(relation.type, relation.id)
    edge.add(source_prop, relation.source, origin=origin)
    edge.add(target_prop, relation.target, origin=origin)
    if "role" in schema.properties:
        edge.add("role", relation.role, origin=origin)
    elif "relationship" in schema.properties:
        edge.add("relationship", relation.role, origin=origin)  # Family: 'brother'
    if "status" in schema.properties:
        edge.add("status", relation.stance.value, origin=origin)
    else:
        edge.add("summary", f"stance: {relation.stance.value}", origin=origin)
    details = relation.details
    if relation.type == "Ownership" and "percentage" in details:
        edge.add("percentage", details["percentage"], origin=origin)
    if relation.type == "Payment":
        edge.add("amount", details.get("amount"), quiet=True, origin=origin)
        edge.add("currency", details.get("currency"), quiet=True, origin=origin)
    if "goods" in details:
        edge.add("description", details["goods"], origin=origin)


def claims(extraction: Extraction) -> Iterator[Claim]:
    """One claim per relation and sentence: its stance, and who states it."""
    for relation in extraction.relations:
        attributed = relation.attributed_to.text if relation.attributed_to else None
        for evidence in relation.evidence:
            yield Claim(relation.id, evidence, relation.stance, attributed)


@dataclass(frozen=True)
class ExtractionRecords:
    """What the store keeps of one document's extraction: its FtM statements, each
    relation's evidence (with the ids of the statements it supports), the claims."""

    statements: list[Statement]
    evidence: list[tuple[Evidence, list[str]]]
    claims: list[Claim]


def extraction_records(
    extraction: Extraction, document: Document, dataset_name: str
) -> ExtractionRecords:
    """An extraction as the records the store keeps (and the Spark engine writes out)."""
    entities = to_ftm(extraction, document, dataset_name)
    by_id = {e.id: e for e in entities}
    evidence: list[tuple[Evidence, list[str]]] = []
    for relation in extraction.relations:
        edge = by_id.get(relation.id)
        statement_ids = [s.id for s in edge.statements if s.id] if edge is not None else []
        evidence.extend((item, statement_ids) for item in relation.evidence)
    return ExtractionRecords(
        [s for e in entities for s in e.statements], evidence, list(claims(extraction))
    )


def save_records(store: Store, document_id: str, records: ExtractionRecords) -> int:
    """Store a document's extraction records and mark it extracted, in one transaction.
    Returns the statements written."""
    with store.transaction() as writer:
        written = writer.add_statements(records.statements)
        writer.add_evidence_many(records.evidence)
        writer.add_claims(records.claims)
        writer.set_document_status(document_id, DocumentStatus.EXTRACTED)
    return written
