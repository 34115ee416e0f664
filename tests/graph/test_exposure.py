"""Exposure levels and paths; denied links never carry exposure."""

from __future__ import annotations

from redthread.graph.exposure import FEW_HOPS, NONE, ONE_HOP, OWNED, SANCTIONED, exposure
from redthread.graph.model import Edge, Graph
from redthread.graph.ownership import apply_fifty_percent_rule


def build() -> Graph:
    g = Graph()
    for node in "SABCDEFG":
        g.add_node(node, node)
    g.add_edge(Edge("own", "Ownership", "S", "A", percentage=60.0))
    g.add_edge(Edge("rep", "Representation", "B", "S", role="intermediary"))
    g.add_edge(Edge("link", "UnknownLink", "C", "B", role="collaborated with"))
    g.add_edge(Edge("emp", "Employment", "D", "C"))
    g.add_edge(Edge("far", "UnknownLink", "E", "D"))
    g.add_edge(Edge("denied", "UnknownLink", "F", "S", stance="denied"))
    g.add_edge(Edge("ctl", "Control", "S", "G"))
    return g


def test_levels() -> None:
    g = build()
    result = exposure(g, {"S"}, apply_fifty_percent_rule(g, {"S"}), max_hops=3)
    assert {n: result[n].level for n in "SABCDEFG"} == {
        "S": SANCTIONED,
        "A": OWNED,
        "B": ONE_HOP,
        "C": FEW_HOPS,
        "D": FEW_HOPS,
        "E": NONE,  # four hops away: beyond max_hops
        "F": NONE,  # only a denied link
        "G": OWNED,  # controlled by a sanctioned party
    }


def test_paths_carry_their_links() -> None:
    g = build()
    result = exposure(g, {"S"}, {}, max_hops=3)
    (path,) = result["D"].paths
    assert path.to == "S" and path.hops == 3
    assert path.via == ["C", "B", "S"]
    assert [e.id for e in path.edges] == ["emp", "link", "rep"]


def test_a_denied_link_is_shown_apart_and_never_used() -> None:
    g = build()
    result = exposure(g, {"S"}, {}, max_hops=3)
    assert result["F"].paths == []
    (contested,) = result["F"].contested
    assert [e.stance for e in contested.edges] == ["denied"]


def test_max_hops_is_configurable() -> None:
    g = build()
    assert exposure(g, {"S"}, {}, max_hops=4)["E"].level == FEW_HOPS
    assert exposure(g, {"S"}, {}, max_hops=1)["C"].level == NONE


def test_large_cases_give_each_entity_the_path_to_the_nearest_sanctioned_party() -> None:
    g = build()
    few = exposure(g, {"S"}, apply_fifty_percent_rule(g, {"S"}), max_hops=3, all_paths=False)
    full = exposure(g, {"S"}, apply_fifty_percent_rule(g, {"S"}), max_hops=3, all_paths=True)
    assert {n: few[n].level for n in "SABCDEFG"} == {n: full[n].level for n in "SABCDEFG"}
    (path,) = few["D"].paths
    assert path.to == "S" and path.via == ["C", "B", "S"]
    assert [e.id for e in path.edges] == ["emp", "link", "rep"]
