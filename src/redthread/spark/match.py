"""``redthread match --engine spark``: batch screening on Spark, one row per query and
candidate, the same rows the local engine writes to CSV.

The list index is built (or read) once on the driver and broadcast; each Python worker
unpickles it once and screens its partitions with the functions of the local engine
(:func:`redthread.match.batch.record_query`, ``json_line_query``, ``screen_row``), so
both engines give the same answers. A row that cannot be screened gets its row with
the error, and goes, with its input, to the errors output too; it never fails the job.

Output (a folder): ``results/`` (Parquet: query_id, error, list, list_version,
list_entity_id, caption, schema, score, match, explanation), ``errors/`` (Parquet:
query_id, error, record) and ``run.json`` (counts, list versions, settings, run id).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redthread.match.batch import (
    BatchInputError,
    QueryRow,
    json_line_query,
    record_query,
    screen_row,
)
from redthread.match.index import DEFAULT_ALGORITHM, MatchIndex
from redthread.spark.output import staged_output
from redthread.store import Store

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

#: The result columns: those of the local engine's CSV output, typed.
RESULT_DDL = (
    "query_id string, error string, list string, list_version long, list_entity_id string, "
    "caption string, schema string, score double, match boolean, explanation string"
)
RESULT_COLUMNS = [part.split()[0] for part in RESULT_DDL.split(", ")]
#: What the workers return: the results, the input row's number, and its input for errors.
_MAPPED_DDL = RESULT_DDL + ", _number long, _record string"
_MAPPED_COLUMNS = [*RESULT_COLUMNS, "_number", "_record"]
#: Input columns a table row may have.
FIELDS = ("id", "name", "schema", "country", "birth_date", "identifier")
_CORRUPT = "_corrupt"
#: Queries per partition (at least two partitions per core).
ROWS_PER_PART = 20_000


def input_format(path: str) -> str:
    """csv, jsonl or parquet: by the path's extension, or for a folder its files'."""
    suffixes = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}
    suffixes[".parquet"] = "parquet"
    local = Path(path)
    if "://" not in path and local.is_dir():
        found = {
            suffixes[f.suffix.lower()]
            for f in local.rglob("*")
            if f.is_file() and f.suffix.lower() in suffixes and not f.name.startswith((".", "_"))
        }
        if len(found) == 1:
            return found.pop()
        raise BatchInputError(f"{path}: a folder of .csv, .jsonl or .parquet files, one kind")
    suffix = Path(path.rstrip("/")).suffix.lower()
    if suffix in suffixes:
        return suffixes[suffix]
    raise BatchInputError(f"{path}: use a .csv, .jsonl or .parquet input")


def read_queries(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    """The input as rows numbered from 1 in file order (``_number``, the query id of a
    row without one, as the local engine numbers them): for JSON lines, the line
    (``_line``); for CSV, its cells as strings, and ``_corrupt`` set on a row that does
    not have as many cells as the header; for Parquet, its columns."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    if fmt == "jsonl":
        frame = spark.read.text(path).withColumnRenamed("value", "_line")
    elif fmt == "csv":
        header = spark.read.option("header", True).csv(path).columns
        columns = [c.lstrip("\ufeff").strip() for c in header]
        if "name" not in columns:
            raise BatchInputError(
                f"the input needs a 'name' column (found: {', '.join(columns) or 'nothing'})"
            )
        schema = StructType(
            [StructField(c, StringType()) for c in columns] + [StructField(_CORRUPT, StringType())]
        )
        frame = (
            spark.read.schema(schema)
            .option("header", True)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", _CORRUPT)
            .option("multiLine", True)
            .csv(path)
        )
    else:
        frame = spark.read.parquet(path)
        if "name" not in frame.columns:
            found = ", ".join(frame.columns) or "nothing"
            raise BatchInputError(f"the input needs a 'name' column (found: {found})")
        frame = frame.select(*[c for c in FIELDS if c in frame.columns])
    frame, total = _numbered(frame)
    if fmt == "jsonl":  # blank lines are skipped, as the local engine does, but counted
        frame = frame.where(F.trim(F.col("_line")) != "")
    # spread over the executors (a CSV file is read as one partition, its quoted cells
    # may hold line breaks), keeping the input order
    parts = max(spark.sparkContext.defaultParallelism * 2, math.ceil(total / ROWS_PER_PART))
    return frame.repartitionByRange(parts, "_number").sortWithinPartitions("_number")


def _numbered(frame: DataFrame) -> tuple[DataFrame, int]:
    """``frame`` with ``_number``: each row's position in it, from 1, computed in the JVM
    (monotonically_increasing_id puts the partition in the upper bits; a count per
    partition gives each partition's offset)."""
    from pyspark.sql import functions as F

    frame = frame.withColumn("_mid", F.monotonically_increasing_id())
    part = F.shiftright(F.col("_mid"), 33)
    counts = sorted(
        (row["p"], row["count"]) for row in frame.groupBy(part.alias("p")).count().collect()
    )
    if not counts:
        return frame.withColumn("_number", F.lit(0).cast("long")).drop("_mid"), 0
    offsets: list[Any] = []
    total = 0
    for partition, count in counts:
        offsets += [F.lit(partition), F.lit(total)]
        total += count
    position = F.col("_mid") - F.shiftleft(part, 33)
    number = F.create_map(*offsets)[part] + position + 1
    return frame.withColumn("_number", number.cast("long")).drop("_mid"), total


def _plain(value: Any) -> Any:
    """A cell as the local engine sees it: arrays as lists, missing values as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def query_row(record: dict[str, Any], fmt: str) -> tuple[QueryRow, str]:
    """One input row's query (made by the local engine's functions) and its input text."""
    number = int(record["_number"])
    if fmt == "jsonl":
        line = str(record["_line"])
        return json_line_query(number, line), line
    corrupt = _plain(record.get(_CORRUPT))
    data = {k: _plain(v) for k, v in record.items() if k in FIELDS}
    if fmt == "csv":  # Spark reads an empty cell as null; the csv module as ""
        data = {k: "" if v is None else v for k, v in data.items()}
    raw = corrupt if corrupt is not None else json.dumps(data, ensure_ascii=False, default=str)
    return record_query(number, data, complete=corrupt is None), raw


def screen_records(
    index: MatchIndex, records: list[dict[str, Any]], fmt: str, options: dict[str, Any]
) -> list[list[Any]]:
    """The output rows of some input rows: one per candidate, or one with the error."""
    rows: list[list[Any]] = []
    for record in records:
        number = int(record["_number"])
        try:
            row, raw = query_row(record, fmt)
            candidates, error = screen_row(index, row, **options)
        except Exception as exc:  # a row no one foresaw: it is reported, the job goes on
            row, raw = QueryRow(str(number), None), json.dumps(record, default=str)
            candidates, error = [], f"cannot screen this row: {exc.__class__.__name__}: {exc}"
        if not candidates:
            rows.append([row.query_id, error, *([None] * 8), number, raw if error else None])
        for c in candidates:
            rows.append(
                [
                    row.query_id,
                    None,
                    c.list,
                    c.list_version,
                    c.list_entity_id,
                    c.caption,
                    c.schema,
                    c.score,
                    c.match,
                    c.explanation,
                    number,
                    None,
                ]
            )
    return rows


def _screener(
    index: Broadcast[MatchIndex], fmt: str, options: dict[str, Any]
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The function each partition runs (in a Python worker)."""

    def screen_frames(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        loaded = index.value  # unpickled once per worker process, then cached
        for frame in frames:
            rows = screen_records(loaded, frame.to_dict("records"), fmt, options)
            yield pd.DataFrame(rows, columns=_MAPPED_COLUMNS).astype(
                {"list_version": "Int64", "match": "boolean", "_number": "int64"}
            )

    return screen_frames


@dataclass(frozen=True)
class SparkMatchSummary:
    """Counts of a Spark screening run."""

    queries: int
    errors: int
    matched: int
    rows: int


SUMMARY_FIELDS = ("queries", "errors", "matched", "rows")


def spark_match(
    spark: SparkSession,
    index: MatchIndex,
    input_path: str,
    output_dir: str,
    *,
    threshold: float,
    limit: int = 5,
    lists: list[str] | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
) -> SparkMatchSummary:
    """Screen every query of ``input_path`` (CSV, JSON lines or Parquet; a file or a
    folder) into ``output_dir``: ``results/`` and ``errors/``. A local output is written
    beside its place and moved there when complete, so a failed job leaves no
    half-written output (and the previous output, if any, untouched)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    fmt = input_format(input_path)
    queries = read_queries(spark, input_path, fmt)
    options = {"threshold": threshold, "limit": limit, "lists": lists, "algorithm": algorithm}
    shared = spark.sparkContext.broadcast(index)
    mapped = queries.mapInPandas(_screener(shared, fmt, options), _MAPPED_DDL)
    mapped = mapped.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        with staged_output(output_dir) as (write_to, staging):
            mapped.select(*RESULT_COLUMNS).write.mode("overwrite").parquet(f"{write_to}/results")
            errors = mapped.where(F.col("error").isNotNull())
            errors.select("query_id", "error", F.col("_record").alias("record")).write.mode(
                "overwrite"
            ).parquet(f"{write_to}/errors")
            counts = mapped.agg(
                F.countDistinct("_number").alias("queries"),
                F.countDistinct(F.when(F.col("error").isNotNull(), F.col("_number"))).alias(
                    "errors"
                ),
                F.countDistinct(F.when(F.col("match"), F.col("_number"))).alias("matched"),
                F.count(F.lit(1)).alias("rows"),
            ).first()
            summary = SparkMatchSummary(
                **{k: int(counts[k] or 0) if counts else 0 for k in SUMMARY_FIELDS}
            )
            if staging is not None:
                (staging / "run.json").write_text(json.dumps(asdict(summary), indent=2) + "\n")
    finally:
        mapped.unpersist()
        shared.unpersist()
    return summary


def add_run_record(output_dir: str, record: dict[str, Any]) -> None:
    """Add the recorded run (list versions, settings, run id) to a local output's run.json."""
    if "://" in output_dir:
        return
    path = Path(output_dir) / "run.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data.update(record)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def screen_on_spark(
    store: Store,
    data_dir: Path,
    input_path: str,
    output_dir: str,
    *,
    master: str | None,
    threshold: float,
    limit: int = 5,
    lists: list[str] | None = None,
    algorithm: str = DEFAULT_ALGORITHM,
) -> tuple[int, SparkMatchSummary]:
    """Screen a file on Spark against the active lists and record the run (list versions,
    algorithm, settings, engine): the Spark twin of ``screen_file``. Returns (run id, counts)."""
    from redthread.match.screen import active_versions, load_index, record_run
    from redthread.spark.session import spark_session

    versions = active_versions(store, lists)
    index = load_index(store, data_dir, versions)
    with spark_session(master, "redthread match") as spark:
        used = spark.sparkContext.master
        summary = spark_match(
            spark,
            index,
            input_path,
            output_dir,
            threshold=threshold,
            limit=limit,
            lists=lists,
            algorithm=algorithm,
        )
    run_id = record_run(
        store,
        versions,
        threshold,
        limit,
        lists,
        summary.queries,
        f"file: {input_path}",
        algorithm,
        engine={"engine": "spark", "master": used},
    )
    add_run_record(
        output_dir,
        {
            "run": run_id,
            "input": input_path,
            "algorithm": algorithm,
            "threshold": threshold,
            "limit": limit,
            "master": used,
            "lists": [
                {"name": v.name, "version": v.id, "published": v.published, "sha256": v.sha256}
                for v in versions
            ],
        },
    )
    return run_id, summary
