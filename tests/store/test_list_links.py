"""A list version's own links, read straight from its statements."""

from __future__ import annotations

from pathlib import Path

from redthread.lists import load_list, read_list
from redthread.store import Store

ROWS = (
    '1,"ALPHA TRADING LLC",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"Linked To: BETA HOLDING LTD."\r\n'
    '2,"BETA HOLDING LTD",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    '3,"GAMMA LLC",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"Linked To: ALPHA TRADING LLC; Linked To: NOBODY ON THE LIST."\r\n'
)


def test_links_are_the_same_as_the_link_entities_say(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(ROWS, encoding="latin-1")
    store = Store.open(sqlite_url)
    version = load_list(store, read_list([path], name="ofac")).version
    expected = sorted(
        (subject, other, entity.get("role")[0])
        for entity in store.list_entities(version)
        if entity.schema.name == "UnknownLink"
        for subject in entity.get("subject")
        for other in entity.get("object")
    )
    links = store.list_links(version)
    assert sorted(links) == expected
    assert sorted(links) == [
        ("ofac-1", "ofac-2", "Linked To"),
        ("ofac-3", "ofac-1", "Linked To"),
    ]
