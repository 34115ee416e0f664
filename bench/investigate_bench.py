"""Investigation speed: the seed case end to end, and exposure on a large generated case.

1. The seed article investigated in a fresh process (``redthread investigate``), model
   load and the persisted OFAC index included (target: at most 10 s).
2. 1,000 news-length documents ingested and extracted (target: 5 per second).
3. A generated case of 100,000 entities and 500,000 relations (a tenth of them
   ownership with a percentage, 1% of the entities sanctioned): exposure paths for one
   entity (95th percentile over 1,000 entities; target 100 ms), and exposure plus the
   50% rule for the whole case (target 30 s).

    .venv/bin/python -m bench.investigate_bench [--entities N] [--relations N]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from redthread.graph.exposure import exposure, paths_from
from redthread.graph.model import Edge, Graph
from redthread.graph.ownership import apply_fifty_percent_rule

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed-article.txt"
TYPES = ("UnknownLink", "Representation", "Employment", "Directorship", "Payment")


def seed_case() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "redthread", "--data-dir", tmp]
        subprocess.run([*base, "lists", "load", "--bundled"], check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run(
            [*base, "investigate", str(SEED), "--out", str(Path(tmp) / "out")],
            check=True,
            capture_output=True,
        )
        elapsed = time.perf_counter() - started
    print(f"seed article investigated in a fresh process: {elapsed:.1f} s (target 10 s)")


def generated(entities: int, relations: int) -> tuple[Graph, set[str]]:
    rng = random.Random(7)
    graph = Graph()
    ids = [f"e{i}" for i in range(entities)]
    for node in ids:
        graph.add_node(node, node)
    for number in range(relations):
        source, target = rng.sample(ids, 2)
        if number % 10 == 0:
            graph.add_edge(
                Edge(
                    f"r{number}",
                    "Ownership",
                    source,
                    target,
                    percentage=rng.choice((10, 25, 50, 60, 100)),
                )
            )
        else:
            stance = "denied" if number % 50 == 0 else "asserted"
            graph.add_edge(Edge(f"r{number}", rng.choice(TYPES), source, target, stance=stance))
    sanctioned = set(rng.sample(ids, entities // 100))
    return graph, sanctioned


def large_case(entities: int, relations: int) -> None:
    graph, sanctioned = generated(entities, relations)
    rng = random.Random(8)
    sample = rng.sample(sorted(graph.nodes), 1000)
    timings = []
    for node in sample:
        started = time.perf_counter()
        paths_from(graph, node, sanctioned, 3)  # what a party's page shows
        timings.append(time.perf_counter() - started)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)] * 1000
    print(
        f"generated case of {entities:,} entities and {relations:,} relations: exposure paths "
        f"of one entity {p95:.0f} ms at the 95th percentile (target 100 ms)"
    )
    started = time.perf_counter()
    ownership = apply_fifty_percent_rule(graph, sanctioned)
    rule = time.perf_counter() - started
    started = time.perf_counter()
    exposure(graph, sanctioned, ownership, 3)
    whole = time.perf_counter() - started
    print(
        f"  50% rule for the whole case {rule:.1f} s, exposure for every entity {whole:.1f} s "
        f"(target: both within 30 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--no-seed", action="store_true", help="skip the seed case")
    parser.add_argument("--documents", type=int, default=1000, help="corpus size (0: skip)")
    args = parser.parse_args()
    if not args.no_seed:
        seed_case()
    large_case(args.entities, args.relations)
    if args.documents:
        corpus(args.documents)


def corpus(documents: int) -> None:
    """Ingest and extraction of news-length documents (the annotated reports, varied so
    that each is new), one process, into a fresh SQLite store."""
    from redthread.config import DEFAULT_SPACY_MODEL
    from redthread.extract.run import extract_documents
    from redthread.ingest import Ingester, ReadOptions
    from redthread.store import Store

    folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "extraction"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for number in range(documents):
            # about 800 words: five annotated reports, in an order of their own
            body = "\n\n".join(texts[(number + k * 3) % len(texts)] for k in range(5))
            (docs / f"report-{number:04}.txt").write_text(f"Report {number}\n\n{body}")
        tokens = sum(len(p.read_text().split()) for p in docs.iterdir())
        with Store.open(f"sqlite:///{tmp}/rt.db") as store:
            started = time.perf_counter()
            ingester = Ingester.for_model(store, DEFAULT_SPACY_MODEL, "bench", ReadOptions())
            summary = ingester.ingest_paths([str(docs)])
            stored = [d for d in store.documents("bench")]
            workers = os.cpu_count() or 1
            for _ in extract_documents(
                store, stored, DEFAULT_SPACY_MODEL, "bench", workers=workers
            ):
                pass
            elapsed = time.perf_counter() - started
    print(
        f"{documents:,} news-length documents ({tokens / documents:,.0f} words each) ingested "
        f"and extracted: {elapsed:.0f} s, {documents / elapsed:.1f} documents/s with "
        f"{os.cpu_count()} processes (target 5/s on the 2-core machine); "
        f"{summary.counts()['ingested']} ingested"
    )


if __name__ == "__main__":
    main()
