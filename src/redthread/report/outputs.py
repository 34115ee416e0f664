"""The investigation's files: findings.json, report.html, case.ftm.json, graph.graphml
and graph.gexf (Gephi opens both). Each is written whole to a temporary file and then
moved into place, so that an interrupted run never leaves half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx
from followthemoney.statement import StatementEntity

from redthread.extract.ftm import add_document, add_edge, add_party
from redthread.ingest.parties import case_dataset, make_dataset
from redthread.investigate import Findings
from redthread.report.findings import findings_dict
from redthread.report.html import render_report


def write_outputs(findings: Findings, out: Path) -> list[Path]:
    """Write every output file into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    data = findings_dict(findings)
    written = [
        _write(out / "findings.json", json.dumps(data, ensure_ascii=False, indent=1)),
        _write(out / "report.html", render_report(findings, data)),
        _write(out / "case.ftm.json", _ftm_lines(findings)),
    ]
    graph = _networkx(findings)
    for name, writer in (("graph.graphml", nx.write_graphml), ("graph.gexf", nx.write_gexf)):
        tmp = out / f".{name}.tmp"
        writer(graph, tmp)
        os.replace(tmp, out / name)
        written.append(out / name)
    return written


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _networkx(findings: Findings) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(name=findings.case)
    entities = {e.id: e for e in findings.entities}
    for node, caption in findings.graph.nodes.items():
        entity = entities.get(node)
        exposure = findings.exposure.get(node)
        graph.add_node(
            node,
            label=caption,
            schema=entity.schema if entity else "LegalEntity",
            exposure=exposure.level if exposure else "none",
            sanctioned=bool(exposure and exposure.level == "sanctioned"),
        )
    for edge in findings.graph.edges:
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.id,
            type=edge.type,
            role=edge.role,
            stance=edge.stance,
            percentage=edge.percentage if edge.percentage is not None else -1.0,
        )
    return graph


def _ftm_lines(findings: Findings) -> str:
    """The case as FtM entities: the parties (merged across documents), the documents,
    and the links with their stance in ``status``."""
    dataset = make_dataset(case_dataset(findings.case))
    made: dict[str, StatementEntity] = {}

    def make(schema: str, entity_id: str) -> StatementEntity:
        if entity_id not in made:
            made[entity_id] = StatementEntity(dataset, {"schema": schema, "id": entity_id})
        return made[entity_id]

    for document in findings.documents:
        add_document(make, document)
    for case_entity in findings.entities:
        party = add_party(
            make, case_entity.id, case_entity.schema, case_entity.names, case_entity.identifiers
        )
        if case_entity.unnamed:
            party.add("description", case_entity.description)
        for document_id in sorted({d for d, _ in case_entity.mentions}):
            link = make("Documentation", f"docu-{document_id[:16]}-{case_entity.id[:16]}")
            link.add("document", f"doc-{document_id}")
            link.add("entity", case_entity.id)
    for relation in findings.relations:
        if relation.source in made and relation.target in made:
            add_edge(make, relation)
    return "".join(
        json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for e in made.values()
    )
