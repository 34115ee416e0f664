"""``redthread extract --engine spark``: documents read and extracted on Spark executors,
with the functions of the local pipeline; the output is Parquet, put into a store with
``redthread load DIR``.

Input: files and folders (read by Spark's binaryFile source, each file by the local
readers: HTML, PDF, email with its attachments...), or a Parquet table of texts
(column ``text``; optional ``id``, ``source``, ``title``, ``published``).

Output (a folder), one Parquet table each, every row with its ``document_id``:

- ``documents/``: id, source, media_type, title, published, language, status, note,
  meta (JSON), text;
- ``statements/``: the FtM statements (the extraction's, and those the file states as
  data: email parties, mapped table rows);
- ``evidence/``: each relation's sentence (start, end, text) and the ids of the
  statements it supports;
- ``claims/``: stance and attribution per relation and sentence;
- ``errors/``: source, document_id, error (a file that cannot be read, a document whose
  extraction failed): the job goes on;
- ``run.json``: the counts, the case, the model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from redthread.extract.ftm import extraction_records
from redthread.extract.gazetteer import Gazetteer
from redthread.extract.pipeline import TooLong, extract_text
from redthread.ingest.dates import first_date
from redthread.ingest.language import detect_language, model_language
from redthread.ingest.parties import case_dataset
from redthread.ingest.readers import EMPTY_FILE, ReadOptions, too_big_message
from redthread.ingest.run import document_status, read_documents
from redthread.ingest.tables import make_mapping
from redthread.model import Document, DocumentStatus, sha256_hex
from redthread.spark.output import staged_output

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

#: The tables of the output, and their columns.
TABLES: dict[str, str] = {
    "documents": (
        "document_id string, source string, media_type string, title string, "
        "published string, language string, status string, note string, meta string, "
        "text string"
    ),
    "statements": (
        "document_id string, id string, entity_id string, canonical_id string, prop string, "
        "schema string, value string, dataset string, lang string, original_value string, "
        "first_seen string, last_seen string, external boolean, origin string"
    ),
    "evidence": (
        "document_id string, id string, start long, end long, text string, "
        "statement_ids array<string>"
    ),
    "claims": (
        "document_id string, id string, entity_id string, evidence_id string, start long, "
        "end long, text string, stance string, attributed_to string"
    ),
    "errors": "document_id string, source string, error string",
}
#: What the workers return: one record of one table per row.
_RECORD_DDL = "table string, document_id string, payload string"

Record = tuple[str, str | None, str]


@dataclass(frozen=True)
class ExtractJob:
    """What every executor needs to extract, shipped with the task."""

    model: str
    dataset: str
    max_chars: int
    options: ReadOptions
    language: str
    #: a followthemoney mapping's query for the rows of tables (made on each executor)
    mapping: dict[str, Any] | None = None

    def read_options(self) -> ReadOptions:
        """The reading options, with the mapping made here (once per process)."""
        if self.mapping is None:
            return self.options
        key = json.dumps([self.dataset, self.mapping], sort_keys=True, default=str)
        made = _MAPPINGS.get(key)
        if made is None:
            made = _MAPPINGS[key] = make_mapping(self.mapping, self.dataset)
        return replace(self.options, mapping=made)


#: Mappings made in this process, by their query.
_MAPPINGS: dict[str, Any] = {}


def _record(table: str, document_id: str | None, **payload: Any) -> Record:
    payload["document_id"] = document_id
    return table, document_id, json.dumps(payload, ensure_ascii=False, default=str)


def document_records(
    document: Document,
    statements: list[Any],
    job: ExtractJob,
    gazetteer: Gazetteer | None,
) -> list[Record]:
    """A document's output records: the document, its statements, evidence and claims;
    its extraction, unless it is not to be extracted (its note says why)."""
    records: list[Record] = []
    if document.status is DocumentStatus.PENDING:
        try:
            extraction = extract_text(
                document.text, document.id, job.model, job.max_chars, gazetteer
            )
        except TooLong as exc:
            document = replace(document, status=DocumentStatus.NOT_EXTRACTED, note=str(exc))
        except Exception as exc:  # the document is kept, pending; the job goes on
            records.append(
                _record(
                    "errors",
                    document.id,
                    source=document.source,
                    error=f"extraction failed: {exc.__class__.__name__}: {exc}",
                )
            )
        else:
            out = extraction_records(extraction, document, job.dataset)
            statements = [*statements, *out.statements]
            document = replace(document, status=DocumentStatus.EXTRACTED)
            for evidence, statement_ids in out.evidence:
                records.append(
                    _record(
                        "evidence",
                        document.id,
                        id=evidence.id,
                        start=evidence.start,
                        end=evidence.end,
                        text=evidence.text,
                        statement_ids=statement_ids,
                    )
                )
            for claim in out.claims:
                records.append(
                    _record(
                        "claims",
                        document.id,
                        id=claim.id,
                        entity_id=claim.entity_id,
                        evidence_id=claim.evidence.id,
                        start=claim.evidence.start,
                        end=claim.evidence.end,
                        text=claim.evidence.text,
                        stance=claim.stance.value,
                        attributed_to=claim.attributed_to,
                    )
                )
    records.extend(_record("statements", document.id, **s.to_dict()) for s in statements)
    records.append(
        _record(
            "documents",
            document.id,
            source=document.source,
            media_type=document.media_type,
            title=document.title,
            published=document.published.isoformat() if document.published else None,
            language=document.language,
            status=document.status.value,
            note=document.note,
            meta=json.dumps(document.meta, ensure_ascii=False, default=str),
            text=document.text,
        )
    )
    return records


def file_records(
    path: str, content: bytes, job: ExtractJob, gazetteer: Gazetteer | None
) -> list[Record]:
    """The records of one file: its documents (attachments included), or why it failed."""
    records: list[Record] = []
    for read in read_documents(path, content, job.read_options(), job.language):
        if read.document is None:
            records.append(
                _record("errors", read.document_id, source=read.source, error=read.reason)
            )
        else:
            records.extend(document_records(read.document, list(read.statements()), job, gazetteer))
    return records


def text_records(row: dict[str, Any], job: ExtractJob, gazetteer: Gazetteer | None) -> list[Record]:
    """The records of one row of a table of texts."""
    text = row.get("text")
    if not isinstance(text, str):
        source = str(row.get("source") or row.get("id") or "a row")
        return [_record("errors", None, source=source, error="the row has no text")]
    given = row.get("id")
    source = str(row.get("source") or given or "table of texts")
    detected = detect_language(text)
    status, note = document_status(text, detected, job.language)
    published = row.get("published")
    document = Document(
        id=sha256_hex(text.encode("utf-8")),
        source=source,
        media_type="text/plain",
        text=text,
        title=str(row["title"]) if row.get("title") else None,
        published=_date(published),
        language=detected,
        meta={"id": str(given)} if given else {},
        status=status,
        note=note,
    )
    return document_records(document, [], job, gazetteer)


def _local(path: str) -> str:
    """A file's name as the local pipeline writes it: file:/data/a.txt is /data/a.txt."""
    if path.startswith("file:///"):
        return path.removeprefix("file://")
    return path.removeprefix("file:")


def _date(value: Any) -> date | None:
    """A table's date cell (a date, a timestamp, or text with a full date in it)."""
    if value is None or value != value:  # None or NaN
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    found = first_date(str(value))
    return date.fromisoformat(found) if found and len(found) == 10 else None


def _extractor(
    job: ExtractJob, gazetteer: Broadcast[Gazetteer | None], kind: str
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The function each partition runs (in a Python worker: the model loads once per
    worker process and stays loaded)."""

    def extract_frames(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        names = gazetteer.value
        for frame in frames:
            records: list[Record] = []
            for row in frame.to_dict("records"):
                source = _local(str(row.get("path") or row.get("source") or row.get("id") or ""))
                try:
                    if kind == "files":
                        records.extend(file_records(source, bytes(row["content"]), job, names))
                    else:
                        records.extend(text_records(row, job, names))
                except Exception as exc:  # a row no reader foresaw: reported, the job goes on
                    records.append(
                        _record(
                            "errors",
                            None,
                            source=source,
                            error=f"cannot read it: {exc.__class__.__name__}: {exc}",
                        )
                    )
            yield pd.DataFrame(records, columns=["table", "document_id", "payload"])

    return extract_frames


def read_inputs(
    spark: SparkSession, paths: list[str], max_bytes: int
) -> tuple[DataFrame, list[tuple[str, str]], str]:
    """The input rows and their kind: ``texts`` (a Parquet table, path ending .parquet)
    or ``files`` (binaryFile: path and content; hidden files skipped), and the files
    that are not read (path, reason): over the size limit, or empty."""
    from pyspark.sql import functions as F

    if all(p.rstrip("/").endswith(".parquet") for p in paths):
        return spark.read.parquet(*paths), [], "texts"
    if any(p.rstrip("/").endswith(".parquet") for p in paths):
        raise ValueError("give files and folders, or tables of texts (.parquet), not both")
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(paths)
        .select("path", "length", "content")
    )
    unread = [
        (_local(row["path"]), too_big_message(row["length"], max_bytes))
        for row in files.where(F.col("length") > max_bytes).select("path", "length").collect()
    ]
    listed = [_local(path) for path in files.inputFiles()]
    if len(listed) != files.count():  # Spark passes over empty files: find them
        seen = {_local(row["path"]) for row in files.select("path").collect()}
        unread += [(path, EMPTY_FILE) for path in listed if path not in seen]
    return files.where(F.col("length") <= max_bytes).select("path", "content"), unread, "files"


@dataclass(frozen=True)
class SparkExtractSummary:
    """Counts of a Spark extraction run."""

    documents: int
    extracted: int
    not_extracted: int
    errors: int
    statements: int
    evidence: int


def spark_extract(
    spark: SparkSession,
    paths: list[str],
    output_dir: str,
    *,
    model: str,
    case: str | None = None,
    max_chars: int,
    max_bytes: int = ReadOptions().max_bytes,
    ocr: bool = True,
    gazetteer: Gazetteer | None = None,
    mapping: dict[str, Any] | None = None,
) -> SparkExtractSummary:
    """Read and extract the documents of ``paths`` on the executors into ``output_dir``.
    A local output is written beside its place and moved there when complete.
    ``mapping``: a followthemoney mapping's query (``ingest.read_mapping``) that turns
    the rows of CSV and XLSX files into FtM entities, as ``redthread ingest --mapping``."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    dataset = case_dataset(case)
    job = ExtractJob(
        model=model,
        dataset=dataset,
        max_chars=max_chars,
        options=ReadOptions(max_bytes=max_bytes, ocr=ocr, dataset=dataset),
        language=model_language(model),
        mapping=mapping,
    )
    rows, unread, kind = read_inputs(spark, paths, max_bytes)
    rows = rows.repartition(max(spark.sparkContext.defaultParallelism * 2, 1))
    shared = spark.sparkContext.broadcast(gazetteer)
    records = rows.mapInPandas(_extractor(job, shared, kind), _RECORD_DDL)
    if unread:  # files never read (too big, empty): reported from here
        errors = [_record("errors", None, source=path, error=error) for path, error in unread]
        records = records.unionByName(spark.createDataFrame(errors, _RECORD_DDL))
    records = records.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        with staged_output(output_dir) as (write_to, staging):
            for table, ddl in TABLES.items():
                rows_of = records.where(F.col("table") == table)
                parsed = rows_of.select(F.from_json("payload", ddl).alias("r")).select("r.*")
                parsed.write.mode("overwrite").parquet(f"{write_to}/{table}")
            counts = {
                row["table"]: int(row["count"])
                for row in records.groupBy("table").count().collect()
            }
            documents = spark.read.parquet(f"{write_to}/documents")
            status = {
                row["status"]: int(row["count"])
                for row in documents.groupBy("status").count().collect()
            }
            summary = SparkExtractSummary(
                documents=counts.get("documents", 0),
                extracted=status.get(DocumentStatus.EXTRACTED.value, 0),
                not_extracted=status.get(DocumentStatus.NOT_EXTRACTED.value, 0),
                errors=counts.get("errors", 0),
                statements=counts.get("statements", 0),
                evidence=counts.get("evidence", 0),
            )
            if staging is not None:
                run = {**asdict(summary), "case": case, "dataset": dataset, "model": model}
                run["inputs"] = paths
                (staging / "run.json").write_text(json.dumps(run, indent=2) + "\n")
    finally:
        records.unpersist()
        shared.unpersist()
    return summary
