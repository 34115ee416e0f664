"""The ``redthread`` command line: parses arguments, calls a stage, prints. No logic lives here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from redthread import __version__
from redthread.config import ConfigError, Settings, load_settings
from redthread.store import Store, StoreError

app = typer.Typer(
    name="redthread",
    help=(
        "Investigate sanctions evasion and arms-transfer networks: read documents, "
        "extract who is connected to whom with the evidence, and screen every party "
        "against sanctions lists.\n\n"
        "Start with 'redthread doctor' to see what is set up and what is missing."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)


@dataclass
class State:
    """Global options, turned into settings on first use."""

    config_file: Path | None = None
    overrides: dict[str, object] = field(default_factory=dict)
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(self.config_file, **self.overrides)
            except ConfigError as exc:
                fail(str(exc))
        return self._settings


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error the user can act on and exit; never a traceback."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def open_store(state: State) -> Store:
    """Open (and migrate) the configured database, or exit with a clear message."""
    try:
        return Store.open(state.settings.database)
    except StoreError as exc:
        fail(str(exc))


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"redthread {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML config file "
            "(default: $REDTHREAD_CONFIG, else ~/.config/redthread/config.toml).",
            show_default=False,
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Folder for the database and downloads (default: ~/.local/share/redthread).",
            show_default=False,
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Database URL, e.g. postgresql://user@host/redthread "
            "(default: SQLite in the data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Flags here override environment variables (REDTHREAD_*), which override the config file."""
    ctx.obj = State(
        config_file=config, overrides={"data_dir": data_dir, "database_url": database_url}
    )


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check the installation: Python, the spaCy model, the database, the loaded lists.

    Prints what is fine and, for anything missing or broken, what to do about it.
    Exits with 1 when something must be fixed before redthread can do its job.
    """
    from redthread.doctor import Status, run_checks

    state: State = ctx.obj
    checks = run_checks(state.settings)
    marks = {
        Status.OK: "[green]ok[/]",
        Status.WARN: "[yellow]warning[/]",
        Status.FAIL: "[red]missing[/]",
    }
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("details")
    for check in checks:
        detail = check.detail + (f"\n[dim]→ {check.hint}[/]" if check.hint else "")
        table.add_row(check.name, marks[check.status], detail)
    console.print(table)
    failed = [c.name for c in checks if c.status is Status.FAIL]
    if failed:
        err_console.print(f"[bold red]{len(failed)} problem(s) to fix:[/] {', '.join(failed)}")
        raise typer.Exit(1)
    console.print("[bold green]redthread is ready.[/]")


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data folder and the database, or upgrade the database to this version's schema.

    Safe to run again: an up-to-date database is left as it is.
    """
    state: State = ctx.obj
    with open_store(state) as store:
        console.print(f"database ready: {store.url} (schema version {store.schema_version()})")
