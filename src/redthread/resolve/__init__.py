"""Resolution: one party across documents.

Extraction gives each document its own entities. Here the entities of a case that
are the same party are merged: the same name (written alike after normalisation: case,
punctuation, legal forms) or names that the name matcher scores as the same party
(0.9 or more), and compatible schemata (a person is never merged with a company).
Each merge is recorded with its reason, so that a reviewer can inspect it and undo it.

Places merge by name; products (Project) by name or model code. A party a document
describes without naming it ("unnamed Russian firm") is never merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from redthread.match.names import analyze_name, compare_names
from redthread.model.extraction import ExtractedEntity, Extraction, Mention
from redthread.model.ids import stable_id

#: Names scoring this much (the name matcher's scale) are the same party.
SAME_PARTY = 0.9
PARTY_SCHEMATA = ("Person", "Company", "Organization", "PublicBody", "LegalEntity", "Vessel")
#: Of two schemata of one party, the more specific wins.
SPECIFIC = {
    "LegalEntity": 0,
    "Organization": 1,
    "Company": 2,
    "PublicBody": 2,
    "Person": 2,
    "Vessel": 2,
}


@dataclass
class CaseEntity:
    """One party (place, product) of the case, made of one or more documents' entities."""

    id: str
    schema: str
    names: list[str]
    members: list[str]  # the documents' entity ids
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (document, mention)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    #: a party a document describes without naming it (never merged, never screened)
    unnamed: bool = False
    description: str = ""

    @property
    def caption(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class MergeDecision:
    """Why documents' entities were merged into one."""

    entity: str  # the case entity
    members: tuple[str, ...]
    reason: str
    score: float


def _family(schema: str) -> str:
    if schema == "Person":
        return "person"
    if schema in PARTY_SCHEMATA:
        return "org"
    return schema.lower()


def _key(name: str, schema: str) -> str:
    return analyze_name(name, schema if schema in PARTY_SCHEMATA else "LegalEntity").text


def resolve_entities(
    extractions: list[Extraction], case: str, apart: Iterable[frozenset[str]] = ()
) -> tuple[list[CaseEntity], dict[str, str], list[MergeDecision]]:
    """The case's entities, each document entity's case entity id, and the merges.
    ``apart``: merges a reviewer dismissed (their members); those members stay apart."""
    entities: dict[str, tuple[str, ExtractedEntity]] = {}
    for extraction in extractions:
        for entity in extraction.entities:
            entities[entity.id] = (extraction.document_id, entity)
    parent = {entity_id: entity_id for entity_id in entities}
    group = {entity_id: {entity_id} for entity_id in entities}
    reasons: dict[frozenset[str], tuple[str, float]] = {}
    enemies: dict[str, set[str]] = defaultdict(set)
    for kept_apart in apart:
        for member in kept_apart:
            enemies[member] |= kept_apart - {member}

    def find(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(a: str, b: str, reason: str, score: float) -> None:
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            return
        if enemies and any(enemies[m] & group[root_b] for m in group[root_a]):
            return  # a reviewer said these are not one party
        low, high = min(root_a, root_b), max(root_a, root_b)
        parent[high] = low
        group[low] |= group.pop(high)
        reasons[frozenset((a, b))] = (reason, score)

    # the same name: exact after normalisation, within one family of schemata
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entity_id, (_, entity) in sorted(entities.items()):
        if entity.unnamed:
            continue  # 'unnamed Russian firm' of two documents: nothing says they are one
        for name in entity.names:
            key = _key(name, entity.schema)
            if not key or (entity.schema == "Person" and " " not in key):
                continue  # a surname alone is not enough to say two people are one
            by_key[(_family(entity.schema), key)].append(entity_id)
    for (_, key), ids in sorted(by_key.items()):
        for other in ids[1:]:
            union(ids[0], other, f"same name '{key}'", 1.0)
    # alike names of parties: compared where they share a word
    by_word: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity_id, (_, entity) in entities.items():
        if entity.schema not in PARTY_SCHEMATA or entity.unnamed:
            continue
        for name in entity.names:
            for token in analyze_name(name, entity.schema).tokens:
                if token.kind == "word" and len(token.text) > 3:
                    by_word[(_family(entity.schema), token.text)].add(entity_id)
    for (family, _), sharing in sorted(by_word.items()):
        if len(sharing) > 50:
            continue  # a common word: nothing to learn from pairing all of them
        ordered = sorted(sharing)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if find(a) == find(b) or entities[a][0] == entities[b][0]:
                    continue  # within one document, extraction has decided already
                score = _best_score(entities[a][1], entities[b][1], family)
                if score >= SAME_PARTY:
                    union(a, b, f"names alike ({score:.2f})", score)
    groups: dict[str, list[str]] = defaultdict(list)
    for entity_id in sorted(entities):
        groups[find(entity_id)].append(entity_id)
    case_entities: list[CaseEntity] = []
    mapping: dict[str, str] = {}
    decisions: list[MergeDecision] = []
    for members in groups.values():
        merged = _merge(case, [entities[m] for m in members])
        case_entities.append(merged)
        for member in members:
            mapping[member] = merged.id
        if len(members) > 1:
            why = [reasons[pair] for pair in reasons if pair <= set(members)]
            reason = "; ".join(sorted({r for r, _ in why})) or "same name"
            decisions.append(
                MergeDecision(
                    merged.id, tuple(members), reason, min(s for _, s in why or [("", 1.0)])
                )
            )
    case_entities.sort(key=lambda e: (e.schema, e.caption))
    return case_entities, mapping, decisions


def _best_score(a: ExtractedEntity, b: ExtractedEntity, family: str) -> float:
    schema = "Person" if family == "person" else "Organization"
    best = 0.0
    for name_a in a.names:
        for name_b in b.names:
            best = max(best, compare_names(name_a, name_b, schema).score)
            if best >= 1.0:
                return best
    return best


def _merge(case: str, members: list[tuple[str, ExtractedEntity]]) -> CaseEntity:
    schema = max((e.schema for _, e in members), key=lambda s: SPECIFIC.get(s, 1))
    names: dict[str, int] = {}
    for _, entity in members:
        for name in entity.names:
            names[name] = names.get(name, 0) + len(entity.mentions)
    ordered = sorted(
        names, key=lambda n: (-len(n.split()) if schema == "Person" else 0, -len(n), n)
    )
    ids = sorted(e.id for _, e in members)
    entity_id = stable_id("case", case, *ids)
    merged = CaseEntity(entity_id, schema, ordered, ids)
    unnamed = [e for _, e in members if e.unnamed]
    if unnamed:
        merged.unnamed, merged.description = True, unnamed[0].description
    for document, entity in members:
        merged.mentions.extend((document, m) for m in entity.mentions)
        for prop, values in entity.identifiers.items():
            merged.identifiers.setdefault(prop, [])
            merged.identifiers[prop].extend(v for v in values if v not in merged.identifiers[prop])
    return merged
