"""`redthread investigate` end to end: real documents, a real list, every output file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model
from typer.testing import CliRunner

from redthread import cli
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS, SHARED_DATA

runner = CliRunner()
DOCS = Path(__file__).resolve().parent / "data" / "extraction"
EXCERPT = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    saved = cli.console.width, cli.err_console.width
    cli.console.width = cli.err_console.width = 300
    yield
    cli.console.width, cli.err_console.width = saved


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    root = tmp_path_factory.mktemp("investigation")
    docs = root / "docs"
    docs.mkdir()
    (docs / "seed-article.txt").write_bytes((SHARED_DATA / "seed-article.txt").read_bytes())
    (docs / "followup.txt").write_bytes((DOCS / "garpiya-followup.txt").read_bytes())
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    (docs / "hostile.html").write_text(
        "<html><body><script>alert('x')</script><p>Nova Drone Parts Ltd, a subsidiary of "
        "Redlepus Vector Industry Shenzhen Co Ltd, sold motors to IEMZ Kupol.</p>"
        "<p onclick='x()'>The <b>report</b> &lt;script&gt; ends here.</p></body></html>"
    )
    table = root / "ownership.csv"
    table.write_text(
        "owner,asset,percentage,source\n"
        "Redlepus Vector Industry Shenzhen Co Ltd,Shenzhen Kite Components Ltd,60,registry\n"
        "Shenzhen Kite Components Ltd,Kite Avionics Ltd,50,registry\n"
    )
    out = root / "out"
    data = ["--data-dir", str(root / "data")]
    result = runner.invoke(
        cli.app,
        [
            *data,
            "investigate",
            str(docs),
            "--list",
            str(EXCERPT),
            "--case",
            "Garpiya",
            "--ownership",
            str(table),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(
        cli.app,
        [*data, "investigate", str(docs), "--case", "Garpiya", "--ownership", str(table),
         "--out", str(root / "again")],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    findings = json.loads((out / "findings.json").read_text())
    repeat = json.loads((root / "again" / "findings.json").read_text())
    assert [e["id"] for e in findings["entities"]] == [e["id"] for e in repeat["entities"]]
    return out, findings


def entity(findings: dict, name: str) -> dict:  # type: ignore[type-arg]
    (found,) = [e for e in findings["entities"] if name in e["names"]]
    return found  # type: ignore[no-any-return]


def test_listed_parties_are_sanctioned_with_the_list_id(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    _, findings = run
    assert findings["lists"][0]["name"] == "sdn_excerpt" and findings["lists"][0]["sha256"]
    redlepus = entity(findings, "Redlepus Vector Industry Shenzhen Co Ltd")
    assert "Redlepus TSK Vector Industrial" in redlepus["names"]  # merged across documents
    assert redlepus["exposure"]["level"] == "sanctioned"
    (hit,) = [s for s in redlepus["sanctions"] if s["match"]]
    assert hit["list_entity_id"] == "51265" and hit["explanation"]
    assert (
        entity(findings, "Xiamen Limbach Aircraft Engine Co")["exposure"]["level"] == "sanctioned"
    )


def test_exposure_paths_and_the_fifty_percent_rule(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    _, findings = run
    kupol = entity(findings, "IEMZ Kupol")
    assert kupol["exposure"]["level"] == "linked within 1 hop"
    path = kupol["exposure"]["paths"][0]
    assert path["hops"] == 1 and path["edges"][0]["evidence"][0]["text"]
    vektor = entity(findings, "TSK Vektor")
    assert vektor["exposure"]["level"] == "linked within 1 hop"  # collaborated with Redlepus
    # the ownership table's parties are graph nodes of their own, blocked by ownership
    kite = {n["caption"]: n for n in findings["other_nodes"]}["Shenzhen Kite Components Ltd"]
    assert kite["ownership"] == {"status": "blocked", "share": 60.0} and not kite["listed"]


def test_outputs_open_in_their_tools(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, findings = run
    graph = nx.read_graphml(out / "graph.graphml")
    gexf = nx.read_gexf(out / "graph.gexf")
    assert graph.number_of_nodes() == gexf.number_of_nodes() > 5
    sanctioned = [n for n, d in graph.nodes(data=True) if d.get("sanctioned")]
    assert len(sanctioned) >= 2
    lines = [json.loads(line) for line in (out / "case.ftm.json").read_text().splitlines()]
    ids = {e["id"] for e in lines}
    for data in lines:
        schema = model.get(data["schema"])
        assert schema is not None and schema.validate(data) is None
        for prop, values in data["properties"].items():
            if schema.properties[prop].type.name == "entity":
                assert set(values) <= ids
    html = (out / "report.html").read_text()
    # the only scripts are the report's own: the graph data, Cytoscape.js, the network
    assert html.count("<script") == 3 and "alert(" not in html and "onclick" not in html
    assert "http://" not in html.split("<script>", 1)[0]  # nothing loaded from the network
    assert "Redlepus" in html and "sanctioned" in html
    assert findings["timeline"] and all(item["date"] for item in findings["timeline"])
    assert findings["merges"] and all(m["reason"] for m in findings["merges"])
    (broken,) = findings["not_processed"]  # a broken file is reported, the rest goes on
    assert broken["source"].endswith("broken.pdf") and "PDF" in broken["reason"]
    assert "Files not processed" in html


def test_a_party_described_without_a_name(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    # the seed article's invoices come from 'a Russian firm that acts as an intermediary
    # with Chinese suppliers': a party of the case, never screened, its words kept
    out, findings = run
    firm = entity(findings, "unnamed Russian firm")
    assert firm["unnamed"] is True and firm["sanctions"] == []
    assert firm["description"].startswith("a Russian firm that acts as an intermediary")
    kupol = entity(findings, "IEMZ Kupol")["id"]
    delivered = [
        r for r in findings["relations"] if r["source"] == firm["id"] and r["target"] == kupol
    ]
    assert [r["role"] for r in delivered] == ["delivered"]
    lines = [json.loads(line) for line in (out / "case.ftm.json").read_text().splitlines()]
    (party,) = [e for e in lines if e["id"] == firm["id"]]
    assert party["properties"]["description"] == [firm["description"]]


def test_unnamed_parties_are_never_merged_nor_screened() -> None:
    from redthread.match.index import ListedParty, MatchIndex
    from redthread.model.extraction import ExtractedEntity, Extraction, Mention
    from redthread.rescreen import screen_parties
    from redthread.resolve import resolve_entities

    def document(number: int) -> Extraction:
        firm = ExtractedEntity(
            f"firm-{number}",
            "Company",
            ["unnamed Russian firm"],
            [Mention(0, 14, "a Russian firm", "ORG")],
            unnamed=True,
            description="a Russian firm",
        )
        return Extraction(f"doc-{number}", [firm])

    entities, _, merges = resolve_entities([document(1), document(2)], "case")
    assert len(entities) == 2 and not merges
    assert all(e.unnamed and e.description == "a Russian firm" for e in entities)
    listed = ListedParty(
        "test", 1, "1", "test-1", "UNNAMED RUSSIAN FIRM", "Company",
        ("UNNAMED RUSSIAN FIRM",), frozenset(), (), frozenset(),
    )  # fmt: skip
    assert screen_parties(entities, MatchIndex.build([listed]), 0.7) == {}


def test_a_persons_surname_alone_is_not_screened_beside_the_full_name() -> None:
    from redthread.match.index import ListedParty, MatchIndex
    from redthread.rescreen import screen_parties
    from redthread.resolve import CaseEntity

    listed = ListedParty(
        "test", 1, "1", "test-1", "ABD-AL-SAMAD, Muhammad Haytham", "Person",
        ("ABD-AL-SAMAD, Muhammad Haytham",), frozenset(), (), frozenset(),
        surnames=frozenset({"samad"}),
    )  # fmt: skip
    index = MatchIndex.build([listed])
    named = CaseEntity("p1", "Person", ["Kaveh Samadi", "Samadi"], ["d1"])
    surname = CaseEntity("p2", "Person", ["Samadi"], ["d2"])
    found = screen_parties([named, surname], index, 0.7)
    # the full name is screened, and is not this person; the surname alone, for review
    assert not any(c.match for c in found.get("p1", []))
    assert [c.list_entity_id for c in found["p2"] if c.match] == ["1"]


def test_ownership_table_blocks_by_the_fifty_percent_rule(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    out, _ = run
    graph = nx.read_graphml(out / "graph.graphml")
    levels = {d.get("label"): d.get("exposure") for _, d in graph.nodes(data=True)}
    assert levels["Shenzhen Kite Components Ltd"] == "owned or controlled by a sanctioned party"
    assert levels["Kite Avionics Ltd"] == "owned or controlled by a sanctioned party"


def test_findings_follow_their_json_schema(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    import jsonschema

    _, findings = run
    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "docs" / "findings.schema.json").read_text()
    )
    jsonschema.validate(findings, schema)


def test_the_demo_case_on_the_bundled_list(tmp_path: Path) -> None:
    """The seed article on the 2024-05-03 snapshot: Kupol, Almaz-Antey, TSK Vektor and
    Putin are sanctioned, Redlepus (designated in October 2024) exposed through TSK Vektor
    and Kupol; with the late excerpt loaded as well, Redlepus is sanctioned itself."""
    data = ["--data-dir", str(tmp_path / "data")]
    assert runner.invoke(cli.app, [*data, "lists", "load", "--bundled"]).exit_code == 0
    seed = str(SHARED_DATA / "seed-article.txt")
    result = runner.invoke(cli.app, [*data, "investigate", seed, "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "a" / "findings.json").read_text())

    def listed(name: str) -> set[str]:
        return {s["list_entity_id"] for s in entity(findings, name)["sanctions"] if s["match"]}

    assert "46431" in listed("IEMZ Kupol")
    assert "16865" in listed("Almaz-Antey")
    assert "46441" in listed("TSK Vektor")
    assert "35096" in listed("Vladimir Putin")
    redlepus = entity(findings, "Redlepus TSK Vector Industrial")
    assert redlepus["exposure"]["level"] == "linked within 1 hop"
    reached = {p["via"][-1] for p in redlepus["exposure"]["paths"]}
    assert {entity(findings, "TSK Vektor")["id"], entity(findings, "IEMZ Kupol")["id"]} <= reached
    html = (tmp_path / "a" / "report.html").read_text()
    assert "is a snapshot published 2024-05-03" in html

    both = runner.invoke(
        cli.app,
        [*data, "investigate", seed, "--list", "ofac", "--list", str(EXCERPT),
         "--out", str(tmp_path / "b")],
    )  # fmt: skip
    assert both.exit_code == 0, both.output
    findings = json.loads((tmp_path / "b" / "findings.json").read_text())
    assert "51265" in listed("Redlepus TSK Vector Industrial")
    assert entity(findings, "Redlepus TSK Vector Industrial")["exposure"]["level"] == "sanctioned"


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_report_renders_and_the_network_draws_in_chromium(run: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    out, _ = run
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "report.html").as_uri())
        page.wait_for_function("window.redthreadNetwork && window.redthreadNetwork.nodes().length")
        nodes = page.evaluate("window.redthreadNetwork.nodes().length")
        sanctioned = page.evaluate("window.redthreadNetwork.nodes('.sanctioned').length")
        assert page.locator("#network canvas").count() > 0  # the graph draws
        # click a link: its sentence shows in the side panel, as text
        page.evaluate(
            "window.redthreadNetwork.edges().filter(e => e.data('quotes').length)[0].emit('tap')"
        )
        detail = page.locator("#detail").inner_text()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)  # no network
    assert nodes > 5 and sanctioned >= 2
    assert "stance:" in detail and "\u201c" in detail


def test_rescreen_reports_what_a_newer_list_changes(tmp_path: Path) -> None:
    """Investigated on the bundled snapshot; then the October 2024 designations arrive:
    re-screening reports Redlepus as a new hit and records a run of its own."""
    data = ["--data-dir", str(tmp_path / "data")]
    assert runner.invoke(cli.app, [*data, "lists", "load", "--bundled"]).exit_code == 0
    seed = str(SHARED_DATA / "seed-article.txt")
    first = runner.invoke(
        cli.app, [*data, "investigate", seed, "--case", "G", "--out", str(tmp_path / "a")]
    )
    assert first.exit_code == 0, first.output
    unchanged = runner.invoke(cli.app, [*data, "rescreen", "--case", "G", "--json"])
    assert unchanged.exit_code == 0, unchanged.output
    assert json.loads(unchanged.output)["changes"] == []
    loaded = runner.invoke(cli.app, [*data, "lists", "load", str(EXCERPT), "--name", "late"])
    assert loaded.exit_code == 0, loaded.output
    out = tmp_path / "again"
    result = runner.invoke(cli.app, [*data, "rescreen", "--case", "G", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # the case is assessed again: Redlepus is sanctioned itself now, in the files and
    # in the findings the web pages read
    again = json.loads((out / "findings.json").read_text())
    assert entity(again, "Redlepus TSK Vector Industrial")["exposure"]["level"] == "sanctioned"
    assert (out / "report.html").exists()
    from redthread.store import Store

    with Store.open(f"sqlite:///{tmp_path / 'data' / 'redthread.db'}") as store:
        stored = store.latest_findings("G")
    assert stored is not None and stored[1] == again
    new = [c for c in report["changes"] if c["change"] == "new hit"]
    assert [(c["list"], c["list_entity_id"]) for c in new] == [("late", "51265")]
    assert "Redlepus TSK Vector Industrial" in new[0]["names"]
    assert report["run"] > report["previous_run"]
    text = runner.invoke(cli.app, [*data, "rescreen", "--case", "G"])
    assert "no change" in text.output  # the run before already saw it
    missing = runner.invoke(cli.app, [*data, "rescreen", "--case", "nope"])
    assert missing.exit_code == 1 and "investigate" in missing.output


def test_the_stage_reports_its_progress(tmp_path: Path) -> None:
    from redthread.config import Settings
    from redthread.investigate import investigate
    from redthread.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("IEMZ Kupol is a subsidiary of Almaz-Antey.")
    (docs / "b.txt").write_text("TSK Vektor acted as an intermediary for IEMZ Kupol.")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not a PDF")
    seen: list[tuple[str, int, int]] = []
    with Store.open(f"sqlite:///{tmp_path / 'rt.db'}") as store:
        investigate(
            store,
            [str(docs)],
            case="progress",
            model_name=Settings().spacy_model,
            index=None,
            lists=[],
            threshold=0.7,
            progress=lambda stage, done, total: seen.append((stage, done, total)),
        )
    assert [s for s in seen if s[0] == "reading"] == [("reading", n, 3) for n in range(4)]
    assert [s for s in seen if s[0] == "extracting"] == [("extracting", n, 2) for n in range(3)]
    assert seen[-1][0] == "screening and building the graph"


def test_a_lists_own_ownership_counts_for_the_fifty_percent_rule(tmp_path: Path) -> None:
    """An FtM list (OpenSanctions' shape) says its listed Alpha owns 60% of Beta, which
    it does not list: Beta is blocked by ownership, and not called listed."""
    from redthread.config import Settings
    from redthread.investigate import investigate
    from redthread.lists import load_list, read_list
    from redthread.match.screen import active_versions, load_index, save_version_index
    from redthread.report.findings import findings_dict
    from redthread.store import Store
    from tests.store.test_list_links import FTM_LIST

    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(line) for line in FTM_LIST) + "\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text(
        "Alpha Drone Components Ltd shipped drone engines to IEMZ Kupol in 2023."
    )
    with Store.open(f"sqlite:///{tmp_path / 'rt.db'}") as store:
        parsed = read_list([path], name="watch")
        version = load_list(store, parsed).version
        save_version_index(tmp_path, version, parsed.entities)
        versions = active_versions(store)
        findings = investigate(
            store,
            [str(docs)],
            case="ownership",
            model_name=Settings().spacy_model,
            index=load_index(store, tmp_path, versions),
            lists=versions,
            threshold=0.7,
            list_links=store.list_links(version),
        )
    data = findings_dict(findings)
    alpha = entity(data, "Alpha Drone Components Ltd")
    assert alpha["exposure"]["level"] == "sanctioned"
    (beta,) = [o for o in data["other_nodes"] if o["id"] == "watch-beta"]
    assert beta["caption"] == "Beta Motor Works" and beta["listed"] is False
    assert beta["ownership"]["status"] == "blocked" and beta["ownership"]["share"] == 60.0
    (link,) = [link for link in data["links"] if link["target"] == "watch-beta"]
    assert link["type"] == "Ownership" and link["sources"] == ["list"]


def test_a_list_that_fails_to_load_stops_before_anything_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_text('1,"ALPHA TRADING LLC",-0- ,"RUSSIA"\n"unterminated,quote\n', encoding="latin-1")
    data = ["--data-dir", str(tmp_path / "data")]
    seed = str(SHARED_DATA / "seed-article.txt")
    out = tmp_path / "out"
    result = runner.invoke(
        cli.app, [*data, "investigate", seed, "--list", str(bad), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "sdn.csv" in result.output and "error" in result.output
    assert not out.exists()
    documents = runner.invoke(cli.app, [*data, "documents", "--json"])
    assert json.loads(documents.output or "[]") == []


def test_an_interrupted_investigation_resumes(tmp_path: Path) -> None:
    """A run stopped after storing some documents: the next run reads only the others
    and finds the same as a run from scratch."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "seed.txt").write_bytes((SHARED_DATA / "seed-article.txt").read_bytes())
    (docs / "followup.txt").write_bytes((DOCS / "garpiya-followup.txt").read_bytes())
    data = ["--data-dir", str(tmp_path / "data")]
    # what an interrupted run leaves: the first document stored, the second not
    first = runner.invoke(cli.app, [*data, "ingest", str(docs / "seed.txt"), "--case", "resume"])
    assert first.exit_code == 0, first.output
    resumed = runner.invoke(
        cli.app, [*data, "investigate", str(docs), "--case", "resume", "--out", str(tmp_path / "a")]
    )
    assert resumed.exit_code == 0, resumed.output
    fresh = runner.invoke(
        cli.app,
        ["--data-dir", str(tmp_path / "fresh"), "investigate", str(docs), "--case", "resume",
         "--out", str(tmp_path / "b")],
    )  # fmt: skip
    assert fresh.exit_code == 0, fresh.output
    a = json.loads((tmp_path / "a" / "findings.json").read_text())
    b = json.loads((tmp_path / "b" / "findings.json").read_text())
    assert [e["id"] for e in a["entities"]] == [e["id"] for e in b["entities"]]
    assert len(a["documents"]) == 2 and a["relations"] == b["relations"]
