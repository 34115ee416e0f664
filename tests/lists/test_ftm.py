"""FtM JSON lines lists, from files generated out of the OFAC parse and hand-made edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redthread.lists import read_list
from redthread.lists.common import ListFormatError
from redthread.lists.ftm import parse_ftm
from redthread.lists.ofac import parse_ofac
from tests.conftest import SHARED_DATA

EXCERPT = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_ofac_list_exported_as_ftm_reads_back_the_same(tmp_path: Path) -> None:
    ofac = parse_ofac(EXCERPT)
    lines = [json.dumps({**e.to_dict(), "target": e.id in ofac.listed_ids}) for e in ofac.entities]
    parsed = read_list([write_lines(tmp_path / "entities.ftm.json", lines)], name="osanc")
    assert parsed.format == "ftm"
    assert parsed.issues == []
    assert len(parsed.listed_entities()) == 61
    by_id = {e.id: e for e in parsed.entities}
    redlepus = by_id["osanc-ofac-51265"]
    assert redlepus.get("name") == ["REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD"]
    assert "91440300MA5HX80Y1Q" in redlepus.get("registrationNumber")
    assert redlepus.get("uscCode") == ["91440300MA5HX80Y1Q"]
    # references between entities are rewritten with the same prefix
    assert by_id["osanc-ofac-51265-sanction"].get("entity") == ["osanc-ofac-51265"]
    assert {e.id for e in parsed.listed_entities()} == {f"osanc-{i}" for i in ofac.listed_ids}


def test_without_target_flags_every_party_is_listed(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "list.json",
        [
            '{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}',
            '{"id": "c1", "schema": "Company", "properties": {"name": ["Kupol JSC"]}}',
            '{"id": "v1", "schema": "Vessel", "properties": {"name": ["SEA STAR"]}}',
            '{"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"]}}',
            '{"id": "a1", "schema": "Address", "properties": {"full": ["Moscow"]}}',
        ],
    )
    parsed = parse_ftm(path, name="mine")
    assert parsed.listed_ids == {"mine-p1", "mine-c1", "mine-v1"}


def test_bad_lines_are_reported_with_their_line_numbers(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "list.jsonl",
        [
            '{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan P"]}, "target": true}',
            "{not json",
            '{"id": "x", "schema": "Spaceship", "properties": {}}',
            '{"id": "p2", "schema": "Person", "properties": {"wingspan": ["3m"]}}',
            '{"schema": "Person", "properties": {"name": ["No Id"]}}',
            "[1, 2]",
            '{"id": "bad id!", "schema": "Person", "properties": {}}',
            "",
            '{"id": "p1", "schema": "Person", "properties": {"alias": ["I. Petrov"]}}',
        ],
    )
    parsed = parse_ftm(path, name="mine")
    reasons = {issue.line: issue.reason for issue in parsed.issues}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7]
    assert "Spaceship" in reasons[3]
    assert "wingspan" in reasons[4]
    assert "no id" in reasons[5]
    assert "not a JSON object" in reasons[6]
    assert "not a valid FtM id" in reasons[7]
    (person,) = parsed.entities  # the two lines of p1 are one entity
    assert person.get("alias") == ["I. Petrov"]
    assert parsed.row_count == 8


def test_a_value_ftm_cannot_clean_is_kept_as_a_note(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "list.json",
        ['{"id": "p1", "schema": "Person", "properties": {"name": ["A"], "birthDate": ["soon"]}}'],
    )
    (person,) = parse_ftm(path, name="mine").entities
    assert person.get("birthDate") == []
    assert person.get("notes") == ["birthDate: soon"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"name,country\nKupol,ru\n", "does not look like FtM JSON lines"),
        (b'{"id": "p1", "schema": "Person", "properties": {"name": ["\xff"]}}\n', "not UTF-8"),
    ],
)
def test_files_that_are_not_ftm_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.json"
    path.write_bytes(content)
    with pytest.raises(ListFormatError, match=message):
        parse_ftm(path, name="mine")
