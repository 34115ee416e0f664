"""Reading list files from disk and storing them as a new list version, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from followthemoney.statement import StatementEntity

from redthread.lists.common import ListFormatError, ParsedList, check_list_name
from redthread.lists.ftm import parse_ftm
from redthread.lists.ofac import parse_ofac
from redthread.lists.watchlist import WatchlistMapping, parse_watchlist
from redthread.model import ListVersion, RowIssue
from redthread.store import Store

#: The list snapshot shipped with redthread, for the demo and for trying things out.
BUNDLED_NAME = "ofac"
BUNDLED_PUBLISHED = date(2024, 5, 3)


class BadRowsError(Exception):
    """A list has malformed rows; it was not loaded. ``issues`` lists every one."""

    def __init__(self, name: str, issues: list[RowIssue]) -> None:
        self.issues = issues
        super().__init__(
            f"{len(issues)} malformed row(s) in list '{name}': it was not loaded, "
            "because a silently skipped row could be a listed party. Fix the file, or load "
            "it with --allow-bad-rows to skip them (they are then recorded with the version)."
        )


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_list` did."""

    version: ListVersion
    parsed: ParsedList
    already_loaded: bool


def bundled_list_files() -> list[Path]:
    """The files of the bundled OFAC snapshot (2024-05-03)."""
    folder = resources.files("redthread") / "data" / "ofac-2024-05-03"
    path = Path(str(folder)) / "sdn.csv"
    if not path.is_file():
        raise ListFormatError(f"the bundled list is missing from this installation ({path})")
    return [path]


def _ofac_kind(path: Path) -> str:
    name = path.name.lower()
    if re.match(r"^(sdn_)?comments.*\.csv$", name) or name.startswith("sdn_comments"):
        return "comments"
    if name.startswith("alt") and name.endswith(".csv"):
        return "alt"
    if name.startswith("add") and name.endswith(".csv"):
        return "add"
    return "sdn"


def _is_list_file(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".json", ".jsonl", ".ndjson", ".ftm")


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the list files directly inside it."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file() and _is_list_file(p)))
        elif path.is_file():
            files.append(path)
        else:
            raise ListFormatError(f"{path} does not exist")
    if not files:
        raise ListFormatError("no list files given (a folder must hold .csv or .json files)")
    return files


FORMATS = ("auto", "ofac", "ftm", "csv")


def detect_format(path: Path) -> str:
    """Guess a list file's format: FtM JSON lines, OFAC legacy CSV, or a watchlist CSV."""
    suffixes = "".join(path.suffixes).lower()
    if suffixes.endswith((".json", ".jsonl", ".ndjson", ".ftm")):
        return "ftm"
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise ListFormatError(f"cannot read {path}: {exc.strerror}") from None
    first = head.lstrip(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0].strip()
    if first.startswith(b"<"):
        raise ListFormatError(
            f"{path.name} is an HTML or XML page, not a list file (a download error page?)"
        )
    if first.startswith(b"{"):
        return "ftm"
    if path.name.lower().startswith(("sdn", "alt", "add")):
        return "ofac"
    if re.match(rb"^\d+,", first) or not first:
        return "ofac"  # OFAC files have no header: the first cell is an ent_num
    return "csv"


def read_list(
    paths: list[Path],
    *,
    name: str,
    published: date | None = None,
    format: str = "auto",
    mapping: WatchlistMapping | None = None,
) -> ParsedList:
    """Parse the files of one list version.

    ``format`` is ``ofac`` (legacy CSV set), ``ftm`` (JSON lines), ``csv`` (in-house
    watchlist, columns mapped by ``mapping``) or ``auto`` to tell by the files.
    OFAC's files are recognised by name: ``alt*.csv`` (aliases), ``add*.csv``
    (addresses), ``sdn_comments*.csv`` (remarks overflow); the one other file is sdn.csv.
    """
    check_list_name(name)
    if format not in FORMATS:
        raise ListFormatError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    files = expand_paths(paths)
    if format == "auto":
        formats = {detect_format(p) for p in files}
        if len(formats) > 1:
            raise ListFormatError(
                "the files are of different formats; give one list's files, or --format"
            )
        format = formats.pop()
    try:
        if format in ("ftm", "csv"):
            if len(files) != 1:
                raise ListFormatError(f"a {format} list is one file, got {len(files)}")
            if format == "ftm":
                return parse_ftm(files[0], name=name, published=published)
            return parse_watchlist(files[0], name=name, mapping=mapping, published=published)
        return _read_ofac(files, name=name, published=published)
    except OSError as exc:
        raise ListFormatError(f"cannot read {exc.filename}: {exc.strerror}") from None


def _read_ofac(files: list[Path], *, name: str, published: date | None) -> ParsedList:
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        by_kind.setdefault(_ofac_kind(path), []).append(path)
    for kind, found in by_kind.items():
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ListFormatError(f"one {kind} file per list version, got {names}")
    if "sdn" not in by_kind:
        raise ListFormatError("no main list file (sdn.csv) among the files given")
    return parse_ofac(
        by_kind["sdn"][0],
        name=name,
        alt=by_kind.get("alt", [None])[0],
        add=by_kind.get("add", [None])[0],
        comments=by_kind.get("comments", [None])[0],
        published=published,
    )


def load_list(
    store: Store, parsed: ParsedList, *, allow_bad_rows: bool = False, activate: bool = True
) -> LoadResult:
    """Store a parsed list as a new version in one transaction, and (by default) activate it.

    Raises :class:`BadRowsError`, storing nothing, when the list has malformed rows and
    ``allow_bad_rows`` is false. A version already stored (same name, same SHA-256) is
    not stored twice; it is made active again.
    """
    if parsed.issues and not allow_bad_rows:
        raise BadRowsError(parsed.name, parsed.issues)
    existing = store.find_list_version(parsed.name, parsed.sha256)
    if existing is not None:
        if activate and not existing.active:
            with store.transaction() as tx:
                tx.activate_list_version(existing)
            existing = store.get_list_version(existing.id or 0) or existing
        return LoadResult(existing, parsed, already_loaded=True)
    version = ListVersion(
        name=parsed.name,
        source=parsed.source,
        sha256=parsed.sha256,
        row_count=parsed.row_count,
        entity_count=len(parsed.listed_entities()),
        published=parsed.published,
        active=activate,
        format=parsed.format,
        issue_count=len(parsed.issues) + len(parsed.dropped),
    )
    with store.transaction() as tx:
        stored = tx.add_list_version(version)
        tx.add_list_statements(stored, parsed.statements(), parsed.listed_ids)
        tx.add_list_issues(stored, [*parsed.issues, *parsed.dropped])
    return LoadResult(stored, parsed, already_loaded=False)


@dataclass(frozen=True)
class ResolvedList:
    """A list version named on the command line, ready to compare or screen against."""

    label: str
    name: str
    entities: list[StatementEntity]


def resolve_list(store: Store, ref: str, *, name: str = "ofac") -> ResolvedList:
    """Find a list version by reference.

    ``ref`` is a stored version (``3``, ``ofac@3``), a list name (its active version),
    or the path of list files not yet loaded (parsed as list ``name``).
    """
    if Path(ref).exists():
        parsed = read_list([Path(ref)], name=name)
        return ResolvedList(ref, name, parsed.entities)
    version: ListVersion | None = None
    list_name, _, version_id = ref.rpartition("@") if "@" in ref else ("", "", ref)
    if version_id.isdigit():
        version = store.get_list_version(int(version_id))
        if version is not None and list_name and version.name != list_name:
            raise ListFormatError(
                f"version {version_id} belongs to list '{version.name}', not '{list_name}'"
            )
    else:
        active = store.list_versions(name=ref, active_only=True)
        version = active[0] if active else None
    if version is None:
        raise ListFormatError(
            f"no list version or file {ref!r}: give a version id (see 'redthread lists'), "
            "a list name, or a path"
        )
    label = f"{version.name}@{version.id} ({version.published or 'unknown date'})"
    return ResolvedList(label, version.name, list(store.list_entities(version)))
