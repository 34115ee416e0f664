"""In-house watchlists as CSV, with their columns mapped by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.lists import WatchlistMapping, read_list
from redthread.lists.common import ListFormatError
from redthread.lists.watchlist import parse_watchlist


def write(tmp_path: Path, text: str, name: str = "watchlist.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def props(parsed_entity: object) -> dict[str, list[str]]:
    return parsed_entity.to_dict()["properties"]  # type: ignore[attr-defined, no-any-return]


def test_a_watchlist_with_the_canonical_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,schema,country,birth_date,identifiers,aliases\n"
        "c-1,TSK Vektor,Company,Russia,,7701234567,TSK Vector;Vektor Ltd\n"
        'p-1,"PETROV, Ivan",person,ru,10 Dec 1968,,\n'
        "v-1,SEA STAR,Vessel,,,9187629,\n",
    )
    parsed = read_list([path], name="inhouse")
    assert parsed.format == "watchlist-csv"
    assert parsed.issues == []
    by_id = {e.id: e for e in parsed.entities}
    assert set(by_id) == parsed.listed_ids == {"inhouse-c-1", "inhouse-p-1", "inhouse-v-1"}
    company = props(by_id["inhouse-c-1"])
    assert sorted(company["alias"]) == ["TSK Vector", "Vektor Ltd"]
    assert company["country"] == ["ru"]
    assert company["idNumber"] == ["7701234567"]
    person = props(by_id["inhouse-p-1"])
    assert person["birthDate"] == ["1968-12-10"]
    assert person["nationality"] == ["ru"]
    assert by_id["inhouse-p-1"].schema.name == "Person"
    assert props(by_id["inhouse-v-1"])["imoNumber"] == ["9187629"]


def test_common_header_names_are_recognised_and_ids_are_stable(tmp_path: Path) -> None:
    text = "Full Name;DOB;Nationality\nIvan Petrov;1968;Russia\nAnna Smirnova;1970;Ukraine\n"
    first = parse_watchlist(
        write(tmp_path, text), name="hr", mapping=WatchlistMapping(schema="Person")
    )
    reordered = "Full Name;DOB;Nationality\nAnna Smirnova;1970;Ukraine\nIvan Petrov;1968;Russia\n"
    second = parse_watchlist(
        write(tmp_path, reordered), name="hr", mapping=WatchlistMapping(schema="Person")
    )
    assert {e.id for e in first.entities} == {e.id for e in second.entities}
    assert {e.schema.name for e in first.entities} == {"Person"}
    assert {e.first("birthDate") for e in first.entities} == {"1968", "1970"}


def test_columns_are_mapped_by_option_or_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "Party,Kind,Also known as\nKupol,company,IEMZ Kupol|AO Kupol\n")
    mapping_file = tmp_path / "mapping.yml"
    mapping_file.write_text(
        "columns:\n  name: Party\n  schema: Kind\n  aliases: Also known as\nseparator: '|'\n"
    )
    parsed = read_list([path], name="mine", mapping=WatchlistMapping.from_yaml(mapping_file))
    (kupol,) = parsed.entities
    assert kupol.schema.name == "Company"
    assert sorted(props(kupol)["alias"]) == ["AO Kupol", "IEMZ Kupol"]


def test_bad_rows_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,schema\n1,Good Ltd,Company\n2,,Company\n3,Bad Kind,Spaceship\n"
        "4,Short\n1,Twice,Company\n",
    )
    parsed = parse_watchlist(path, name="mine")
    assert [(i.line, i.reason) for i in parsed.issues] == [
        (3, "the name is empty"),
        (4, "unknown schema 'Spaceship'"),
        (5, "expected 3 columns"),
        (6, "the id mine-1 appears twice"),
    ]
    assert [e.id for e in parsed.entities] == ["mine-1"]


@pytest.mark.parametrize(
    ("text", "mapping", "message"),
    [
        ("company,country\nKupol,ru\n", None, "no name column in the header"),
        ("name,country\n", None, "has a header but no rows"),
        ("", None, "is empty"),
        (
            "Party\nKupol\n",
            WatchlistMapping(columns={"name": "Nom"}),
            "column 'Nom' .* is not in the header",
        ),
        ("name\nx\n", WatchlistMapping(columns={"nmae": "name"}), "unknown watchlist field"),
        ("name\nx\n", WatchlistMapping(schema="Ship"), "unknown schema 'Ship'"),
    ],
)
def test_unusable_watchlists_are_explained(
    tmp_path: Path, text: str, mapping: WatchlistMapping | None, message: str
) -> None:
    with pytest.raises(ListFormatError, match=message):
        parse_watchlist(write(tmp_path, text), name="mine", mapping=mapping)
