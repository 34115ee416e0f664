"""Extracting stored documents and storing what they state."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from redthread.extract.ftm import save_extraction
from redthread.extract.gazetteer import Gazetteer
from redthread.extract.pipeline import MAX_CHARS, TooLong, extract_text
from redthread.ingest.parties import case_dataset
from redthread.model import Document, DocumentStatus
from redthread.model.extraction import Extraction
from redthread.store import Store


@dataclass(frozen=True)
class ExtractOutcome:
    """A document and what came of it: its extraction, or why there is none."""

    document: Document
    extraction: Extraction | None
    reason: str | None = None


def extract_documents(
    store: Store,
    documents: Iterable[Document],
    model_name: str,
    case: str | None = None,
    max_chars: int = MAX_CHARS,
    gazetteer: Gazetteer | None = None,
) -> Iterator[ExtractOutcome]:
    """Extract each document and store the result (one transaction per document). A
    document marked not extracted (its language, no text) is passed over with its note;
    extracting a document again stores nothing new (the same ids). A document longer
    than ``max_chars`` is marked not extracted, with the limit in its note.
    ``gazetteer``: the names of the loaded lists, found where the model sees none."""
    dataset = case_dataset(case)
    for document in documents:
        if document.status is DocumentStatus.NOT_EXTRACTED:
            yield ExtractOutcome(document, None, document.note or "not extracted")
            continue
        try:
            extraction = extract_text(document.text, document.id, model_name, max_chars, gazetteer)
        except TooLong as exc:
            with store.transaction() as writer:
                writer.set_document_status(document.id, DocumentStatus.NOT_EXTRACTED, str(exc))
            yield ExtractOutcome(document, None, str(exc))
            continue
        save_extraction(store, extraction, document, dataset)
        yield ExtractOutcome(document, extraction)
