"""OFAC legacy CSV parsing, on the real files in ../shared/data and on hand-made bad ones."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from redthread.lists.common import ListFormatError, ParsedList
from redthread.lists.ofac import parse_date, parse_ofac, parse_remarks
from tests.conftest import SHARED_DATA

OFAC_2024 = SHARED_DATA / "sanctions" / "ofac-2024-05-03" / "sdn.csv"
ALT_2025 = SHARED_DATA / "sanctions" / "ofac-2025-08" / "alt.csv"
LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"


@cache
def full_list() -> ParsedList:
    return parse_ofac(OFAC_2024, alt=ALT_2025)


def entity(parsed: ParsedList, entity_id: str) -> dict[str, list[str]]:
    found = [e for e in parsed.entities if e.id == entity_id]
    assert len(found) == 1, entity_id
    props: dict[str, list[str]] = found[0].to_dict()["properties"]
    return props


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", ["1948-12-10"]),
        ("07 Oct 1952", ["1952-10-07"]),
        ("1946", ["1946"]),
        ("Sep 1938", ["1938-09"]),
        ("circa 1951", ["1951"]),
        ("circa 07 Jul 1966", ["1966-07-07"]),
        ("1951 to 1953", ["1951", "1952", "1953"]),
        ("01 Jan 1961 to 31 Dec 1962", ["1961", "1962"]),
        ("Mar 1962 to Feb 1963", ["1962", "1963"]),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"]),
        ("31 Feb 1960", []),
        ("1900 to 1950", []),  # a range too wide to be a birth date
        ("unknown", []),
    ],
)
def test_ofac_dates(text: str, expected: list[str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("remarks", "is_person", "expected"),
    [
        ("a.k.a. 'BNC'.", False, [("alias", "BNC")]),
        (
            "f.k.a. 'OLD NAME LTD'; n.k.a. 'NEW NAME LTD'.",
            False,
            [("previousName", "OLD NAME LTD"), ("alias", "NEW NAME LTD")],
        ),
        (
            "a.k.a. 'D'ARCY TRADING'; a.k.a. 'X (Y)'.",
            False,
            [("alias", "D'ARCY TRADING"), ("alias", "X (Y)")],
        ),
        (
            "DOB 10 Dec 1948; alt. DOB 1949; POB Baghdad, Iraq.",
            True,
            [("birthDate", "1948-12-10"), ("birthDate", "1949"), ("birthPlace", "Baghdad, Iraq")],
        ),
        (
            "nationality Russia; citizen Russia; Gender Male.",
            True,
            [("nationality", "Russia"), ("citizenship", "Russia"), ("gender", "male")],
        ),
        ("nationality Iran.", False, [("country", "Iran")]),
        (
            "Passport 1084010 (Egypt) expires 01 Jan 2020; alt. Passport 19820215.",
            True,
            [("passportNumber", "1084010"), ("passportNumber", "19820215")],
        ),
        (
            "Tax ID No. 1831083343 (Russia).",
            False,
            [("taxNumber", "1831083343"), ("innCode", "1831083343")],
        ),
        (
            "Business Registration Number 1021801143374 (Russia).",
            False,
            [("registrationNumber", "1021801143374"), ("ogrnCode", "1021801143374")],
        ),
        (
            "Unified Social Credit Code (USCC) 91440300MA5HX80Y1Q (China).",
            False,
            [("uscCode", "91440300MA5HX80Y1Q"), ("registrationNumber", "91440300MA5HX80Y1Q")],
        ),
        (
            "Vessel Registration Identification IMO 9187629; MMSI 572469210.",
            False,
            [("imoNumber", "9187629"), ("mmsi", "572469210")],
        ),
        (
            "Legal Entity Number 253400V1H6ART1UQ0N98 (Russia); SWIFT/BIC SABRRUMM.",
            False,
            [("leiCode", "253400V1H6ART1UQ0N98"), ("swiftBic", "SABRRUMM")],
        ),
        (
            "Website http://www.kupol.ru/; Email Address info@kupol.ru.",
            False,
            [("website", "http://www.kupol.ru/"), ("email", "info@kupol.ru")],
        ),
        (
            "Organization Established Date 23 Apr 2002.",
            False,
            [("incorporationDate", "2002-04-23")],
        ),
        ("National ID No. 216040 (Yemen).", True, [("idNumber", "216040")]),
        ("Cedula No. 6068015 (Colombia).", True, [("idNumber", "6068015")]),
        (
            "Commercial Registry Number HRB96201 (Germany).",
            False,
            [("registrationNumber", "HRB96201")],
        ),
        (
            "Member of the State Duma of the Federal Assembly of the Russian Federation.",
            True,
            [
                (
                    "notes",
                    "Member of the State Duma of the Federal Assembly of the Russian Federation",
                )
            ],
        ),
    ],
)
def test_remarks_become_properties(
    remarks: str, is_person: bool, expected: list[tuple[str, str]]
) -> None:
    assert parse_remarks(remarks, is_person).props == expected


def test_remarks_links_wallets_and_provisions() -> None:
    found = parse_remarks(
        "Secondary sanctions risk: See Section 11 of Executive Order 14024.; "
        "Digital Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo; "
        "Linked To: AL-JAMAL, Sa'id Ahmad Muhammad.",
        is_person=False,
    )
    assert found.provisions == ["Secondary sanctions risk: See Section 11 of Executive Order 14024"]
    assert found.wallets == [("XBT", "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo")]
    assert found.linked_to == ["AL-JAMAL, Sa'id Ahmad Muhammad"]
    assert found.props == []


def test_the_full_2024_list() -> None:
    parsed = full_list()
    assert parsed.row_count == 14965
    assert parsed.issues == []
    listed = parsed.listed_entities()
    assert len(listed) == 14965
    schemas = Counter(e.schema.name for e in listed)
    assert schemas["Person"] == 6854
    assert schemas["Vessel"] == 851
    assert schemas["Airplane"] == 376
    assert schemas["Company"] + schemas["Organization"] == 6884
    assert Counter(e.schema.name for e in parsed.entities)["Sanction"] == 14965
    # "Linked To:" becomes a link when it names a party of the same file; the few that name
    # parties on OFAC's other lists (Rosneft, Gazprom: sectoral sanctions) stay as notes.
    unresolved = {
        n for e in listed for n in e.get("notes", quiet=True) if n.startswith("Linked To:")
    }
    assert "Linked To: PUBLIC JOINT STOCK COMPANY GAZPROM" in unresolved
    assert len(unresolved) < 5
    links = [e for e in parsed.entities if e.schema.name == "UnknownLink"]
    assert len(links) > 5000


def test_kupol_and_putin_as_a_reviewer_would_read_them() -> None:
    kupol = entity(full_list(), "ofac-46431")
    assert kupol["name"] == ["JOINT STOCK COMPANY IZHEVSK ELECTROMECHANICAL PLANT KUPOL"]
    assert kupol["innCode"] == ["1831083343"]
    assert kupol["ogrnCode"] == ["1021801143374"]
    assert kupol["programId"] == ["RUSSIA-EO14024"]
    assert "AO IEMZ KUPOL" in kupol["alias"]  # from the 2025 alias table
    putin = entity(full_list(), "ofac-35096")
    assert putin["birthDate"] == ["1952-10-07"]
    assert putin["lastName"] == ["PUTIN"]
    assert putin["firstName"] == ["Vladimir Vladimirovich"]
    assert putin["nationality"] == ["ru"]
    sanction = entity(full_list(), "ofac-35096-sanction")
    assert sanction["authorityId"] == ["35096"]
    assert sanction["entity"] == ["ofac-35096"]


def test_alias_rows_of_parties_designated_later_are_dropped_not_invented() -> None:
    parsed = full_list()
    ids = {e.id for e in parsed.entities}
    assert "ofac-51265" not in ids  # Redlepus, designated in October 2024
    dropped = {issue.row.split(",")[0] for issue in parsed.dropped}
    assert "51265" in dropped
    assert all(issue.kind == "dropped" and issue.file == "alt.csv" for issue in parsed.dropped)
    assert all(
        f"ent_num {issue.row.split(',')[0]} is not in sdn.csv" == issue.reason
        for issue in parsed.dropped
    )


def test_the_late_2024_excerpt_with_its_alias_and_address_tables() -> None:
    parsed = parse_ofac(LATE / "sdn-excerpt.csv", alt=LATE / "alt.csv", add=LATE / "add.csv")
    assert parsed.row_count == 61
    assert len(parsed.listed_entities()) == 61
    redlepus = entity(parsed, "ofac-51265")
    assert redlepus["name"] == ["REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD"]
    assert "REDLEPUS TSK VECTOR INDUSTRIAL SHENZHEN CO LTD" in redlepus["alias"]
    assert redlepus["uscCode"] == ["91440300MA5HX80Y1Q"]
    assert redlepus["country"] == ["cn"]
    assert any("Shenzhen" in a for a in redlepus["address"])
    assert len(parsed.files) == 3
    assert parsed.sha256 != parsed.files[0].sha256  # several files: a combined fingerprint


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


ROW = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


def test_the_final_eof_byte_is_not_an_error(tmp_path: Path) -> None:
    parsed = parse_ofac(write(tmp_path, "sdn.csv", ROW + b"\x1a"))
    assert parsed.row_count == 1
    assert parsed.issues == []


def test_latin1_bytes_are_read(tmp_path: Path) -> None:
    row = ROW.replace(b"AEROCARIBBEAN AIRLINES", "AÉROCARIBBEAN SEÑOR".encode("latin-1"))
    parsed = parse_ofac(write(tmp_path, "sdn.csv", row))
    assert entity(parsed, "ofac-36")["name"] == ["AÉROCARIBBEAN SEÑOR"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\r\n\x1a", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"<html><body>Service unavailable</body></html>", "does not look like an OFAC sdn.csv"),
    ],
)
def test_files_that_are_not_lists_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(ListFormatError, match=message):
        parse_ofac(write(tmp_path, "sdn.csv", content))


def test_short_rows_and_bad_quoting_are_reported(tmp_path: Path) -> None:
    content = (
        ROW
        + b'173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA"\r\n'  # short row
        + b'306,,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'  # no name
        + b'424,"BOUTIQUE LA MAISON",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        + b"\"a.k.a. 'x'\r\n"
    )
    parsed = parse_ofac(write(tmp_path, "sdn.csv", content))
    assert [(i.line, i.kind) for i in parsed.issues] == [
        (2, "bad_row"),
        (3, "bad_row"),
        (4, "bad_row"),
    ]
    assert "expected 12 columns" in parsed.issues[0].reason
    assert "name" in parsed.issues[1].reason
    assert [e.id for e in parsed.listed_entities()] == ["ofac-36"]


def test_long_remarks_continue_in_sdn_comments(tmp_path: Path) -> None:
    sdn = write(
        tmp_path,
        "sdn.csv",
        b'1,"LONG REMARKS LTD",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b"\"a.k.a. 'FIRST';\"\r\n",
    )
    comments = write(
        tmp_path,
        "sdn_comments.csv",
        b'1,"a.k.a. \'SECOND\'; Website www.example.com."\r\n2,"orphan"\r\n',
    )
    parsed = parse_ofac(sdn, comments=comments)
    props = entity(parsed, "ofac-1")
    assert sorted(props["alias"]) == ["FIRST", "SECOND"]
    assert props["website"] == ["http://www.example.com/"]
    assert [(d.file, d.line) for d in parsed.dropped] == [("sdn_comments.csv", 2)]


def test_listing_and_effective_dates_date_the_sanction() -> None:
    """Sberbank's remarks date its directive listings: its Sanction carries them."""
    sanction = entity(full_list(), "ofac-17018-sanction")
    assert "2022-02-24" in sanction["listingDate"]
    assert "2022-03-26" in sanction.get("startDate", [])
    assert any(p.startswith("Listing Date") for p in sanction["provisions"])
