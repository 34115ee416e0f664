"""lists diff: the 2024-05-03 list against a newer version with the October 2024 designations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.lists import diff_lists, load_list, read_list, resolve_list
from redthread.lists.common import ListFormatError
from redthread.store import Store
from tests.conftest import SHARED_DATA

OFAC_2024 = SHARED_DATA / "sanctions" / "ofac-2024-05-03" / "sdn.csv"
EXCERPT = SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"


def newer_sdn(folder: Path, edit: bytes = b"", replacement: bytes = b"") -> Path:
    """The 2024 file with the excerpt's rows appended (as OFAC would publish it)."""
    rows = EXCERPT.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not rows.endswith(b"\r\n"):
        rows += b"\r\n"
    content = OFAC_2024.read_bytes().rstrip(b"\x1a") + rows + b"\x1a"
    if edit:
        assert edit in content
        content = content.replace(edit, replacement)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sdn.csv"
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    new = newer_sdn(
        tmp_path_factory.mktemp("new"),
        # one party gains an alias, one disappears
        edit=b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b"\"a.k.a. 'BNC'.\"",
        replacement=b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b"\"a.k.a. 'BNC'; a.k.a. 'NATIONAL BANK OF CUBA'.\"",
    )
    content = new.read_bytes()
    row_36 = content.split(b"\r\n")[0] + b"\r\n"
    new.write_bytes(content.replace(row_36, b"", 1))
    return OFAC_2024, new


def test_diff_finds_the_added_removed_and_changed_parties(old_and_new: tuple[Path, Path]) -> None:
    old, new = (read_list([p], name="ofac") for p in old_and_new)
    diff = diff_lists(old.entities, new.entities, old_name="ofac", new_name="ofac")
    added = diff.parties("added")
    assert len(added) == 61
    assert [c.list_id for c in added][:2] == ["51243", "51244"]
    assert any(c.caption == "REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD" for c in added)
    assert [(c.list_id, c.caption) for c in diff.parties("removed")] == [
        ("36", "AEROCARIBBEAN AIRLINES")
    ]
    (changed,) = diff.parties("changed")
    assert changed.list_id == "306"
    assert [(p.prop, p.added, p.removed) for p in changed.properties] == [
        ("alias", ["NATIONAL BANK OF CUBA"], [])
    ]
    # the removed party's sanction record goes with it
    assert "36-sanction" in {c.list_id for c in diff.removed}


def test_the_same_file_under_two_list_names_has_no_differences() -> None:
    a = read_list([EXCERPT], name="ofac")
    b = read_list([EXCERPT], name="ofac_2024_10")
    diff = diff_lists(a.entities, b.entities, old_name="ofac", new_name="ofac_2024_10")
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])


def test_versions_are_found_by_id_name_or_path(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        version = load_list(store, read_list([EXCERPT], name="ofac")).version
        by_id = resolve_list(store, str(version.id))
        by_name = resolve_list(store, "ofac")
        by_both = resolve_list(store, f"ofac@{version.id}")
        by_path = resolve_list(store, str(EXCERPT))
        assert by_id.label == by_name.label == by_both.label == f"ofac@{version.id} (unknown date)"
        assert len(by_path.entities) == len(by_id.entities)
        with pytest.raises(ListFormatError, match="no list version or file"):
            resolve_list(store, "un")
        with pytest.raises(ListFormatError, match="belongs to list 'ofac'"):
            resolve_list(store, f"un@{version.id}")


def test_lists_diff_command(old_and_new: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    cli.console.width = 300
    data = ["--data-dir", str(tmp_path)]
    for path in old_and_new:
        result = runner.invoke(cli.app, [*data, "lists", "load", str(path)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli.app, [*data, "lists", "diff", "1", "2", "--limit", "100"])
    assert result.exit_code == 0, result.output
    assert "added: 61 parties" in result.output
    assert "51265  Company      REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD" in result.output
    assert "removed: 1 parties" in result.output
    assert "+ alias: NATIONAL BANK OF CUBA" in result.output

    result = runner.invoke(cli.app, [*data, "lists", "diff", "ofac@1", "ofac", "--json"])
    assert result.exit_code == 0
    parsed = json.loads(result.output)
    assert parsed["summary"]["added"] == {"parties": 61, "all": len(parsed["added"])}
    assert parsed["summary"]["removed"]["parties"] == 1

    result = runner.invoke(cli.app, [*data, "lists", "diff", "1", "7"])
    assert result.exit_code == 1
    assert "no list version or file '7'" in result.output
