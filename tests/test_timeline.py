"""The timeline's listing dates: where a list dates a designation, the matched party's
timeline says so and cites the list version."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from redthread.investigate import listing_dates
from redthread.lists import load_list, read_list
from redthread.match.index import Query
from redthread.match.screen import active_versions, load_index, save_version_index
from redthread.store import Store

ROWS = (
    '17018,"PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA",-0- ,"RUSSIA-EO14024",-0- ,-0- ,'
    '-0- ,-0- ,-0- ,-0- ,-0- ,"Listing Date (EO 14024 Directive 2): 24 Feb 2022; '
    'Effective Date (EO 14024 Directive 2): 26 Mar 2022."\r\n'
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
)


def test_matched_parties_get_their_listing_dates(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_text(ROWS, encoding="latin-1")
    store = Store.open(sqlite_url)
    parsed = read_list([path], name="ofac")
    version = load_list(store, parsed).version
    save_version_index(tmp_path, version, parsed.entities)
    versions = active_versions(store)
    index = load_index(store, tmp_path, versions)
    sber = index.search(Query("Sberbank of Russia PJSC", "Company"), threshold=0.7)
    cuba = index.search(Query("Aerocaribbean Airlines", "Company"), threshold=0.7)
    assert sber[0].match and cuba[0].match
    items = listing_dates(store, versions, {"case-sber": sber, "case-cuba": cuba})
    assert [(i["date"], i["entities"]) for i in items] == [
        ("2022-02-24", ["case-sber"]),
        ("2022-03-26", ["case-sber"]),
    ]
    assert items[0]["text"] == (
        "ofac: PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA (ofac-17018) listed (RUSSIA-EO14024)"
    )
    assert items[0]["source"] == f"ofac version {version.id}" and items[0]["evidence"] == []
    # a near miss is not the party: no date
    near = [dataclasses.replace(c, match=False) for c in sber]
    assert listing_dates(store, versions, {"case-sber": near}) == []
