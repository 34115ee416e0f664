"""``lists update``: download a list from its publisher, verify it, and only then activate it.

Verification, in order: every file downloads completely (HTTP 200, as many bytes
as announced), parses completely (no malformed row), and lists at least
``min_entity_ratio`` of the parties of the active version. Only then is the new
version stored and activated, in one transaction; on any failure the active list
stays exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from pathlib import Path

from redthread.lists.common import ListFormatError, ParsedList
from redthread.lists.load import LoadResult, load_list, read_list
from redthread.store import Store

#: OFAC's files, as named on its download service, and the name redthread gives each.
OFAC_FILES = (
    ("SDN.CSV", "sdn.csv", True),
    ("ALT.CSV", "alt.csv", True),
    ("ADD.CSV", "add.csv", True),
    ("SDN_COMMENTS.CSV", "sdn_comments.csv", False),  # may be absent: few remarks overflow
)
UPDATABLE = ("ofac",)
CHUNK = 1 << 16


class UpdateError(Exception):
    """A download or its verification failed; the active list was left as it was."""


@dataclass(frozen=True)
class Download:
    """One downloaded file."""

    url: str
    path: Path
    size: int
    last_modified: datetime | None


def download(url: str, target: Path, *, timeout: float, required: bool = True) -> Download | None:
    """Fetch ``url`` into ``target``; refuse anything but a complete HTTP 200 response.

    Returns None for a missing optional file (HTTP 404 with ``required`` false).
    """
    request = urllib.request.Request(url, headers={"User-Agent": "redthread (sanctions screening)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            expected = response.headers.get("Content-Length")
            modified = response.headers.get("Last-Modified")
            size = 0
            with target.open("wb") as out:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    size += len(chunk)
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and not required:
            return None
        raise UpdateError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, HTTPException, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise UpdateError(f"{url}: download failed ({reason})") from None
    if expected is not None and expected.isdigit() and int(expected) != size:
        raise UpdateError(f"{url}: truncated download ({size} of {expected} bytes)")
    if size == 0:
        raise UpdateError(f"{url}: the server sent an empty file")
    last_modified = None
    if modified:
        try:
            last_modified = parsedate_to_datetime(modified)
        except (TypeError, ValueError):
            last_modified = None
    return Download(url, target, size, last_modified)


def check_plausible(parsed: ParsedList, store: Store, min_ratio: float) -> None:
    """Refuse a list with far fewer parties than the active version (a partial publication)."""
    active = store.list_versions(name=parsed.name, active_only=True)
    if not active:
        return
    previous = active[0].entity_count
    found = len(parsed.listed_entities())
    if previous and found < previous * min_ratio:
        raise UpdateError(
            f"the download lists {found} parties, the active version {previous}: fewer than "
            f"{min_ratio:.0%} is implausible, so it was not loaded (check the source, or lower "
            "min_entity_ratio)"
        )


def update_ofac(
    store: Store,
    *,
    base_url: str,
    data_dir: Path,
    name: str = "ofac",
    timeout: float = 60.0,
    min_entity_ratio: float = 0.9,
    allow_bad_rows: bool = False,
) -> LoadResult:
    """Download OFAC's current files, verify them, store and activate them as a new version.

    The files are kept in ``data_dir/lists/<name>/<sha256>/`` as the version's provenance.
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    downloads_dir = data_dir / "downloads"
    downloads_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=downloads_dir, prefix=f"{name}-") as tmp:
        folder = Path(tmp)
        fetched: list[Download] = []
        for remote, local, required in OFAC_FILES:
            result = download(base + remote, folder / local, timeout=timeout, required=required)
            if result is not None:
                fetched.append(result)
        sdn = fetched[0]
        published: date = (sdn.last_modified or datetime.now(UTC)).date()
        try:
            parsed = read_list(
                [d.path for d in fetched], name=name, published=published, format="ofac"
            )
        except ListFormatError as exc:
            raise UpdateError(f"the download is not a usable list: {exc}") from None
        if parsed.issues and not allow_bad_rows:
            first = parsed.issues[0]
            raise UpdateError(
                f"the download has {len(parsed.issues)} malformed row(s) (first: {first.file} "
                f"line {first.line}: {first.reason}), perhaps a truncated file; not loaded"
            )
        check_plausible(parsed, store, min_entity_ratio)
        keep = data_dir / "lists" / name / parsed.sha256
        if not keep.exists():
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder, keep)
        parsed.files = [replace(f, path=str(keep / Path(f.path).name)) for f in parsed.files]
    return load_list(store, parsed, allow_bad_rows=allow_bad_rows)
