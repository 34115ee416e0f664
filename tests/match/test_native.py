"""The compiled matching engine (mypyc, match/native.py): built, used, and giving exactly
the Python engine's results; never used when built from other sources."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redthread.match import native

#: Where `make test` builds it (read before the tests move HOME to a temporary folder).
BUILDS = native.build_dir().parent
ROOT = Path(__file__).resolve().parents[2]

#: Run in a fresh interpreter: the engine in use, pair scores and explanations over the
#: name benchmark, and a screening of people and companies against the real OFAC list.
PROBE = """
import csv, json, sys
from pathlib import Path
from redthread.lists import read_list
from redthread.match import native
from redthread.match.index import MatchIndex, Query
from redthread.match.names import compare_names

shared, cases = sys.argv[1], sys.argv[2]
pairs = []
with open(cases, encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        result = compare_names(row["name1"], row["name2"], row["schema"])
        pairs.append([result.score, result.explain()])
parsed = read_list([Path(shared, "sanctions", "ofac-2024-05-03", "sdn.csv")], name="ofac")
index = MatchIndex.from_entities(parsed.entities, "ofac", 1)
queries = [
    Query("Vladimir Putin", "Person", ("ru",), "1952-10-07"),
    Query("PUTIN, Vladimir Vladimirovich", "Person"),
    Query("Владимир Путин", "Person"),
    Query("IEMZ Kupol", "Company", ("ru",)),
    Query("Almaz Antey", "Company"),
    Query("Islamic Revolutionary Guard Corps", "Organization"),
    Query("IRGC", "Organization"),
    Query("Bank Melli", "Company", identifiers=("BMJIIRTH",)),
    Query("Kim Jong Un", "Person"),
    Query("Smith", "Person"),
]
found = [
    [[c.list_entity_id, c.score, c.match, c.explanation] for c in index.search(q, threshold=0.7)]
    for q in queries
]
ofac = [
    [[c.list_entity_id, c.score] for c in index.search(q, threshold=0.85, algorithm="ofac")]
    for q in queries
]
print(json.dumps({"native": native.in_use(), "pairs": pairs, "found": found, "ofac": ofac}))
"""


def probe(env: dict[str, str]) -> dict[str, object]:
    shared = ROOT.parent / "shared" / "data"
    cases = shared / "matching" / "nomenklatura" / "name_bench_cases.csv"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(shared), str(cases)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.skipif(importlib.util.find_spec("mypyc") is None, reason="mypy is not installed")
def test_the_compiled_engine_gives_the_python_engines_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDTHREAD_NATIVE_DIR", str(BUILDS))
    folder = native.build()  # at once when `make test` built it already
    assert (folder / native.MANIFEST).is_file()
    compiled = probe({"REDTHREAD_NATIVE_DIR": str(BUILDS)})
    python = probe({"REDTHREAD_NATIVE_DIR": str(BUILDS), "REDTHREAD_NATIVE": "0"})
    assert compiled["native"] is True and python["native"] is False
    assert compiled["pairs"] == python["pairs"]
    assert compiled["found"] == python["found"]
    assert compiled["ofac"] == python["ofac"]
    putin = python["found"]
    assert isinstance(putin, list) and putin[0][0][0] == "35096"  # the probe found something


def test_a_build_from_other_sources_is_never_used(tmp_path: Path) -> None:
    # a complete build, but of other sources (another digest): the Python files are used
    other = tmp_path / f"{sys.implementation.cache_tag}-0123456789abcdef"
    (other / "redthread" / "match").mkdir(parents=True)
    (other / native.MANIFEST).write_text("{}")
    code = "from redthread.match import native; print(native.in_use(), native.status())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "REDTHREAD_NATIVE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("False Python: run `redthread native build`")


def test_a_build_without_its_manifest_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDTHREAD_NATIVE_DIR", str(tmp_path))
    # an interrupted build: the folder for these sources, but without the manifest
    (native.build_dir() / "redthread" / "match").mkdir(parents=True)
    path: list[str] = []
    assert native.enable(path) is False and path == []
    (native.build_dir() / native.MANIFEST).write_text("{}")
    assert native.enable(path) is True
    assert path == [str(native.build_dir() / "redthread" / "match")]
    sys.path.remove(str(native.build_dir()))
    monkeypatch.setenv("REDTHREAD_NATIVE", "0")
    assert native.enable([]) is False


def test_a_failed_build_says_why_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from redthread import cli

    monkeypatch.setenv("REDTHREAD_NATIVE_DIR", str(tmp_path))

    def no_compiler(*args: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 1, "", "error: command 'gcc' failed\n")

    monkeypatch.setattr(native.subprocess, "run", no_compiler)
    result = CliRunner().invoke(cli.app, ["native", "build"])
    assert result.exit_code == 1
    assert "mypyc failed" in result.output and "gcc" in result.output
    assert "keeps using the Python modules" in result.output
    assert not (native.build_dir() / native.MANIFEST).exists()
    assert [p for p in tmp_path.iterdir()] == []  # nothing half-built left behind


def test_a_damaged_build_falls_back_to_the_python_files(tmp_path: Path) -> None:
    import importlib.machinery

    env = {**os.environ, "REDTHREAD_NATIVE_DIR": str(tmp_path)}
    where = "from redthread.match import native; print(native.build_dir())"
    folder = Path(
        subprocess.run(
            [sys.executable, "-c", where], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (folder / "redthread" / "match").mkdir(parents=True)
    (folder / "redthread" / "match" / f"names{suffix}").write_bytes(b"not a library")
    (folder / native.MANIFEST).write_text("{}")
    code = (
        "from redthread.match import native, compare_names; "
        "print(native.in_use(), compare_names('Putin', 'Putin').score, native.status())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("False 1.0 Python (a compiled build exists but could not")
