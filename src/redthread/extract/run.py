"""Extracting stored documents and storing what they state."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from redthread.extract.ftm import ExtractionRecords, extraction_records, save_records
from redthread.extract.gazetteer import Gazetteer
from redthread.extract.pipeline import MAX_CHARS, TooLong, extract_text, load_nlp
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
    workers: int = 1,
) -> Iterator[ExtractOutcome]:
    """Extract each document and store the result (one transaction per document). A
    document marked not extracted (its language, no text) is passed over with its note;
    extracting a document again stores nothing new (the same ids). A document longer
    than ``max_chars`` is marked not extracted, with the limit in its note.
    ``gazetteer``: the names of the loaded lists, found where the model sees none.
    ``workers`` processes extract in parallel (forked, sharing the loaded model) and
    turn what they find into the store's records; this process stores them, in the
    documents' order."""
    dataset = case_dataset(case)
    pending = list(documents)
    for document, result in zip(
        pending,
        _extractions(pending, dataset, model_name, max_chars, gazetteer, workers),
        strict=True,
    ):
        if document.status is DocumentStatus.NOT_EXTRACTED:
            yield ExtractOutcome(document, None, document.note or "not extracted")
        elif isinstance(result, str):
            with store.transaction() as writer:
                writer.set_document_status(document.id, DocumentStatus.NOT_EXTRACTED, result)
            yield ExtractOutcome(document, None, result)
        elif result is not None:
            extraction, records = result
            save_records(store, document.id, records)
            yield ExtractOutcome(document, extraction)


#: What the forked workers inherit: the model's name, the limit, the gazetteer.
_WORKER: dict[str, Any] = {}
#: Fewer documents than this are extracted in this process.
PARALLEL_FROM = 4


#: A document's extraction and the records the store keeps of it.
Extracted = tuple[Extraction, ExtractionRecords]


def _extractions(
    documents: list[Document],
    dataset: str,
    model_name: str,
    max_chars: int,
    gazetteer: Gazetteer | None,
    workers: int,
) -> Iterator[Extracted | str | None]:
    """Each document's extraction and records, or why there is none (a message), or
    None when it is not to be extracted; in the documents' order."""
    tasks = [None if d.status is DocumentStatus.NOT_EXTRACTED else (d, dataset) for d in documents]
    todo = sum(task is not None for task in tasks)
    if workers <= 1 or todo < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        _WORKER.update(model=model_name, max_chars=max_chars, gazetteer=gazetteer)
        try:
            yield from (_extract_one(task) for task in tasks)
        finally:
            _WORKER.clear()
        return
    load_nlp(model_name)  # loaded once, before forking: the workers share it
    _WORKER.update(model=model_name, max_chars=max_chars, gazetteer=gazetteer)
    try:
        with mp.get_context("fork").Pool(min(workers, todo)) as pool:
            yield from pool.imap(_extract_one, tasks)
    finally:
        _WORKER.clear()


def _extract_one(task: tuple[Document, str] | None) -> Extracted | str | None:
    if task is None:
        return None
    document, dataset = task
    try:
        extraction = extract_text(
            document.text, document.id, _WORKER["model"], _WORKER["max_chars"], _WORKER["gazetteer"]
        )
    except TooLong as exc:
        return str(exc)
    return extraction, extraction_records(extraction, document, dataset)
