from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from redthread.model import Claim, Document, Evidence, ListVersion, Stance, sha256_hex


def test_document_id_is_sha256_of_content() -> None:
    doc = Document.from_content(b"hello", source="a.txt", media_type="text/plain", text="hello")
    assert doc.id == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    same = Document.from_content(
        b"hello", source="elsewhere/b.txt", media_type="text/plain", text="hello"
    )
    assert same.id == doc.id


@pytest.mark.parametrize("bad", ["", "abc", "G" * 64, sha256_hex(b"x").upper()])
def test_document_rejects_ids_that_are_not_sha256(bad: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        Document(id=bad, source="x", media_type="text/plain", text="")


def test_evidence_id_depends_on_document_and_span_only() -> None:
    a = Evidence("d" * 64, 10, 20, "Kupol is a subsidiary of Almaz-Antey.")
    b = Evidence("d" * 64, 10, 20, "different sentence text")
    c = Evidence("d" * 64, 11, 20, "Kupol is a subsidiary of Almaz-Antey.")
    assert a.id == b.id
    assert a.id != c.id


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4)])
def test_evidence_rejects_bad_spans(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="span"):
        Evidence("d" * 64, start, end, "")


def test_claims_differ_by_stance_and_attribution() -> None:
    ev = Evidence("d" * 64, 0, 5, "Kupol denied it.")
    asserted = Claim("rel-1", ev, Stance.ASSERTED, "Reuters")
    denied = Claim("rel-1", ev, Stance.DENIED, "Kupol")
    assert asserted.id != denied.id
    assert Claim("rel-1", ev, Stance.ASSERTED, "Reuters").id == asserted.id
    assert Stance("denied") is Stance.DENIED


def test_list_version_age_prefers_published_date() -> None:
    loaded = datetime(2024, 6, 1, tzinfo=UTC)
    lv = ListVersion(
        "ofac", "sdn.csv", "0" * 64, 10, 10, published=date(2024, 5, 3), loaded_at=loaded
    )
    assert lv.age_days(date(2024, 5, 13)) == 10
    unpublished = ListVersion("mine", "x.csv", "0" * 64, 1, 1, loaded_at=loaded)
    assert unpublished.age_days(date(2024, 6, 3)) == 2
    assert ListVersion("mine", "x.csv", "0" * 64, 1, 1).age_days(date(2024, 6, 3)) is None
