"""Ingesting files into the store: walk the inputs, read each file, store each document.

Every document is stored in a transaction of its own, with its case membership and the
entities its file states. A document's id is the SHA-256 of its bytes, so ingesting a
file again changes nothing, and a run that was killed half way resumes where it
stopped when run again. A file that cannot be read is reported and skipped; it never
stops the batch.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from followthemoney.statement import Statement, StatementEntity

from redthread.ingest.language import detect_language, model_language
from redthread.ingest.parties import case_dataset
from redthread.ingest.readers import ReadError, ReadOptions, read_file, too_big_message
from redthread.model import Document, DocumentStatus, sha256_hex
from redthread.store import Store

#: Attachments inside attachments, at most this deep (an email in a zip in an email...).
MAX_DEPTH = 4
STDIN = "-"


@dataclass(frozen=True)
class IngestOutcome:
    """What became of one input: ``ingested``, ``unchanged`` (stored before) or ``failed``."""

    source: str
    status: str
    document_id: str | None = None
    reason: str | None = None
    #: the document was stored, but will not be extracted (``note`` says why)
    not_extracted: bool = False
    title: str | None = None


@dataclass
class IngestSummary:
    """The outcome of each input, in the order they were read."""

    outcomes: list[IngestOutcome] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        counts = Counter(o.status for o in self.outcomes)
        counts["not_extracted"] = sum(o.not_extracted for o in self.outcomes)
        return counts

    @property
    def failed(self) -> list[IngestOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict[str, object]:
        counts = self.counts()
        return {
            "ingested": counts["ingested"],
            "unchanged": counts["unchanged"],
            "failed": counts["failed"],
            "not_extracted": counts["not_extracted"],
            "documents": [
                {
                    "source": o.source,
                    "status": o.status,
                    "document_id": o.document_id,
                    "title": o.title,
                    "not_extracted": o.not_extracted,
                    "reason": o.reason,
                }
                for o in self.outcomes
            ],
        }


@dataclass(frozen=True)
class Ingester:
    """Reads files and stores their documents in ``store`` (in ``case``, when given)."""

    store: Store
    case: str | None = None
    options: ReadOptions = field(default_factory=ReadOptions)
    #: the language the extraction pipeline handles (the spaCy model's)
    language: str = "en"

    @classmethod
    def for_model(
        cls, store: Store, model_name: str, case: str | None, options: ReadOptions
    ) -> Ingester:
        options = replace(options, dataset=case_dataset(case))
        return cls(store, case, options, model_language(model_name))

    def ingest_paths(
        self,
        paths: Iterable[str],
        progress: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Ingest files, folders (recursively, hidden files skipped) and ``-`` (stdin)."""
        return self.ingest_inputs(iter_inputs(paths), progress)

    def ingest_inputs(
        self,
        inputs: Iterable[tuple[str, Path | None]],
        progress: Callable[[str], None] | None = None,
    ) -> IngestSummary:
        """Ingest (source name, path) pairs, as :func:`iter_inputs` gives them."""
        summary = IngestSummary()
        for source, path in inputs:
            if progress is not None:
                progress(source)
            try:
                content = self._read_input(path)
            except ReadError as exc:
                summary.outcomes.append(IngestOutcome(source, "failed", reason=str(exc)))
                continue
            summary.outcomes.extend(self.ingest_bytes(source, content))
        return summary

    def _read_input(self, path: Path | None) -> bytes:
        limit = self.options.max_bytes
        if path is None:
            content = sys.stdin.buffer.read(limit + 1)
        else:
            try:
                size = path.stat().st_size
                if size > limit:
                    raise ReadError(too_big_message(size, limit))
                content = path.read_bytes()
            except OSError as exc:
                raise ReadError(f"cannot read the file: {exc.strerror or exc}") from exc
        if len(content) > limit:
            raise ReadError(too_big_message(len(content), limit))
        return content

    def ingest_bytes(
        self, source: str, content: bytes, parent: str | None = None, depth: int = 0
    ) -> list[IngestOutcome]:
        """Ingest one file's bytes, then what it holds (attachments, archive members)."""
        document_id = sha256_hex(content)
        known = self.store.get_document(document_id)
        if known is not None and parent is None:
            # read before: only its place in the case may be new; attachments were stored too
            if self.case is not None:
                with self.store.transaction() as writer:
                    writer.add_to_case(self.case, document_id)
            return [IngestOutcome(source, "unchanged", document_id, title=known.title)]
        outcomes: list[IngestOutcome] = []
        for read in read_documents(source, content, self.options, self.language, parent, depth):
            document = read.document
            if document is None:
                outcomes.append(
                    IngestOutcome(read.source, "failed", read.document_id, reason=read.reason)
                )
                continue
            with self.store.transaction() as writer:
                added = writer.add_document(document)
                if self.case is not None:
                    writer.add_to_case(self.case, document.id)
                writer.add_statements(read.statements())
            outcomes.append(
                IngestOutcome(
                    read.source,
                    "ingested" if added else "unchanged",
                    document.id,
                    reason=document.note,
                    not_extracted=document.status is DocumentStatus.NOT_EXTRACTED,
                    title=document.title,
                )
            )
        return outcomes


@dataclass(frozen=True)
class ReadDocument:
    """A document read from a file, not yet stored, with the FtM entities its file
    states; or (``document`` None) why the file could not be read."""

    source: str
    document_id: str | None
    document: Document | None = None
    entities: list[StatementEntity] = field(default_factory=list)
    reason: str | None = None

    def statements(self) -> Iterator[Statement]:
        """The file's entities as statements, each with the document as its origin."""
        origin = f"document:{self.document_id}"
        return (s.clone(origin=origin) for entity in self.entities for s in entity.statements)


def read_documents(
    source: str,
    content: bytes,
    options: ReadOptions,
    language: str,
    parent: str | None = None,
    depth: int = 0,
) -> Iterator[ReadDocument]:
    """A file's document, then those it holds (attachments, archive members), read
    without a store: what ingest stores, and what the Spark engine extracts."""
    document_id = sha256_hex(content)
    try:
        result = read_file(source, content, options)
    except ReadError as exc:
        yield ReadDocument(source, document_id, reason=str(exc))
        return
    if not result.container:
        meta = dict(result.meta)
        if parent is not None:
            meta["parent"] = parent
        detected = detect_language(result.text)
        status, note = document_status(result.text, detected, language)
        document = Document(
            id=document_id,
            source=source,
            media_type=result.media_type,
            text=result.text,
            title=result.title,
            published=result.published,
            language=detected,
            meta=meta,
            status=status,
            note=note,
        )
        yield ReadDocument(source, document_id, document, result.entities)
    holder = None if result.container else document_id
    for attachment in result.attachments:
        inner = f"{source}#{attachment.name}"
        if depth + 1 > MAX_DEPTH:
            yield ReadDocument(inner, None, reason=f"nested more than {MAX_DEPTH} deep")
            continue
        yield from read_documents(
            inner, attachment.content, options, language, holder or parent, depth + 1
        )


def document_status(
    text: str, detected: str | None, language: str
) -> tuple[DocumentStatus, str | None]:
    """Whether a document is to be extracted (pending), or why not: no text, or a
    language (``detected``) other than the pipeline's (``language``)."""
    if not text.strip():
        return DocumentStatus.NOT_EXTRACTED, "no text"
    if detected is not None and detected != language:
        return DocumentStatus.NOT_EXTRACTED, (
            f"in language '{detected}': the pipeline reads '{language}'"
        )
    return DocumentStatus.PENDING, None


def iter_inputs(paths: Iterable[str]) -> Iterator[tuple[str, Path | None]]:
    """(source name, path) of each file to read, folders walked in name order; ``-`` gives
    ("-", None): standard input. A path that does not exist is yielded, to be reported."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN, None
            continue
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        file = Path(folder) / name
                        yield str(file), file
        else:
            yield raw, path
