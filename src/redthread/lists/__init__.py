"""Official lists: parse their files into FtM entities and store them as versions."""

from redthread.lists.common import ListFormatError, ParsedList, SourceFile
from redthread.lists.load import (
    BUNDLED_NAME,
    BUNDLED_PUBLISHED,
    BadRowsError,
    LoadResult,
    bundled_list_files,
    load_list,
    read_list,
)

__all__ = [
    "BUNDLED_NAME",
    "BUNDLED_PUBLISHED",
    "BadRowsError",
    "ListFormatError",
    "LoadResult",
    "ParsedList",
    "SourceFile",
    "bundled_list_files",
    "load_list",
    "read_list",
]
