"""Screening at scale: a 100,000-query batch against OFAC, and a list of 1,000,000 names.

Names are generated (seeded) from the given and family names of yente's benchmark
files and the words of OFAC's organisation names, so that no two queries are the
same string and caches do not flatter the figures.

1. Batch: 100,000 generated parties (people and companies) screened against the full
   2024-05-03 OFAC list through ``screen_batch`` into a CSV, with one process and with
   one per CPU (target: at most 40 s on the 2-core reference machine).
2. Scale: a list of 1,000,000 generated names is indexed (targets: at most 60 s, within
   4 GB) and queried (target: at least 500 queries per second on one core).

    .venv/bin/python -m bench.scale_bench [--batch N] [--list-size N]
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import random
import resource
import time
from collections.abc import Iterator
from pathlib import Path

from redthread.lists import read_list
from redthread.match import native
from redthread.match.batch import QueryRow, ResultWriter, screen_batch
from redthread.match.index import ListedParty, MatchIndex, Query, keep_for_the_process

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
YENTE = SHARED / "matching" / "yente"
OFAC = SHARED / "sanctions" / "ofac-2024-05-03" / "sdn.csv"
LEGAL = ["LLC", "LTD", "JSC", "GMBH", "CO., LTD.", "S.A.", "OOO", "INC"]


def vocabulary(ofac_index: MatchIndex) -> tuple[list[str], list[str], list[str]]:
    given: set[str] = set()
    family: set[str] = set()
    for name in (
        "negatives_global_small.csv",
        "negatives_us_small.csv",
        "positives_us_congress_untreated.csv",
    ):
        with (YENTE / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                given.update(w for w in (row.get("first_name") or "").split() if w.isalpha())
                family.update(w for w in (row.get("last_name") or "").split() if w.isalpha())
    words = {
        word
        for party in ofac_index.parties
        if party.schema in ("Company", "Organization")
        for word in party.names[0].split()
        if word.isalpha() and len(word) > 3
    }
    return sorted(given), sorted(family), sorted(words)


def generated_names(
    vocab: tuple[list[str], list[str], list[str]], seed: int
) -> Iterator[tuple[str, str]]:
    """(schema, name), endlessly: three people for each company."""
    given, family, words = vocab
    rng = random.Random(seed)
    while True:
        if rng.random() < 0.75:
            parts = [rng.choice(given)]
            if rng.random() < 0.3:
                parts.append(rng.choice(given))
            parts.append(rng.choice(family))
            yield "Person", " ".join(parts)
        else:
            count = rng.choice((1, 2, 2, 3))
            yield "Company", " ".join([*rng.sample(words, count), rng.choice(LEGAL)])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batch(ofac_index: MatchIndex, vocab: tuple[list[str], list[str], list[str]], size: int) -> None:
    for seed, workers in enumerate(sorted({1, os.cpu_count() or 1}), start=10):
        # other names for each run: forked workers inherit the caches of earlier runs
        names = generated_names(vocab, seed=seed)
        rows = [
            QueryRow(f"q{n}", Query(name, schema))
            for n, (schema, name) in enumerate(itertools.islice(names, size))
        ]
        out = io.StringIO()
        started = time.perf_counter()
        summary = screen_batch(
            ofac_index,
            iter(rows),
            ResultWriter(out, "csv"),
            threshold=0.7,
            limit=5,
            workers=workers,
        )
        elapsed = time.perf_counter() - started
        print(
            f"batch of {summary.queries:,} generated parties against OFAC, {workers} "
            f"process(es): {elapsed:.1f} s, {summary.queries / elapsed:,.0f} queries/s, "
            f"{summary.matched} with a match (target: 100,000 in at most 40 s)"
        )


def scale(vocab: tuple[list[str], list[str], list[str]], size: int) -> None:
    names = generated_names(vocab, seed=2)
    before = peak_rss_mb()
    started = time.perf_counter()
    parties = [
        ListedParty(
            "big", 1, str(n), f"big-{n}", name, schema, (name,), frozenset(), (), frozenset()
        )
        for n, (schema, name) in enumerate(itertools.islice(names, size))
    ]
    index = MatchIndex.build(parties)
    elapsed = time.perf_counter() - started
    print(
        f"list of {size:,} generated names: indexed in {elapsed:.1f} s (target 60 s), "
        f"peak memory +{peak_rss_mb() - before:,.0f} MB (target 4,096 MB)"
    )
    queries = [
        Query(name, schema) for schema, name in itertools.islice(generated_names(vocab, 3), 2000)
    ]
    keep_for_the_process()  # as the server and a batch do with the index they screen against
    started = time.process_time()
    for query in queries:
        index.search(query, threshold=0.7, limit=5)
    elapsed = time.process_time() - started
    print(f"  {len(queries) / elapsed:,.0f} queries per second on one core (target 500)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100_000, help="queries in the batch")
    parser.add_argument("--list-size", type=int, default=1_000_000, help="names in the list")
    args = parser.parse_args()
    print(f"matching engine: {native.status()}")
    parsed = read_list([OFAC], name="ofac")
    ofac_index = MatchIndex.from_entities(parsed.entities, "ofac", 1)
    vocab = vocabulary(ofac_index)
    if args.batch:
        batch(ofac_index, vocab, args.batch)
    if args.list_size:
        scale(vocab, args.list_size)


if __name__ == "__main__":
    main()
