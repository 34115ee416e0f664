"""findings.json: the investigation's results for other tools (see docs/findings.md)."""

from __future__ import annotations

from typing import Any

from redthread.graph.exposure import Path
from redthread.graph.model import Edge
from redthread.investigate import Findings
from redthread.store import Store

FORMAT_VERSION = "1"


def save_findings(store: Store, findings: Findings) -> int:
    """Keep the findings in the store, where the web app reads them; returns their id."""
    with store.transaction() as writer:
        return writer.add_findings(findings.case, findings_dict(findings))


def findings_dict(findings: Findings) -> dict[str, Any]:
    """The findings as JSON-ready data; entity ids are stable across runs on one input."""
    evidence_text = {
        e.id: {"document": e.document_id, "start": e.start, "end": e.end, "text": e.text}
        for r in findings.relations
        for e in r.evidence
    }
    entities = []
    for entity in findings.entities:
        exposure = findings.exposure.get(entity.id)
        ownership = findings.ownership.get(entity.id)
        entities.append(
            {
                "id": entity.id,
                "schema": entity.schema,
                "names": entity.names,
                "identifiers": entity.identifiers,
                **({"unnamed": True, "description": entity.description} if entity.unnamed else {}),
                "mentions": [
                    {"document": document, "start": m.start, "end": m.end}
                    for document, m in entity.mentions
                ],
                "sanctions": [
                    {
                        "list": c.list,
                        "list_version": c.list_version,
                        "list_entity_id": c.list_entity_id,
                        "entity_id": c.entity_id,
                        "caption": c.caption,
                        "schema": c.schema,
                        "score": c.score,
                        "match": c.match,
                        "explanation": c.explanation,
                        "review": c.review,
                    }
                    for c in findings.sanctions.get(entity.id, [])
                ],
                "exposure": {
                    "level": exposure.level if exposure else "none",
                    "paths": [_path(p, evidence_text) for p in exposure.paths] if exposure else [],
                    "contested_paths": (
                        [_path(p, evidence_text) for p in exposure.contested] if exposure else []
                    ),
                },
                "ownership": (
                    {
                        "status": ownership.status,
                        "share": ownership.share,
                        "edges": [_edge(e, evidence_text) for e in ownership.edges],
                        "chain": [
                            [_edge(e, evidence_text) for e in chain] for chain in ownership.chains
                        ],
                    }
                    if ownership
                    else None
                ),
            }
        )
    entity_ids = {e.id for e in findings.entities}
    relation_ids = {r.id for r in findings.relations}
    others = []
    for node, caption in sorted(findings.graph.nodes.items()):
        if node in entity_ids:
            continue
        level = findings.exposure[node].level if node in findings.exposure else "none"
        ownership = findings.ownership.get(node)
        others.append(
            {
                "id": node,
                "caption": caption,
                # a list's own entry (reached through the list's links), or a party of
                # the ownership table
                "listed": level == "sanctioned",
                "exposure": {"level": level},
                "ownership": (
                    {"status": ownership.status, "share": ownership.share} if ownership else None
                ),
            }
        )
    return {
        "format": FORMAT_VERSION,
        "case": findings.case,
        "threshold": findings.threshold,
        "lists": [
            {
                "name": v.name,
                "version": v.id,
                "published": v.published.isoformat() if v.published else None,
                "sha256": v.sha256,
            }
            for v in findings.lists
        ],
        "documents": [
            {
                "id": d.id,
                "source": d.source,
                "title": d.title,
                "published": d.published.isoformat() if d.published else None,
                "language": d.language,
            }
            for d in findings.documents
        ],
        "not_processed": [{"source": o.source, "reason": o.reason} for o in findings.ingest.failed],
        "not_extracted": [
            {"document": d.id, "source": d.source, "reason": reason}
            for d, reason in findings.not_extracted
        ],
        "entities": entities,
        "other_nodes": others,
        "relations": [r.to_dict() for r in findings.relations],
        # the graph's other edges: the lists' own links, the ownership table's rows
        "links": [
            _edge(edge, evidence_text)
            for edge in findings.graph.edges
            if edge.id not in relation_ids
        ],
        "timeline": findings.timeline,
        "merges": [
            {"entity": m.entity, "members": list(m.members), "reason": m.reason, "score": m.score}
            for m in findings.merges
        ],
    }


def _edge(edge: Edge, evidence: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": edge.id,
        "type": edge.type,
        "source": edge.source,
        "target": edge.target,
        "role": edge.role,
        "stance": edge.stance,
        "percentage": edge.percentage,
        "evidence": [evidence[s] for s in edge.sources if s in evidence],
        "sources": [s for s in edge.sources if s not in evidence],
    }


def _path(path: Path, evidence: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "hops": path.hops,
        "to": path.to,
        "via": path.via,
        "edges": [_edge(e, evidence) for e in path.edges],
    }
