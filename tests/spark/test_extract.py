"""The Spark extraction gives what the local pipeline stores, once loaded; a file that
cannot be read goes to the errors output and never fails the job."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pyspark.sql import SparkSession
from sqlalchemy import text
from typer.testing import CliRunner

from redthread import cli
from redthread.config import Settings
from redthread.extract import extract_documents
from redthread.extract.pipeline import MAX_CHARS
from redthread.ingest import Ingester, ReadOptions
from redthread.spark.extract import spark_extract
from redthread.spark.load import LoadError, load_output
from redthread.store import Store
from tests.ingest.files import LEDGER_ROWS, PRESS_RELEASE, make_csv, make_email

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "documents"
MODEL = Settings().spacy_model
LIMIT = 2**20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example documents, an email with a ledger attached, a press release, and
    files that cannot be read or are not extracted."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in EXAMPLES.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / "mail").mkdir()
    (folder / "mail" / "invoice.eml").write_bytes(
        make_email({"ledger.csv": make_csv([list(r) for r in LEDGER_ROWS])})
    )
    (folder / "press.txt").write_text(PRESS_RELEASE)
    (folder / "russian.txt").write_text(
        "Компания «Купол» входит в концерн «Алмаз-Антей» и производит беспилотники. "
        "Посредником выступила компания ТСК «Вектор»."
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not a real pdf")
    (folder / "huge.txt").write_bytes(b"Kupol supplies drones. " * (LIMIT // 20))
    (folder / ".hidden.txt").write_text("Kupol is a subsidiary of Almaz-Antey.")
    return folder


def _rows(store: Store, query: str) -> set[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return {tuple(row) for row in conn.execute(text(query))}


def _snapshot(store: Store) -> dict[str, set[tuple[object, ...]]]:
    return {
        "documents": _rows(store, "SELECT id, source, status, note, title FROM document"),
        "statements": _rows(store, "SELECT id, entity_id, prop, value, dataset FROM statement"),
        "evidence": _rows(
            store,
            "SELECT e.id, e.start_char, e.end_char, e.text, l.statement_id FROM evidence e "
            "JOIN statement_evidence l ON l.evidence_id = e.id",
        ),
        "claims": _rows(store, "SELECT id, entity_id, stance, attributed_to FROM claim"),
        "cases": _rows(
            store,
            'SELECT c.name, d.document_id FROM "case" c JOIN case_document d ON d.case_id = c.id',
        ),
    }


def test_spark_extraction_loads_as_the_local_pipeline_stores(
    spark: SparkSession, corpus: Path, tmp_path: Path
) -> None:
    local = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    ingester = Ingester.for_model(local, MODEL, "leak", ReadOptions(max_bytes=LIMIT))
    ingested = ingester.ingest_paths([str(corpus)])
    pending = [d for d in local.documents("leak") if d.status.value == "pending"]
    assert all(o.extraction for o in extract_documents(local, pending, MODEL, "leak", MAX_CHARS))

    out = tmp_path / "out"
    summary = spark_extract(
        spark,
        [str(corpus)],
        str(out),
        model=MODEL,
        case="leak",
        max_chars=MAX_CHARS,
        max_bytes=LIMIT,
    )
    loaded = Store.open(f"sqlite:///{tmp_path / 'loaded.db'}")
    result = load_output(loaded, out)

    assert _snapshot(loaded) == _snapshot(local)
    failed = {o.source: o.reason for o in ingested.failed}
    assert {e["source"]: e["error"] for e in result.errors} == failed
    assert set(failed) == {str(corpus / n) for n in ("empty.txt", "broken.pdf", "huge.txt")}
    # the email, its attachment, the press release and the two examples; Russian not extracted
    assert (summary.documents, summary.extracted, summary.not_extracted) == (6, 5, 1)
    assert summary.errors == 3 and result.case == "leak" and result.new == 6
    run = json.loads((out / "run.json").read_text())
    assert run["case"] == "leak" and run["model"] == MODEL

    again = load_output(loaded, out)  # loading again changes nothing
    assert again.new == 0 and _snapshot(loaded) == _snapshot(local)


def test_a_table_of_texts(spark: SparkSession, tmp_path: Path) -> None:
    texts = [
        "Kupol, a subsidiary of Almaz-Antey, produced the Garpiya-3 drones in China.",
        "TSK Vektor acted as an intermediary for Kupol.",
    ]
    table = tmp_path / "texts.parquet"
    pd.DataFrame(
        {
            "id": ["a-1", "a-2", "a-3"],
            "text": [*texts, None],
            "title": ["First", None, None],
            "published": ["2024-09-13", None, None],
        }
    ).to_parquet(table)
    out = tmp_path / "out"
    summary = spark_extract(spark, [str(table)], str(out), model=MODEL, max_chars=MAX_CHARS)
    assert (summary.documents, summary.extracted, summary.errors) == (2, 2, 1)
    store = Store.open(f"sqlite:///{tmp_path / 'rt.db'}")
    result = load_output(store, out)
    assert result.errors == [{"document_id": None, "source": "a-3", "error": "the row has no text"}]
    documents = {d.meta["id"]: d for d in store.documents()}
    first = documents["a-1"]
    assert first.id == hashlib.sha256(texts[0].encode()).hexdigest()
    assert (first.title, str(first.published), first.status.value) == (
        "First",
        "2024-09-13",
        "extracted",
    )
    owners = [s for s in store.statements() if s.schema == "Ownership" and s.prop == "owner"]
    assert owners, "the subsidiary relation is extracted"
    assert store.evidence_for(owners[0].id or "")[0].text.startswith("Kupol, a subsidiary")


def test_the_command_line(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDTHREAD_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    out = tmp_path / "extracted"
    result = runner.invoke(
        cli.app,
        ["extract", "--engine", "spark", str(EXAMPLES), "--output", str(out), "--case", "demo"],
    )
    assert result.exit_code == 0, result.output
    assert "extracted 2 of 2 documents on Spark" in result.output
    result = runner.invoke(cli.app, ["load", str(out)])
    assert result.exit_code == 0, result.output
    assert "loaded 2 documents in case demo (2 new)" in result.output
    result = runner.invoke(cli.app, ["documents", "--case", "demo"])
    assert "garpiya-followup.txt" in result.output
    result = runner.invoke(cli.app, ["load", str(tmp_path)])
    assert result.exit_code == 1 and "not the output of redthread extract" in result.output
    result = runner.invoke(cli.app, ["extract", str(EXAMPLES), "--output", str(out)])
    assert result.exit_code == 2 and "--engine spark" in result.output


def test_loading_a_folder_that_is_not_an_output(tmp_path: Path) -> None:
    with pytest.raises(LoadError):
        load_output(Store.open(f"sqlite:///{tmp_path / 'rt.db'}"), tmp_path)


def test_a_mapping_turns_table_rows_into_entities_on_spark(
    spark: SparkSession, tmp_path: Path
) -> None:
    """A ledger with a followthemoney mapping: the same payments and companies as
    `redthread ingest --mapping` stores, made on the executors."""
    from redthread.ingest import load_mapping, read_mapping
    from redthread.ingest.parties import case_dataset
    from tests.ingest.files import LEDGER_MAPPING

    folder = tmp_path / "ledgers"
    folder.mkdir()
    (folder / "ledger.csv").write_bytes(make_csv([list(r) for r in LEDGER_ROWS]))
    mapping = tmp_path / "ledger.yml"
    mapping.write_text(LEDGER_MAPPING)
    dataset = case_dataset("ledgers")

    local = Store.open(f"sqlite:///{tmp_path / 'local.db'}")
    options = ReadOptions(max_bytes=LIMIT, mapping=load_mapping(mapping, dataset))
    Ingester.for_model(local, MODEL, "ledgers", options).ingest_paths([str(folder)])
    pending = [d for d in local.documents("ledgers") if d.status.value == "pending"]
    list(extract_documents(local, pending, MODEL, "ledgers", MAX_CHARS))

    out = tmp_path / "out"
    spark_extract(
        spark,
        [str(folder)],
        str(out),
        model=MODEL,
        case="ledgers",
        max_chars=MAX_CHARS,
        max_bytes=LIMIT,
        mapping=read_mapping(mapping, dataset),
    )
    loaded = Store.open(f"sqlite:///{tmp_path / 'loaded.db'}")
    load_output(loaded, out)
    assert _snapshot(loaded) == _snapshot(local)
    payments = _rows(loaded, "SELECT value FROM statement WHERE prop = 'transactionNumber'")
    assert payments == {("INV-2023-0117",), ("INV-2023-0121",)}


def test_the_command_line_refuses_a_bad_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("nothing: here\n")
    (tmp_path / "ledger.csv").write_bytes(make_csv([list(r) for r in LEDGER_ROWS]))
    result = CliRunner().invoke(
        cli.app,
        ["--data-dir", str(tmp_path / "data"), "extract", str(tmp_path / "ledger.csv"),
         "--engine", "spark", "--output", str(tmp_path / "out"), "--mapping", str(bad)],
    )  # fmt: skip
    assert result.exit_code == 1 and "needs an 'entities' section" in result.output
    assert not (tmp_path / "out").exists()
