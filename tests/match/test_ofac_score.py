"""The ``ofac`` scoring mode: OFAC's own Sanctions List Search scores, reproduced."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.lists import load_list, read_list
from redthread.match.index import MatchIndex, Query
from redthread.match.ofac_score import (
    jaro_winkler,
    name_parts,
    ofac_score,
    part_similarity,
    soundex,
)
from redthread.match.screen import screen
from redthread.store import Store
from tests.conftest import SHARED_DATA

FIXTURES = SHARED_DATA / "matching" / "nomenklatura" / "ofac_fixtures.csv"
LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("MARTHA", "MARHTA", 0.9611), ("DWAYNE", "DUANE", 0.84), ("DIXON", "DICKSONX", 0.8133)],
)
def test_jaro_winkler_textbook_values(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=1e-4)
    assert jaro_winkler(a, a) == 1.0
    assert jaro_winkler(a, "") == 0.0


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("ROBERT", "R163"),
        ("RUPERT", "R163"),
        ("RUBIN", "R150"),
        ("ASHCRAFT", "A261"),  # S and C separated by H count once
        ("TYMCZAK", "T522"),
        ("PFISTER", "P236"),  # F sounds as the first letter P
        ("HONEYMAN", "H555"),
        ("A", "A000"),
    ],
)
def test_soundex_textbook_codes(word: str, code: str) -> None:
    assert soundex(word) == code


def test_parts_that_do_not_sound_alike_count_less() -> None:
    assert part_similarity("PUTIN", "POLIN") == pytest.approx(jaro_winkler("PUTIN", "POLIN") * 0.95)
    assert part_similarity("ROBERT", "RUPERT") == jaro_winkler("ROBERT", "RUPERT")
    assert part_similarity("PUTIN", "PUTIN") == 1.0


def test_name_parts() -> None:
    assert name_parts("O'BRIEN, Christopher") == ["OBRIEN", "CHRISTOPHER"]
    assert name_parts("AL-QAEDA") == ["QAEDA"]
    assert name_parts("AL") == ["AL"]
    assert name_parts("Müller-Lüdenscheidt") == ["MULLER", "LUDENSCHEIDT"]
    assert name_parts("Владимир Путин") == []  # OFAC's tool does not transliterate


def test_reproduces_ofac_scores_on_the_fixtures() -> None:
    with FIXTURES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scored = [
        (ofac_score(r["query_name"], r["result_name"]).score, int(r["ofac_score"])) for r in rows
    ]
    differences = [abs(ours - theirs) for ours, theirs in scored if theirs >= 0]
    not_returned = [ours for ours, theirs in scored if theirs < 0]
    assert len(differences) == 164 and len(not_returned) == 6
    # measured: 98.2% within 5 points, mean 1.1 (see docs/screening.md)
    assert sum(d <= 5 for d in differences) / len(differences) >= 0.98
    assert sum(differences) / len(differences) <= 1.5
    assert max(not_returned) < 80


def test_explanations_say_which_parts_agree() -> None:
    assert ofac_score("VLADIMIR PUTIN", "PUTIN, Vladimir").score == 100
    result = ofac_score("XI JINPING", "LIU, Jingping")
    assert result.score == 86
    assert result.explain() == "OFAC-style score 86: name parts 'JINPING'~'JINGPING' 86"
    assert ofac_score("KIM JONG UN", "KIM, Jong Su").explain() == (
        "OFAC-style score 100: name parts 'KIM'~'KIM' 100, 'JONG'~'JONG' 100"
    )
    assert "whole name similarity 67" in ofac_score("GEORGE BUSH", "GORDO").explain()
    assert "not found (counts 0)" in ofac_score("GEORGE BUSH", "HASWANI, George").explain()
    assert ofac_score("Путин", "PUTIN").explain().startswith("OFAC-style score 0")


def test_index_search_in_ofac_mode() -> None:
    parsed = read_list([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac")
    index = MatchIndex.from_entities(parsed.entities, "ofac", 1)
    found = index.search(Query("REDLEPUS VECTOR", "Company"), threshold=0.85, algorithm="ofac")
    assert found[0].list_entity_id == "51265" and found[0].score == 1.0 and found[0].match
    assert "'REDLEPUS'~'REDLEPUS' 100" in found[0].explanation
    assert all(0 <= c.score <= 1 for c in found)
    with pytest.raises(ValueError, match="unknown algorithm"):
        index.search(Query("x", "Company"), threshold=0.8, algorithm="nope")


def test_screening_records_the_algorithm(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'rt.db'}")
    load_list(store, read_list([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac"))
    screen(store, tmp_path, [Query("Redlepus", "Company")], threshold=0.85, algorithm="ofac")
    (run,) = store.screening_runs()
    assert run["algorithm"] == "ofac" and run["algorithm_version"] == "2"
    assert run["threshold"] == 0.85


def test_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    cli.console.width = cli.err_console.width = 300
    result = runner.invoke(
        cli.app, ["compare", "VLADIMR PUTIN", "PUTIN, Vladimir", "--algorithm", "ofac", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["algorithm"] == "ofac" and payload["threshold"] == 0.85
    assert payload["score"] == 0.99 and payload["match"] is True
    result = runner.invoke(cli.app, ["compare", "A", "B", "--algorithm", "magic"])
    assert result.exit_code == 2 and "unknown algorithm 'magic'" in result.output
    result = runner.invoke(
        cli.app, ["compare", "GEORGE BUSH", "GORDO", "--algorithm", "ofac", "--threshold", "0.6"]
    )
    assert result.exit_code == 0 and "score 0.67 (match at threshold 0.6)" in result.output
