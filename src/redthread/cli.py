"""The ``redthread`` command line: parses arguments, calls a stage, prints. No logic lives here."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from redthread import __version__
from redthread.config import ConfigError, Settings, load_settings
from redthread.store import Store, StoreError

if TYPE_CHECKING:
    from redthread.lists import LoadResult, WatchlistMapping
    from redthread.model import ListLink

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


def _make_console(stderr: bool) -> Console:
    # Piped output (logs, CI, `| less`) gets wide lines instead of Rich's 80-column default.
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 160)


console = _make_console(stderr=False)
err_console = _make_console(stderr=True)


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


native_app = typer.Typer(
    help=(
        "The matching engine compiled to C with mypyc: the same code and results, about "
        "1.5 times faster. Used automatically once built, while the sources it was built "
        "from are unchanged; REDTHREAD_NATIVE=0 turns it off."
    ),
    no_args_is_help=True,
)
app.add_typer(native_app, name="native")


@native_app.command("build")
def native_build(
    force: Annotated[bool, typer.Option("--force", help="Build again even when built.")] = False,
) -> None:
    """Compile the matching modules (names, scores, index) with mypyc, about a minute.

    Needs mypy (pip install mypy) and a C compiler. The build goes to
    $XDG_CACHE_HOME/redthread/native (or REDTHREAD_NATIVE_DIR), in a folder named after
    the sources and the Python version; redthread uses it from the next start on. When
    it cannot be built, redthread keeps using the Python modules (same results)."""
    from redthread.match import native

    if native.disabled():
        console.print("REDTHREAD_NATIVE=0 is set: the build will not be used until it is unset")
    console.print(f"building the compiled matching engine in {native.build_dir()} ...")
    try:
        folder = native.build(force=force)
    except native.BuildError as exc:
        fail(f"{exc}\nredthread keeps using the Python modules (same results, slower).")
    console.print(f"built: {folder} (used from the next start on)")


@native_app.command("status")
def native_status() -> None:
    """Say whether the compiled or the Python matching engine is in use, and why."""
    from redthread.match import native

    console.print(native.status())


lists_app = typer.Typer(
    help=(
        "Sanctions and watch lists: load list files as versions, see what is loaded.\n\n"
        "Without a subcommand, shows the loaded lists."
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(lists_app, name="lists")


@lists_app.callback()
def lists_main(ctx: typer.Context) -> None:
    """Sanctions and watch lists. Without a subcommand: show what is loaded."""
    if ctx.invoked_subcommand is None:
        show_lists(ctx)


def show_lists(ctx: typer.Context) -> None:
    """Print every loaded list version, the active ones first."""
    from datetime import UTC, datetime

    state: State = ctx.obj
    settings = state.settings
    with open_store(state) as store:
        versions = store.list_versions()
    if not versions:
        console.print(
            "No list is loaded. Load the bundled OFAC snapshot: redthread lists load --bundled"
        )
        return
    today = datetime.now(UTC).date()
    table = Table(header_style="bold")
    for column in ("list", "version", "status", "published", "parties", "SHA-256", "loaded", "age"):
        table.add_column(column, no_wrap=True, justify="right" if column == "parties" else "left")
    stale: list[str] = []
    for lv in sorted(versions, key=lambda v: (v.name, not v.active, -(v.id or 0))):
        age = lv.age_days(today)
        age_text = "?" if age is None else f"{age} d"
        if lv.active and age is not None and age > settings.list_max_age_days:
            age_text = f"[yellow]{age_text} old[/]"
            stale.append(lv.name)
        table.add_row(
            lv.name,
            str(lv.id),
            "[green]active[/]" if lv.active else "[dim]older[/]",
            str(lv.published or "unknown"),
            str(lv.entity_count),
            lv.sha256[:12],
            f"{lv.loaded_at:%Y-%m-%d}" if lv.loaded_at else "",
            age_text,
        )
    console.print(table)
    for name in stale:
        err_console.print(
            f"[yellow]warning:[/] the active '{name}' list is older than "
            f"{settings.list_max_age_days} days: screening may miss recent designations."
        )


def _keep_index(state: State, result: LoadResult) -> None:
    """Index a version just loaded, while its entities are in memory, for fast screening."""
    from redthread.match.screen import index_path, save_version_index

    if not index_path(state.settings.data_dir, result.version).exists():
        with console.status("indexing names for screening..."):
            save_version_index(
                state.settings.data_dir, result.version, result.parsed.listed_entities()
            )


def _watchlist_mapping(columns: list[str], mapping_file: Path | None) -> WatchlistMapping | None:
    """The --mapping file, with --column FIELD=COLUMN options on top."""
    from redthread.lists import ListFormatError, WatchlistMapping

    if not columns and mapping_file is None:
        return None
    mapping = WatchlistMapping.from_yaml(mapping_file) if mapping_file else WatchlistMapping()
    for option in columns:
        field_name, sep, column_name = option.partition("=")
        if not sep or not field_name.strip() or not column_name.strip():
            raise ListFormatError(f"--column takes FIELD=COLUMN, got {option!r}")
        mapping.columns[field_name.strip()] = column_name.strip()
    mapping.check()
    return mapping


@lists_app.command("load")
def lists_load(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="The list's files, or a folder holding them. OFAC: sdn.csv, with alt.csv, "
            "add.csv and sdn_comments.csv beside it when present.",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str, typer.Option("--name", help="Short name of the list; its versions share it.")
    ] = "ofac",
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date of these files (YYYY-MM-DD), if known.",
            show_default=False,
        ),
    ] = None,
    bundled: Annotated[
        bool,
        typer.Option(
            "--bundled", help="Load the OFAC snapshot shipped with redthread (2024-05-03)."
        ),
    ] = False,
    allow_bad_rows: Annotated[
        bool,
        typer.Option(
            "--allow-bad-rows",
            help="Load even if some rows are malformed; the skipped rows are listed and kept "
            "with the version. Without it, a list with a bad row is not loaded at all.",
        ),
    ] = False,
    list_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="ofac (legacy CSV: sdn.csv, alt.csv, ...), ftm (FtM JSON lines, as "
            "OpenSanctions publishes), csv (an in-house watchlist), or auto.",
        ),
    ] = "auto",
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            help="For a watchlist CSV: FIELD=COLUMN, e.g. --column name='Full Name'. Fields: "
            "id, name, schema, country, birth_date, identifiers, aliases.",
            show_default=False,
        ),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="For a watchlist CSV: a YAML file with columns, schema and separator "
            "(see docs/lists.md).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load a list's files as a new version of the list, and make it the active one.

    Loading is all or nothing: if any row is malformed, nothing is stored (see
    --allow-bad-rows). Rows that refer to a party the main file does not list (an alias
    row from another publication date) are dropped and reported. Loading the same files
    again changes nothing.

    Examples:\n
      redthread lists load --bundled\n
      redthread lists load sdn.csv alt.csv add.csv --published 2025-10-30\n
      redthread lists load entities.ftm.json --name opensanctions\n
      redthread lists load watchlist.csv --name inhouse --column name="Full Name"
    """
    from datetime import date

    from redthread.lists import (
        BUNDLED_NAME,
        BUNDLED_PUBLISHED,
        BadRowsError,
        ListFormatError,
        bundled_list_files,
        load_list,
        read_list,
    )

    state: State = ctx.obj
    published_date: date | None = None
    if published:
        try:
            published_date = date.fromisoformat(published)
        except ValueError:
            fail(f"--published must be a date like 2024-05-03, got {published!r}", code=2)
    if bundled:
        if paths:
            fail("give either --bundled or list files, not both", code=2)
        try:
            paths = bundled_list_files()
        except ListFormatError as exc:
            fail(str(exc))
        name, published_date = BUNDLED_NAME, published_date or BUNDLED_PUBLISHED
    if not paths:
        fail("give the list's files (for example sdn.csv), or --bundled", code=2)
    try:
        mapping = _watchlist_mapping(column or [], mapping_file)
        with console.status(f"reading list '{name}'..."):
            parsed = read_list(
                paths, name=name, published=published_date, format=list_format, mapping=mapping
            )
    except ListFormatError as exc:
        fail(str(exc))
    with open_store(state) as store, console.status(f"storing list '{name}'..."):
        try:
            result = load_list(store, parsed, allow_bad_rows=allow_bad_rows)
        except BadRowsError as exc:
            for issue in exc.issues[:20]:
                err_console.print(
                    f"  {issue.file} line {issue.line}: {issue.reason}: {issue.row[:100]!r}"
                )
            if len(exc.issues) > 20:
                err_console.print(f"  ... and {len(exc.issues) - 20} more")
            fail(str(exc))
    version = result.version
    _keep_index(state, result)
    if result.already_loaded:
        console.print(
            f"list '{name}' version {version.id} (SHA-256 {version.sha256[:12]}) "
            "was already loaded; "
            "it is the active version."
        )
        return
    console.print(
        f"loaded list '{name}' as version {version.id}: {version.entity_count} listed parties "
        f"from {parsed.row_count} rows, SHA-256 {version.sha256[:12]}, "
        f"published {version.published or 'unknown'}."
    )
    if parsed.issues:
        err_console.print(
            f"[yellow]skipped {len(parsed.issues)} malformed row(s)[/] (--allow-bad-rows):"
        )
        for issue in parsed.issues[:20]:
            err_console.print(f"  {issue.file} line {issue.line}: {issue.reason}")
    if parsed.dropped:
        files = sorted({issue.file for issue in parsed.dropped})
        err_console.print(
            f"[yellow]dropped {len(parsed.dropped)} row(s)[/] of {', '.join(files)} that refer to "
            "parties not in the main file (another publication date?); they are recorded with "
            "the version."
        )


@lists_app.command("diff")
def lists_diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="The older version: a version id, NAME@ID, a list name, or files.")
    ],
    new: Annotated[str, typer.Argument(help="The newer version, given the same way.")],
    name: Annotated[
        str, typer.Option("--name", help="List name for files given as paths (their entity ids).")
    ] = "ofac",
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole diff as JSON.")] = False,
    limit: Annotated[
        int, typer.Option("--limit", help="Show at most this many parties per kind.")
    ] = 50,
) -> None:
    """Show what changed between two versions of a list: parties added, removed, changed.

    Versions are matched by the list's own ids (OFAC's ent_num), so two lists of
    different names, or files not yet loaded, can be compared too.

    Examples:\n
      redthread lists diff 1 2\n
      redthread lists diff ofac@1 ofac          (version 1 against the active version)\n
      redthread lists diff old/sdn.csv new/sdn.csv
    """
    import json

    from redthread.lists import ListFormatError, diff_lists, resolve_list

    state: State = ctx.obj
    with open_store(state) as store, console.status("comparing..."):
        try:
            before = resolve_list(store, old, name=name)
            after = resolve_list(store, new, name=name)
        except ListFormatError as exc:
            fail(str(exc))
    diff = diff_lists(
        before.entities,
        after.entities,
        old_name=before.name,
        new_name=after.name,
        old_label=before.label,
        new_label=after.label,
    )
    if as_json:
        print(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{diff.old}[/] → [bold]{diff.new}[/]")
    for kind, colour in (("added", "green"), ("removed", "red"), ("changed", "yellow")):
        parties = diff.parties(kind)
        records = len(getattr(diff, kind)) - len(parties)
        console.print(
            f"[{colour}]{kind}: {len(parties)} parties[/]"
            + (f" (and {records} sanction, link or wallet records)" if records else "")
        )
        for change in parties[:limit]:
            console.print(
                f"  {change.list_id:>8}  {change.schema:<12} {change.caption}", highlight=False
            )
            for prop in change.properties:
                if prop.added:
                    console.print(
                        f"            + {prop.prop}: {'; '.join(prop.added)}", highlight=False
                    )
                if prop.removed:
                    console.print(
                        f"            - {prop.prop}: {'; '.join(prop.removed)}", highlight=False
                    )
        if len(parties) > limit:
            console.print(f"  ... and {len(parties) - limit} more (--limit, or --json for all)")


@lists_app.command("update")
def lists_update(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(help="The list to download: ofac.")] = "ofac",
    url_base: Annotated[
        str | None,
        typer.Option(
            "--url-base",
            help="Download from here instead of OFAC's service (setting: ofac_base_url).",
            show_default=False,
        ),
    ] = None,
    allow_bad_rows: Annotated[
        bool,
        typer.Option("--allow-bad-rows", help="Load even if some rows are malformed (listed)."),
    ] = False,
) -> None:
    """Download the current list from its publisher, verify it, then make it active.

    OFAC: SDN.CSV, ALT.CSV, ADD.CSV and SDN_COMMENTS.CSV. The new version becomes
    active only if every file downloads completely, parses without a malformed row,
    and lists at least 90% (min_entity_ratio) of the parties of the active version.
    Otherwise the active list stays exactly as it was. Downloaded files are kept in
    the data folder under lists/<name>/<sha256>/.
    """
    from redthread.lists import UPDATABLE, UpdateError, update_ofac

    state: State = ctx.obj
    settings = state.settings
    if list_name not in UPDATABLE:
        fail(
            f"redthread can download: {', '.join(UPDATABLE)}; load other lists from files "
            "with 'redthread lists load'",
            code=2,
        )
    base = url_base or settings.ofac_base_url
    with open_store(state) as store, console.status(f"downloading {list_name} from {base} ..."):
        try:
            result = update_ofac(
                store,
                base_url=base,
                data_dir=settings.data_dir,
                name=list_name,
                timeout=settings.download_timeout,
                min_entity_ratio=settings.min_entity_ratio,
                allow_bad_rows=allow_bad_rows,
            )
        except UpdateError as exc:
            fail(f"{exc}. The active '{list_name}' list is unchanged.")
    version = result.version
    _keep_index(state, result)
    if result.already_loaded:
        console.print(
            f"'{list_name}' is up to date: version {version.id} (SHA-256 {version.sha256[:12]}) "
            "has the same files."
        )
        return
    console.print(
        f"updated '{list_name}': version {version.id} is active, {version.entity_count} listed "
        f"parties, published {version.published}, SHA-256 {version.sha256[:12]}."
    )
    if result.parsed.dropped:
        err_console.print(
            f"[yellow]dropped {len(result.parsed.dropped)} alias/address row(s)[/] that refer "
            "to parties not in SDN.CSV; they are recorded with the version."
        )


SchemaOption = Annotated[
    str,
    typer.Option(
        "--schema", help="Person, Company, Organization, LegalEntity, Vessel or Airplane."
    ),
]
AlgorithmOption = Annotated[
    str,
    typer.Option(
        "--algorithm",
        help="redthread (names, rarity and qualifiers; the default) or ofac (reproduces the "
        "0-100 scores of OFAC's Sanctions List Search, names only).",
    ),
]
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Match threshold in [0, 1] (default: setting match_threshold, 0.7; with "
        "--algorithm ofac, setting ofac_threshold, 0.85).",
        show_default=False,
    ),
]


class Engine(StrEnum):
    """Where a batch stage runs."""

    local = "local"
    spark = "spark"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local (this machine's processes) or spark (Apache Spark: pip install "
        "'redthread[spark]'; Java 17+). Same functions, same answers.",
    ),
]
MasterOption = Annotated[
    str | None,
    typer.Option(
        "--master",
        help="With --engine spark: the Spark master (local[4], spark://host:7077, yarn...); "
        "default: the session of spark-submit, else local[*].",
        show_default=False,
    ),
]


def _threshold(settings: Settings, algorithm: str, given: float | None) -> float:
    """The threshold to use: the one given, else the configured one for the algorithm."""
    from redthread.match.index import ALGORITHMS

    if algorithm not in ALGORITHMS:
        fail(f"unknown algorithm {algorithm!r}: use {' or '.join(ALGORITHMS)}", code=2)
    if given is not None:
        return given
    return settings.ofac_threshold if algorithm == "ofac" else settings.match_threshold


@app.command()
def compare(
    ctx: typer.Context,
    name1: Annotated[str | None, typer.Argument(help="A name.", show_default=False)] = None,
    name2: Annotated[
        str | None, typer.Argument(help="The name to compare it with.", show_default=False)
    ] = None,
    schema: SchemaOption = "LegalEntity",
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input", help="A CSV of pairs: columns schema, name1, name2.", show_default=False
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write the scored pairs (CSV).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    algorithm: AlgorithmOption = "redthread",
    threshold_option: ThresholdOption = None,
) -> None:
    """Score how alike two names are, and say why: to calibrate a match threshold.

    The score is in [0, 1]; at or above the match threshold (setting match_threshold,
    default 0.7) the pair counts as a match. With --input, every row of the CSV is
    scored and written to --output with score, match and explanation columns; a row
    that cannot be scored gets an error and the rest go on.

    Examples:\n
      redthread compare "Vladimir Putin" "PUTIN, Vladimir Vladimirovich" --schema Person\n
      redthread compare --input pairs.csv --output scored.csv\n
      redthread compare "VLADIMIR PUTIN" "PUTIN, Vladimir" --algorithm ofac
    """
    import json

    from redthread.match.compare import CompareInputError, compare_csv, compare_pair, write_results

    state: State = ctx.obj
    threshold = _threshold(state.settings, algorithm, threshold_option)
    if input_file is not None:
        if name1 or name2:
            fail("give two names, or --input, not both", code=2)
        if output_file is None:
            fail("--input needs --output", code=2)
        try:
            with input_file.open("r", encoding="utf-8-sig", newline="") as source:
                count = write_results(
                    compare_csv(source, threshold, schema, algorithm), output_file
                )
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {input_file}: {exc}")
        except CompareInputError as exc:
            fail(str(exc))
        console.print(f"scored {count} pair(s) into {output_file} (threshold {threshold})")
        return
    if name1 is None or name2 is None:
        fail("give two names to compare (or --input FILE --output FILE)", code=2)
    result = compare_pair(name1, name2, schema, threshold, algorithm)
    if result.error:
        fail(result.error, code=2)
    if as_json:
        print(
            json.dumps(
                {
                    "schema": schema,
                    "name1": name1,
                    "name2": name2,
                    "score": result.score,
                    "match": result.match,
                    "threshold": threshold,
                    "algorithm": algorithm,
                    "explanation": result.explanation,
                },
                ensure_ascii=False,
            )
        )
        return
    verdict = "[green]match[/]" if result.match else "[dim]no match[/]"
    console.print(f"score {result.score:.2f} ({verdict} at threshold {threshold})")
    console.print(result.explanation, highlight=False)


@app.command()
def match(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="The name to screen.", show_default=False)
    ] = None,
    schema: SchemaOption = "LegalEntity",
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help="A country the party is linked to (name or code); repeatable.",
            show_default=False,
        ),
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option(
            "--birth-date",
            help="Birth (or incorporation) date: 1952, 1952-10 or 1952-10-07.",
            show_default=False,
        ),
    ] = None,
    identifier: Annotated[
        list[str] | None,
        typer.Option(
            "--identifier",
            help="A registration, tax, passport, IMO... number; repeatable.",
            show_default=False,
        ),
    ] = None,
    list_name: Annotated[
        list[str] | None,
        typer.Option(
            "--list",
            help="Screen against this loaded list only; repeatable (default: all active).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=100, help="Candidates per query.")
    ] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the candidates as JSON.")] = False,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            help="Screen a file of queries: CSV with a header, or JSON lines; fields id, name "
            "(required), schema, country, birth_date, identifier (several values: ';').",
            show_default=False,
        ),
    ] = None,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Results for --input: .jsonl (one object per query) or .csv (one row per "
            "query and candidate).",
            show_default=False,
        ),
    ] = None,
    algorithm: AlgorithmOption = "redthread",
    threshold_option: ThresholdOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes screening an --input file in parallel (default: one per CPU).",
            show_default=False,
        ),
    ] = None,
    engine: EngineOption = Engine.local,
    master: MasterOption = None,
) -> None:
    """Screen parties against the loaded sanctions lists: candidates, scores and why.

    Every candidate shows its list, the list's own id (OFAC: the ent_num), the score
    in [0, 1], whether it is a match at the threshold (setting match_threshold), and
    an explanation. The run is recorded with the list versions and settings used.

    Examples:\n
      redthread match "Redlepus TSK Vector Industrial" --schema Company --country cn\n
      redthread match "Vladimir Putin" --schema Person --birth-date 1952-10-07\n
      redthread match --input customers.csv --output results.jsonl\n
      redthread match "VLADIMIR PUTIN" --algorithm ofac\n
      redthread match --engine spark --input customers.parquet --output screened/

    With --engine spark, --input is a CSV, JSON-lines or Parquet file (or a folder of
    them) and --output a folder: results/ (Parquet, one row per query and candidate,
    the columns of the CSV output), errors/ (the rows that could not be screened, with
    the reason) and run.json. See docs/scale.md.
    """
    import json

    from redthread.match.batch import make_query
    from redthread.match.screen import ScreeningError, screen

    state: State = ctx.obj
    settings = state.settings
    threshold = _threshold(settings, algorithm, threshold_option)
    if input_file is not None or output_file is not None:
        if name is not None:
            fail("give a name, or --input and --output, not both", code=2)
        if input_file is None or output_file is None:
            fail("--input and --output go together", code=2)
        if engine is Engine.spark:
            _match_spark(
                state, input_file, output_file, limit, list_name, algorithm, threshold, master
            )
            return
        _match_file(
            state,
            input_file,
            output_file,
            limit,
            list_name,
            algorithm,
            threshold,
            workers or os.cpu_count() or 1,
        )
        return
    if name is None:
        fail("give a name to screen (or --input FILE --output FILE)", code=2)
    if engine is Engine.spark:
        fail("--engine spark screens files: give --input and --output", code=2)
    row = make_query(
        "cli",
        {
            "name": name,
            "schema": schema,
            "country": country or [],
            "birth_date": birth_date,
            "identifier": identifier or [],
        },
    )
    if row.query is None:
        fail(row.error or "the query cannot be screened", code=2)
    query = row.query
    countries = list(query.countries)
    with open_store(state) as store:
        try:
            outcome = screen(
                store,
                settings.data_dir,
                [query],
                threshold=threshold,
                limit=limit,
                lists=list_name,
                source=f"name: {name}",
                algorithm=algorithm,
            )
        except ScreeningError as exc:
            fail(str(exc))
    ((_, candidates),) = outcome.results
    if as_json:
        payload = {
            "query": {
                "name": name,
                "schema": schema,
                "country": countries,
                "birth_date": birth_date,
                "identifier": identifier or [],
            },
            "run": outcome.run_id,
            "threshold": threshold,
            "algorithm": algorithm,
            "lists": [
                {
                    "name": v.name,
                    "version": v.id,
                    "published": str(v.published or ""),
                    "sha256": v.sha256,
                }
                for v in outcome.versions
            ],
            "results": [c.to_dict() for c in candidates],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    lists_text = ", ".join(
        f"{v.name}@{v.id} ({v.published or 'date unknown'})" for v in outcome.versions
    )
    console.print(
        f"screened against {lists_text}; {algorithm} threshold {threshold}; run {outcome.run_id}"
    )
    if not candidates:
        console.print("no candidate: no listed name shares a word with this one")
        return
    for candidate in candidates:
        verdict = "[bold red]MATCH[/]" if candidate.match else "[dim]no match[/]"
        console.print(
            f"{candidate.score:.2f} {verdict}  {candidate.list} {candidate.list_entity_id}  "
            f"{candidate.schema}  {candidate.caption}",
            highlight=False,
        )
        console.print(f"      {candidate.explanation}", highlight=False)


def _match_spark(
    state: State,
    input_path: Path,
    output_dir: Path,
    limit: int,
    lists: list[str] | None,
    algorithm: str,
    threshold: float,
    master: str | None,
) -> None:
    """Batch screening on Spark; the thin face of spark.match.screen_on_spark."""
    from redthread.match.batch import BatchInputError
    from redthread.match.screen import ScreeningError
    from redthread.spark import SparkUnavailable
    from redthread.spark.match import screen_on_spark

    source = str(input_path)
    if "://" not in source and not input_path.exists():
        fail(f"{input_path} does not exist")
    with open_store(state) as store:
        try:
            run_id, summary = screen_on_spark(
                store,
                state.settings.data_dir,
                source,
                str(output_dir),
                master=master,
                threshold=threshold,
                limit=limit,
                lists=lists,
                algorithm=algorithm,
            )
        except (BatchInputError, ScreeningError, SparkUnavailable) as exc:
            fail(str(exc))
    console.print(
        f"screened {summary.queries} queries on Spark into {output_dir}: {summary.matched} with "
        f"a match, {summary.errors} with an error (in {output_dir}/errors); {summary.rows} "
        f"result rows (run {run_id}, {algorithm} threshold {threshold})"
    )


def _match_file(
    state: State,
    input_file: Path,
    output_file: Path,
    limit: int,
    lists: list[str] | None,
    algorithm: str,
    threshold: float,
    workers: int,
) -> None:
    """Batch screening with a progress bar; the thin face of match.screen.screen_file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from redthread.match.batch import BatchInputError
    from redthread.match.screen import ScreeningError, screen_file

    settings = state.settings
    if not input_file.is_file():
        fail(f"{input_file} does not exist")
    with input_file.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    total = max(lines - (1 if input_file.suffix.lower() == ".csv" else 0), 0)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with open_store(state) as store, Progress(*columns, console=err_console) as progress:
        task = progress.add_task("screening", total=total)
        try:
            run_id, summary = screen_file(
                store,
                settings.data_dir,
                input_file,
                output_file,
                threshold=threshold,
                limit=limit,
                lists=lists,
                progress=lambda: progress.advance(task),
                algorithm=algorithm,
                workers=workers,
            )
        except (BatchInputError, ScreeningError) as exc:
            fail(str(exc))
        except UnicodeDecodeError as exc:
            fail(f"{input_file} is not UTF-8 text ({exc.reason})")
    console.print(
        f"screened {summary.queries} queries into {output_file}: {summary.matched} with a match, "
        f"{summary.errors} with an error (run {run_id}, {algorithm} threshold {threshold})"
    )


def _extract_spark(
    state: State,
    paths: list[str],
    output_dir: Path | None,
    case: str | None,
    listed_names: bool,
    master: str | None,
    mapping: dict[str, Any] | None = None,
) -> None:
    """Extraction on Spark; the thin face of spark.extract.spark_extract."""
    from redthread.spark import SparkUnavailable, spark_session
    from redthread.spark.extract import spark_extract

    if not paths or output_dir is None:
        fail("--engine spark needs files, folders or .parquet tables, and --output", code=2)
    missing = [p for p in paths if "://" not in p and not Path(p).exists()]
    if missing:
        fail(f"not found: {', '.join(missing)}")
    settings = state.settings
    gazetteer = None
    if listed_names:
        with open_store(state) as store:
            gazetteer = _gazetteer(state, store)
    try:
        with spark_session(master, "redthread extract") as spark:
            summary = spark_extract(
                spark,
                [str(Path(p).resolve()) if "://" not in p else p for p in paths],
                str(output_dir),
                model=settings.spacy_model,
                case=case,
                max_chars=settings.max_extract_chars,
                max_bytes=int(settings.max_document_mb * 2**20),
                gazetteer=gazetteer,
                mapping=mapping,
            )
    except (SparkUnavailable, ValueError) as exc:
        fail(str(exc))
    console.print(
        f"extracted {summary.extracted} of {summary.documents} documents on Spark into "
        f"{output_dir} ({summary.not_extracted} not extracted, {summary.errors} errors in "
        f"{output_dir}/errors; {summary.statements} statements, {summary.evidence} evidence "
        f"sentences). Put them into the store with: redthread load {output_dir}"
    )


@app.command()
def load(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(
            help="The --output folder of redthread extract --engine spark.", show_default=False
        ),
    ],
    case: Annotated[
        str | None,
        typer.Option(
            "--case", help="Put the documents in this case (default: the extraction's case)."
        ),
    ] = None,
) -> None:
    """Put the output of a Spark extraction into the store: documents, their FtM
    statements, the evidence sentences and claims, one document per transaction.

    Loading again changes nothing (the ids are the same); a load that was stopped
    resumes when run again. The errors the extraction met are listed at the end.

    Example:\n
      redthread extract --engine spark reports/ --output extracted/ --case kupol\n
      redthread load extracted/
    """
    from redthread.spark import SparkUnavailable
    from redthread.spark.load import LoadError, load_output

    state: State = ctx.obj
    with open_store(state) as store:
        try:
            summary = load_output(store, folder, case)
        except (LoadError, SparkUnavailable) as exc:
            fail(str(exc))
    for error in summary.errors:
        err_console.print(f"[red]failed[/] {error['source']}: {error['error']}", highlight=False)
    where = f" in case {summary.case}" if summary.case else ""
    console.print(
        f"loaded {summary.documents} documents{where} ({summary.new} new), "
        f"{summary.statements} statements; {len(summary.errors)} errors reported by the extraction"
    )


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and folders (read recursively; hidden files skipped); '-' reads "
            "standard input. Formats: .txt .md .html .pdf .docx .eml .csv .tsv .xlsx .zip, "
            "and images (.png .jpg .tif) through OCR.",
            show_default=False,
        ),
    ],
    case: Annotated[
        str | None,
        typer.Option("--case", help="Put the documents in this case (created when new)."),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="A followthemoney mapping (YAML) that turns the rows of CSV/XLSX files into "
            "entities, e.g. an invoice ledger's supplier, buyer, goods and amount "
            "(see docs/ingest.md).",
            show_default=False,
        ),
    ] = None,
    max_size_mb: Annotated[
        float | None,
        typer.Option(
            "--max-size-mb",
            help="Refuse files larger than this (default: max_document_mb, 50).",
            show_default=False,
        ),
    ] = None,
    no_ocr: Annotated[
        bool, typer.Option("--no-ocr", help="Do not run OCR on scans and images.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on standard output.")
    ] = False,
) -> None:
    """Read documents into the store: their text, metadata and a SHA-256 id.

    Ingesting the same file again changes nothing, so an interrupted run resumes
    where it stopped. A file that cannot be read is reported with the reason and the
    rest of the batch goes on; the exit code is 1 when any file failed. Email
    attachments and zip members are ingested in turn. A document in a language the
    extraction model does not read is stored and marked 'not extracted'.
    """
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from redthread.ingest import Ingester, MappingError, ReadOptions, iter_inputs, load_mapping
    from redthread.ingest.parties import case_dataset

    state: State = ctx.obj
    settings = state.settings
    limit_mb = max_size_mb if max_size_mb is not None else settings.max_document_mb
    if limit_mb <= 0:
        fail("--max-size-mb must be above 0")
    query = None
    if mapping is not None:
        try:
            query = load_mapping(mapping, case_dataset(case))
        except MappingError as exc:
            fail(str(exc))
    options = ReadOptions(max_bytes=int(limit_mb * 2**20), mapping=query, ocr=not no_ocr)
    inputs = list(iter_inputs(paths))
    with open_store(state) as store:
        ingester = Ingester.for_model(store, settings.spacy_model, case, options)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
            disable=as_json or not err_console.is_terminal,
        ) as progress:
            task = progress.add_task("ingesting", total=len(inputs))

            def advance(source: str) -> None:
                progress.update(task, advance=1, description=f"ingesting {Path(source).name}")

            summary = ingester.ingest_inputs(inputs, progress=advance)
    if as_json:
        console.print_json(json.dumps(summary.to_dict()))
    else:
        for outcome in summary.outcomes:
            if outcome.status == "failed":
                err_console.print(
                    f"[red]failed[/] {outcome.source}: {outcome.reason}", highlight=False
                )
            elif outcome.not_extracted and outcome.status == "ingested":
                console.print(
                    f"[yellow]stored, not extracted[/] {outcome.source}: {outcome.reason}",
                    highlight=False,
                )
        counts = summary.counts()
        console.print(
            f"ingested {counts['ingested']}, unchanged {counts['unchanged']}, "
            f"failed {counts['failed']}, not extracted {counts['not_extracted']}"
            + (f" (case '{case}')" if case else ""),
            highlight=False,
        )
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def documents(
    ctx: typer.Context,
    case: Annotated[
        str | None, typer.Option("--case", help="Only the documents of this case.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines instead.")] = False,
) -> None:
    """List the stored documents: id, title, source, language, status."""
    import json

    state: State = ctx.obj
    with open_store(state) as store:
        docs = store.documents(case)
        cases = store.cases()
    if as_json:
        for doc in docs:
            print(
                json.dumps(
                    {
                        "id": doc.id,
                        "source": doc.source,
                        "media_type": doc.media_type,
                        "title": doc.title,
                        "published": doc.published.isoformat() if doc.published else None,
                        "language": doc.language,
                        "status": doc.status.value,
                        "note": doc.note,
                        "characters": len(doc.text),
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table("id", "title", "source", "language", "status")
    for doc in docs:
        status = doc.status.value + (f" ({doc.note})" if doc.note else "")
        table.add_row(doc.id[:12], doc.title or "", doc.source, doc.language or "?", status)
    console.print(table)
    if cases and case is None:
        console.print("cases: " + ", ".join(f"{name} ({count})" for name, count in cases))


@app.command()
def extract(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders to ingest and extract. Without any, the stored documents "
            "still pending extraction (of --case) are extracted.",
            show_default=False,
        ),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option("--case", help="The case the documents belong to (created when new)."),
    ] = None,
    listed_names: Annotated[
        bool,
        typer.Option(
            "--listed-names/--no-listed-names",
            help="Also find the names of the loaded sanctions lists (two words or more) where "
            "the language model sees none.",
        ),
    ] = True,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print one JSON object per document: entities (id, schema, names, mentions, "
            "identifiers), relations (type = the FtM schema, role, source, target, stance, "
            "attributed_to, evidence) and claims.",
        ),
    ] = False,
    engine: EngineOption = Engine.local,
    master: MasterOption = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="With --engine spark: the folder for the Parquet output (documents, "
            "statements, evidence, claims, errors), to put into a store with redthread load.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="A followthemoney mapping (YAML) that turns the rows of CSV/XLSX files into "
            "FtM entities, as for redthread ingest (docs/ingest.md).",
            exists=True,
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Find the parties, places and products of documents, and the relations their
    sentences state (ownership, intermediaries, roles, deliveries, payments...), each
    with the sentence that says so, who says it, and whether it is denied.

    Results go into the store; entity and relation ids are the same on every run.

    With --engine spark, the files and folders (or Parquet tables of texts, column
    text) are read and extracted on Spark executors, with the same functions, into
    --output; then `redthread load DIR` puts them into the store (docs/scale.md):\n
      redthread extract --engine spark leaks/ --output extracted/\n
      redthread load extracted/
    """
    import json

    from redthread.ingest import MappingError, make_mapping, read_mapping
    from redthread.ingest.parties import case_dataset

    query = None
    if mapping is not None:
        if not paths:
            fail("--mapping goes with files or folders to read", code=2)
        try:
            query = read_mapping(mapping, case_dataset(case))
        except MappingError as exc:
            fail(str(exc))
    if engine is Engine.spark:
        _extract_spark(ctx.obj, paths or [], output_dir, case, listed_names, master, query)
        return
    if output_dir is not None:
        fail("--output goes with --engine spark (the local engine stores what it finds)", code=2)

    from redthread.extract import extract_documents
    from redthread.extract.ftm import claims
    from redthread.ingest import Ingester, ReadOptions

    state: State = ctx.obj
    settings = state.settings
    with open_store(state) as store:
        if paths:
            ingester = Ingester.for_model(
                store,
                settings.spacy_model,
                case,
                ReadOptions(
                    max_bytes=int(settings.max_document_mb * 2**20),
                    mapping=make_mapping(query, case_dataset(case)) if query else None,
                ),
            )
            summary = ingester.ingest_paths(paths)
            for failed in summary.failed:
                err_console.print(f"[red]failed[/] {failed.source}: {failed.reason}")
            ids = [o.document_id for o in summary.outcomes if o.status != "failed"]
            documents = [d for i in dict.fromkeys(ids) if i and (d := store.get_document(i))]
        else:
            documents = [d for d in store.documents(case) if d.status.value == "pending"]
        gazetteer = _gazetteer(state, store) if listed_names and documents else None
        try:
            outcomes = list(
                extract_documents(
                    store,
                    documents,
                    settings.spacy_model,
                    case,
                    settings.max_extract_chars,
                    gazetteer,
                    os.cpu_count() or 1,
                )
            )
        except OSError as exc:
            fail(f"cannot load the spaCy model '{settings.spacy_model}': {exc}")
    for outcome in outcomes:
        extraction = outcome.extraction
        if as_json:
            data: dict[str, object] = {
                "document": outcome.document.id,
                "source": outcome.document.source,
            }
            if extraction is None:
                data["not_extracted"] = outcome.reason
            else:
                data.update(extraction.to_dict())
                data["claims"] = [
                    {
                        "relation": claim.entity_id,
                        "stance": claim.stance.value,
                        "attributed_to": claim.attributed_to,
                        "evidence": {
                            "document": claim.evidence.document_id,
                            "start": claim.evidence.start,
                            "end": claim.evidence.end,
                            "text": claim.evidence.text,
                        },
                    }
                    for claim in claims(extraction)
                ]
            print(json.dumps(data, ensure_ascii=False))
            continue
        title = outcome.document.title or outcome.document.source
        if extraction is None:
            console.print(f"[yellow]not extracted[/] {title}: {outcome.reason}", highlight=False)
            continue
        names = {e.id: e.caption for e in extraction.entities}
        console.print(
            f"[bold]{title}[/]: {len(extraction.entities)} entities, "
            f"{len(extraction.relations)} relations",
            highlight=False,
        )
        for relation in extraction.relations:
            said = relation.attributed_to.text if relation.attributed_to else ""
            console.print(
                f"  {names.get(relation.source)} —{relation.type} ({relation.role})→ "
                f"{names.get(relation.target)}"
                + ("" if relation.stance.value == "asserted" else f" [{relation.stance.value}]")
                + (f" according to {said}" if said else ""),
                highlight=False,
                markup=False,
            )
    if paths and summary.failed:
        raise typer.Exit(1)


def _gazetteer(state: State, store: Store) -> Any:
    """The names of the active lists, for extraction; None when no list is loaded."""
    from redthread.extract.gazetteer import Gazetteer
    from redthread.match.screen import ScreeningError, active_versions, load_index

    try:
        versions = active_versions(store)
    except ScreeningError:  # no list loaded
        return None
    with console.status("reading the loaded lists' names..."):
        index = load_index(store, state.settings.data_dir, versions)
        return Gazetteer(index.names())


@app.command()
def export(
    ctx: typer.Context,
    output_format: Annotated[
        str, typer.Option("--format", help="ftm: FtM entities as JSON lines.")
    ] = "ftm",
    case: Annotated[
        str | None,
        typer.Option("--case", help="Only this case's entities (default: documents without one)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write what extraction stored as FtM entities (JSON lines), readable by Aleph,
    followthemoney and OpenSanctions' tools. Each link keeps its stance in 'status'."""
    import json

    from redthread.export import ftm_entities

    if output_format != "ftm":
        fail(f"unknown format {output_format!r}: use ftm")
    from redthread.ingest.parties import case_dataset

    state: State = ctx.obj
    with open_store(state) as store:
        entities = ftm_entities(store, case_dataset(case))
    lines = [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in entities]
    if output is None:
        for line in lines:
            print(line)
    else:
        output.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        console.print(f"wrote {len(lines)} entities to {output}")


@app.command()
def investigate(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Documents: files and folders (read recursively), as for 'redthread ingest'.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for findings.json, report.html, case.ftm.json, graph.graphml and "
            "graph.gexf.",
        ),
    ],
    lists: Annotated[
        list[str] | None,
        typer.Option(
            "--list",
            help="A loaded list to screen against (its name), or list files to load first "
            "(a path). Repeat for several; default: every loaded list.",
            show_default=False,
        ),
    ] = None,
    case: Annotated[
        str, typer.Option("--case", help="The case's name (documents are kept in it).")
    ] = "investigation",
    ownership: Annotated[
        Path | None,
        typer.Option(
            "--ownership",
            help="A CSV ownership table (owner, asset, percentage, source) for the 50% rule.",
            show_default=False,
        ),
    ] = None,
    max_hops: Annotated[
        int | None,
        typer.Option(
            "--max-hops",
            help="How far exposure paths go (default: exposure_max_hops, 3).",
            show_default=False,
        ),
    ] = None,
    threshold: ThresholdOption = None,
) -> None:
    """From a folder of documents to a report an editor or a compliance officer can act on.

    Ingests and extracts the documents, merges each party across documents, screens
    every person and organisation against the lists, builds the graph of relations
    and the lists' own links, finds each party's paths to sanctioned ones and applies
    OFAC's 50% rule, and writes the findings (see docs/findings.md).
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from redthread.ingest import ReadOptions
    from redthread.investigate import InvestigationError
    from redthread.investigate import investigate as run_investigation
    from redthread.lists import BadRowsError, ListFormatError, load_list, read_list
    from redthread.match.screen import ScreeningError, active_versions, load_index
    from redthread.report.findings import save_findings
    from redthread.report.outputs import write_outputs

    state: State = ctx.obj
    settings = state.settings
    cutoff = threshold if threshold is not None else settings.match_threshold
    with open_store(state) as store:
        names: list[str] = []
        for item in lists or []:
            path = Path(item)
            if path.exists():
                try:
                    with console.status(f"loading list files {item}..."):
                        list_name = re.sub(r"[^a-z0-9_]+", "_", path.stem.lower()).strip("_")
                        parsed = read_list([path], name=list_name or "list")
                        result = load_list(store, parsed)
                except (ListFormatError, BadRowsError) as exc:
                    fail(str(exc))
                _keep_index(state, result)
                names.append(result.version.name)
            else:
                names.append(item)
        try:
            versions = active_versions(store, names or None)
        except ScreeningError as exc:
            if names:
                fail(str(exc))
            versions = []
            err_console.print("[yellow]no list is loaded: nobody will be screened[/]")
        index = None
        links: list[ListLink] = []
        if versions:
            with console.status("reading the lists..."):
                index = load_index(store, settings.data_dir, versions)
                links = _list_links(store, versions)
        try:
            with Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err_console,
                transient=True,
                disable=not err_console.is_terminal,
            ) as progress:
                task = progress.add_task("reading", total=None)

                def advance(stage: str, done: int, total: int) -> None:
                    progress.update(task, description=stage, completed=done, total=total)

                findings = run_investigation(
                    store,
                    paths,
                    case=case,
                    model_name=settings.spacy_model,
                    index=index,
                    lists=versions,
                    threshold=cutoff,
                    max_hops=max_hops or settings.exposure_max_hops,
                    ownership_table=ownership,
                    list_links=links,
                    read_options=ReadOptions(max_bytes=int(settings.max_document_mb * 2**20)),
                    max_chars=settings.max_extract_chars,
                    workers=os.cpu_count() or 1,
                    progress=advance,
                )
        except InvestigationError as exc:
            fail(str(exc))
        written = write_outputs(findings, out)
        save_findings(store, findings)  # for the web app (redthread serve)
    for failed in findings.ingest.failed:
        err_console.print(f"[red]failed[/] {failed.source}: {failed.reason}", highlight=False)
    levels: dict[str, int] = {}
    for exposure in findings.exposure.values():
        levels[exposure.level] = levels.get(exposure.level, 0) + 1
    console.print(
        f"{len(findings.documents)} documents, {len(findings.entities)} entities, "
        f"{len(findings.relations)} relations; "
        + ", ".join(f"{level}: {count}" for level, count in sorted(levels.items())),
        highlight=False,
    )
    console.print("wrote " + ", ".join(str(p) for p in written), highlight=False)


def _list_links(store: Store, versions: list[Any]) -> list[ListLink]:
    """The lists' own links between their parties (OFAC 'Linked To:')."""
    return [link for version in versions for link in store.list_links(version)]


@app.command()
def rescreen(
    ctx: typer.Context,
    case: Annotated[
        str, typer.Option("--case", help="The investigated case whose parties to screen again.")
    ] = "investigation",
    threshold: ThresholdOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also write the case's files anew into this folder (findings.json, "
            "report.html, case.ftm.json, graph.graphml, graph.gexf).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Screen a case's parties again against the lists as they are now, and say what
    changed since the last run: new hits, removed hits, changed scores. The run is
    recorded beside the earlier ones, which stay as they were.

    An investigated case is also assessed again (exposure, the 50% rule, the timeline,
    with the reviewers' decisions as they are now), without reading or extracting its
    documents again: the web pages show the result, and --out writes its files."""
    import json

    from redthread.investigate import reassess
    from redthread.match.screen import ScreeningError, active_versions, load_index
    from redthread.report.findings import save_findings
    from redthread.report.outputs import write_outputs
    from redthread.rescreen import RescreenError
    from redthread.rescreen import rescreen as run_rescreen

    state: State = ctx.obj
    settings = state.settings
    cutoff = threshold if threshold is not None else settings.match_threshold
    written: list[Path] = []
    with open_store(state) as store:
        try:
            versions = active_versions(store)
            with console.status("screening again..."):
                index = load_index(store, settings.data_dir, versions)
                before, after, changes = run_rescreen(store, index, versions, cutoff, case)
        except (ScreeningError, RescreenError) as exc:
            fail(str(exc))
        if store.latest_findings(case) is not None:
            with console.status("assessing the case again..."):
                findings = reassess(
                    store,
                    case,
                    index=index,
                    lists=versions,
                    threshold=cutoff,
                    max_hops=settings.exposure_max_hops,
                    list_links=_list_links(store, versions),
                    record=False,  # the rescreen's run is this screening
                )
                save_findings(store, findings)
                if out is not None:
                    written = write_outputs(findings, out)
        elif out is not None:
            fail(f"case {case!r} has no findings to write: run redthread investigate first")
    if as_json:
        print(
            json.dumps(
                {"previous_run": before, "run": after, "changes": [c.to_dict() for c in changes]},
                ensure_ascii=False,
            )
        )
        return
    lists = ", ".join(f"{v.name}@{v.id}" for v in versions)
    console.print(f"run {after} against {lists}; compared with run {before}", highlight=False)
    if written:
        console.print("wrote " + ", ".join(str(p) for p in written), highlight=False)
    if not changes:
        console.print("no change")
    for change in changes:
        scores = " → ".join("-" if s is None else f"{s:.2f}" for s in (change.before, change.after))
        console.print(
            f"{change.kind}: {change.names[0]} / {change.caption} "
            f"({change.list}-{change.list_entity_id}) {scores}",
            highlight=False,
            markup=False,
        )


#: Hosts a server may listen on without accounts: this machine only.
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to listen on; beyond this machine only once users exist "
            "(redthread users add).",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Server processes (each holds the list index in memory)."
        ),
    ] = 1,
) -> None:
    """Serve the web app and the matching API. The pages (http://HOST:PORT/): search,
    the investigated cases with their parties, documents and graph, screening, review
    and the lists; each page has a JSON twin (?format=json); see docs/web.md. The API:
    yente's /match, /search and /entities, so that yente's clients work unchanged; the
    OpenAPI description at /docs.

    Without users the server answers anyone on this machine and refuses to listen
    on any other address. Once users exist (redthread users add), every request
    needs a sign-in (pages) or a token (redthread users token NAME; header
    Authorization: Bearer TOKEN)
    and --host may be another address. Use TLS in front of it: a reverse proxy
    (docs/server.md).

    Example:\n
      redthread serve --port 8000\n
      curl localhost:8000/match/default -H 'content-type: application/json' -d
      '{"queries": {"q1": {"schema": "Company", "properties": {"name": ["Kupol"]}}}}'
    """
    import uvicorn

    from redthread.web.accounts import accounts_exist
    from redthread.web.app import create_app

    state: State = ctx.obj
    settings = state.settings
    with open_store(state) as store:
        if host not in LOOPBACK and not accounts_exist(store):
            fail(
                f"refusing to listen on {host}: the server has no users, so anyone who can "
                "reach it could use it. Add one first (redthread users add NAME), or keep "
                "to 127.0.0.1 (docs/server.md).",
                code=2,
            )
        if not store.list_versions(active_only=True):
            err_console.print(
                "[yellow]no list is loaded[/]: /match answers 503 until one is "
                "(redthread lists load --bundled)"
            )
    if workers > 1:
        os.environ["REDTHREAD_DATA_DIR"] = str(settings.data_dir)
        if settings.database_url:
            os.environ["REDTHREAD_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "redthread.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


users_app = typer.Typer(
    help=(
        "The server's users and their API tokens. Roles: viewer (search, screen, read), "
        "analyst (also decide on matches), admin (also manage users). Once a user exists, "
        "every request to the server needs a token.\n\nWithout a subcommand, lists the users."
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(users_app, name="users")

RoleOption = Annotated[
    str, typer.Option("--role", help="viewer, analyst or admin.", show_default=True)
]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input (for scripts)."),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.callback()
def users_main(ctx: typer.Context) -> None:
    """The server's users. Without a subcommand: list them, with their tokens."""
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    with open_store(state) as store:
        users, tokens = store.users(), store.tokens()
    if not users:
        console.print("no users: the server answers anyone on this machine, and nobody else")
        return
    for user in users:
        mine = [t for t in tokens if t["user"] == user["name"] and not t["revoked"]]
        state_text = "disabled" if user["disabled"] else f"{len(mine)} token(s)"
        console.print(f"{user['name']}  {user['role']}  {state_text}", highlight=False)
        for token in mine:
            console.print(f"    token {token['id']} {token['label']}", highlight=False)


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.", show_default=False)],
    role: RoleOption = "viewer",
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user (the password is asked for; at least 12 characters)."""
    from redthread.web.accounts import AccountError, add_user

    with open_store(ctx.obj) as store:
        try:
            add_user(store, name, _password(password_stdin), role)
        except AccountError as exc:
            fail(str(exc), code=2)
    console.print(f"added {name} ({role}); make a token with: redthread users token {name}")


@users_app.command("set")
def users_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.", show_default=False)],
    role: Annotated[
        str | None, typer.Option("--role", help="A new role.", show_default=False)
    ] = None,
    password: Annotated[
        bool, typer.Option("--password", help="Set a new password (asked for).")
    ] = False,
    password_stdin: PasswordStdin = False,
    disable: Annotated[
        bool | None,
        typer.Option(
            "--disable/--enable",
            help="Turn the account off (tokens stop working).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Change a user's role or password, or disable or enable the account."""
    from redthread.web.accounts import AccountError, change_user

    new_password = _password(password_stdin) if password or password_stdin else None
    with open_store(ctx.obj) as store:
        try:
            change_user(store, name, password=new_password, role=role, disabled=disable)
        except AccountError as exc:
            fail(str(exc), code=2)
    console.print(f"changed {name}")


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.", show_default=False)],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
) -> None:
    """Make an API token for a user. It is shown once: keep it somewhere safe."""
    from redthread.web.accounts import AccountError, new_token

    with open_store(ctx.obj) as store:
        try:
            token = new_token(store, name, label)
        except AccountError as exc:
            fail(str(exc), code=2)
    print(token)
    err_console.print("shown once: send it as the header  Authorization: Bearer <token>")


@users_app.command("revoke")
def users_revoke(
    ctx: typer.Context,
    token_id: Annotated[
        int, typer.Argument(help="The token's number (redthread users lists them).")
    ],
) -> None:
    """Revoke an API token (refused by the server within 5 seconds)."""
    from redthread.web.accounts import AccountError, revoke_token

    with open_store(ctx.obj) as store:
        try:
            revoke_token(store, token_id)
        except AccountError as exc:
            fail(str(exc), code=2)
    console.print(f"revoked token {token_id}")


review_app = typer.Typer(
    help=(
        "Reviewers' decisions on matches and merges: the audit log, and deciding from the "
        "command line (the web app's review forms do the same; docs/web.md). A dismissed "
        "match stays dismissed in later screenings until the list changes that entry."
        "\n\nWithout a subcommand, prints the audit log."
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(review_app, name="review")

ReasonOption = Annotated[str, typer.Option("--reason", help="Why (required).")]
ReviewerOption = Annotated[
    str, typer.Option("--reviewer", help="Who decides (default: your system user).")
]


@review_app.callback()
def review_main(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Option("--case", help="Only this case's decisions.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the log as JSON.")] = False,
) -> None:
    """The audit log, newest first: who decided what, when, against which list version."""
    if ctx.invoked_subcommand is not None:
        return
    import json

    with open_store(ctx.obj) as store:
        reviews = store.reviews(case=case)
    if as_json:
        print(json.dumps(reviews, default=str, ensure_ascii=False, indent=2))
        return
    if not reviews:
        console.print("no decision yet")
    for r in reviews:
        what = r["list_entity_id"] or f"{len(r['members'])} merged entities"
        console.print(
            f"{r['created_at']:%Y-%m-%d %H:%M}  {r['reviewer']}  {r['decision']} {r['kind']}  "
            f"{', '.join(r['party_names']) or r['party']} / {what}"
            + (f" (list version {r['list_version']})" if r["list_version"] else "")
            + f": {r['reason']}",
            highlight=False,
        )


@review_app.command("match")
def review_match(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The screened party's name.", show_default=False)],
    entity_id: Annotated[
        str, typer.Argument(help="The listed entity, as results give it (ofac-46431).")
    ],
    dismiss: Annotated[
        bool,
        typer.Option("--dismiss/--confirm", help="Dismiss (a false positive) or confirm."),
    ] = True,
    reason: ReasonOption = "",
    reviewer: ReviewerOption = "",
) -> None:
    """Dismiss or confirm a match of a party (by name) with a listed entity; later
    screenings of that name respect it while the list entry is unchanged.

    Example:\n
      redthread review match "Kupol Trading" ofac-46431 --dismiss --reason "another company"
    """
    from redthread.match.screen import active_versions
    from redthread.review import ReviewError, name_key, record_decision
    from redthread.web.security import local_user

    with open_store(ctx.obj) as store:
        try:
            review_id = record_decision(
                store,
                active_versions(store),
                reviewer=reviewer or local_user().name,
                kind="match",
                decision="dismissed" if dismiss else "confirmed",
                reason=reason,
                party=f"name:{name_key(name)}",
                names=[name],
                entity_id=entity_id,
            )
        except ReviewError as exc:
            fail(str(exc), code=2)
    console.print(f"decision {review_id} recorded", highlight=False)


@review_app.command("merge")
def review_merge(
    ctx: typer.Context,
    case: Annotated[str, typer.Argument(help="The investigated case.", show_default=False)],
    entity_id: Annotated[
        str, typer.Argument(help="The merged party's id (findings.json, merges[].entity).")
    ],
    undo: Annotated[
        bool, typer.Option("--undo/--confirm", help="Undo the merge, or confirm it.")
    ] = True,
    reason: ReasonOption = "",
    reviewer: ReviewerOption = "",
) -> None:
    """Undo (or confirm) a merge of the case's last investigation: an undone merge's
    members stay apart the next time the case is investigated.

    Example:\n
      redthread review merge Garpiya 5109a594... --undo --reason "two firms of that name"
    """
    from redthread.review import ReviewError, record_decision
    from redthread.web.security import local_user

    with open_store(ctx.obj) as store:
        latest = store.latest_findings(case)
        if latest is None:
            fail(f"case {case!r} was never investigated: run redthread investigate first", 2)
        merges = [m for m in latest[1]["merges"] if m["entity"] == entity_id]
        if not merges:
            fail(f"{entity_id!r} is not a merged party of case {case!r}", 2)
        names = next(
            (e["names"] for e in latest[1]["entities"] if e["id"] == entity_id), [entity_id]
        )
        try:
            review_id = record_decision(
                store,
                [],
                reviewer=reviewer or local_user().name,
                kind="merge",
                decision="dismissed" if undo else "confirmed",
                reason=reason,
                party=entity_id,
                names=names,
                case=case,
                members=merges[0]["members"],
            )
        except ReviewError as exc:
            fail(str(exc), code=2)
    console.print(f"decision {review_id} recorded", highlight=False)
