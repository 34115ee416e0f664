"""A list version's own links, read straight from its statements."""

from __future__ import annotations

import json
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
    assert sorted((link.source, link.target, link.role) for link in links) == expected
    assert expected == [("ofac-1", "ofac-2", "Linked To"), ("ofac-3", "ofac-1", "Linked To")]
    assert all(link.type == "UnknownLink" and len(link.listed) == 2 for link in links)
    assert dict(links[0].captions) == {"ofac-1": "ALPHA TRADING LLC", "ofac-2": "BETA HOLDING LTD"}


FTM_LIST = [
    {"id": "alpha", "schema": "Company", "target": True,
     "properties": {"name": ["Alpha Drone Components Ltd"], "country": ["cn"]}},
    {"id": "beta", "schema": "Company", "target": False,
     "properties": {"name": ["Beta Motor Works"]}},
    {"id": "own-1", "schema": "Ownership", "target": False,
     "properties": {"owner": ["alpha"], "asset": ["beta"], "percentage": ["60%"]}},
]  # fmt: skip


def test_an_ftm_list_states_ownership(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(line) for line in FTM_LIST) + "\n")
    store = Store.open(sqlite_url)
    version = load_list(store, read_list([path], name="watch")).version
    (link,) = store.list_links(version)
    assert (link.source, link.target, link.type) == ("watch-alpha", "watch-beta", "Ownership")
    assert link.percentage == 60.0 and link.role == "owner"
    assert link.listed == {"watch-alpha"}  # Beta is named by the list, not listed by it
