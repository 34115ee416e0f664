"""Extract: entities, relations and claims with their evidence. See docs/extraction.md."""

from redthread.extract.ftm import to_ftm
from redthread.extract.pipeline import extract_text, load_nlp
from redthread.extract.run import ExtractOutcome, extract_documents

__all__ = [
    "ExtractOutcome",
    "extract_documents",
    "extract_text",
    "load_nlp",
    "to_ftm",
]
