"""Screening against the real OFAC list: candidates, qualifiers, persistence, run records."""

from __future__ import annotations

import gc
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redthread import cli
from redthread.lists import read_list
from redthread.match.index import ListedParty, MatchIndex, Query, keep_for_the_process
from redthread.store import Store
from tests.conftest import SHARED_DATA

OFAC_2024 = SHARED_DATA / "sanctions" / "ofac-2024-05-03" / "sdn.csv"
LATE = SHARED_DATA / "sanctions" / "ofac-late-2025"


@cache
def ofac_index() -> MatchIndex:
    parsed = read_list([OFAC_2024], name="ofac")
    return MatchIndex.from_entities(parsed.entities, "ofac", 1)


def top(query: Query, limit: int = 3) -> list[tuple[str, float, bool]]:
    return [
        (c.list_entity_id, c.score, c.match)
        for c in ofac_index().search(query, threshold=0.7, limit=limit)
    ]


def test_the_index_holds_the_listed_parties_only() -> None:
    index = ofac_index()
    assert len(index.parties) == 14965
    assert {p.schema for p in index.parties} == {
        "Person",
        "Company",
        "Organization",
        "Vessel",
        "Airplane",
    }
    assert index.rarity("mohammad") < 0.6 < index.rarity("kupol") == 1.0


def test_putin_is_found_and_a_wrong_birth_year_counts_against() -> None:
    first = top(Query("Vladimir Putin", "Person", birth_date="1952-10-07"))[0]
    assert first[0] == "35096" and first[2]
    candidate = ofac_index().search(
        Query("Vladimir Putin", "Person", birth_date="1952"), threshold=0.7
    )[0]
    assert (
        "birth date 1952-10-07 agrees" in candidate.explanation or "agrees" in candidate.explanation
    )
    wrong = ofac_index().search(
        Query("Vladimir Putin", "Person", birth_date="1980"), threshold=0.7
    )[0]
    assert wrong.list_entity_id == "35096"
    assert wrong.score < first[1]
    assert "birth year 1980 differs from listed 1952" in wrong.explanation


def test_an_equal_identifier_confirms_a_partial_name() -> None:
    plain = ofac_index().search(Query("Kupol", "Company"), threshold=0.7)[0]
    # one word: for review, just above the threshold; the identifier makes it certain
    assert plain.list_entity_id == "46431" and plain.score == 0.72
    backed = ofac_index().search(
        Query("Kupol", "Company", identifiers=("1831083343",)), threshold=0.7
    )[0]
    assert backed.list_entity_id == "46431"
    assert backed.score == 1.0 and backed.match
    assert "identifier 1831083343 equal" in backed.explanation


def test_a_party_listed_with_the_query_identifier_is_always_a_candidate() -> None:
    # no word in common with Kupol's names: the identifier alone finds it, for review
    query = Query("Northern Star Trading", "Company", identifiers=("18 3108 3343",))
    kupol = next(
        c for c in ofac_index().search(query, threshold=0.7) if c.list_entity_id == "46431"
    )
    assert "identifier 1831083343 equal, but no distinctive name part agrees" in kupol.explanation
    assert kupol.score == 0.2 and not kupol.match
    assert all(
        c.list_entity_id != "46431"
        for c in ofac_index().search(Query("Northern Star Trading", "Company"), threshold=0.7)
    )


def test_country_agreement_and_disagreement_are_explained() -> None:
    agrees = ofac_index().search(
        Query("Izhevsk Electromechanical Plant Kupol", "Company", countries=("ru",)), threshold=0.7
    )
    assert agrees[0].list_entity_id == "46431"
    assert agrees[0].match


def test_schemas_that_cannot_be_the_same_party_are_never_candidates() -> None:
    for candidate in ofac_index().search(Query("Sea Star", "Person"), threshold=0.7, limit=20):
        assert candidate.schema in ("Person", "LegalEntity")


def test_generic_words_alone_do_not_match() -> None:
    assert not any(
        match for _, _, match in top(Query("Vector Industrial Holding", "Company"), limit=10)
    )


def test_unknown_schemas_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown schema"):
        ofac_index().search(Query("x", "Spaceship"), threshold=0.7)


def test_a_saved_index_loads_back(tmp_path: Path) -> None:
    parsed = read_list([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac")
    index = MatchIndex.from_entities(parsed.entities, "ofac", 7)
    index.save(tmp_path / "index.pickle")
    loaded = MatchIndex.load(tmp_path / "index.pickle")
    assert loaded is not None and loaded.parties == index.parties
    (tmp_path / "broken.pickle").write_bytes(b"not a pickle")
    assert MatchIndex.load(tmp_path / "broken.pickle") is None
    assert MatchIndex.load(tmp_path / "missing.pickle") is None
    found = loaded.search(Query("Redlepus TSK Vector Industrial", "Company"), threshold=0.7)[0]
    assert (found.list_entity_id, found.list_version, found.match) == ("51265", 7, True)


def test_match_command_screens_and_records_the_run(tmp_path: Path) -> None:
    runner = CliRunner()
    cli.console.width = cli.err_console.width = 300
    data = ["--data-dir", str(tmp_path)]
    result = runner.invoke(cli.app, [*data, "match", "Redlepus"])
    assert result.exit_code == 1 and "no list is loaded" in result.output

    excerpt = [str(LATE / "sdn-excerpt.csv"), str(LATE / "alt.csv")]
    result = runner.invoke(cli.app, [*data, "lists", "load", *excerpt, "--published", "2024-10-30"])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "index").iterdir())  # indexed while loading

    result = runner.invoke(
        cli.app,
        [
            *data,
            "match",
            "Redlepus TSK Vector Industrial",
            "--schema",
            "Company",
            "--country",
            "China",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "MATCH  ofac 51265  Company  REDLEPUS VECTOR INDUSTRY SHENZHEN CO LTD" in result.output
    assert "screened against ofac@1 (2024-10-30)" in result.output

    result = runner.invoke(cli.app, [*data, "match", "Redlepus", "--list", "un"])
    assert result.exit_code == 1 and "no loaded list named un" in result.output
    result = runner.invoke(cli.app, [*data, "match", "Redlepus", "--country", "Atlantis"])
    assert result.exit_code == 2 and "unknown country 'Atlantis'" in result.output

    with Store.open(f"sqlite:///{tmp_path / 'redthread.db'}") as store:
        (run,) = store.screening_runs()
        assert run["algorithm"] == "redthread"
        assert run["threshold"] == 0.7
        assert run["list_versions"][0]["name"] == "ofac"
        assert run["source"] == "name: Redlepus TSK Vector Industrial"


def test_a_rare_surname_alone_is_flagged_for_review_a_common_one_is_not() -> None:
    putin = ofac_index().search(Query("Präsident Putin", "Person"), threshold=0.7)[0]
    assert putin.list_entity_id == "35096" and putin.match
    assert putin.score == 0.72
    assert "only a surname, 'PUTIN' equal to the listed surname" in putin.explanation
    assert not any(c.match for c in ofac_index().search(Query("Kim", "Person"), threshold=0.7))
    assert not any(c.match for c in ofac_index().search(Query("Mohammad", "Person"), threshold=0.7))


def test_one_word_no_other_listed_name_has_is_flagged_for_review() -> None:
    (kupol,) = ofac_index().search(Query("Kupol", "Company"), threshold=0.7, limit=1)
    assert kupol.list_entity_id == "46431" and kupol.match and kupol.score == 0.72
    assert "only one word, 'KUPOL', which no other listed name has" in kupol.explanation
    # a word several listed parties have stays below the threshold
    assert not any(c.match for c in ofac_index().search(Query("Almaz", "Company"), threshold=0.7))
    assert not any(c.match for c in ofac_index().search(Query("Kupol", "Person"), threshold=0.7))


@pytest.mark.parametrize(
    "name",
    [
        "Vladimiras Putinas",  # Lithuanian inflection: found by the first five letters
        "Uladzimir Putsin",  # Belarusian spelling: a one-letter difference in each word
        "Βλαντίμιρ Πούτιν",  # Greek: nu-tau is 'nd', omicron-upsilon is 'u'
        "भ्लादिमिर पुटिन",  # Hindi: no inherent vowel after the last consonant
        "ولادیمیر پوتین",  # Persian: a leading waw is a 'v'
    ],
)
def test_spellings_with_no_word_in_common_are_found(name: str) -> None:
    found = top(Query(name, "Person"))
    assert found and found[0][0] == "35096" and found[0][2], found


def test_a_one_letter_slip_in_a_single_word_is_found() -> None:
    index = MatchIndex.from_entities(
        [e for e in read_list([OFAC_2024], name="ofac").entities if e.id == "ofac-35096"],
        "ofac",
        1,
    )
    (candidate,) = index.search(Query("Ptuin", "Person"), threshold=0.7)
    assert candidate.list_entity_id == "35096"


def test_the_python_api_of_the_docs() -> None:
    from redthread.lists import read_list as read
    from redthread.match import MatchIndex as Index
    from redthread.match import Query as Q

    ofac = read([LATE / "sdn-excerpt.csv", LATE / "alt.csv"], name="ofac")
    watchlist = read([SHARED_DATA / "sanctions" / "ofac-late-2025" / "sdn-excerpt.csv"], name="w")
    index = Index.from_lists(ofac, watchlist)
    found = index.search(Q("Redlepus Vector Industry", schema="Company"), threshold=0.7, limit=3)
    assert {c.list for c in found[:2]} == {"ofac", "w"}
    assert all(c.list_version == 0 and c.list_entity_id == "51265" for c in found[:2])
    assert found[0].to_dict()["match"] is True


def test_an_acronym_finds_the_listed_organisation() -> None:
    from redthread.match.index import ListedParty

    parties = [
        ListedParty(
            "w", 1, str(n), f"w-{n}", name, "Organization", (name,), frozenset(), (), frozenset()
        )
        for n, name in enumerate(
            ["Islamic Republic of Iran Shipping Lines", "Iran Shipping Agency", "Kupol JSC"]
        )
    ]
    index = MatchIndex.build(parties)
    (first, *_) = index.search(Query("IRISL", "Organization"), threshold=0.7)
    assert first.list_entity_id == "0" and first.match and "acronym" in first.explanation


def test_a_patronymic_the_list_leaves_out_does_not_hide_the_party() -> None:
    found = top(Query("Уладзімір Уладзіміравіч Пуцін", "Person"))
    assert found and found[0][0] == "35096" and found[0][2], found


def test_what_a_query_word_found_is_kept_and_changes_nothing() -> None:
    """A word's findings are cached for the next queries: the same candidates, and a
    pickled index (saved, or shipped to Spark) carries no cache."""
    import pickle

    fresh = MatchIndex.build(ofac_index().parties)
    queries = [Query("Vladimir Putin", "Person"), Query("Vladimir Zhirinovsky", "Person")]
    first = [fresh.search(q, threshold=0.7) for q in queries]
    assert len(fresh._covers) >= 3  # vladimir, putin, zhirinovsky (and the joined names)
    again = [fresh.search(q, threshold=0.7) for q in queries]
    assert again == first
    copy = pickle.loads(pickle.dumps(fresh))
    assert copy._covers == {} and [copy.search(q, threshold=0.7) for q in queries] == first


def test_warming_analyses_the_listed_names_once() -> None:
    from redthread.match.names import analyze_name

    party = ListedParty(
        "test", 1, "1", "test-1", "Qwertyuiop Zxcvbnm Trading", "Company",
        ("Qwertyuiop Zxcvbnm Trading", "Asdfghjkl Holding"), frozenset(), (), frozenset(),
    )  # fmt: skip
    index = MatchIndex.build([party])  # which warms it: a list this small
    analyze_name.cache_clear()
    index.warm(limit=1)  # more names than the limit: left for the first queries
    assert analyze_name.cache_info().currsize == 0
    index.warm()
    assert analyze_name.cache_info().currsize == 2
    before = analyze_name.cache_info().hits
    index.search(Query("Qwertyuiop Zxcvbnm", "Company"), threshold=0.7)
    assert analyze_name.cache_info().hits > before


def test_a_list_indexed_in_parallel_is_indexed_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    from redthread.match import index as module

    parties = ofac_index().parties[:3000]
    serial = MatchIndex.build(parties, workers=1)
    monkeypatch.setattr(module, "PARALLEL_BUILD", 100)
    parallel = MatchIndex.build(parties, workers=3)  # three parts, each in its own process
    assert parallel.slots == serial.slots
    assert (parallel.offsets == serial.offsets).all() and (parallel.flat == serial.flat).all()
    assert parallel.common == serial.common
    query = Query("Islamic Revolutionary Guard Corps", "Organization")
    assert parallel.search(query, threshold=0.7) == serial.search(query, threshold=0.7)


def test_an_index_kept_for_the_process_is_left_out_of_collections() -> None:
    index = ofac_index()
    try:
        keep_for_the_process()
        kept = gc.get_freeze_count()
        assert kept > 0
        assert index.search(Query("Vladimir Putin", "Person"), threshold=0.7)
        keep_for_the_process()  # again: what was kept is released first, then kept anew
        assert abs(gc.get_freeze_count() - kept) < kept / 2
    finally:
        gc.unfreeze()
