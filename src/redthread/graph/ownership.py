"""OFAC's 50 percent rule: property of an entity owned 50% or more, directly or
indirectly, in the aggregate, by blocked persons is itself blocked.

As OFAC applies it (FAQ 398-401):

- percentages are **added across blocked owners**: A (blocked) holding 30% and B
  (blocked) holding 25% of X block X (55%);
- they are **not multiplied along a chain**: an entity that is itself blocked by
  ownership counts as a blocked owner, with its full stake, of what it owns (A owns
  60% of X, X owns 50% of Y: X is blocked, so Y is blocked);
- control without ownership does not block under the rule (it is shown, not counted);
- an ownership link with no stated percentage ("a subsidiary of") cannot be added up:
  the entity is "possibly blocked: share unknown", never blocked on that ground;
- a denied or unconfirmed ownership link is never counted.

The result for each entity says which owners and which links make it so: the chain a
reviewer checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from redthread.graph.model import OWNERSHIP, Edge, Graph

THRESHOLD = 50.0
BLOCKED = "blocked"
POSSIBLY_BLOCKED = "possibly blocked: share unknown"


@dataclass
class OwnershipFinding:
    """Why an entity is (possibly) blocked by ownership."""

    entity: str
    status: str  # BLOCKED or POSSIBLY_BLOCKED
    #: the aggregate share held by blocked owners (known percentages only)
    share: float
    #: the ownership links from blocked owners that count (or, possibly blocked: that
    #: have no percentage)
    edges: list[Edge] = field(default_factory=list)
    #: for each blocked owner, how it is blocked: listed, or the chain above it
    chains: list[list[Edge]] = field(default_factory=list)


def apply_fifty_percent_rule(graph: Graph, listed: set[str]) -> dict[str, OwnershipFinding]:
    """Entities blocked (or possibly blocked) by the ownership of ``listed`` (blocked)
    parties, not counting the listed parties themselves."""
    blocked: dict[str, list[Edge]] = {entity: [] for entity in listed}  # entity -> chain
    findings: dict[str, OwnershipFinding] = {}
    changed = True
    while changed:  # until no more entity becomes blocked (chains of any length)
        changed = False
        for asset in list(graph.nodes):
            if asset in blocked:
                continue
            counted = [
                e
                for e in graph.incoming(asset)
                if e.type == OWNERSHIP and e.usable and e.source in blocked
            ]
            known = [e for e in counted if e.percentage is not None]
            share = _aggregate(known)
            if share >= THRESHOLD:
                chain = _chain(known, blocked)
                blocked[asset] = chain
                findings[asset] = OwnershipFinding(
                    asset, BLOCKED, share, known, [blocked[e.source] for e in known]
                )
                changed = True
    for asset in graph.nodes:
        if asset in blocked:
            continue
        unknown = [
            e
            for e in graph.incoming(asset)
            if e.type == OWNERSHIP and e.usable and e.source in blocked and e.percentage is None
        ]
        if unknown:
            known = [
                e
                for e in graph.incoming(asset)
                if e.type == OWNERSHIP
                and e.usable
                and e.source in blocked
                and e.percentage is not None
            ]
            findings[asset] = OwnershipFinding(
                asset,
                POSSIBLY_BLOCKED,
                _aggregate(known),
                unknown + known,
                [blocked[e.source] for e in unknown + known],
            )
    return findings


def _aggregate(edges: list[Edge]) -> float:
    """The stakes of blocked owners, added up; one owner's stake counted once (its
    largest, where a document states it twice)."""
    by_owner: dict[str, float] = {}
    for edge in edges:
        assert edge.percentage is not None
        by_owner[edge.source] = max(by_owner.get(edge.source, 0.0), edge.percentage)
    return round(sum(by_owner.values()), 4)


def _chain(edges: list[Edge], blocked: dict[str, list[Edge]]) -> list[Edge]:
    """The links that block an asset: its blocked owners' own chains, then its links."""
    chain: list[Edge] = []
    for edge in edges:
        for link in blocked[edge.source]:
            if link not in chain:
                chain.append(link)
        chain.append(edge)
    return chain
