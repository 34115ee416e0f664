"""A case as the web pages show it: the findings of its last investigation (findings.json,
kept in the store), looked up by entity and by document, and searched by name."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redthread.match.names import compare_names
from redthread.review import name_key
from redthread.store import Store

#: A case entity whose name scores this much against a search is found.
SEARCH_FLOOR = 0.7
#: The schemata names are compared as (others: as organisations).
PERSON = "Person"


@dataclass
class CaseView:
    """One investigated case: its findings, indexed for the pages."""

    name: str
    investigated_at: datetime
    findings: dict[str, Any]
    # indexes of the findings, by id
    entities: dict[str, dict[str, Any]] = field(init=False)
    others: dict[str, dict[str, Any]] = field(init=False)
    documents: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.entities = {e["id"]: e for e in self.findings["entities"]}
        self.others = {o["id"]: o for o in self.findings["other_nodes"]}
        self.documents = {d["id"]: d for d in self.findings["documents"]}

    def caption(self, node: str) -> str:
        if node in self.entities:
            return str(self.entities[node]["names"][0])
        if node in self.others:
            return str(self.others[node]["caption"])
        return node

    def level(self, node: str) -> str:
        found = self.entities.get(node) or self.others.get(node)
        return str(found["exposure"]["level"]) if found else "none"

    def edges(self) -> list[dict[str, Any]]:
        """Every edge of the case's graph: the documents' relations and the other links."""
        relations = [r for r in self.findings["relations"] if r["type"] != "Address"]
        return relations + list(self.findings.get("links", []))

    def relations_of(self, node: str) -> list[dict[str, Any]]:
        return [e for e in self.edges() if node in (e["source"], e["target"])]

    def relations_in(self, document_id: str) -> list[dict[str, Any]]:
        """The relations a document states (those with a sentence of it)."""
        return [
            r
            for r in self.findings["relations"]
            if any(e["document"] == document_id for e in r["evidence"])
        ]

    def mentions_in(self, document_id: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of each mention in a document, in order, without overlaps."""
        spans = sorted(
            (m["start"], -m["end"], entity_id)
            for entity_id, entity in self.entities.items()
            for m in entity["mentions"]
            if m["document"] == document_id
        )
        kept: list[tuple[int, int, str]] = []
        for start, negative_end, entity_id in spans:
            if kept and start < kept[-1][1]:
                continue
            kept.append((start, -negative_end, entity_id))
        return kept

    def documents_of(self, node: str) -> list[dict[str, Any]]:
        entity = self.entities.get(node)
        if entity is None:
            return []
        ids = dict.fromkeys(m["document"] for m in entity["mentions"])
        return [self.documents[i] for i in ids if i in self.documents]

    def timeline_of(self, node: str) -> list[dict[str, Any]]:
        return [item for item in self.findings["timeline"] if node in item["entities"]]

    def merges_of(self, node: str) -> list[dict[str, Any]]:
        return [m for m in self.findings["merges"] if m["entity"] == node]

    def search(self, query: str) -> list[tuple[float, dict[str, Any]]]:
        """Case entities whose names are like ``query`` (any script, typos tolerated),
        best first: (score, entity)."""
        key = name_key(query)
        found: list[tuple[float, dict[str, Any]]] = []
        for entity in self.entities.values():
            best = 0.0
            for name in entity["names"]:
                if key and key in name_key(name):
                    best = 1.0
                    break
                schema = PERSON if entity["schema"] == PERSON else "Organization"
                if entity["schema"] in ("Address", "Project", "Country"):
                    schema = "LegalEntity"
                best = max(best, search_score(query, name, schema))
            if best >= SEARCH_FLOOR:
                found.append((best, entity))
        found.sort(key=lambda item: (-item[0], item[1]["names"][0]))
        return found

    def neighbourhood(self, node: str) -> dict[str, Any]:
        """A node, its neighbours and the edges between them, as the graph explorer
        draws them (Cytoscape's elements)."""
        edges = self.relations_of(node)
        nodes = dict.fromkeys([node, *(e["source"] for e in edges), *(e["target"] for e in edges)])
        return {
            "nodes": [self.node_data(n) for n in nodes],
            "edges": [
                {
                    "id": e["id"],
                    "source": e["source"],
                    "target": e["target"],
                    "type": e["type"],
                    "role": e.get("role") or "",
                    "stance": e.get("stance") or "asserted",
                }
                for e in edges
            ],
        }

    def node_data(self, node: str) -> dict[str, Any]:
        entity = self.entities.get(node)
        level = self.level(node)
        return {
            "id": node,
            "label": self.caption(node),
            "schema": entity["schema"] if entity else "LegalEntity",
            "level": level,
            "sanctioned": level == "sanctioned",
            "in_case": entity is not None,
        }


def search_score(query: str, name: str, schema: str) -> float:
    """How well a name answers a search: the name matcher's score, or the share of the
    query's words the name has (a search may give a part of a name: 'Kupol')."""
    comparison = compare_names(query, name, schema)
    words = len(comparison.pairs) + len(comparison.unmatched_query)
    coverage = sum(p.similarity for p in comparison.pairs) / words if words else 0.0
    return max(comparison.score, coverage)


class CaseCache:
    """The investigated cases' views, read again when a case is investigated again."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._views: dict[str, CaseView] = {}

    def cases(self) -> dict[str, datetime]:
        """Each investigated case and when it was last investigated."""
        return self.store.investigated_cases()

    def get(self, case: str) -> CaseView | None:
        latest = self.cases().get(case)
        if latest is None:
            return None
        with self._lock:
            view = self._views.get(case)
            if view is not None and view.investigated_at == latest:
                return view
        found = self.store.latest_findings(case)
        if found is None:
            return None
        view = CaseView(case, found[0], found[1])
        with self._lock:
            self._views[case] = view
        return view

    def all(self) -> list[CaseView]:
        return [v for case in sorted(self.cases()) if (v := self.get(case)) is not None]
