"""`redthread investigate`: documents and lists in, findings a reviewer can act on out.

1. ingest and extract the documents (reusing what is stored);
2. resolve each party across documents (merges recorded with their reasons; a merge a
   reviewer dismissed is not made again);
3. screen every person and organisation against the lists (a reviewer's decision on a
   party and a list entry stands while the entry is unchanged: redthread.review);
4. build the graph from the case's relations, the lists' own links (OFAC "Linked
   To:") and an ownership table the user supplies;
5. exposure: shortest asserted paths to sanctioned parties, and OFAC's 50% rule;
6. a timeline of dated facts;
7. write findings.json, report.html, case.ftm.json, graph.graphml and graph.gexf.

The stage function is :func:`investigate`; the command line only parses and prints.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redthread.extract.gazetteer import Gazetteer
from redthread.extract.run import extract_documents
from redthread.graph.exposure import Exposure, exposure
from redthread.graph.model import Edge, Graph
from redthread.graph.ownership import OwnershipFinding, apply_fifty_percent_rule
from redthread.ingest import Ingester, IngestOutcome, IngestSummary, ReadOptions, iter_inputs
from redthread.ingest.dates import first_date
from redthread.match.index import Candidate, MatchIndex
from redthread.model import Document, Evidence, ListLink, ListVersion, Stance
from redthread.model.extraction import Attribution, Extraction, Mention, Relation
from redthread.model.ids import stable_id
from redthread.rescreen import case_source, record_screening, screen_parties
from redthread.resolve import PARTY_SCHEMATA, CaseEntity, MergeDecision, resolve_entities
from redthread.review import ReviewBook
from redthread.store import Store

#: Told how far the investigation is: (stage, done, total).
Progress = Callable[[str, int, int], None]


class InvestigationError(Exception):
    """The investigation cannot run; the message says why."""


@dataclass
class Findings:
    """Everything an investigation found, ready to be written."""

    case: str
    lists: list[ListVersion]
    documents: list[Document]
    entities: list[CaseEntity]
    relations: list[Relation]  # source and target are case entity ids
    merges: list[MergeDecision]
    ingest: IngestSummary = field(default_factory=IngestSummary)
    not_extracted: list[tuple[Document, str]] = field(default_factory=list)
    threshold: float = 0.7
    # what the assessment finds (filled in by _assess)
    sanctions: dict[str, list[Candidate]] = field(default_factory=dict)
    exposure: dict[str, Exposure] = field(default_factory=dict)
    ownership: dict[str, OwnershipFinding] = field(default_factory=dict)
    graph: Graph = field(default_factory=Graph)
    timeline: list[dict[str, Any]] = field(default_factory=list)


def investigate(
    store: Store,
    paths: Iterable[str],
    *,
    case: str,
    model_name: str,
    index: MatchIndex | None,
    lists: list[ListVersion],
    threshold: float,
    max_hops: int = 3,
    ownership_table: Path | None = None,
    list_links: Iterable[ListLink] = (),
    read_options: ReadOptions | None = None,
    max_chars: int = 2_000_000,
    workers: int = 1,
    progress: Progress | None = None,
) -> Findings:
    """Run the investigation of ``paths`` in ``case``; see the module docstring.

    ``index`` holds the list parties to screen against; ``list_links`` the lists' own
    links as (list entity id, list entity id, role)."""
    report = progress or (lambda _stage, _done, _total: None)
    ingester = Ingester.for_model(store, model_name, case, read_options or ReadOptions())
    inputs = list(iter_inputs(paths))
    read = iter(range(1, len(inputs) + 1))
    report("reading", 0, len(inputs))
    summary = ingester.ingest_inputs(
        inputs, progress=lambda _source: report("reading", next(read, len(inputs)), len(inputs))
    )
    ids = [o.document_id for o in summary.outcomes if o.status != "failed" and o.document_id]
    documents = [d for i in dict.fromkeys(ids) if (d := store.get_document(i)) is not None]
    gazetteer = Gazetteer(index.names()) if index else None
    extractions: list[Extraction] = []
    not_extracted: list[tuple[Document, str]] = []
    outcomes = extract_documents(store, documents, model_name, case, max_chars, gazetteer, workers)
    report("extracting", 0, len(documents))
    for done, outcome in enumerate(outcomes, 1):
        report("extracting", done, len(documents))
        if outcome.extraction is None:
            not_extracted.append((outcome.document, outcome.reason or "not extracted"))
        else:
            extractions.append(outcome.extraction)
    report("screening and building the graph", 0, 1)
    review = ReviewBook.load(store, lists)
    entities, mapping, merges = resolve_entities(extractions, case, review.apart)
    relations = _case_relations(extractions, mapping)
    table = read_ownership_table(ownership_table, entities) if ownership_table else []
    return _assess(
        store,
        Findings(
            case=case,
            lists=lists,
            documents=documents,
            entities=entities,
            relations=relations,
            merges=merges,
            ingest=summary,
            not_extracted=not_extracted,
            threshold=threshold,
        ),
        index,
        review,
        list_links,
        table,
        max_hops,
    )


def _assess(
    store: Store,
    findings: Findings,
    index: MatchIndex | None,
    review: ReviewBook,
    list_links: Iterable[ListLink],
    table: list[Edge],
    max_hops: int,
    record: bool = True,
) -> Findings:
    """Screen the case's parties (the run recorded, unless ``record`` is false: a caller
    that recorded it), build the graph, and find exposure, ownership and the timeline:
    the part of an investigation after extraction."""
    entities, lists, threshold = findings.entities, findings.lists, findings.threshold
    sanctions = screen_parties(entities, index, threshold, review) if index is not None else {}
    if index is not None and record:
        parties = [e for e in entities if e.schema in PARTY_SCHEMATA]
        record_screening(store, lists, threshold, case_source(findings.case), parties, sanctions)
    graph, sanctioned = _graph(entities, findings.relations, sanctions, list_links, table)
    findings.sanctions = sanctions
    findings.graph = graph
    findings.ownership = apply_fifty_percent_rule(graph, sanctioned)
    findings.exposure = exposure(graph, sanctioned, findings.ownership, max_hops)
    timeline = _timeline(findings.documents, findings.relations, entities)
    timeline += listing_dates(store, lists, sanctions)
    timeline.sort(key=lambda i: (i["date"], i["text"]))
    findings.timeline = timeline
    return findings


def reassess(
    store: Store,
    case: str,
    *,
    index: MatchIndex | None,
    lists: list[ListVersion],
    threshold: float,
    max_hops: int = 3,
    list_links: Iterable[ListLink] = (),
    record: bool = True,
) -> Findings:
    """The case's last investigation assessed again without reading or extracting
    anything: its parties screened against the lists as they are now, with the
    reviewers' decisions on matches as they are now; graph, exposure, ownership and
    timeline rebuilt. (A merge undone since needs a new investigation: parties are
    kept as they were resolved.) ``record``: record the screening as a run."""
    latest = store.latest_findings(case)
    if latest is None:
        raise InvestigationError(
            f"case {case!r} was never investigated: run redthread investigate first"
        )
    data = latest[1]
    documents = [d for item in data["documents"] if (d := store.get_document(item["id"]))]
    known = {d.id: d for d in documents}
    entities = [_case_entity(item) for item in data["entities"]]
    relations = [_relation(item) for item in data["relations"]]
    table = [_edge(item) for item in data.get("links", []) if "list" not in item["sources"]]
    summary = IngestSummary(
        [IngestOutcome(i["source"], "failed", reason=i["reason"]) for i in data["not_processed"]]
    )
    findings = Findings(
        case=case,
        lists=lists,
        documents=documents,
        entities=entities,
        relations=relations,
        merges=[
            MergeDecision(m["entity"], tuple(m["members"]), m["reason"], m["score"])
            for m in data["merges"]
        ],
        ingest=summary,
        not_extracted=[
            (known[i["document"]], i["reason"])
            for i in data["not_extracted"]
            if i["document"] in known
        ],
        threshold=threshold,
    )
    review = ReviewBook.load(store, lists)
    return _assess(store, findings, index, review, list_links, table, max_hops, record)


def _case_entity(item: dict[str, Any]) -> CaseEntity:
    entity = CaseEntity(item["id"], item["schema"], list(item["names"]), [])
    entity.identifiers = {k: list(v) for k, v in item.get("identifiers", {}).items()}
    entity.unnamed = bool(item.get("unnamed"))
    entity.description = item.get("description", "")
    entity.mentions = [
        (m["document"], Mention(m["start"], m["end"], "", "")) for m in item["mentions"]
    ]
    return entity


def _relation(item: dict[str, Any]) -> Relation:
    attributed = item.get("attributed_to")
    return Relation(
        item["id"],
        item["type"],
        item["role"],
        item["source"],
        item["target"],
        [Evidence(e["document"], e["start"], e["end"], e["text"]) for e in item["evidence"]],
        Stance(item["stance"]),
        Attribution(attributed["text"], attributed.get("entity")) if attributed else None,
        dict(item.get("details") or {}),
    )


def _edge(item: dict[str, Any]) -> Edge:
    return Edge(
        item["id"],
        item["type"],
        item["source"],
        item["target"],
        item.get("role") or "",
        item.get("stance") or "asserted",
        item.get("percentage"),
        tuple(item.get("sources", [])),
    )


def _case_relations(extractions: list[Extraction], mapping: dict[str, str]) -> list[Relation]:
    """The documents' relations between case entities; one relation stated in several
    documents keeps each document's evidence."""
    merged: dict[tuple[str, str, str, str], Relation] = {}
    for extraction in extractions:
        for relation in extraction.relations:
            source, target = mapping[relation.source], mapping[relation.target]
            key = (relation.type, source, target, relation.stance.value)
            known = merged.get(key)
            if known is None:
                relation_id = stable_id("case-relation", *key)
                merged[key] = Relation(
                    relation_id,
                    relation.type,
                    relation.role,
                    source,
                    target,
                    list(relation.evidence),
                    relation.stance,
                    relation.attributed_to,
                    dict(relation.details),
                )
            else:
                known.absorb(relation)
    return list(merged.values())


def list_node(candidate_list: str, list_entity_id: str) -> str:
    """A list entity's id in findings: '<list>-<its own id>' ('ofac-46431')."""
    return f"{candidate_list}-{list_entity_id}"


def _graph(
    entities: list[CaseEntity],
    relations: list[Relation],
    sanctions: dict[str, list[Candidate]],
    list_links: Iterable[ListLink],
    table: list[Edge],
) -> tuple[Graph, set[str]]:
    graph = Graph()
    for entity in entities:
        if entity.schema != "Address":
            graph.add_node(entity.id, entity.caption)
    for relation in relations:
        if relation.type == "Address":
            continue
        percentage = relation.details.get("percentage")
        graph.add_edge(
            Edge(
                relation.id,
                relation.type,
                relation.source,
                relation.target,
                relation.role,
                relation.stance.value,
                float(percentage) if percentage else None,
                tuple(e.id for e in relation.evidence),
            )
        )
    sanctioned = {entity_id for entity_id, cs in sanctions.items() if any(c.match for c in cs)}
    # a matched list entry is the case entity itself; other list entries are their own nodes
    matched = {c.entity_id: entity_id for entity_id, cs in sanctions.items() for c in cs if c.match}
    for number, link in enumerate(list_links):
        if link.source not in matched and link.target not in matched:
            continue  # only links of parties in this case
        captions = dict(link.captions)
        ends = [matched.get(x, x) for x in (link.source, link.target)]
        for original, end in zip((link.source, link.target), ends, strict=True):
            if end == original:
                graph.add_node(end, captions.get(end, end))
                if end in link.listed:
                    sanctioned.add(end)
        edge_id = stable_id("list-link", link.source, link.target, link.role, str(number))
        graph.add_edge(
            Edge(
                edge_id,
                link.type,
                ends[0],
                ends[1],
                link.role,
                percentage=link.percentage,
                sources=("list",),
            )
        )
    for edge in table:  # the ownership table's rows
        graph.add_node(edge.source, edge.source)
        graph.add_node(edge.target, edge.target)
        graph.add_edge(edge)
    return graph, sanctioned


def read_ownership_table(path: Path, entities: list[CaseEntity]) -> list[Edge]:
    """Ownership rows (owner, asset, percentage, source) as edges; names are matched to the
    case's parties (any of their names, case and spacing ignored)."""
    by_name = {" ".join(n.lower().split()): e.id for e in entities for n in e.names}
    edges: list[Edge] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvestigationError(f"cannot read the ownership table {path}: {exc}") from exc
    rows = list(csv.DictReader(text.splitlines()))
    missing = {"owner", "asset"} - set(rows[0] if rows else {})
    if missing:
        raise InvestigationError(
            f"{path}: the ownership table needs the columns owner, asset, percentage, source "
            f"(missing: {', '.join(sorted(missing))})"
        )
    for line, row in enumerate(rows, start=2):
        owner, asset = (row.get("owner") or "").strip(), (row.get("asset") or "").strip()
        if not owner or not asset:
            raise InvestigationError(f"{path} line {line}: owner and asset are required")
        raw = (row.get("percentage") or "").strip().rstrip("%")
        try:
            percentage = float(raw) if raw else None
        except ValueError as exc:
            raise InvestigationError(
                f"{path} line {line}: percentage {raw!r} is not a number"
            ) from exc
        source_id = by_name.get(" ".join(owner.lower().split()), owner)
        target_id = by_name.get(" ".join(asset.lower().split()), asset)
        edge_id = stable_id("ownership-table", source_id, target_id, str(line))
        edges.append(
            Edge(
                edge_id,
                "Ownership",
                source_id,
                target_id,
                "owner",
                "asserted",
                percentage,
                (f"table: {row.get('source') or path.name}",),
            )
        )
    return edges


def listing_dates(
    store: Store, lists: list[ListVersion], sanctions: dict[str, list[Candidate]]
) -> list[dict[str, Any]]:
    """The dates the lists give for the designations of the case's matched parties
    (a Sanction's listingDate or startDate: OpenSanctions' data; OFAC's "Listing Date"
    remarks), as timeline items citing the list version."""
    by_version = {v.id: v for v in lists}
    wanted: dict[int, dict[str, list[str]]] = {}
    captions: dict[str, str] = {}
    for party, candidates in sanctions.items():
        for c in candidates:
            if c.match and c.list_version in by_version:
                wanted.setdefault(c.list_version, {}).setdefault(c.entity_id, []).append(party)
                captions[c.entity_id] = c.caption
    items: list[dict[str, Any]] = []
    for version_id, parties in wanted.items():
        version = by_version[version_id]
        for listed_id, records in store.list_sanctions(version, list(parties)).items():
            for record in records:
                programs = ", ".join(record.get("program")) or ", ".join(record.get("authority"))
                for prop, verb in (("listingDate", "listed"), ("startDate", "in effect")):
                    for value in record.get(prop):
                        items.append(
                            {
                                "date": value[:10],
                                "text": f"{version.name}: {captions[listed_id]} ({listed_id}) "
                                f"{verb}" + (f" ({programs})" if programs else ""),
                                "entities": parties[listed_id],
                                "evidence": [],
                                "source": f"{version.name} version {version.id}",
                            }
                        )
    return items


def _timeline(
    documents: list[Document], relations: list[Relation], entities: list[CaseEntity]
) -> list[dict[str, Any]]:
    """Dated facts: each document's date, and each relation whose sentence gives a date."""
    items: list[dict[str, Any]] = []
    for document in documents:
        if document.published:
            items.append(
                {
                    "date": document.published.isoformat(),
                    "text": f"published: {document.title or document.source}",
                    "entities": [],
                    "evidence": [{"document": document.id, "start": 0, "end": 0, "text": ""}],
                }
            )
    for relation in relations:
        for evidence in relation.evidence:
            date = first_date(evidence.text)
            if date is None:
                continue
            items.append(
                {
                    "date": date,
                    "text": evidence.text,
                    "entities": [relation.source, relation.target],
                    "evidence": [
                        {
                            "document": evidence.document_id,
                            "start": evidence.start,
                            "end": evidence.end,
                            "text": evidence.text,
                        }
                    ],
                }
            )
    unique = {(i["date"], i["text"]): i for i in items}
    return sorted(unique.values(), key=lambda i: (i["date"], i["text"]))
