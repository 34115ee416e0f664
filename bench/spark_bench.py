"""Screening on Spark: generated query names against the full OFAC list (2024-05-03).

The same queries (generated as in scale_bench, seeded) are screened three ways, in one
run on one machine:

1. the local engine (``screen_batch``, one process per CPU), from a CSV file;
2. ``spark_match`` on ``local[1]``, from a Parquet file;
3. ``spark_match`` on ``local[2]``, from the same Parquet file.

It prints the throughput of each, Spark's ratio to the local engine, and the scaling
from local[1] to local[2]; and checks that the engines found the same number of result
rows and matches. Figures include Spark's start (a JVM) and the index broadcast.

    .venv/bin/python -m bench.spark_bench [--queries N] [--no-local1]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.scale_bench import OFAC, generated_names, vocabulary
from redthread.lists import read_list
from redthread.match.batch import ResultWriter, read_queries, screen_batch
from redthread.match.index import MatchIndex
from redthread.spark import spark_session
from redthread.spark.match import spark_match


def write_queries(index: MatchIndex, count: int, folder: Path) -> tuple[Path, Path]:
    rows = [
        (f"q{n}", name, schema)
        for n, (schema, name) in enumerate(
            itertools.islice(generated_names(vocabulary(index), seed=21), count)
        )
    ]
    frame = pd.DataFrame(rows, columns=["id", "name", "schema"])
    csv_path, parquet_path = folder / "queries.csv", folder / "queries.parquet"
    frame.to_csv(csv_path, index=False)
    frame.to_parquet(parquet_path)
    return csv_path, parquet_path


def local_engine(index: MatchIndex, csv_path: Path, folder: Path) -> tuple[float, int, int]:
    started = time.perf_counter()
    with (
        csv_path.open(encoding="utf-8", newline="") as source,
        (folder / "local.csv").open("w", encoding="utf-8", newline="") as out,
    ):
        summary = screen_batch(
            index,
            read_queries(source, "csv"),
            ResultWriter(out, "csv"),
            threshold=0.7,
            limit=5,
            workers=os.cpu_count() or 1,
        )
    elapsed = time.perf_counter() - started
    with (folder / "local.csv").open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    return elapsed, rows, summary.matched


def spark_engine(
    index: MatchIndex, parquet_path: Path, folder: Path, master: str
) -> tuple[float, int, int]:
    started = time.perf_counter()
    with spark_session(master, "redthread spark bench") as spark:
        summary = spark_match(
            spark, index, str(parquet_path), str(folder / f"spark-{master}"), threshold=0.7
        )
    return time.perf_counter() - started, summary.rows, summary.matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1_000_000, help="generated queries")
    parser.add_argument(
        "--no-local1", action="store_true", help="skip local[1] (no scaling figure)"
    )
    args = parser.parse_args()
    index = MatchIndex.from_entities(read_list([OFAC], name="ofac").entities, "ofac", 1)
    with tempfile.TemporaryDirectory(prefix="redthread-spark-bench-") as tmp:
        folder = Path(tmp)
        csv_path, parquet_path = write_queries(index, args.queries, folder)
        n = args.queries
        local_s, local_rows, local_matched = local_engine(index, csv_path, folder)
        print(
            f"local engine, {os.cpu_count()} processes: {n:,} queries in {local_s:.1f} s, "
            f"{n / local_s:,.0f} queries/s ({local_rows:,} rows, {local_matched:,} matched)"
        )
        timings: dict[str, float] = {}
        for master in ([] if args.no_local1 else ["local[1]"]) + ["local[2]"]:
            seconds, rows, matched = spark_engine(index, parquet_path, folder, master)
            timings[master] = seconds
            agree = (
                "the same as"
                if (rows, matched) == (local_rows, local_matched)
                else "NOT the same as"
            )
            print(
                f"spark {master}: {n:,} queries in {seconds:.1f} s, {n / seconds:,.0f} "
                f"queries/s, {local_s / seconds:.2f}x the local engine's throughput "
                f"({rows:,} rows, {matched:,} matched: {agree} the local engine)"
            )
        if "local[1]" in timings:
            print(
                f"scaling local[1] -> local[2]: {timings['local[1]'] / timings['local[2]']:.2f}x "
                "(2.00x would be perfect)"
            )


if __name__ == "__main__":
    main()
