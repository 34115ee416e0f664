"""Exposure: how close each entity stands to sanctioned parties, and by which links.

For every entity, the shortest paths (up to ``max_hops``) to each sanctioned entity
over asserted links only, and the exposure level:

1. ``sanctioned``: the entity matches a list entry;
2. ``owned or controlled by a sanctioned party``: an asserted ownership or control
   link from a sanctioned party, or blocked under the 50% rule;
3. ``linked within 1 hop``: any other asserted link to a sanctioned party;
4. ``linked within 2-3 hops`` (up to ``max_hops``);
5. ``none``.

A denied or unconfirmed link never carries exposure. Where a sanctioned party is
reachable only through such links, the path is reported apart (``contested``), with
the stance of each link, so that a reviewer sees it and knows it is not used.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from redthread.graph.model import CONTROL, OWNERSHIP, Edge, Graph
from redthread.graph.ownership import BLOCKED, OwnershipFinding

SANCTIONED = "sanctioned"
OWNED = "owned or controlled by a sanctioned party"
ONE_HOP = "linked within 1 hop"
FEW_HOPS = "linked within 2-3 hops"
NONE = "none"
LEVELS = (SANCTIONED, OWNED, ONE_HOP, FEW_HOPS, NONE)


@dataclass
class Path:
    """From an entity to a sanctioned one: the entities passed and the links taken."""

    to: str
    via: list[str]  # entity ids after the start, the last one being ``to``
    edges: list[Edge]

    @property
    def hops(self) -> int:
        return len(self.edges)


@dataclass
class Exposure:
    level: str
    paths: list[Path] = field(default_factory=list)
    contested: list[Path] = field(default_factory=list)


def exposure(
    graph: Graph,
    sanctioned: set[str],
    ownership: dict[str, OwnershipFinding],
    max_hops: int = 3,
) -> dict[str, Exposure]:
    """The exposure of every entity of the graph (and of every sanctioned one)."""
    result: dict[str, Exposure] = {}
    for entity in sorted(set(graph.nodes) | sanctioned):
        paths = _shortest_paths(graph, entity, sanctioned, max_hops, usable_only=True)
        reached = {p.to for p in paths}
        contested = [
            p
            for p in _shortest_paths(graph, entity, sanctioned, max_hops, usable_only=False)
            if p.to not in reached
        ]
        result[entity] = Exposure(
            _level(graph, entity, sanctioned, ownership, paths), paths, contested
        )
    return result


def _level(
    graph: Graph,
    entity: str,
    sanctioned: set[str],
    ownership: dict[str, OwnershipFinding],
    paths: list[Path],
) -> str:
    if entity in sanctioned:
        return SANCTIONED
    finding = ownership.get(entity)
    if finding is not None and finding.status == BLOCKED:
        return OWNED
    if any(
        e.usable and e.type in (OWNERSHIP, CONTROL) and e.source in sanctioned
        for e in graph.incoming(entity)
    ):
        return OWNED
    if any(p.hops == 1 for p in paths):
        return ONE_HOP
    if paths:
        return FEW_HOPS
    return NONE


def _shortest_paths(
    graph: Graph, start: str, targets: set[str], max_hops: int, usable_only: bool
) -> list[Path]:
    """Breadth first: one shortest path to each reachable target (ties: the first found,
    in a stable order, so that runs agree)."""
    parents: dict[str, tuple[str, Edge] | None] = {start: None}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    found: list[Path] = []
    while queue:
        node, depth = queue.popleft()
        if node in targets and node != start:
            found.append(_path(node, parents))
            continue  # a path runs to the first sanctioned party, not through it
        if depth == max_hops:
            continue
        for edge, other in sorted(graph.neighbours(node), key=lambda x: (x[1], x[0].id)):
            if usable_only and not edge.usable:
                continue
            if other not in parents:
                parents[other] = (node, edge)
                queue.append((other, depth + 1))
    return found


def _path(end: str, parents: dict[str, tuple[str, Edge] | None]) -> Path:
    via: list[str] = []
    edges: list[Edge] = []
    node = end
    while parents[node] is not None:
        previous, edge = parents[node]  # type: ignore[misc]
        via.append(node)
        edges.append(edge)
        node = previous
    return Path(end, list(reversed(via)), list(reversed(edges)))
