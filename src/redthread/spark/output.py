"""Writing a Spark job's output folder whole or not at all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(output_dir: str) -> Iterator[tuple[str, Path | None]]:
    """Where to write a job's output: for a local folder, a hidden folder beside it, moved
    into its place (replacing an older output) only when the block completes, so a
    failed job leaves no half-written output and the previous one untouched. For a URI
    (hdfs://, s3a://...) the folder itself: Spark's output committer handles it.
    Yields (the path to write to, the local staging folder or None)."""
    if "://" in output_dir:
        yield output_dir, None
        return
    target = Path(output_dir)
    staging = target.with_name(f".{target.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        yield str(staging), staging
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
