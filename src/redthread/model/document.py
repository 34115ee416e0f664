"""A document as the pipeline sees it: its text, its metadata, and a content hash as id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


def sha256_hex(content: bytes) -> str:
    """The hex SHA-256 of ``content``: a document's id and a list file's fingerprint."""
    return hashlib.sha256(content).hexdigest()


class DocumentStatus(StrEnum):
    """Where a document stands in the pipeline."""

    #: stored; extraction has yet to run on it
    PENDING = "pending"
    #: stored and read, but not extracted (a language the pipeline does not handle, no text)
    NOT_EXTRACTED = "not_extracted"
    #: entities and relations have been extracted
    EXTRACTED = "extracted"


@dataclass(frozen=True)
class Document:
    """One ingested document.

    ``id`` is the SHA-256 of the original bytes, so the same file ingested twice
    (from any path) is the same document. ``meta`` holds what a format adds
    (author, url, page offsets, OCR, email headers, the parent of an attachment);
    ``note`` says why a document is not extracted.
    """

    id: str
    source: str
    media_type: str
    text: str
    title: str | None = None
    published: date | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    status: DocumentStatus = DocumentStatus.PENDING
    note: str | None = None

    def __post_init__(self) -> None:
        if len(self.id) != 64 or any(c not in "0123456789abcdef" for c in self.id):
            raise ValueError(f"document id must be a lowercase hex SHA-256, got {self.id!r}")

    @classmethod
    def from_content(
        cls,
        content: bytes,
        *,
        source: str,
        media_type: str,
        text: str,
        title: str | None = None,
        published: date | None = None,
        language: str | None = None,
        meta: dict[str, Any] | None = None,
        status: DocumentStatus = DocumentStatus.PENDING,
        note: str | None = None,
    ) -> Document:
        """Build a document whose id is the hash of ``content`` (the original bytes)."""
        return cls(
            id=sha256_hex(content),
            source=source,
            media_type=media_type,
            text=text,
            title=title,
            published=published,
            language=language,
            meta=meta or {},
            status=status,
            note=note,
        )
