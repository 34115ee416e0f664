"""The Spark engine gives the local engine's rows, on every input format; bad rows go
to the errors output and never fail the job."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from redthread import cli
from redthread.match.batch import BatchInputError, ResultWriter, read_queries, screen_batch
from redthread.match.index import MatchIndex
from redthread.spark.match import RESULT_COLUMNS, spark_match

HEADER = ["id", "name", "schema", "country", "birth_date", "identifier"]
BAD_ROWS = [
    ["bad-country", "Kupol", "Company", "Atlantis", "", ""],
    ["bad-schema", "Kupol", "Spaceship", "", "", ""],
    ["no-name", "", "Person", "", "", ""],
    ["control", "Sber\x07bank", "Company", "", "", ""],
]


def _queries(index: MatchIndex, count: int) -> list[list[str]]:
    """Listed names as written, with typos, with their words swapped, and made-up names;
    every tenth without an id (numbered by its position), and some bad rows."""
    rng = random.Random(7)
    parties = [p for p in index.parties if p.names]
    rows: list[list[str]] = []
    for number in range(1, count + 1):
        party = rng.choice(parties)
        name = rng.choice(party.names)
        kind = number % 4
        if kind == 1 and len(name) > 6:
            cut = rng.randrange(1, len(name) - 1)
            name = name[:cut] + name[cut + 1 :]
        elif kind == 2:
            name = " ".join(reversed(name.split()))
        elif kind == 3:
            name = " ".join(
                rng.choice(["Ivan", "Global", "Trading", "Zhao", "Petrov", "Star"])
                for _ in range(2)
            )
        country = rng.choice(sorted(party.countries)) if party.countries and kind == 0 else ""
        row_id = "" if number % 10 == 0 else f"q{number}"
        rows.append([row_id, name, party.schema, country, "", ""])
    for position, bad in zip((5, 50, 500, count - 1), BAD_ROWS, strict=True):
        rows[position] = bad
    return rows


def _local_rows(index: MatchIndex, csv_text: str) -> list[tuple[str, ...]]:
    out = io.StringIO()
    screen_batch(
        index,
        read_queries(io.StringIO(csv_text), "csv"),
        ResultWriter(out, "csv"),
        threshold=0.7,
        limit=3,
    )
    return [tuple(row) for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]]


def _spark_rows(results: pd.DataFrame) -> list[tuple[str, ...]]:
    """The Spark results as the local engine's CSV writes them."""

    def cell(column: str, value: object) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return ""
        if column == "score":
            return f"{value:.4f}"
        if column == "list_version":
            return str(int(value))  # type: ignore[call-overload]
        if column == "match":
            return str(bool(value)).lower()
        return str(value)

    return [
        tuple(cell(c, v) for c, v in zip(RESULT_COLUMNS, row, strict=True))
        for row in results[RESULT_COLUMNS].itertuples(index=False)
    ]


@pytest.fixture(scope="module")
def query_rows(ofac_index: MatchIndex) -> list[list[str]]:
    return _queries(ofac_index, 3000)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_the_same_rows_as_the_local_engine(
    spark: SparkSession,
    ofac_index: MatchIndex,
    query_rows: list[list[str]],
    tmp_path: Path,
    fmt: str,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(query_rows)
    expected = _local_rows(ofac_index, buffer.getvalue())
    source = tmp_path / f"queries.{fmt}"
    if fmt == "csv":
        source.write_text(buffer.getvalue())
    elif fmt == "jsonl":
        lines = [
            json.dumps({k: v for k, v in zip(HEADER, r, strict=True) if v}) for r in query_rows
        ]
        source.write_text("\n".join(lines) + "\n")
    else:
        pd.DataFrame(query_rows, columns=HEADER).to_parquet(source)
    summary = spark_match(
        spark, ofac_index, str(source), str(tmp_path / "out"), threshold=0.7, limit=3
    )
    results = pd.read_parquet(tmp_path / "out" / "results")
    got = _spark_rows(results)
    if fmt == "jsonl":
        # an empty name is "missing" in a JSON object without it, not "empty"; the rest agree
        expected = [
            r if r[0] != "no-name" else (r[0], "the name is missing", *r[2:]) for r in expected
        ]
    assert got == expected  # the same rows, in the input's order
    assert summary.queries == len(query_rows)
    assert summary.errors == len(BAD_ROWS)
    assert summary.rows == len(expected)
    assert json.loads((tmp_path / "out" / "run.json").read_text())["queries"] == len(query_rows)


def test_bad_rows_go_to_the_errors_output(
    spark: SparkSession, ofac_index: MatchIndex, tmp_path: Path
) -> None:
    source = tmp_path / "queries.jsonl"
    source.write_text(
        '{"id": "ok", "name": "Rosoboronexport", "schema": "Company"}\n'
        "\n"
        "not json\n"
        '["a list"]\n'
        '{"id": "far", "name": "Kupol", "country": "Atlantis"}\n'
        '{"name": "Almaz-Antey"}\n'
    )
    summary = spark_match(spark, ofac_index, str(source), str(tmp_path / "out"), threshold=0.7)
    errors = pd.read_parquet(tmp_path / "out" / "errors").sort_values("query_id")
    assert errors.to_dict("records") == [
        {"query_id": "3", "error": "not JSON: Expecting value", "record": "not json"},
        {"query_id": "4", "error": "the line is not a JSON object", "record": '["a list"]'},
        {
            "query_id": "far",
            "error": "unknown country 'Atlantis'",
            "record": '{"id": "far", "name": "Kupol", "country": "Atlantis"}',
        },
    ]
    results = pd.read_parquet(tmp_path / "out" / "results")
    assert list(results.columns) == RESULT_COLUMNS
    assert set(results["query_id"]) == {"ok", "3", "4", "far", "6"}  # line 2 is blank
    top = results[results["query_id"] == "ok"].iloc[0]
    assert (top["list_entity_id"], top["caption"], top["match"]) == (
        "18782",
        "ROSOBORONEKSPORT OAO",
        True,
    )
    assert (summary.queries, summary.errors) == (5, 3)


def test_an_input_without_names_fails_before_touching_the_output(
    spark: SparkSession, ofac_index: MatchIndex, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier run")
    source = tmp_path / "queries.csv"
    source.write_text("id,title\n1,Kupol\n")
    with pytest.raises(BatchInputError, match="needs a 'name' column"):
        spark_match(spark, ofac_index, str(source), str(out), threshold=0.7)
    assert [p.name for p in out.iterdir()] == ["earlier.txt"]


def test_the_command_line_records_the_run(
    spark: SparkSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDTHREAD_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(cli.app, ["lists", "load", "--bundled"]).exit_code == 0
    source = tmp_path / "parties.csv"
    source.write_text(
        "id,name,schema,country\nk,IEMZ Kupol,Company,ru\nr,Rosoboronexport,Company,ru\n"
    )
    out = tmp_path / "screened"
    result = runner.invoke(
        cli.app, ["match", "--engine", "spark", "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "screened 2 queries on Spark" in result.output
    run = json.loads((out / "run.json").read_text())
    assert run["lists"][0]["name"] == "ofac" and run["lists"][0]["published"] == "2024-05-03"
    assert run["master"] == "local[2]"  # the session already running (the tests')
    result = runner.invoke(cli.app, ["match", "Kupol", "--engine", "spark"])
    assert result.exit_code == 2 and "screens files" in result.output


def test_under_spark_submit(tmp_path: Path) -> None:
    """As on a cluster: spark-submit runs redthread's command line; its --master stands."""
    env = {**os.environ, "REDTHREAD_DATA_DIR": str(tmp_path / "data")}
    env["PYSPARK_PYTHON"] = sys.executable
    runner = CliRunner()
    loaded = runner.invoke(cli.app, ["lists", "load", "--bundled"], env=env)
    assert loaded.exit_code == 0, loaded.output
    source = tmp_path / "parties.jsonl"
    source.write_text('{"id": "k", "name": "IEMZ Kupol", "schema": "Company"}\n')
    submit = Path(sys.executable).parent / "spark-submit"
    done = subprocess.run(
        [
            str(submit),
            "--master",
            "local[1]",
            "--conf",
            "spark.ui.enabled=false",
            str(Path(cli.__file__).parent / "__main__.py"),
            "match",
            "--engine",
            "spark",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "screened 1 queries on Spark" in done.stdout
    assert json.loads((tmp_path / "out" / "run.json").read_text())["master"] == "local[1]"
