"""The investigation's files: findings.json, report.html, case.ftm.json, graph.graphml
and graph.gexf (Gephi opens both). Each is written whole to a temporary file and then
moved into place, so that an interrupted run never leaves half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx
from followthemoney.statement import StatementEntity

from redthread.extract.ftm import EDGES
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
    lines: list[str] = []

    def emit(entity: StatementEntity) -> None:
        lines.append(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True))

    for document in findings.documents:
        doc = StatementEntity(dataset, {"schema": "Document", "id": f"doc-{document.id}"})
        doc.add("title", document.title or document.source.rsplit("/", 1)[-1])
        doc.add("fileName", document.source.rsplit("/", 1)[-1])
        if document.published:
            doc.add("publishedAt", document.published.isoformat())
        emit(doc)
    kept: set[str] = set()
    for case_entity in findings.entities:
        entity = StatementEntity(dataset, {"schema": case_entity.schema, "id": case_entity.id})
        if case_entity.schema == "Address":
            entity.add("full", case_entity.caption)
        else:
            entity.add("name", case_entity.names[0])
            entity.add("alias", case_entity.names[1:])
            for prop, values in case_entity.identifiers.items():
                entity.add(prop, values, quiet=True)
        emit(entity)
        kept.add(case_entity.id)
        for document_id in sorted({d for d, _ in case_entity.mentions}):
            link = StatementEntity(
                dataset,
                {
                    "schema": "Documentation",
                    "id": f"docu-{document_id[:16]}-{case_entity.id[:16]}",
                },
            )
            link.add("document", f"doc-{document_id}")
            link.add("entity", case_entity.id)
            emit(link)
    for relation in findings.relations:
        props = EDGES.get(relation.type)
        if props is None or relation.source not in kept or relation.target not in kept:
            continue
        edge = StatementEntity(dataset, {"schema": relation.type, "id": relation.id})
        edge.add(props[0], relation.source)
        edge.add(props[1], relation.target)
        if "role" in edge.schema.properties:
            edge.add("role", relation.role)
        if "status" in edge.schema.properties:
            edge.add("status", relation.stance.value)
        else:
            edge.add("summary", f"stance: {relation.stance.value}")
        if relation.type == "Ownership" and "percentage" in relation.details:
            edge.add("percentage", relation.details["percentage"])
        if relation.type == "Payment":
            edge.add("amount", relation.details.get("amount"), quiet=True)
            edge.add("currency", relation.details.get("currency"), quiet=True)
        emit(edge)
    return "".join(line + "\n" for line in lines)
