"""One reader per format: the bytes of a file in, its text and metadata out.

A reader never touches the store and never reaches the network. Whatever a file
holds that is not text of its own (an email's attachments, a zip's members)
comes back as :class:`Attachment` for the caller to ingest in turn. A file that
cannot be read raises :class:`ReadError` with a message for the user.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage, MIMEPart
from pathlib import PurePath
from typing import Any

from followthemoney.mapping import QueryMapping
from followthemoney.statement import StatementEntity

from redthread.ingest.dates import dateline

#: Formats by file extension.
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".eml": "email",
    ".csv": "table",
    ".tsv": "table",
    ".xlsx": "table",
    ".zip": "zip",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
}
MEDIA_TYPES = {
    "text": "text/plain",
    "markdown": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "email": "message/rfc822",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
#: Archives: at most this many members, each expanding at most this many times its size.
MAX_MEMBERS = 1000
MAX_RATIO = 200
#: Seconds Tesseract may take for one image.
OCR_TIMEOUT = 120


EMPTY_FILE = "the file is empty"


class ReadError(Exception):
    """A file that cannot be read; the message says why (and what to do, where there is a way)."""


@dataclass(frozen=True)
class Attachment:
    """A file inside a file: an email attachment, a member of a zip archive."""

    name: str
    content: bytes


@dataclass
class ReadResult:
    """What a reader got out of one file."""

    text: str
    media_type: str
    title: str | None = None
    published: date | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    #: FtM entities the file states as data: email parties, mapped table rows
    entities: list[StatementEntity] = field(default_factory=list)
    #: a container (a zip archive) has no text of its own and is not stored as a document
    container: bool = False


@dataclass(frozen=True)
class ReadOptions:
    """What shapes reading: size limits, the table mapping, OCR."""

    #: the largest file (and the most an archive member may expand to), in bytes
    max_bytes: int = 50 * 1024 * 1024
    #: a followthemoney mapping for CSV and XLSX rows (None: rows are kept as text only)
    mapping: QueryMapping | None = None
    #: run Tesseract on scanned PDFs and images
    ocr: bool = True
    #: the dataset FtM entities are made in
    dataset: str = "documents"


def detect_format(name: str, content: bytes) -> str:
    """The reader for a file: by its extension, else by its first bytes."""
    suffix = PurePath(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    head = content[:2048].lstrip().lower()
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in content[:65536] else "zip"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if re.match(rb"(?i)(from|received|return-path|message-id|mime-version):", head):
        return "email"
    return "text"


def read_file(name: str, content: bytes, options: ReadOptions | None = None) -> ReadResult:
    """Read one file's bytes; ``name`` (its file name) chooses the format."""
    options = options or ReadOptions()
    if len(content) > options.max_bytes:
        raise ReadError(too_big_message(len(content), options.max_bytes))
    if not content.strip():
        raise ReadError(EMPTY_FILE)
    kind = detect_format(name, content)
    reader = READERS[kind]
    try:
        return reader(name, content, options)
    except ReadError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OSError, zipfile.BadZipFile) as exc:
        # the libraries below raise these on broken files; the message is theirs
        raise ReadError(f"cannot read it as {kind}: {exc.__class__.__name__}: {exc}") from exc


def too_big_message(size: int, limit: int) -> str:
    return (
        f"it is {size / 2**20:.1f} MB, over the limit of {limit / 2**20:.0f} MB for one "
        "document (raise it with --max-size-mb, or max_document_mb in the config)"
    )


# -- text -----------------------------------------------------------------------------------

#: Share of control characters (other than tab, newline, form feed) above which bytes are
#: not text.
MAX_CONTROL = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(content: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with a BOM,
    else the encoding charset-normalizer finds. Binary content is refused."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = content.decode("utf-16"), "utf-16"
    else:
        try:
            text, encoding = content.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(content[: 4 * 2**20]).best()
            if best is None or b"\x00" in content[:8192]:
                raise ReadError("binary content, not text (no text encoding fits)") from None
            encoding = best.encoding
            text = content.decode(encoding, errors="replace")
    sample = text[:100_000]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL:
        raise ReadError("binary content, not text (control characters throughout)")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_text(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    text, encoding = decode_text(content)
    markdown = PurePath(name).suffix.lower() in (".md", ".markdown")
    title = _first_line_title(text, markdown)
    return ReadResult(
        text=text,
        media_type=MEDIA_TYPES["markdown" if markdown else "text"],
        title=title,
        published=dateline(text),
        meta={"encoding": encoding},
    )


def _first_line_title(text: str, markdown: bool) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if markdown:
            return line.lstrip("#").strip() if line.startswith("#") else None
        return line if len(line) <= 200 else None
    return None


# -- HTML -----------------------------------------------------------------------------------


def read_html(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """The main text (boilerplate, scripts, navigation removed) and the page's metadata."""
    import trafilatura

    markup, encoding = decode_text(content)
    extracted = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    found: dict[str, Any] = {}
    if isinstance(extracted, dict):
        found = extracted
    elif extracted is not None:
        found = extracted.as_dict()
    text = (found.get("text") or "").strip()
    if not text:
        text = html_to_text(markup)
    meta = {
        key: found[key]
        for key in ("author", "url", "sitename", "hostname", "description")
        if found.get(key)
    }
    meta["encoding"] = encoding
    return ReadResult(
        text=text,
        media_type=MEDIA_TYPES["html"],
        title=found.get("title") or None,
        published=_parse_date(found.get("date")),
        meta=meta,
    )


def html_to_text(markup: str) -> str:
    """All visible text of a page (scripts, styles and comments dropped): the fallback when
    no main text stands out, and the text of an HTML-only email."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    for node in tree.xpath("//script|//style|//noscript|//template|//comment()"):
        node.drop_tree()
    lines = (line.strip() for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _parse_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


# -- PDF ------------------------------------------------------------------------------------


def read_pdf(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """The text layer, page by page (``meta['pages']``: where each page starts in the text).
    A PDF without a text layer (a scan) is read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("the PDF is encrypted with a password; decrypt it and ingest again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as exc:
        raise ReadError(
            "the PDF is encrypted with a password; decrypt it and ingest again"
        ) from exc
    except PdfReadError as exc:
        raise ReadError(f"broken PDF: {exc}") from exc
    meta: dict[str, Any] = {}
    ocr = False
    if not "".join(pages).strip():
        if not options.ocr:
            raise ReadError("the PDF has no text layer (a scan?) and OCR is off")
        pages = [_ocr_page(page) for page in reader.pages]
        ocr = True
        if not "".join(pages).strip():
            raise ReadError("the PDF has no text layer and OCR found no text in it")
    text, starts = _join_pages(pages)
    meta["pages"] = starts
    if ocr:
        meta["ocr"] = True
    info = reader.metadata
    title = author = None
    published = None
    if info is not None:
        title = (info.title or "").strip() or None
        author = (info.author or "").strip() or None
        try:
            created = info.creation_date
        except (ValueError, TypeError):
            created = None
        published = created.date() if created else None
    if author:
        meta["author"] = author
    return ReadResult(
        text=text, media_type=MEDIA_TYPES["pdf"], title=title, published=published, meta=meta
    )


def _join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """The pages' text, separated by a blank line, and the offset where each begins."""
    starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for page in pages:
        page = page.strip("\n")
        starts.append(offset)
        parts.append(page)
        offset += len(page) + 2
    return "\n\n".join(parts), starts


def _ocr_page(page: Any) -> str:
    texts = []
    for image in page.images:
        texts.append(ocr_image(image.data))
    return "\n".join(t for t in texts if t.strip())


def ocr_image(content: bytes) -> str:
    """The text Tesseract reads in an image (PNG, JPEG, TIFF...)."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise ReadError(
            "reading a scan needs Tesseract: install Debian's tesseract-ocr "
            "(scripts/system-deps.sh does)"
        )
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "--psm", "3"],
            input=content,
            capture_output=True,
            timeout=OCR_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError(f"OCR took longer than {OCR_TIMEOUT} s for one image") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"OCR failed: {reason[-1] if reason else 'tesseract exited'}")
    return done.stdout.decode("utf-8", "replace")


def read_image(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    if not options.ocr:
        raise ReadError("an image is read by OCR, and OCR is off")
    text = ocr_image(content).strip()
    if not text:
        raise ReadError("OCR found no text in the image")
    suffix = PurePath(name).suffix.lower().lstrip(".") or "png"
    media = "image/jpeg" if suffix in ("jpg", "jpeg") else f"image/{suffix}"
    return ReadResult(text=text, media_type=media, meta={"ocr": True})


# -- DOCX -----------------------------------------------------------------------------------


def read_docx(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """Paragraphs and table rows in document order; title, author and date from its properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_archive(content, options)
    try:
        document = docx.Document(io.BytesIO(content))
    except PackageNotFoundError as exc:
        raise ReadError("not a Word document (.docx)") from exc
    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            blocks.append(text)
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(n.text or "" for n in cell.iter() if n.tag.endswith("}t"))
                        for cell in row
                        if cell.tag.endswith("}tc")
                    ]
                    blocks.append("\t".join(cells))
    text = "\n".join(blocks).strip("\n")
    props = document.core_properties
    meta: dict[str, Any] = {}
    if props.author:
        meta["author"] = props.author
    created = props.created
    return ReadResult(
        text=text,
        media_type=MEDIA_TYPES["docx"],
        title=(props.title or "").strip() or None,
        published=created.date() if created else None,
        meta=meta,
    )


# -- email ----------------------------------------------------------------------------------


def read_email(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """The body (plain text, else the HTML's text), the headers, the sender and recipients
    as FtM entities, and the attachments."""
    from redthread.ingest.parties import email_entities

    message = email.message_from_bytes(content, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
        raise ReadError("not an email message")
    body_part = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body_part is not None:
        body = _part_text(body_part)
        text = html_to_text(body) if body_part.get_content_subtype() == "html" else body
    headers = {
        key: str(message[key])
        for key in ("from", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to")
        if message[key] is not None
    }
    published = None
    if message["date"]:
        try:
            published = email.utils.parsedate_to_datetime(str(message["date"])).date()
        except (TypeError, ValueError):
            published = None
    attachments: list[Attachment] = []
    for number, part in enumerate(message.iter_attachments(), start=1):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        attachments.append(Attachment(part.get_filename() or f"attachment-{number}", payload))
    subject = headers.get("subject", "").strip() or None
    return ReadResult(
        text=text.replace("\r\n", "\n"),
        media_type=MEDIA_TYPES["email"],
        title=subject,
        published=published,
        meta={"headers": headers, "attachments": [a.name for a in attachments]},
        attachments=attachments,
        entities=email_entities(message, options.dataset),
    )


def _part_text(part: MIMEPart) -> str:
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        return decode_text(payload)[0] if isinstance(payload, bytes) else ""


# -- tables ---------------------------------------------------------------------------------


def read_table(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """A CSV or XLSX table: its rows as text (tab-separated), and with a mapping, the FtM
    entities its rows state (an invoice ledger: supplier, buyer, goods, amount...)."""
    from redthread.ingest.tables import map_rows, table_rows

    is_xlsx = PurePath(name).suffix.lower() == ".xlsx" or content.startswith(b"PK\x03\x04")
    if is_xlsx:
        _check_archive(content, options)
    header, rows = table_rows(name, content, is_xlsx)
    lines = ["\t".join(header)] + ["\t".join(row.get(h, "") for h in header) for row in rows]
    meta: dict[str, Any] = {"rows": len(rows), "columns": header}
    entities: list[StatementEntity] = []
    if options.mapping is not None:
        entities, problems = map_rows(options.mapping, rows, options.dataset)
        meta["mapped_entities"] = len(entities)
        if problems:
            meta["mapping_problems"] = problems[:20]
    return ReadResult(
        text="\n".join(lines),
        media_type=MEDIA_TYPES["xlsx" if is_xlsx else "csv"],
        meta=meta,
        entities=entities,
    )


# -- archives -------------------------------------------------------------------------------


def _check_archive(content: bytes, options: ReadOptions) -> None:
    """Refuse a zip-based file (zip, docx, xlsx) that would expand beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"broken archive: {exc}") from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"the archive holds {len(infos)} files, more than {MAX_MEMBERS}")
    total = sum(info.file_size for info in infos)
    if total > options.max_bytes:
        raise ReadError(
            "the archive expands beyond the limit: " + too_big_message(total, options.max_bytes)
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > MAX_RATIO:  # small files compress well, harmlessly
            raise ReadError(
                f"'{info.filename}' expands {info.file_size // max(info.compress_size, 1)} times "
                f"(more than {MAX_RATIO}): a zip bomb, refused"
            )


def read_zip(name: str, content: bytes, options: ReadOptions) -> ReadResult:
    """A zip archive's members, each to be ingested in turn; nothing of its own is stored."""
    _check_archive(content, options)
    return ReadResult(
        text="",
        media_type=MEDIA_TYPES["zip"],
        attachments=list(_members(content, options)),
        container=True,
    )


def _members(content: bytes, options: ReadOptions) -> Iterator[Attachment]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    for info in archive.infolist():
        if info.is_dir() or PurePath(info.filename).name.startswith("."):
            continue
        with archive.open(info) as handle:
            data = handle.read(options.max_bytes + 1)  # the sizes in the header can lie
        if len(data) > options.max_bytes:
            raise ReadError(f"'{info.filename}' expands beyond the limit: a zip bomb, refused")
        yield Attachment(info.filename, data)


READERS: dict[str, Callable[[str, bytes, ReadOptions], ReadResult]] = {
    "text": read_text,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
    "email": read_email,
    "table": read_table,
    "zip": read_zip,
    "image": read_image,
}
