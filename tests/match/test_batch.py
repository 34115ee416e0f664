"""Batch screening: every query in the output, bad rows with their error, nothing half-written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.lists import load_list, read_list
from redthread.match import batch
from redthread.match.batch import BatchInputError
from redthread.match.screen import screen_file
from redthread.store import Store
from tests.conftest import SHARED_DATA

LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"
QUERIES = (
    "id,name,schema,country,birth_date,identifier\n"
    "q1,Redlepus TSK Vector Industrial,Company,China,,\n"
    "q2,Xiamen Limbach Aircraft Engine,Company,,,91350200051193084R\n"
    "q3,,Person,,,\n"
    "q4,Zzyzx Qwvvt,Company,,,\n"
    "q5,Kupol,Spaceship,,,\n"
    "q6,Someone,Person,Atlantis,,\n"
    "q7,short row\n"
)


@pytest.fixture
def store_with_list(tmp_path: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'rt.db'}")
    load_list(store, read_list([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac"))
    return store


def test_every_query_is_in_the_csv_output(store_with_list: Store, tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text(QUERIES)
    output = tmp_path / "results.csv"
    run_id, summary = screen_file(
        store_with_list, tmp_path, queries, output, threshold=0.7, limit=3
    )
    rows = list(csv.DictReader(output.open()))
    assert sorted({r["query_id"] for r in rows}) == [f"q{i}" for i in range(1, 8)]
    by_query: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_query.setdefault(row["query_id"], []).append(row)
    assert by_query["q1"][0]["list_entity_id"] == "51265" and by_query["q1"][0]["match"] == "true"
    assert by_query["q2"][0]["list_entity_id"] == "51298" and by_query["q2"][0]["score"] == "1.0000"
    assert by_query["q3"] == [{**by_query["q3"][0], "error": "the name is empty", "list": ""}]
    assert (
        by_query["q4"][0]["error"] == "" and by_query["q4"][0]["list"] == ""
    )  # screened, no candidate
    assert "unknown schema" in by_query["q5"][0]["error"]
    assert by_query["q6"][0]["error"] == "unknown country 'Atlantis'"
    assert by_query["q7"][0]["error"] == "the row does not have as many cells as the header"
    assert (summary.queries, summary.errors, summary.matched) == (7, 4, 2)
    (run,) = store_with_list.screening_runs()
    assert run["id"] == run_id and run["query_count"] == 7
    assert run["source"] == f"file: {queries}"


def test_json_lines_in_and_out(store_with_list: Store, tmp_path: Path) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        '{"id": "a", "name": "Redlepus Vector Industry Shenzhen", "country": ["cn"]}\n'
        "not json\n"
        '["a list"]\n'
        '{"name": "Xiamen Limbach", "schema": "Company"}\n'
    )
    output = tmp_path / "results.jsonl"
    _, summary = screen_file(store_with_list, tmp_path, queries, output, threshold=0.7, limit=2)
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["query_id"] for r in records] == ["a", "2", "3", "4"]
    assert records[0]["results"][0]["list_entity_id"] == "51265"
    assert records[0]["error"] is None
    assert records[1]["error"].startswith("not JSON")
    assert records[2]["error"] == "the line is not a JSON object"
    assert set(records[3]["results"][0]) == {
        "list",
        "list_version",
        "list_entity_id",
        "entity_id",
        "caption",
        "schema",
        "score",
        "match",
        "explanation",
    }
    assert summary.queries == 4


def test_an_unreadable_input_leaves_no_output(store_with_list: Store, tmp_path: Path) -> None:
    queries = tmp_path / "queries.csv"
    queries.write_text("company,country\nKupol,ru\n")
    output = tmp_path / "results.csv"
    with pytest.raises(BatchInputError, match="needs a 'name' column"):
        screen_file(store_with_list, tmp_path, queries, output, threshold=0.7)
    assert not output.exists()
    assert not list(tmp_path.glob("*.partial"))
    with pytest.raises(BatchInputError, match=r"use a \.csv or \.jsonl file"):
        screen_file(store_with_list, tmp_path, queries, tmp_path / "results.xlsx", threshold=0.7)


def test_match_command_with_a_file(tmp_path: Path) -> None:
    runner = CliRunner()
    cli.console.width = cli.err_console.width = 300
    data = ["--data-dir", str(tmp_path)]
    result = runner.invoke(cli.app, [*data, "lists", "load", str(LATE / "sdn-excerpt.csv")])
    assert result.exit_code == 0, result.output
    queries = tmp_path / "q.csv"
    queries.write_text(QUERIES)
    result = runner.invoke(
        cli.app, [*data, "match", "--input", str(queries), "--output", str(tmp_path / "r.jsonl")]
    )
    assert result.exit_code == 0, result.output
    assert "screened 7 queries" in result.output and "4 with an error" in result.output
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 7
    result = runner.invoke(cli.app, [*data, "match", "--input", str(queries)])
    assert result.exit_code == 2 and "--input and --output go together" in result.output
    result = runner.invoke(
        cli.app, [*data, "match", "x", "--input", str(queries), "--output", "o.csv"]
    )
    assert result.exit_code == 2


def test_parallel_workers_write_the_same_output_in_order(
    store_with_list: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "CHUNK", 7)  # several chunks from a small file
    names = ["Redlepus TSK Vector Industrial", "Kupol", "", "Xiamen Limbach", "Zzyzx Qwvvt"]
    lines = ["id,name,schema"] + [
        f"q{n},{names[n % len(names)]},{'Person' if n % 11 == 0 else 'Company'}" for n in range(60)
    ]
    queries = tmp_path / "queries.csv"
    queries.write_text("\n".join(lines) + "\n")
    outputs = []
    for workers in (1, 2):
        output = tmp_path / f"results-{workers}.csv"
        _, summary = screen_file(
            store_with_list, tmp_path, queries, output, threshold=0.7, workers=workers
        )
        assert summary.queries == 60 and summary.errors == 12
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1]
    ids = [row["query_id"] for row in csv.DictReader(outputs[1].splitlines())]
    assert list(dict.fromkeys(ids)) == [f"q{n}" for n in range(60)]
    (run, *_) = store_with_list.screening_runs()
    assert run["config"]["workers"] == 2
