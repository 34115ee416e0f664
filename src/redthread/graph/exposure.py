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


#: Up to this many nodes, each entity gets its path to every sanctioned party in reach;
#: beyond, the path to the nearest one (one breadth-first search from all sanctioned
#: parties at once), and per-entity paths on demand (``paths_from``).
ALL_PATHS_UP_TO = 5_000


def exposure(
    graph: Graph,
    sanctioned: set[str],
    ownership: dict[str, OwnershipFinding],
    max_hops: int = 3,
    all_paths: bool | None = None,
) -> dict[str, Exposure]:
    """The exposure of every entity of the graph (and of every sanctioned one)."""
    entities = sorted(set(graph.nodes) | sanctioned)
    if all_paths is None:
        all_paths = len(entities) <= ALL_PATHS_UP_TO
    result: dict[str, Exposure] = {}
    if all_paths:
        for entity in entities:
            paths, contested = paths_from(graph, entity, sanctioned, max_hops)
            level = _level(graph, entity, sanctioned, ownership, paths)
            result[entity] = Exposure(level, paths, contested)
        return result
    nearest = _nearest_paths(graph, sanctioned, max_hops)
    for entity in entities:
        paths = [nearest[entity]] if entity in nearest else []
        result[entity] = Exposure(_level(graph, entity, sanctioned, ownership, paths), paths)
    return result


def paths_from(
    graph: Graph, entity: str, sanctioned: set[str], max_hops: int = 3
) -> tuple[list[Path], list[Path]]:
    """One entity's shortest asserted path to each sanctioned party in reach, and the
    paths to those reachable only through denied or unconfirmed links."""
    paths = _shortest_paths(graph, entity, sanctioned, max_hops, usable_only=True)
    reached = {p.to for p in paths}
    contested = [
        p
        for p in _shortest_paths(graph, entity, sanctioned, max_hops, usable_only=False)
        if p.to not in reached
    ]
    return paths, contested


def _nearest_paths(graph: Graph, sanctioned: set[str], max_hops: int) -> dict[str, Path]:
    """For every entity within ``max_hops`` of a sanctioned party, the path to the nearest
    one over asserted links: one breadth-first search from all of them at once."""
    step: dict[str, tuple[str, Edge]] = {}  # entity -> (next entity towards it, link)
    depth = {node: 0 for node in sanctioned}
    frontier = sorted(sanctioned)
    for hop in range(1, max_hops + 1):
        following: list[str] = []
        for node in frontier:
            for edge, other in sorted(graph.neighbours(node), key=lambda x: (x[1], x[0].id)):
                if edge.usable and other not in depth:
                    depth[other] = hop
                    step[other] = (node, edge)
                    following.append(other)
        frontier = following
    nearest: dict[str, Path] = {}
    for entity in step:
        via: list[str] = []
        edges: list[Edge] = []
        node = entity
        while node in step:
            node, edge = step[node]
            via.append(node)
            edges.append(edge)
        nearest[entity] = Path(node, via, edges)
    return nearest


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
