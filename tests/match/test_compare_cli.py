"""redthread compare: one pair, or a CSV of pairs with bad rows among them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from redthread import cli

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    cli.console.width = cli.err_console.width = 300
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.output


def test_compare_two_names() -> None:
    code, out = invoke(
        "compare", "Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "--schema", "Person"
    )
    assert code == 0
    assert "(match at threshold 0.7)" in out
    assert "'VLADIMIR' equal; 'PUTIN' equal" in out


def test_compare_as_json() -> None:
    code, out = invoke("compare", "Kupol", "Almaz-Antey", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["match"] is False
    assert 0 <= result["score"] < 0.7
    assert result["threshold"] == 0.7


def test_compare_refuses_bad_input() -> None:
    code, out = invoke("compare", "Kupol", "", "--schema", "Company")
    assert code == 2 and "the name is empty" in out
    code, out = invoke("compare", "Kupol", "Kupol", "--schema", "Spaceship")
    assert code == 2 and "unknown schema 'Spaceship'" in out
    code, out = invoke("compare", "Kupol")
    assert code == 2 and "give two names" in out


def test_compare_a_file_of_pairs(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "schema,name1,name2\n"
        "Person,Boris Jonson,Boris Johnson\n"
        "Company,OAO Gazprom,Gazprom JSC\n"
        "Company,,Gazprom\n"
        "Starship,Enterprise,Enterprise\n"
        ",Almaz-Antey,ALMAZ ANTEY\n"
        "Person,Short row\n"
        f"Person,{'x' * 600},y\n"
        "Person,Bad\x01Name,Bad Name\n"
    )
    out_file = tmp_path / "scored.csv"
    code, out = invoke("compare", "--input", str(pairs), "--output", str(out_file))
    assert code == 0, out
    assert "scored 8 pair(s)" in out
    rows = list(csv.DictReader(out_file.open()))
    assert [r["match"] for r in rows[:2]] == ["true", "true"]
    assert rows[2]["error"] == "the name is empty"
    assert "unknown schema 'Starship'" in rows[3]["error"]
    assert rows[4]["schema"] == "LegalEntity" and rows[4]["score"] == "1.0000"
    assert rows[5]["error"] == "the row is short"
    assert "longer than 500" in rows[6]["error"]
    assert "control characters" in rows[7]["error"]
    assert all(r["explanation"] for r in rows[:2])


def test_compare_file_without_the_name_columns(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left,right\nA,B\n")
    code, out = invoke("compare", "--input", str(pairs), "--output", str(tmp_path / "o.csv"))
    assert code == 1
    assert "missing: name1, name2" in out
