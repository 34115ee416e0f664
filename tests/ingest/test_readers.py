"""Each format's reader on real files of that format; broken and hostile files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from redthread.ingest.readers import ReadError, ReadOptions, decode_text, detect_format, read_file
from redthread.ingest.tables import MappingError, load_mapping
from tests.conftest import SHARED_DATA
from tests.ingest import files

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed"
)


def test_plain_text_and_markdown() -> None:
    seed = (SHARED_DATA / "seed-article.txt").read_bytes()
    result = read_file("seed-article.txt", seed)
    assert result.media_type == "text/plain"
    assert "Garpiya-3" in result.text and "\r" not in result.text
    markdown = read_file("notes.md", b"# Kupol notes\n\nSome *text*.\n")
    assert markdown.media_type == "text/markdown" and markdown.title == "Kupol notes"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Müller GmbH liefert über Zürich.".encode(), "utf-8"),
        ("\ufeffMüller GmbH liefert über Zürich.".encode(), "utf-8"),
        ("Müller GmbH liefert über Zürich.".encode("utf-16"), "utf-16"),
    ],
)
def test_text_encodings(content: bytes, encoding: str) -> None:
    text, found = decode_text(content)
    assert text == "Müller GmbH liefert über Zürich." and found == encoding


def test_legacy_encodings_are_detected() -> None:
    sentence = "Компания «Купол» поставила беспилотники в Ижевск, сообщил источник агентства."
    text, _ = decode_text(sentence.encode("cp1251"))
    assert text == sentence
    text, _ = decode_text("Müller GmbH liefert Drohnen über Zürich an Öztürk.".encode("latin-1"))
    assert "Müller" in text and "Zürich" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 64, "binary content"),
        (b"\x00\x01\x02\x03" * 5000, "binary content"),
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
    ],
)
def test_garbage_named_txt_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_file("garbage.txt", content)


def test_html_main_text_and_metadata_without_the_hostile_parts() -> None:
    result = read_file("release.html", files.PRESS_RELEASE.encode())
    assert result.title == "Treasury Targets Procurement Network Supplying Iran's Drone Program"
    assert result.published == date(2024, 2, 14)
    assert "Sky Wing Trading Limited purchased servo motors" in result.text
    assert "Kaveh Samadi" in result.text
    for hostile in ("alert", "<script", "javascript:", "onerror", "onclick", "document.cookie"):
        assert hostile not in result.text
    assert "Privacy Policy" not in result.text  # boilerplate removed


def test_html_without_an_article_keeps_its_visible_text() -> None:
    page = b"<html><body><script>x()</script><div>Redlepus</div><div>Shenzhen</div></body></html>"
    result = read_file("tiny.html", page)
    assert "Redlepus" in result.text and "x()" not in result.text


def test_pdf_text_layer_with_pages() -> None:
    result = read_file("case.pdf", files.make_pdf(files.PDF_PAGES, title="US v. Petrov"))
    assert result.title == "US v. Petrov" and result.meta["author"] == "Court Clerk"
    second = result.meta["pages"][1]
    assert result.text[second:].startswith("Page two")
    assert "trading company in Armenia" in result.text[:second]


def test_broken_and_encrypted_pdfs_are_refused() -> None:
    good = files.make_pdf(files.PDF_PAGES)
    with pytest.raises(ReadError, match="PDF"):
        read_file("broken.pdf", good[:200])
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(__import__("io").BytesIO(good)).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = __import__("io").BytesIO()
    writer.write(out)
    with pytest.raises(ReadError, match="encrypted with a password"):
        read_file("locked.pdf", out.getvalue())


@needs_tesseract
def test_scanned_pdf_and_image_go_through_ocr() -> None:
    scan = read_file("scan.pdf", files.make_scanned_pdf("INVOICE 2023-0117\nSky Wing Trading"))
    assert scan.meta["ocr"] is True
    assert "Sky Wing Trading" in scan.text and "2023-0117" in scan.text
    image = read_file("photo.png", files.make_png("Pishro Aviation Co"))
    assert image.meta["ocr"] is True and "Pishro Aviation" in image.text
    with pytest.raises(ReadError, match="OCR is off"):
        read_file("scan.pdf", files.make_scanned_pdf("x"), ReadOptions(ocr=False))


def test_docx_paragraphs_tables_and_properties() -> None:
    content = files.make_docx(
        ["Memo: Pishro Aviation Co buys engines through Hong Kong.", "Second paragraph."],
        [["supplier", "country"], ["Sky Wing Trading Limited", "HK"]],
        title="Pishro memo",
    )
    result = read_file("memo.docx", content)
    assert result.title == "Pishro memo" and result.meta["author"] == "Compliance Desk"
    assert result.text.splitlines() == [
        "Memo: Pishro Aviation Co buys engines through Hong Kong.",
        "Second paragraph.",
        "supplier\tcountry",
        "Sky Wing Trading Limited\tHK",
    ]
    with pytest.raises(ReadError):
        read_file("not-really.docx", b"PK\x03\x04 this is no zip at all")


def test_email_body_parties_and_attachments() -> None:
    ledger = files.make_xlsx(files.LEDGER_ROWS)
    result = read_file("invoice.eml", files.make_email({"ledger.xlsx": ledger}))
    assert result.title == "Invoice INV-2023-0121: engines shipped via Hong Kong"
    assert result.published == date(2023, 4, 19)
    assert "sixty piston engines" in result.text
    assert [a.name for a in result.attachments] == ["ledger.xlsx"]
    assert result.attachments[0].content == ledger
    by_schema: dict[str, list[str]] = {}
    for entity in result.entities:
        by_schema.setdefault(entity.schema.name, []).append(entity.caption)
    assert sorted(by_schema["LegalEntity"]) == [
        "Accounts",
        "Li Wei",
        "Procurement",
        "k.samadi@skywing.example",
    ]
    mail = next(e for e in result.entities if e.schema.name == "Email")
    sender = next(e for e in result.entities if e.caption == "Li Wei")
    assert mail.get("emitters") == [sender.id] and len(mail.get("recipients")) == 2
    assert mail.get("date") == ["2023-04-19"]


def test_table_rows_mapped_to_entities(tmp_path: Path) -> None:
    mapping_file = tmp_path / "ledger.yml"
    mapping_file.write_text(files.LEDGER_MAPPING)
    mapping = load_mapping(mapping_file, "iran_drones")
    options = ReadOptions(mapping=mapping, dataset="iran_drones")
    for name, content in (
        ("ledger.csv", files.make_csv(files.LEDGER_ROWS)),
        ("ledger.xlsx", files.make_xlsx(files.LEDGER_ROWS)),
    ):
        result = read_file(name, content, options)
        assert result.meta["rows"] == 2
        assert "Sky Wing Trading Limited\tPishro Aviation Co" in result.text
        payments = [e for e in result.entities if e.schema.name == "Payment"]
        companies = {e.caption: e.id for e in result.entities if e.schema.name == "Company"}
        assert len(companies) == 3 and len(payments) == 2  # the buyer once, merged by its key
        engines = next(p for p in payments if p.get("transactionNumber") == ["INV-2023-0121"])
        assert engines.get("amount") == ["1350000"] and engines.get("currency") == ["CNY"]
        assert engines.get("payer") == [companies["Pishro Aviation Co"]]
        assert engines.get("beneficiary") == [companies["Guangzhou Mingtai Electronics Co., Ltd."]]


def test_mapping_errors_are_clear(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "entities:\n  x:\n    schema: Payment\n    keys: [a]\n"
        "    properties:\n      nope: {column: a}\n"
    )
    with pytest.raises(MappingError, match="Invalid property: nope"):
        load_mapping(bad)
    bad.write_text("just: text\n")
    with pytest.raises(MappingError, match="needs an 'entities' section"):
        load_mapping(bad)
    bad.write_text("entities: [unclosed\n")
    with pytest.raises(MappingError, match="cannot read the mapping"):
        load_mapping(bad)


def test_zip_members_and_bombs() -> None:
    archive = files.make_zip({"a.txt": b"Kupol in Izhevsk.", "sub/b.md": b"# B\n", ".hidden": b"x"})
    result = read_file("bundle.zip", archive)
    assert result.container and [a.name for a in result.attachments] == ["a.txt", "sub/b.md"]
    with pytest.raises(ReadError, match="beyond the limit"):
        read_file("bomb.zip", files.zip_bomb())
    with pytest.raises(ReadError, match="zip bomb"):
        read_file("bomb.zip", files.zip_bomb(), ReadOptions(max_bytes=100 * 2**20))


def test_size_limit_names_the_limit_and_how_to_raise_it() -> None:
    with pytest.raises(ReadError, match=r"over the limit of 1 MB.*--max-size-mb"):
        read_file("big.txt", b"a" * (2 * 2**20), ReadOptions(max_bytes=2**20))


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("x.bin", b"%PDF-1.7 ...", "pdf"),
        ("noext", b"<!DOCTYPE html><html>", "html"),
        ("message", b"From: a@b.example\nTo: c@d.example\n\nhi", "email"),
        ("README", b"plain words", "text"),
        ("scan.JPG", b"\xff\xd8\xff", "image"),
    ],
)
def test_format_detection(name: str, head: bytes, kind: str) -> None:
    assert detect_format(name, head) == kind


def test_a_text_reports_date_comes_from_its_dateline() -> None:
    report = b"Headline of the report\n\nBelgrade, 14 June 2024\n\nA company sold shells.\n"
    assert read_file("report.txt", report).published == date(2024, 6, 14)
    us = b"Three Charged\n\nTuesday, October 31, 2023\n\nAn indictment was unsealed today.\n"
    assert read_file("charges.txt", us).published == date(2023, 10, 31)
    undated = b"No date here.\n\nThe shipments continued until March 2023, records show.\n"
    assert read_file("undated.txt", undated).published is None
