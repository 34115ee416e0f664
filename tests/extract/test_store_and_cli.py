"""Extraction into the store, the command line, and the FtM export (validated by
followthemoney itself)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import model
from typer.testing import CliRunner

from redthread import cli
from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract import extract_documents
from redthread.ingest import Ingester, ReadOptions
from redthread.model import DocumentStatus
from redthread.store import Store
from tests.conftest import SHARED_DATA

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    saved = cli.console.width, cli.err_console.width
    cli.console.width = cli.err_console.width = 300
    yield
    cli.console.width, cli.err_console.width = saved


def test_extraction_is_stored_with_evidence_and_claims(db_url: str, tmp_path: Path) -> None:
    with Store.open(db_url) as store:
        ingester = Ingester.for_model(store, DEFAULT_SPACY_MODEL, "Turkey", ReadOptions())
        ingester.ingest_paths([str(DATA / "turkey-machine-tools.txt")])
        (document,) = store.documents("Turkey")
        (outcome,) = extract_documents(store, [document], DEFAULT_SPACY_MODEL, "Turkey")
        assert outcome.extraction is not None
        stored = store.get_document(document.id)
        assert stored is not None and stored.status is DocumentStatus.EXTRACTED
        denied = next(r for r in outcome.extraction.relations if r.stance.value == "denied")
        claims = store.claims_for(denied.id)
        assert [c.stance.value for c in claims] == ["denied"]
        assert claims[0].attributed_to == "Steinbach Werkzeugmaschinen GmbH"
        assert "denied selling machines" in claims[0].evidence.text
        edge = store.statements(entity_id=denied.id)
        assert {s.prop: s.value for s in edge}["status"] == "denied"
        evidence = store.evidence_for(edge[0].id)
        assert evidence and evidence[0].document_id == document.id
        before = store.count("statement"), store.count("evidence"), store.count("claim")
        list(extract_documents(store, [document], DEFAULT_SPACY_MODEL, "Turkey"))
        assert (store.count("statement"), store.count("evidence"), store.count("claim")) == before


def test_cli_extract_json_is_stable_and_export_validates(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    seed = str(SHARED_DATA / "seed-article.txt")
    first = runner.invoke(cli.app, [*data, "extract", seed, "--json", "--case", "Garpiya"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli.app, [*data, "extract", seed, "--json", "--case", "Garpiya"])
    assert json.loads(first.output) == json.loads(again.output)  # the same ids every run
    result = json.loads(first.output)
    assert {"document", "entities", "relations", "claims"} <= set(result)
    relation = next(r for r in result["relations"] if r["type"] == "Ownership")
    assert {"id", "type", "role", "source", "target", "stance", "attributed_to", "evidence"} <= set(
        relation
    )
    kupol = next(e for e in result["entities"] if "Kupol" in e["names"])
    assert kupol["schema"] == "Company" and len(kupol["mentions"]) > 10
    assert all(m["document"] == result["document"] for m in kupol["mentions"])
    (unnamed,) = [e for e in result["entities"] if e.get("unnamed")]
    assert unnamed["names"] == ["unnamed Russian firm"] and unnamed["description"]

    out = tmp_path / "case.ftm.json"
    exported = runner.invoke(cli.app, [*data, "export", "--case", "Garpiya", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    entities = [json.loads(line) for line in out.read_text().splitlines()]
    ids = {e["id"] for e in entities}
    for data_row in entities:
        schema = model.get(data_row["schema"])
        assert schema is not None
        assert schema.validate(data_row) is None, data_row
        for name, values in data_row["properties"].items():
            prop = schema.properties[name]
            if prop.type.name == "entity":
                assert set(values) <= ids  # every link points at an exported entity
    described = [e for e in entities if e["id"] == unnamed["id"]]
    assert described and described[0]["properties"]["description"] == [unnamed["description"]]
    denied = [e for e in entities if "denied" in e["properties"].get("status", [])]
    assert denied  # the ministry's denial of the project stays a denial in FtM
    schemata = {e["schema"] for e in entities}
    assert {"Article", "Mention", "Documentation", "Ownership", "Company"} <= schemata
    assert all(
        e["properties"].get("status")
        for e in entities
        if e["schema"] in ("Ownership", "UnknownLink")
    )


def test_cli_extract_without_files_takes_pending_documents(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    ingested = runner.invoke(
        cli.app, [*data, "ingest", str(DATA / "eu-listing.txt"), "--case", "Belarus"]
    )
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(cli.app, [*data, "extract", "--case", "Belarus"])
    assert result.exit_code == 0, result.output
    assert "Viktor Lukashuk —Directorship (general director)→ OAO Integral" in result.output
    again = runner.invoke(cli.app, [*data, "extract", "--case", "Belarus"])
    assert again.output.strip() == ""  # nothing pending any more


def test_long_texts_are_parsed_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from redthread.extract import pipeline

    text = (DATA / "vessel-sts.txt").read_text(encoding="utf-8")
    whole = pipeline.extract_text(text, "a" * 64, DEFAULT_SPACY_MODEL)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 300)  # parts cut at paragraph breaks
    assert pipeline.parse(text, DEFAULT_SPACY_MODEL).text == text
    parts = pipeline.extract_text(text, "a" * 64, DEFAULT_SPACY_MODEL)
    assert {(r.type, r.source, r.target) for r in parts.relations} == {
        (r.type, r.source, r.target) for r in whole.relations
    }


def test_too_long_for_extraction_is_stored_not_extracted(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'rt.db'}") as store:
        Ingester(store).ingest_paths([str(DATA / "eu-listing.txt")])
        (document,) = store.documents()
        (outcome,) = extract_documents(store, [document], DEFAULT_SPACY_MODEL, max_chars=100)
        assert outcome.extraction is None and "over the limit of 100" in (outcome.reason or "")
        stored = store.get_document(document.id)
        assert stored is not None and stored.status is DocumentStatus.NOT_EXTRACTED
        assert "max_extract_chars" in (stored.note or "")


def test_cli_extract_uses_the_loaded_lists_names(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    excerpt = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"
    loaded = runner.invoke(cli.app, [*data, "lists", "load", str(excerpt), "--name", "late"])
    assert loaded.exit_code == 0, loaded.output
    note = tmp_path / "note.txt"
    note.write_text("the engines came from xiamen limbach aircraft engine co., ltd. in 2023.\n")
    found = runner.invoke(cli.app, [*data, "extract", str(note), "--json"])
    names = [n for e in json.loads(found.output)["entities"] for n in e["names"]]
    assert "xiamen limbach aircraft engine co., ltd." in names
    plain = tmp_path / "note2.txt"
    plain.write_text("the engines came from xiamen limbach aircraft engine co., ltd. in 2024.\n")
    off = runner.invoke(cli.app, [*data, "extract", str(plain), "--json", "--no-listed-names"])
    assert not any("limbach" in n for e in json.loads(off.output)["entities"] for n in e["names"])


def test_parallel_extraction_gives_the_same_results(tmp_path: Path) -> None:
    results = []
    for workers in (1, 2):
        with Store.open(f"sqlite:///{tmp_path / f'rt{workers}.db'}") as store:
            Ingester(store).ingest_paths([str(DATA)])
            documents = store.documents()
            outcomes = list(
                extract_documents(store, documents, DEFAULT_SPACY_MODEL, workers=workers)
            )
            assert len(outcomes) == len(documents) >= 10
            results.append(
                [
                    (o.document.id, sorted(r.id for r in o.extraction.relations))
                    for o in outcomes
                    if o.extraction is not None
                ]
            )
            counts = (store.count("statement"), store.count("claim"))
        results.append(counts)  # type: ignore[arg-type]
    assert results[0] == results[2] and results[1] == results[3]
