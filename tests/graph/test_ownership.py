"""OFAC's 50 percent rule, on the examples of OFAC's own guidance (FAQ 398-401)."""

from __future__ import annotations

from redthread.graph.model import Edge, Graph
from redthread.graph.ownership import BLOCKED, POSSIBLY_BLOCKED, apply_fifty_percent_rule


def graph(*edges: tuple[str, str, float | None] | tuple[str, str, float | None, str]) -> Graph:
    g = Graph()
    for number, spec in enumerate(edges):
        owner, asset, percentage = spec[:3]
        stance = spec[3] if len(spec) > 3 else "asserted"  # type: ignore[misc]
        g.add_edge(
            Edge(f"e{number}", "Ownership", owner, asset, stance=stance, percentage=percentage)
        )
    return g


def test_one_blocked_owner_of_half_blocks() -> None:
    findings = apply_fifty_percent_rule(graph(("A", "X", 50.0)), {"A"})
    assert findings["X"].status == BLOCKED and findings["X"].share == 50.0


def test_stakes_of_blocked_owners_add_up() -> None:
    # FAQ 399: A 25% + B 25% of X -> X is blocked
    findings = apply_fifty_percent_rule(graph(("A", "X", 25.0), ("B", "X", 25.0)), {"A", "B"})
    assert findings["X"].status == BLOCKED and findings["X"].share == 50.0
    # a stake of an owner that is not blocked does not count
    assert "X" not in apply_fifty_percent_rule(graph(("A", "X", 25.0), ("C", "X", 30.0)), {"A"})


def test_indirect_ownership_is_not_multiplied_along_the_chain() -> None:
    # FAQ 400: A owns 50% of B, B owns 50% of C: B is blocked, so C is (not 25%)
    findings = apply_fifty_percent_rule(graph(("A", "B", 50.0), ("B", "C", 50.0)), {"A"})
    assert findings["B"].status == BLOCKED
    assert findings["C"].status == BLOCKED and findings["C"].share == 50.0
    assert [e.source for e in findings["C"].chains[0]] == ["A"]  # how B is blocked


def test_blocked_by_ownership_adds_to_a_listed_owner() -> None:
    # A (listed) owns 60% of B; B owns 30% and A 20% of C: 30 + 20 = 50 -> C blocked
    g = graph(("A", "B", 60.0), ("B", "C", 30.0), ("A", "C", 20.0))
    findings = apply_fifty_percent_rule(g, {"A"})
    assert findings["C"].status == BLOCKED and findings["C"].share == 50.0


def test_below_half_is_not_blocked_even_along_long_chains() -> None:
    g = graph(("A", "B", 49.0), ("B", "C", 100.0))
    assert apply_fifty_percent_rule(g, {"A"}) == {}


def test_no_percentage_means_possibly_blocked_share_unknown() -> None:
    findings = apply_fifty_percent_rule(graph(("A", "X", None), ("A", "Y", 30.0)), {"A"})
    assert findings["X"].status == POSSIBLY_BLOCKED
    assert "Y" not in findings  # 30% of a known share is simply below the rule


def test_denied_and_unconfirmed_links_never_count() -> None:
    g = graph(("A", "X", 60.0, "denied"), ("A", "Y", 60.0, "unconfirmed"))
    assert apply_fifty_percent_rule(g, {"A"}) == {}


def test_an_owner_stated_twice_counts_once() -> None:
    findings = apply_fifty_percent_rule(graph(("A", "X", 30.0), ("A", "X", 30.0)), {"A"})
    assert "X" not in findings


def test_control_alone_does_not_block() -> None:
    g = Graph()
    g.add_edge(Edge("c", "Control", "A", "X"))
    assert apply_fifty_percent_rule(g, {"A"}) == {}
