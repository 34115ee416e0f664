"""Storing list versions: all or nothing, idempotent, older versions kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from followthemoney.statement import StatementEntity

from redthread.lists import BadRowsError, ListFormatError, bundled_list_files, load_list, read_list
from redthread.store import Store
from tests.conftest import SHARED_DATA

LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"
EXCERPT = LATE / "sdn-excerpt.csv"


def as_sets(entity: StatementEntity) -> tuple[str, dict[str, set[str]]]:
    """An entity's schema and values, ignoring the order statements come back in."""
    return entity.schema.name, {prop: set(values) for prop, values in entity.properties.items()}


def test_the_bundled_snapshot_is_the_2024_list() -> None:
    (path,) = bundled_list_files()
    assert (
        path.read_bytes()
        == (SHARED_DATA / "sanctions" / "ofac-2024-05-03" / "sdn.csv").read_bytes()
    )


def test_load_stores_a_version_and_its_entities(db_url: str) -> None:
    parsed = read_list([EXCERPT], name="ofac", published=date(2024, 10, 30))
    with Store.open(db_url) as store:
        result = load_list(store, parsed)
        assert not result.already_loaded
        version = result.version
        assert version.active and version.id is not None
        assert version.entity_count == 61
        assert version.row_count == 61
        assert version.format == "ofac-csv"
        assert version.sha256 == parsed.files[0].sha256
        assert store.list_versions(active_only=True) == [version]
        stored = {e.id: as_sets(e) for e in store.list_entities(version)}
        assert stored == {e.id: as_sets(e) for e in parsed.entities}
        assert store.count("list_statement") == len(parsed.statements())
        targets = {e.id for e in store.list_entities(version, targets_only=True)}
        assert targets == parsed.listed_ids and len(targets) == 61


def test_loading_the_same_files_again_changes_nothing(db_url: str) -> None:
    parsed = read_list([EXCERPT], name="ofac")
    with Store.open(db_url) as store:
        first = load_list(store, parsed).version
        rows = store.count("list_statement")
        again = load_list(store, read_list([EXCERPT], name="ofac"))
        assert again.already_loaded
        assert again.version.id == first.id
        assert store.count("list_statement") == rows
        assert store.count("list_version") == 1


def test_a_new_version_becomes_active_and_the_old_stays_queryable(
    db_url: str, tmp_path: Path
) -> None:
    old_file = tmp_path / "old" / "sdn.csv"
    old_file.parent.mkdir()
    old_file.write_bytes(b"".join(EXCERPT.read_bytes().splitlines(keepends=True)[:10]))
    with Store.open(db_url) as store:
        old = load_list(store, read_list([old_file], name="ofac")).version
        new = load_list(store, read_list([EXCERPT], name="ofac")).version
        versions = {v.id: v for v in store.list_versions(name="ofac")}
        assert versions[new.id].active and not versions[old.id].active
        assert len(list(store.list_entities(versions[old.id]))) < len(
            list(store.list_entities(new))
        )
        # loading the old files again re-activates the old version, without a copy
        again = load_list(store, read_list([old_file], name="ofac"))
        assert again.already_loaded and again.version.active and again.version.id == old.id
        assert [v.id for v in store.list_versions(active_only=True)] == [old.id]


def test_a_list_with_bad_rows_is_not_loaded(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(EXCERPT.read_bytes() + b'99999,"TRUNCATED ROW",-0- ,"SDGT"\r\n')
    parsed = read_list([bad], name="ofac")
    with Store.open(db_url) as store:
        with pytest.raises(BadRowsError, match="1 malformed row") as caught:
            load_list(store, parsed)
        assert caught.value.issues[0].line == 62
        assert store.count("list_version") == 0
        assert store.count("list_statement") == 0

        version = load_list(store, parsed, allow_bad_rows=True).version
        assert version.entity_count == 61
        issues = store.list_issues(version.id or 0)
        assert [(i.kind, i.line) for i in issues] == [("bad_row", 62)]


def test_dropped_alias_rows_are_recorded_with_the_version(sqlite_url: str) -> None:
    parsed = read_list([EXCERPT, LATE / "alt.csv"], name="ofac")
    with Store.open(sqlite_url) as store:
        version = load_list(store, parsed).version
        issues = store.list_issues(version.id or 0)
        assert len(issues) == len(parsed.dropped) > 1000
        assert {i.kind for i in issues} == {"dropped"}
        assert version.issue_count == len(issues)


def test_the_full_bundled_list_loads(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        version = load_list(store, read_list(bundled_list_files(), name="ofac")).version
        assert version.entity_count == 14965
        kupol = [e for e in store.list_entities(version) if e.id == "ofac-46431"]
        assert kupol[0].get("innCode") == ["1831083343"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["alt.csv"], "no main list file"),
        (["missing.csv"], "does not exist"),
        (["sdn.csv", "sdn2.csv"], "one sdn file per list version"),
    ],
)
def test_unusable_file_sets_are_explained(tmp_path: Path, files: list[str], message: str) -> None:
    for name in files:
        if name != "missing.csv":
            (tmp_path / name).write_bytes(EXCERPT.read_bytes())
    with pytest.raises(ListFormatError, match=message):
        read_list([tmp_path / name for name in files], name="ofac")


@pytest.mark.parametrize("name", ["OFAC", "ofac-2024", "", "my list"])
def test_list_names_must_be_ftm_dataset_names(name: str) -> None:
    with pytest.raises(ListFormatError, match="invalid list name"):
        read_list([EXCERPT], name=name)
