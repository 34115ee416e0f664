"""Entity rules and corrections, and one entity per party within a document."""

from __future__ import annotations

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.entities import find_entities
from redthread.extract.pipeline import load_nlp
from redthread.model.extraction import ExtractedEntity


def entities(text: str) -> list[ExtractedEntity]:
    found, _ = find_entities(load_nlp(DEFAULT_SPACY_MODEL)(text), "d" * 64)
    return found


def by_name(found: list[ExtractedEntity], name: str) -> ExtractedEntity:
    matches = [e for e in found if name in e.names]
    assert len(matches) == 1, (name, [e.names for e in found])
    return matches[0]


def test_legal_forms_make_companies_whatever_the_model_says() -> None:
    found = entities(
        "Bosphorus Makina Ticaret A.S. shipped lathes. Radioavtomatika LLC bought chips. "
        "OAO Integral makes microchips. Guangzhou Mingtai Electronics Co., Ltd. sold engines."
    )
    for name in (
        "Bosphorus Makina Ticaret A.S.",
        "Radioavtomatika LLC",
        "OAO Integral",
        "Guangzhou Mingtai Electronics Co., Ltd.",
    ):
        assert by_name(found, name).schema == "Company"


def test_short_forms_abbreviations_surnames_and_model_codes() -> None:
    found = entities(
        "Samuel Bendett, a fellow at the Center for a New American Security (CNAS), said "
        "IEMZ Kupol tested the Garpiya-3 (G3). Bendett at CNAS said Kupol's G3 flew. "
        "Golden Wave Shipping LLC denied it. Golden Wave Shipping is based in Dubai."
    )
    assert set(by_name(found, "Kupol").names) == {"IEMZ Kupol", "Kupol"}
    assert {"Samuel Bendett", "Bendett"} <= set(by_name(found, "Bendett").names)
    assert len(by_name(found, "Bendett").mentions) == 2
    assert "CNAS" in by_name(found, "Center for a New American Security").names
    assert by_name(found, "G3").schema == "Project" and "Garpiya-3" in by_name(found, "G3").names
    assert len(by_name(found, "Golden Wave Shipping LLC").mentions) == 2


def test_corrections_of_the_model() -> None:
    found = entities(
        "Kupol\u2019s reports to the Russian defense ministry mention payment in Chinese yuan. "
        "China\u2019s foreign ministry denied it. The Shahed-136 and the US Reaper drone fly."
    )
    names = {n for e in found for n in e.names}
    assert "Kupol" in names and "Kupol\u2019s" not in names  # possessive removed
    assert not any("yuan" in n for n in names)  # a currency is not an organisation
    assert by_name(found, "Russian defense ministry").schema == "PublicBody"
    assert by_name(found, "China\u2019s foreign ministry").schema == "PublicBody"
    assert by_name(found, "Shahed-136").schema == "Project"
    assert by_name(found, "US Reaper").schema == "Project"


def test_identifiers_go_to_their_party() -> None:
    found = entities(
        "The tanker Ocean Pearl (IMO 9187655) is managed by Golden Wave Shipping LLC "
        "(LEI 5493001KJTIIGC8Y1R12). Volga Trade OOO (INN 7701234567) paid to wallet "
        "0x52908400098527886E0F7030069857D2E4169EE7."
    )
    vessel = by_name(found, "Ocean Pearl")
    assert vessel.schema == "Vessel" and vessel.identifiers == {"imoNumber": ["9187655"]}
    assert by_name(found, "Golden Wave Shipping LLC").identifiers == {
        "leiCode": ["5493001KJTIIGC8Y1R12"]
    }
    volga = by_name(found, "Volga Trade OOO").identifiers
    assert volga["innCode"] == ["7701234567"]
    assert volga["cryptoWallets"] == ["0x52908400098527886E0F7030069857D2E4169EE7"]
    assert not any(n.startswith(("IMO", "LEI", "INN")) for e in found for n in e.names)


def test_listed_names_are_found_where_the_model_sees_none() -> None:
    from redthread.extract.gazetteer import Gazetteer

    nlp = load_nlp(DEFAULT_SPACY_MODEL)
    gazetteer = Gazetteer(
        [
            ("XIAMEN LIMBACH AIRCRAFT ENGINE CO., LTD.", "Company"),
            ("KUPOL", "Company"),  # one word: found only as a proper name
            ("ROSTEC", "Organization"),
            ("GRANIT", "Company"),
            ("ORION", "Vessel"),  # a vessel's one word: left out
            ("PUTIN, Vladimir Vladimirovich", "Person"),
        ],
    )
    assert gazetteer.size == 5
    assert set(gazetteer.single) == {"kupol", "rostec", "granit"}
    text = "the engines came from xiamen limbach aircraft engine co., ltd. last year."
    without, _ = find_entities(nlp(text), "d" * 64)
    found, _ = find_entities(nlp(text), "d" * 64, gazetteer)
    assert not any("limbach" in n.lower() for e in without for n in e.names)
    (limbach,) = [e for e in found if "limbach" in e.caption.lower()]
    assert limbach.schema == "Company"
    text = "Rostec declined to comment. The granit slabs were cut by Granit workers near Orion."
    without, _ = find_entities(nlp(text), "d" * 64)
    found, _ = find_entities(nlp(text), "d" * 64, gazetteer)
    assert not [e for e in without if "Rostec" in e.names]
    assert by_name(found, "Rostec").schema == "Organization"
    assert not [e for e in found if "Granit" in e.names]
    # the vessel's one word is not looked for ('near Orion' may name a town, never the ship)
    assert all(e.schema == "Address" for e in found if "Orion" in e.names)


def test_free_zones_are_places_and_their_authorities_organisations() -> None:
    found = entities(
        "Falcon Aviation Parts FZE is registered in the Hamriyah Free Zone. Its sister firm "
        "is based in the Jebel Ali Free Zone in Dubai, and the Jebel Ali Free Zone Authority "
        "fined it. The engines crossed the Navoi Free Industrial Economic Zone. A Special "
        "Economic Zone is planned."
    )
    for place in (
        "Hamriyah Free Zone",
        "Jebel Ali Free Zone",
        "Navoi Free Industrial Economic Zone",
    ):
        assert by_name(found, place).schema == "Address"
    assert by_name(found, "Jebel Ali Free Zone Authority").schema == "Organization"
    names = {n for e in found for n in e.names}
    assert "Ali Free Zone" not in names  # not a person
    assert "Special Economic Zone" not in names  # no name, a kind of place


def test_names_the_words_around_them_call_organisations() -> None:
    found = entities(
        "The lenses went to Uralvagonzavod, Russia's main tank manufacturer. The money moved "
        "through Parsian Exchange, a money exchange house in Tehran. Kama Optics JSC is owned "
        "by the Novator holding and Volga Radio JSC is controlled by Rostec."
    )
    for name in ("Uralvagonzavod", "Parsian Exchange", "Novator", "Rostec"):
        assert by_name(found, name).schema in ("Organization", "Company"), name


def test_a_place_inside_a_company_name_stays_a_place() -> None:
    found = entities(
        "Gold mined in Darfur paid for the weapons. Al Noor Metals FZE bought gold from "
        "Darfur Golden Sands Mining, a company controlled by relatives of a commander."
    )
    assert by_name(found, "Darfur").schema == "Address"
    assert by_name(found, "Darfur Golden Sands Mining").schema in ("Organization", "Company")


def test_short_form_without_legal_form_and_the_last_word_of_a_name() -> None:
    found = entities(
        "Tekhnosnab LLC in Saint Petersburg bought the parts. Tekhnosnab paid for them. "
        "ZALA Aero Group's chief designer, Yuri Gorelov, founded the firm."
    )
    assert by_name(found, "Tekhnosnab LLC").names == ["Tekhnosnab LLC", "Tekhnosnab"]
    assert not [e for e in found if e.names == ["Group"]]


def test_a_city_the_model_takes_for_a_person_or_an_organisation() -> None:
    found = entities(
        "Bright Harbour Logistics will ship the engines to Bandar Abbas next week. Steppe "
        "Cargo LLP, an Almaty freight forwarder, handled the papers."
    )
    assert by_name(found, "Bandar Abbas").schema == "Address"
    assert by_name(found, "Almaty").schema == "Address"


def test_a_listed_name_never_runs_over_a_full_stop_nor_cuts_a_longer_name() -> None:
    from redthread.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer([("STATE CORPORATION ROSTEC", "Company"), ("KIM CHOL", "Person")])
    nlp = load_nlp(DEFAULT_SPACY_MODEL)
    text = "Uralvagonzavod belongs to the Rostec state corporation. Rostec said nothing."
    found, _ = find_entities(nlp(text), "d" * 64, gazetteer)
    assert not [e for e in found if any("corporation." in n for n in e.names)]
    text = "OFAC designated Kim Chol Man, the chairman of Korea Ryonbong General Corporation."
    found, _ = find_entities(nlp(text), "d" * 64, gazetteer)
    assert by_name(found, "Kim Chol Man").schema == "Person"
    assert not [e for e in found if e.names == ["Kim Chol"]]
