"""Official lists: parse their files into FtM entities and store them as versions."""

from redthread.lists.common import ListFormatError, ParsedList, SourceFile
from redthread.lists.diff import EntityChange, ListDiff, diff_lists
from redthread.lists.load import (
    BUNDLED_NAME,
    BUNDLED_PUBLISHED,
    BadRowsError,
    LoadResult,
    ResolvedList,
    bundled_list_files,
    load_list,
    read_list,
    resolve_list,
)
from redthread.lists.update import UPDATABLE, UpdateError, update_ofac
from redthread.lists.watchlist import WatchlistMapping

__all__ = [
    "BUNDLED_NAME",
    "BUNDLED_PUBLISHED",
    "UPDATABLE",
    "BadRowsError",
    "EntityChange",
    "ListDiff",
    "ListFormatError",
    "LoadResult",
    "ParsedList",
    "ResolvedList",
    "SourceFile",
    "UpdateError",
    "WatchlistMapping",
    "bundled_list_files",
    "diff_lists",
    "load_list",
    "read_list",
    "resolve_list",
    "update_ofac",
]
