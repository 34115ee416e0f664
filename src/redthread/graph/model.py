"""The case graph: parties as nodes, relations as edges with their stance and evidence.

Plain data built by the investigation from extracted relations, list links (OFAC
"Linked To:") and a user's ownership table; the exposure and ownership functions read
it and never change it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

#: Edge types that give an owner or controller power over the target.
OWNERSHIP = "Ownership"
CONTROL = "Control"


@dataclass(frozen=True)
class Edge:
    """One relation between two entities, in FtM's direction (owner -> asset...)."""

    id: str
    type: str  # the FtM schema: Ownership, Control, Representation, UnknownLink, ...
    source: str
    target: str
    role: str = ""
    stance: str = "asserted"  # asserted, denied, unconfirmed
    percentage: float | None = None
    #: where it comes from: a document's evidence ids, a list ('ofac'), an ownership table
    sources: tuple[str, ...] = ()
    date: str | None = None

    @property
    def usable(self) -> bool:
        """Only asserted facts carry exposure; a denied or unconfirmed link is shown as
        such and never silently used."""
        return self.stance == "asserted"


@dataclass
class Graph:
    """Nodes (entity id -> caption) and edges, with lookups both ways."""

    nodes: dict[str, str] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    _out: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    _in: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))

    def add_node(self, entity_id: str, caption: str) -> None:
        self.nodes.setdefault(entity_id, caption)

    def add_edge(self, edge: Edge) -> None:
        if edge.source == edge.target:
            return
        self.edges.append(edge)
        self._out[edge.source].append(edge)
        self._in[edge.target].append(edge)
        self.nodes.setdefault(edge.source, edge.source)
        self.nodes.setdefault(edge.target, edge.target)

    def outgoing(self, entity_id: str) -> list[Edge]:
        return self._out.get(entity_id, [])

    def incoming(self, entity_id: str) -> list[Edge]:
        return self._in.get(entity_id, [])

    def neighbours(self, entity_id: str) -> list[tuple[Edge, str]]:
        """Edges touching an entity, either way, with the entity at the other end."""
        return [(e, e.target) for e in self.outgoing(entity_id)] + [
            (e, e.source) for e in self.incoming(entity_id)
        ]
