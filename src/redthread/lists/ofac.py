"""OFAC's legacy CSV files (sdn.csv, alt.csv, add.csv, sdn_comments.csv) -> FtM entities.

OFAC publishes one row per listed party in sdn.csv; aliases, addresses and the
overflow of long remarks sit in the other files, joined on ``ent_num``. Most of
what is known about a party is packed into the free-text Remarks column
("DOB 10 Dec 1948; POB Baghdad, Iraq; a.k.a. 'X'; Tax ID No. 123 (Russia); ...");
:func:`parse_remarks` turns it into FtM properties. A remark we cannot place
is kept in ``notes``, never dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney import Dataset

from redthread.lists.common import EntityBuilder, ListFormatError, ParsedList, SourceFile
from redthread.model import RowIssue

NULL = "-0-"
AUTHORITY = "Office of Foreign Assets Control (OFAC), US Treasury"
SDN_COLUMNS = 12  # ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
# Tonnage, GRT, Vess_flag, Vess_owner, Remarks
ALT_COLUMNS = 5  # ent_num, alt_num, alt_type, alt_name, alt_remarks
ADD_COLUMNS = 6  # ent_num, add_num, address, city/state/postal, country, add_remarks
COMMENTS_COLUMNS = 2  # ent_num, remarks (continued)


def entity_id(list_name: str, ent_num: str) -> str:
    """The FtM id of an OFAC party: ``<list>-<ent_num>``, e.g. ``ofac-46431``.

    FtM ids allow no '_', so a list named ``ofac_2025`` gives ``ofac-2025-46431``.
    """
    return f"{list_name.replace('_', '-')}-{ent_num}"


def read_text(path: Path) -> str:
    """Read an OFAC file: UTF-8 if it decodes, else Windows-1252; without the final 0x1A byte.

    OFAC ends its files with a DOS end-of-file marker (0x1A); it is not data.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.rstrip("\x1a\r\n ")


def _value(cell: str) -> str | None:
    cell = cell.strip()
    return None if cell in ("", NULL) else cell


def _rows(path: Path, width: int) -> Iterable[tuple[int, list[str] | None, str]]:
    """Yield (line number, cells or None when malformed, raw line) for each row."""
    text = read_text(path)
    if not text.strip():
        raise ListFormatError(f"{path.name} is empty")
    if "\x00" in text[:4096]:
        raise ListFormatError(f"{path.name} is a binary file, not an OFAC CSV file")
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line_no = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raw = lines[line_no - 1] if line_no - 1 < len(lines) else ""
            yield line_no, None, raw
            return  # the reader cannot recover its position after a quoting error
        raw = lines[line_no - 1] if line_no - 1 < len(lines) else ""
        if not cells:
            continue
        if len(cells) != width or not cells[0].strip().isdigit():
            yield line_no, None, raw
            continue
        yield line_no, cells, raw


# -- remarks -----------------------------------------------------------------

ALIAS_RE = re.compile(r"\b([afn])\.k\.a\.,?\s+'(.+?)'(?=\s*(?:;|\.?\s*$|\.?\s*\())")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_date(text: str) -> list[str]:
    """OFAC date text -> ISO dates (partial where OFAC is): '10 Dec 1948' -> ['1948-12-10'].

    'circa 1951' gives the year; a range '1951 to 1953' gives each year in it (at most 10).
    Returns [] when the text is not a date.
    """
    text = text.strip().rstrip(".").lower().removeprefix("circa").strip()
    range_match = re.fullmatch(r"(.+?)\s*(?:to|-)\s*(.+)", text)
    if range_match and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        start, end = parse_date(range_match.group(1)), parse_date(range_match.group(2))
        if not start or not end:
            return []
        first, last = int(start[0][:4]), int(end[0][:4])
        if first == last:
            return sorted({start[0], end[0]})
        if 0 < last - first <= 10:
            return [str(year) for year in range(first, last + 1)]
        return []
    if match := re.fullmatch(r"(\d{1,2}) ([a-z]{3}) (\d{4})", text):
        day, month, year = match.groups()
        if month in MONTHS:
            try:
                return [date(int(year), MONTHS[month], int(day)).isoformat()]
            except ValueError:
                return []
    if (match := re.fullmatch(r"([a-z]{3}) (\d{4})", text)) and match.group(1) in MONTHS:
        return [f"{match.group(2)}-{MONTHS[match.group(1)]:02d}"]
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return [text]
    return []


def _split_country(value: str) -> tuple[str, str | None]:
    """'7720379089 (Russia)' -> ('7720379089', 'Russia'); trailing issue/expiry text dropped."""
    match = re.match(r"^(.*?)\s*\(([^()]+)\)(?:\s+(?:issued|expires).*)?$", value)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    value = re.sub(r"\s+(issued|expires)\s.*$", "", value)
    return value.strip(), None


@dataclass
class Remarks:
    """What :func:`parse_remarks` found: properties to add, links, wallets, sanction details."""

    props: list[tuple[str, str]] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    wallets: list[tuple[str, str]] = field(default_factory=list)  # (currency, address)
    provisions: list[str] = field(default_factory=list)


# Identifier labels: each maps to the FtM property it fills (person, other).
IDENTIFIERS: dict[str, tuple[str, str]] = {
    "tax id no.": ("taxNumber", "taxNumber"),
    "v.a.t. number": ("vatCode", "vatCode"),
    "passport": ("passportNumber", "idNumber"),
    "diplomatic passport": ("passportNumber", "idNumber"),
    "legal entity number": ("leiCode", "leiCode"),
    "swift/bic": ("swiftBic", "swiftBic"),
    "unified social credit code (uscc)": ("uscCode", "uscCode"),
    "social security number": ("socialSecurityNumber", "idNumber"),
}
REGISTRATION_LABEL = re.compile(
    r"(registration|register|registry|company|business|commercial|gazette|license|licence"
    r"|c\.r\.|folio|matricula|chamber|certificate|enterprise|charity|incorporation)",
    re.I,
)
ID_LABEL = re.compile(
    r"(\bid\b|no\.?$|number|code|#|c\.u\.r\.p|r\.f\.c|cedula|d\.n\.i|n\.i\.t|r\.u\.c)", re.I
)
PROVISION_PREFIXES = (
    "additional sanctions information",
    "secondary sanctions risk",
    "transactions prohibited",
    "executive order",
    "ifca determination",
    "caatsa",
    "effective date",
    "listing date",
    "for more information on directives",
)
#: Remarks that date a designation, and the Sanction property each gives.
SANCTION_DATES = {"listing date": "listingDate", "effective date": "startDate"}
SIMPLE: dict[str, str] = {
    "pob": "birthPlace",
    "website": "website",
    "email address": "email",
    "email": "email",
    "phone number": "phone",
    "telephone": "phone",
    "organization type:": "sector",
    "target type": "classification",
    "aircraft model": "model",
    "aircraft manufacturer's serial number (msn)": "serialNumber",
    "aircraft construction number (also called l/n or s/n or f/n)": "serialNumber",
    "aircraft tail number": "registrationNumber",
    "aircraft mode s transponder code": "icaoCode",
    "mmsi": "mmsi",
    "former vessel flag": "pastFlags",
    "vessel year of build": "buildDate",
    "vessel type": "type",
}
SIMPLE_RE = re.compile(
    r"^(" + "|".join(re.escape(k) for k in sorted(SIMPLE, key=len, reverse=True)) + r")\s+(.+)$",
    re.I,
)


def parse_remarks(remarks: str, is_person: bool) -> Remarks:
    """Structure OFAC's Remarks text. Segments we cannot place go to ``notes`` as they are."""
    found = Remarks()
    text = remarks.strip()

    def alias(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2).strip()
        found.props.append(("previousName" if kind == "f" else "alias", name))
        return ""

    text = ALIAS_RE.sub(alias, text)
    for segment in re.split(r";\s*", text):
        segment = segment.strip().strip(".").strip()
        if not segment:
            continue
        _parse_segment(segment.removeprefix("alt. ").strip(), is_person, found)
    return found


def _parse_segment(segment: str, is_person: bool, found: Remarks) -> None:
    low = segment.lower()
    add = found.props.append
    if low.startswith("linked to:"):
        found.linked_to.append(segment.split(":", 1)[1].strip().rstrip("."))
    elif low.startswith(PROVISION_PREFIXES):
        found.provisions.append(segment)
    elif low.startswith("dob "):
        dates = parse_date(segment[4:])
        for value in dates:
            add(("birthDate", value))
        if not dates:
            add(("notes", segment))
    elif low.startswith("organization established date "):
        dates = parse_date(segment[len("organization established date ") :])
        add(("incorporationDate", dates[0]) if dates else ("notes", segment))
    elif low.startswith("aircraft manufacture date "):
        dates = parse_date(segment[len("aircraft manufacture date ") :])
        add(("buildDate", dates[0]) if dates else ("notes", segment))
    elif low.startswith("nationality of registration "):
        add(("jurisdiction", segment[len("nationality of registration ") :]))
    elif low.startswith("nationality "):
        add(("nationality" if is_person else "country", segment[len("nationality ") :]))
    elif low.startswith("citizen "):
        add(("citizenship" if is_person else "country", segment[len("citizen ") :]))
    elif low.startswith("gender "):
        add(("gender", segment[len("gender ") :].lower()))
    elif match := re.match(r"digital currency address - (\w+)\s+(\S+)$", segment, re.I):
        found.wallets.append((match.group(1).upper(), match.group(2)))
    elif match := re.search(r"\bIMO (\d{7})\b", segment):
        add(("imoNumber", match.group(1)))
    elif match := SIMPLE_RE.match(segment):
        add((SIMPLE[match.group(1).lower()], match.group(2).strip()))
    else:
        _parse_identifier(segment, is_person, found)


def _parse_identifier(segment: str, is_person: bool, found: Remarks) -> None:
    add = found.props.append
    for label, (person_prop, other_prop) in IDENTIFIERS.items():
        if segment.lower().startswith(label + " "):
            number, country = _split_country(segment[len(label) + 1 :])
            add((person_prop if is_person else other_prop, number))
            _add_russian_codes(label, number, country, add)
            if other_prop == "uscCode":
                add(("registrationNumber", number))
            return
    value, country = _split_country(segment)
    tokens = value.split()
    first_number = next((i for i, token in enumerate(tokens) if re.search(r"\d", token)), None)
    if first_number:  # a label of at least one word, then the number
        label, number = " ".join(tokens[:first_number]), " ".join(tokens[first_number:])
        if REGISTRATION_LABEL.search(label) and not is_person:
            add(("registrationNumber", number))
            _add_russian_codes("registration number", number, country, add)
            return
        if ID_LABEL.search(label) or REGISTRATION_LABEL.search(label):
            add(("idNumber" if is_person else "registrationNumber", number))
            return
    add(("notes", segment))


def _add_russian_codes(
    label: str, number: str, country: str | None, add: Callable[[tuple[str, str]], None]
) -> None:
    """Russian INN (tax) and OGRN (registration) numbers have properties of their own in FtM."""
    if country != "Russia" or not number.isdigit():
        return
    if label == "tax id no." and len(number) in (10, 12):
        add(("innCode", number))
    elif "registration" in label and len(number) in (13, 15):
        add(("ogrnCode", number))


# -- rows -> entities ----------------------------------------------------------

COMPANY_FORMS = re.compile(
    r"\b(LTD|LIMITED|LLC|L\.L\.C|INC|INCORPORATED|CORP|CORPORATION|CO|COMPANY|GMBH|AG|S\.?A|"
    r"S\.?A\.?S|S\.?R\.?L|S\.?L|B\.?V|N\.?V|PLC|JSC|PJSC|OJSC|CJSC|OOO|ZAO|OAO|PAO|AO|FZE|FZCO|FZ-LLC|"
    r"LLP|LP|PTE|PTY|BHD|SDN|SIRKETI|TICARET|A\.?S|SPA|S\.?P\.?A|KG|OY|AB|AS|SARL|EIRL|"
    r"ENTERPRISE|ENTERPRISES|HOLDING|HOLDINGS|TRADING|GROUP|JOINT STOCK|SHIPPING|BANK)\b\.?",
)


def _schema_for(sdn_type: str | None, name: str, remarks: Remarks) -> str:
    kind = (sdn_type or "").lower()
    if kind == "individual":
        return "Person"
    if kind == "vessel":
        return "Vessel"
    if kind == "aircraft":
        return "Airplane"
    company_props = {
        "registrationNumber",
        "taxNumber",
        "incorporationDate",
        "leiCode",
        "swiftBic",
        "uscCode",
    }
    if COMPANY_FORMS.search(name.upper()) or any(p in company_props for p, _ in remarks.props):
        return "Company"
    return "Organization"


def _link_key(name: str) -> str:
    """How "Linked To:" names are compared with listed names: case, spacing, final dot ignored."""
    return " ".join(name.upper().split()).rstrip(".")


def _short_hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def parse_ofac(
    sdn: Path,
    *,
    name: str = "ofac",
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    published: date | None = None,
) -> ParsedList:
    """Parse an OFAC legacy CSV set into FtM entities.

    Malformed rows are reported in ``issues``; alias, address and comment rows whose
    ``ent_num`` is not in ``sdn`` are reported in ``dropped`` and never become entities.
    Raises :class:`ListFormatError` for a file that is empty or not an OFAC CSV at all.
    """
    dataset = Dataset.make({"name": name, "title": name})
    issues: list[RowIssue] = []
    dropped: list[RowIssue] = []
    rows: dict[str, list[str]] = {}
    row_count = 0
    for line_no, cells, raw in _rows(sdn, SDN_COLUMNS):
        row_count += 1
        if cells is None:
            issues.append(
                RowIssue(
                    sdn.name,
                    line_no,
                    f"expected {SDN_COLUMNS} columns starting with an ent_num",
                    raw,
                )
            )
            continue
        ent_num = cells[0].strip()
        if _value(cells[1]) is None:
            issues.append(RowIssue(sdn.name, line_no, "the name (SDN_Name) is empty", raw))
            continue
        if ent_num in rows:
            issues.append(RowIssue(sdn.name, line_no, f"ent_num {ent_num} appears twice", raw))
            continue
        rows[ent_num] = cells
    if row_count and not rows:
        first = issues[0].row[:80] if issues else ""
        raise ListFormatError(
            f"{sdn.name} does not look like an OFAC sdn.csv file (first row: {first!r})"
        )

    extra_remarks: dict[str, list[str]] = {}
    if comments is not None:
        for line_no, cells, raw in _rows(comments, COMMENTS_COLUMNS):
            if cells is None:
                issues.append(RowIssue(comments.name, line_no, "expected ent_num and remarks", raw))
            elif cells[0].strip() not in rows:
                dropped.append(
                    RowIssue(
                        comments.name,
                        line_no,
                        f"ent_num {cells[0].strip()} is not in {sdn.name}",
                        raw,
                        kind="dropped",
                    )
                )
            elif (text := _value(cells[1])) is not None:
                extra_remarks.setdefault(cells[0].strip(), []).append(text)

    parsed_remarks: dict[str, Remarks] = {}
    name_to_ent: dict[str, str] = {}
    for ent_num, cells in rows.items():
        text = " ".join(filter(None, [_value(cells[11]), *extra_remarks.get(ent_num, [])]))
        is_person = (_value(cells[2]) or "").lower() == "individual"
        parsed_remarks[ent_num] = parse_remarks(text, is_person)
        name_to_ent.setdefault(_link_key(cells[1]), ent_num)
    for ent_num, remarks in parsed_remarks.items():  # "Linked To:" sometimes names an alias
        for prop, value in remarks.props:
            if prop in ("alias", "previousName"):
                name_to_ent.setdefault(_link_key(value), ent_num)

    builders: dict[str, EntityBuilder] = {}
    others: dict[str, EntityBuilder] = {}  # sanctions, links, wallets; one entity per id
    for ent_num, cells in rows.items():
        _, sdn_name, sdn_type, program, title, call_sign, vess_type, tonnage, grt, flag, owner = (
            cells[:11]
        )
        remarks = parsed_remarks[ent_num]
        schema = _schema_for(_value(sdn_type), sdn_name, remarks)
        builder = EntityBuilder(dataset, schema, entity_id(name, ent_num))
        builders[ent_num] = builder
        full_name = sdn_name.strip()
        builder.add("name", full_name)
        if schema == "Person" and "," in full_name:
            last, first = (part.strip() for part in full_name.split(",", 1))
            builder.add("lastName", last)
            builder.add("firstName", first)
        builder.add("topics", "sanction")
        for code in (_value(program) or "").replace("]", "").replace("[", "").split():
            builder.add("programId", code)
        builder.add("title", _value(title), "Title")
        builder.add("callSign", _value(call_sign), "Call sign")
        builder.add("type", _value(vess_type), "Vessel type")
        builder.add("tonnage", _value(tonnage), "Tonnage")
        builder.add("grossRegisteredTonnage", _value(grt), "GRT")
        builder.add("flag", _value(flag), "Vessel flag")
        builder.add("notes", f"Vessel owner: {_value(owner)}" if _value(owner) else None)
        for prop, value in remarks.props:
            builder.add(prop, value, prop)

        sanction = EntityBuilder(dataset, "Sanction", f"{builder.entity.id}-sanction")
        sanction.add("entity", builder.entity.id)
        sanction.add("authority", AUTHORITY)
        sanction.add("authorityId", ent_num)
        sanction.add("country", "us")
        for code in (_value(program) or "").replace("]", "").replace("[", "").split():
            sanction.add("programId", code)
            sanction.add("program", code)
        for provision in remarks.provisions:
            sanction.add("provisions", provision)
            # "Listing Date (EO 14024 Directive 2): 24 Feb 2022", "Effective Date (...): ..."
            head, _, when = provision.partition(":")
            dated = SANCTION_DATES.get(head.split("(")[0].strip().lower())
            if dated is not None:
                for value in parse_date(when):
                    sanction.add(dated, value)
        others[sanction.entity.id or ""] = sanction

        for target_name in remarks.linked_to:
            target = name_to_ent.get(_link_key(target_name))
            if target is None or target == ent_num:
                builder.add("notes", f"Linked To: {target_name}")
                continue
            link_id = f"{builder.entity.id}-link-{target}"
            if link_id not in others:
                link = others[link_id] = EntityBuilder(dataset, "UnknownLink", link_id)
                link.add("subject", builder.entity.id)
                link.add("object", entity_id(name, target))
                link.add("role", "Linked To")

        for currency, address in remarks.wallets:
            wallet_id = entity_id(name, f"wallet-{_short_hash(currency, address)}")
            if wallet_id not in others:
                others[wallet_id] = EntityBuilder(dataset, "CryptoWallet", wallet_id)
            wallet = others[wallet_id]
            wallet.add("publicKey", address)
            wallet.add("currency", currency)
            wallet.add("holder", builder.entity.id)

    if alt is not None:
        for line_no, cells, raw in _rows(alt, ALT_COLUMNS):
            if cells is None:
                issues.append(RowIssue(alt.name, line_no, f"expected {ALT_COLUMNS} columns", raw))
                continue
            ent_num, alt_type, alt_name = (
                cells[0].strip(),
                (_value(cells[2]) or "aka"),
                _value(cells[3]),
            )
            if ent_num not in builders:
                dropped.append(
                    RowIssue(
                        alt.name,
                        line_no,
                        f"ent_num {ent_num} is not in {sdn.name}",
                        raw,
                        kind="dropped",
                    )
                )
                continue
            if alt_name is None:
                issues.append(RowIssue(alt.name, line_no, "the alias (alt_name) is empty", raw))
                continue
            prop = "previousName" if alt_type.lower() == "fka" else "alias"
            if "weak" in (_value(cells[4]) or "").lower():
                prop = "weakAlias"
            builders[ent_num].add(prop, alt_name)

    if add is not None:
        for line_no, cells, raw in _rows(add, ADD_COLUMNS):
            if cells is None:
                issues.append(RowIssue(add.name, line_no, f"expected {ADD_COLUMNS} columns", raw))
                continue
            ent_num = cells[0].strip()
            if ent_num not in builders:
                dropped.append(
                    RowIssue(
                        add.name,
                        line_no,
                        f"ent_num {ent_num} is not in {sdn.name}",
                        raw,
                        kind="dropped",
                    )
                )
                continue
            street, city, country = _value(cells[2]), _value(cells[3]), _value(cells[4])
            full = ", ".join(part for part in (street, city, country) if part)
            builder = builders[ent_num]
            builder.add("address", full or None)
            builder.add("country", country, "Address country")

    files = [
        SourceFile.from_path(p, kind)
        for p, kind in ((sdn, "sdn"), (alt, "alt"), (add, "add"), (comments, "comments"))
        if p is not None
    ]
    return ParsedList(
        name=name,
        format="ofac-csv",
        files=files,
        entities=[b.entity for b in builders.values()] + [b.entity for b in others.values()],
        listed_ids={b.entity.id for b in builders.values() if b.entity.id},
        row_count=row_count,
        issues=issues,
        dropped=dropped,
        published=published,
    )


__all__ = ["entity_id", "parse_date", "parse_ofac", "parse_remarks", "read_text"]
