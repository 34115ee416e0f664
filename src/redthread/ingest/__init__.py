"""Ingest: files in, documents (text, metadata, SHA-256 id) stored. See docs/ingest.md."""

from redthread.ingest.readers import ReadError, ReadOptions, ReadResult, read_file
from redthread.ingest.run import Ingester, IngestOutcome, IngestSummary, iter_inputs
from redthread.ingest.tables import MappingError, load_mapping, make_mapping, read_mapping

__all__ = [
    "IngestOutcome",
    "IngestSummary",
    "Ingester",
    "MappingError",
    "ReadError",
    "ReadOptions",
    "ReadResult",
    "iter_inputs",
    "load_mapping",
    "make_mapping",
    "read_file",
    "read_mapping",
]
