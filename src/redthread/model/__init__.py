"""The vocabulary shared by every stage: documents, evidence, claims, list versions.

Entities and their properties are FtM statements (``followthemoney.statement``);
this package adds what FtM has no place for: where a fact is stated, and who
asserts or denies it. Nothing here does I/O.
"""

from followthemoney.statement import Statement

from redthread.model.document import Document, DocumentStatus, sha256_hex
from redthread.model.evidence import Claim, Evidence, Stance
from redthread.model.ids import stable_id
from redthread.model.lists import ListLink, ListVersion, RowIssue

__all__ = [
    "Claim",
    "Document",
    "DocumentStatus",
    "Evidence",
    "ListLink",
    "ListVersion",
    "RowIssue",
    "Stance",
    "Statement",
    "sha256_hex",
    "stable_id",
]
