"""Reviewers' decisions: recorded in the audit log, respected by later screenings while the
list entry is unchanged, lapsed once the list changes it; dismissed merges stay undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from redthread.lists import load_list, read_list
from redthread.match.screen import active_versions, load_index, save_version_index
from redthread.model import ListVersion
from redthread.model.extraction import ExtractedEntity, Extraction, Mention
from redthread.rescreen import screen_parties
from redthread.resolve import CaseEntity, resolve_entities
from redthread.review import ReviewBook, ReviewError, record_decision
from redthread.store import Store
from tests.conftest import SHARED_DATA

EXCERPT = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"
REDLEPUS = "sdn-excerpt-51265"
REDLEPUS_PARTY = CaseEntity("party-1", "Company", ["Redlepus Vector Industry Shenzhen Co Ltd"], [])


def load(store: Store, folder: Path, text: str) -> list[ListVersion]:
    path = folder / "sdn-excerpt.csv"
    path.write_text(text, encoding="utf-8")
    parsed = read_list([path], name="sdn_excerpt")
    result = load_list(store, parsed)
    save_version_index(folder, result.version, parsed.entities)
    return active_versions(store)


@pytest.fixture
def listed(sqlite_url: str, tmp_path: Path) -> tuple[Store, Path, list[ListVersion]]:
    store = Store.open(sqlite_url)
    return store, tmp_path, load(store, tmp_path, EXCERPT.read_text(encoding="utf-8"))


def dismiss(store: Store, versions: list[ListVersion], **extra: object) -> int:
    options: dict[str, object] = {
        "reviewer": "ana",
        "kind": "match",
        "decision": "dismissed",
        "reason": "a namesake: the registration numbers differ",
        "party": REDLEPUS_PARTY.id,
        "names": REDLEPUS_PARTY.names,
        "case": "Garpiya",
        "entity_id": REDLEPUS,
    }
    options.update(extra)
    return record_decision(store, versions, **options)  # type: ignore[arg-type]


def screened(store: Store, folder: Path, versions: list[ListVersion]) -> list[dict[str, object]]:
    index = load_index(store, folder, versions)
    found = screen_parties([REDLEPUS_PARTY], index, 0.7, ReviewBook.load(store, versions))
    return [
        {"id": c.entity_id, "match": c.match, "review": c.review}
        for c in found.get(REDLEPUS_PARTY.id, [])
    ]


def test_a_dismissed_match_stays_dismissed_while_the_entry_is_unchanged(
    listed: tuple[Store, Path, list[ListVersion]],
) -> None:
    store, folder, versions = listed
    before = screened(store, folder, versions)
    assert before[0] == {"id": REDLEPUS, "match": True, "review": None}
    dismiss(store, versions)
    (row,) = store.reviews()
    assert row["reviewer"] == "ana" and row["list_version"] == versions[0].id
    assert row["entry_sha256"] and row["party_names"] == REDLEPUS_PARTY.names
    after = screened(store, folder, versions)
    assert after[0]["id"] == REDLEPUS and after[0]["match"] is False
    assert after[0]["review"]["decision"] == "dismissed"  # type: ignore[index]
    # a newer version that leaves the entry as it was: the decision holds
    other = EXCERPT.read_text(encoding="utf-8").replace("OZ RULMAN", "OZ RULMAN YENI")
    newer = load(store, folder, other)
    assert newer[0].id != versions[0].id
    assert screened(store, folder, newer)[0]["match"] is False


def test_a_changed_entry_lapses_the_decision(
    listed: tuple[Store, Path, list[ListVersion]],
) -> None:
    store, folder, versions = listed
    dismiss(store, versions)
    changed = EXCERPT.read_text(encoding="utf-8").replace(
        "Organization Established Date 30 May 2023;",
        "Organization Established Date 30 May 2023; Website www.redlepus.example;",
    )
    newer = load(store, folder, changed)
    book = ReviewBook.load(store, newer)
    assert book.matches == [] and [d.entity_id for d in book.lapsed] == [REDLEPUS]
    assert screened(store, folder, newer)[0] == {"id": REDLEPUS, "match": True, "review": None}


def test_the_newest_decision_stands_and_a_confirmation_counts_as_a_match(
    listed: tuple[Store, Path, list[ListVersion]],
) -> None:
    store, folder, versions = listed
    dismiss(store, versions)
    dismiss(store, versions, decision="confirmed", reason="same USCC as the invoice")
    (result,) = [r for r in screened(store, folder, versions) if r["id"] == REDLEPUS]
    assert result["match"] is True
    assert result["review"]["reason"] == "same USCC as the invoice"  # type: ignore[index]
    assert [r["decision"] for r in store.reviews()] == ["confirmed", "dismissed"]


def test_a_decision_follows_the_party_by_name(
    listed: tuple[Store, Path, list[ListVersion]],
) -> None:
    """Another case (another party id) with the same name: the decision applies."""
    store, folder, versions = listed
    dismiss(store, versions, party="some-other-case-entity")
    assert screened(store, folder, versions)[0]["match"] is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "needs a reason"),
        ({"entity_id": "sdn-excerpt-1"}, "no listed entity"),
        ({"entity_id": None}, "names the listed entity"),
        ({"decision": "maybe"}, "confirms or dismisses"),
        ({"kind": "merge", "members": ["a"]}, "at least two"),
    ],
)
def test_decisions_that_cannot_be_recorded(
    listed: tuple[Store, Path, list[ListVersion]], change: dict[str, object], message: str
) -> None:
    store, _, versions = listed
    with pytest.raises(ReviewError, match=message):
        dismiss(store, versions, **change)
    assert store.reviews() == []


def _extraction(document: str, entity_id: str, name: str) -> Extraction:
    mention = Mention(0, len(name), name, "ORG")
    return Extraction(document, [ExtractedEntity(entity_id, "Company", [name], [mention])])


def test_an_undone_merge_is_not_made_again(sqlite_url: str) -> None:
    extractions = [
        _extraction("doc-1", "e1", "Vektor Trading LLC"),
        _extraction("doc-2", "e2", "Vektor Trading LLC"),
        _extraction("doc-3", "e3", "Vektor Trading LLC"),
    ]
    entities, _, merges = resolve_entities(extractions, "case")
    assert len(entities) == 1 and merges[0].members == ("e1", "e2", "e3")
    store = Store.open(sqlite_url)
    record_decision(
        store,
        [],
        reviewer="ana",
        kind="merge",
        decision="dismissed",
        reason="two companies of this name in different countries",
        party=entities[0].id,
        names=entities[0].names,
        members=["e1", "e2", "e3"],
    )
    book = ReviewBook.load(store, [])
    assert book.apart == [frozenset({"e1", "e2", "e3"})]
    apart, mapping, merges = resolve_entities(extractions, "case", book.apart)
    assert len(apart) == 3 and merges == [] and len(set(mapping.values())) == 3
    # confirming it again (the newest decision) merges them again
    record_decision(
        store,
        [],
        reviewer="ana",
        kind="merge",
        decision="confirmed",
        reason="the registry shows one company",
        party=entities[0].id,
        names=entities[0].names,
        members=["e3", "e2", "e1"],
    )
    assert ReviewBook.load(store, []).apart == []


def test_the_command_line_decides_and_prints_the_log(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from redthread import cli

    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    assert runner.invoke(cli.app, [*data, "lists", "load", str(EXCERPT)]).exit_code == 0
    empty = runner.invoke(cli.app, [*data, "review"])
    assert empty.exit_code == 0 and "no decision yet" in empty.output
    no_reason = runner.invoke(cli.app, [*data, "review", "match", "Redlepus Vector", "ofac-51265"])
    assert no_reason.exit_code == 2 and "needs a reason" in no_reason.output
    done = runner.invoke(
        cli.app,
        [*data, "review", "match", "Redlepus Vector", "ofac-51265", "--dismiss",
         "--reason", "another company", "--reviewer", "ana"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    log = runner.invoke(cli.app, [*data, "review"])
    assert "ana  dismissed match  Redlepus Vector / ofac-51265" in log.output
    assert "another company" in log.output


def test_the_command_line_undoes_a_merge(sqlite_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from redthread import cli

    store = Store.open(sqlite_url)
    findings = {
        "entities": [{"id": "merged", "names": ["Vektor Trading LLC"]}],
        "merges": [
            {"entity": "merged", "members": ["e1", "e2"], "reason": "same name", "score": 1.0}
        ],
    }
    with store.transaction() as writer:
        writer.add_findings("Vektor", findings)
    store.close()
    runner = CliRunner()
    base = ["--database-url", sqlite_url]
    unknown = runner.invoke(cli.app, [*base, "review", "merge", "Vektor", "nope", "--reason", "x"])
    assert unknown.exit_code == 2 and "not a merged party" in unknown.output
    done = runner.invoke(
        cli.app, [*base, "review", "merge", "Vektor", "merged", "--undo", "--reason", "two firms"]
    )
    assert done.exit_code == 0, done.output
    reopened = Store.open(sqlite_url)
    assert ReviewBook.load(reopened, []).apart == [frozenset({"e1", "e2"})]
