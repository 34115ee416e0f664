"""Starting (or joining) a Spark session for redthread's batch stages."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: Without --master: every core of this machine.
DEFAULT_MASTER = "local[*]"


class SparkUnavailable(Exception):
    """pyspark (or Java) is missing: the message says how to install it."""


def require_pyspark() -> None:
    """Fail with an install hint where pyspark, pandas or pyarrow is missing."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable(
            f"the Spark engine needs {exc.name}: pip install 'redthread[spark]' "
            "(and Java 17 or newer on the PATH)"
        ) from exc


@contextmanager
def spark_session(master: str | None = None, app_name: str = "redthread") -> Iterator[SparkSession]:
    """The active session (under ``spark-submit``), or a new one on ``master`` (default
    ``local[*]``), stopped at the end when this function started it.

    In local mode the Python workers run this interpreter, so they see the same
    redthread, spaCy model and libraries as the driver. On a cluster the executors
    need them installed (docs/scale.md)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        yield active
        return
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit
    chosen = master or DEFAULT_MASTER
    builder = SparkSession.builder
    if not submitted:  # spark-submit's --master and --conf stand as given
        builder = builder.master(chosen)
        if chosen.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
            builder = builder.config("spark.ui.enabled", "false")
    builder = (
        builder.appName(app_name)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # the Python workers are reused, so each loads the list index and the model once
        .config("spark.python.worker.reuse", "true")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: Java missing, or a bad master URL
        raise SparkUnavailable(f"cannot start Spark on {chosen}: {exc}") from exc
    session.sparkContext.setLogLevel("WARN")
    try:
        yield session
    finally:
        session.stop()
