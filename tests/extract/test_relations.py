"""Relations sentence by sentence: what a sentence states, and what it does not."""

from __future__ import annotations

import pytest

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.pipeline import extract_text
from redthread.model.evidence import Stance

DOC = "0" * 64


def relations(text: str) -> set[tuple[str, str, str]]:
    extraction = extract_text(text, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    return {(r.type, names[r.source], names[r.target]) for r in extraction.relations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vostok Trading LLC, a subsidiary of Ural Holding JSC, shipped the radios.",
            ("Ownership", "Ural Holding JSC", "Vostok Trading LLC"),
        ),
        (
            "Baltic Marine Services is owned by Anna Petrova, who holds 80 percent of the shares.",
            ("Ownership", "Anna Petrova", "Baltic Marine Services"),
        ),
        (
            "Orion Components Ltd acted as an intermediary for Tehran Avionics Co in buying chips.",
            ("Representation", "Orion Components Ltd", "Tehran Avionics Co"),
        ),
        (
            "Jean Dupont, a senior analyst at the Centre for Arms Studies, reviewed the images.",
            ("Employment", "Jean Dupont", "Centre for Arms Studies"),
        ),
        (
            "Karl Weber is the managing director of Weber Maschinenbau GmbH.",
            ("Directorship", "Karl Weber", "Weber Maschinenbau GmbH"),
        ),
        (
            "Delta Electronics Ltd delivered 300 thermal cameras to Minsk Optics JSC in 2022.",
            ("UnknownLink", "Delta Electronics Ltd", "Minsk Optics JSC"),
        ),
        (
            "Minsk Optics JSC received 300 thermal cameras from Delta Electronics Ltd in 2022.",
            ("UnknownLink", "Delta Electronics Ltd", "Minsk Optics JSC"),
        ),
        (
            "Minsk Optics JSC paid Delta Electronics Ltd $450,000 for the cameras.",
            ("Payment", "Minsk Optics JSC", "Delta Electronics Ltd"),
        ),
        (
            "Polar Star Shipping LLC is based in Vladivostok, according to the registry.",
            ("Address", "Polar Star Shipping LLC", "Vladivostok"),
        ),
        (
            "Kalinin Aero JSC develops the Lastochka-2 reconnaissance drone.",
            ("ProjectParticipant", "Kalinin Aero JSC", "Lastochka-2"),
        ),
        (
            "Nordic Freight AB collaborated with Caspian Logistics LLC on the shipments.",
            ("UnknownLink", "Nordic Freight AB", "Caspian Logistics LLC"),
        ),
        # appositions and relative clauses between the names and what is said of them
        (
            "Baltic Trading Ltd, the Latvian company, is owned by Anna Petrova.",
            ("Ownership", "Anna Petrova", "Baltic Trading Ltd"),
        ),
        (
            "Kalinin Aero JSC, which produces the Lastochka-2 drone, is part of the Kalashnikov "
            "Concern.",
            ("Ownership", "Kalashnikov Concern", "Kalinin Aero JSC"),
        ),
        (
            "Ivan Petrov, a Russian national, is the director of Orion Components Ltd, filings "
            "show.",
            ("Directorship", "Ivan Petrov", "Orion Components Ltd"),
        ),
        (
            "Karen Lee, of Arizona, worked with Harbin Silverstar Network Co in 2022.",
            ("UnknownLink", "Karen Lee", "Harbin Silverstar Network Co"),
        ),
        # coordinated roles: director and owner
        (
            "Karl Weber is the managing director and sole owner of Weber Maschinenbau GmbH.",
            ("Ownership", "Karl Weber", "Weber Maschinenbau GmbH"),
        ),
        (
            "Karl Weber is the managing director and sole owner of Weber Maschinenbau GmbH.",
            ("Directorship", "Karl Weber", "Weber Maschinenbau GmbH"),
        ),
        (
            "Karl Weber also serves as a director of Golden Dragon Tankers Inc, filings show.",
            ("Directorship", "Karl Weber", "Golden Dragon Tankers Inc"),
        ),
        (
            "Tan Wei Ming also owns 70 percent of Harbourfront Logistics Sdn Bhd, filings show.",
            ("Ownership", "Tan Wei Ming", "Harbourfront Logistics Sdn Bhd"),
        ),
        (
            "Bitpapa IC FZC LLC is controlled by Russian national Andrei Sokolov.",
            ("Control", "Andrei Sokolov", "Bitpapa IC FZC LLC"),
        ),
        # an identifier in parentheses between the names
        (
            "The tankers, including the Sea Falcon (IMO 9290323), are managed by Fortune Star "
            "Shipmanagement Ltd, data show.",
            ("UnknownLink", "Fortune Star Shipmanagement Ltd", "Sea Falcon"),
        ),
        # where a company is: a relative clause, a place before its kind
        (
            "Fortune Star Ltd is a subsidiary of Oriental Pearl Holdings, which is registered in "
            "Cyprus.",
            ("Address", "Oriental Pearl Holdings", "Cyprus"),
        ),
        (
            "Voentorg Import LLC, a Moscow company, bought the shells.",
            ("Address", "Voentorg Import LLC", "Moscow"),
        ),
        (
            "Rotterdam-based AeroParts Holland BV delivered navigation components to Aviastar-SP.",
            ("Address", "AeroParts Holland BV", "Rotterdam"),
        ),
        # 'through' an intermediary: it acts for the one who ships, sells or pays
        (
            "Arktika Components LLC shipped the chips to Russia through Yerevan Tech Trade LLC, "
            "an Armenian company.",
            ("Representation", "Yerevan Tech Trade LLC", "Arktika Components LLC"),
        ),
        # 'who' is said of people: the model's organisation is a person
        (
            "Belvneshpromservice is controlled by Aleksandr Kruglov, who is a member of the "
            "Security Council of Belarus.",
            ("Membership", "Aleksandr Kruglov", "Security Council of Belarus"),
        ),
        (
            "Oleg Ivanov is the chief executive of Radioavtomatika and a member of the board of "
            "the Russian Union of Industrialists and Entrepreneurs.",
            ("Directorship", "Oleg Ivanov", "Russian Union of Industrialists"),
        ),
        (
            "Radioavtomatika is 51% owned by Gennady Lapshin, a former executive of the state "
            "conglomerate Rostec.",
            ("Employment", "Gennady Lapshin", "Rostec"),
        ),
        # a name only an organisation can be, which the model takes for a place or misses
        (
            "Voentorg Import is a subsidiary of Rosoboronexport, Russia's state arms exporter.",
            ("Ownership", "Rosoboronexport", "Voentorg Import"),
        ),
        (
            "Elena Morozova is the chief executive officer of Netex24.",
            ("Directorship", "Elena Morozova", "Netex24"),
        ),
    ],
)
def test_sentences_that_state_a_relation(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in relations(text)


@pytest.mark.parametrize(
    "text",
    [
        # co-occurrence is not a relation
        "Vostok Trading LLC and Ural Holding JSC did not respond to requests for comment.",
        "Delta Electronics Ltd, Minsk Optics JSC and Orion Components Ltd were sanctioned.",
        "Karl Weber met Anna Petrova in Vienna last year.",
        # an indirect owner is not the owner
        "The vessel Angara, owned by a subsidiary of M Leasing LLC, sailed from Rajin.",
        # the subject of an apposition's relative clause is the head, not the appositive
        "Kalinin Aero JSC, a unit of Rostov Industries, produces the Lastochka-2 drone.",
        # an adjective in a name's place is not a name ('the Russian state-owned company')
        "IEMZ Kupol, a subsidiary of the Russian state-owned company Almaz-Antey, did not "
        "respond. The Russian defense ministry did not either.",
    ],
)
def test_sentences_that_do_not(text: str) -> None:
    found = relations(text)
    assert not any(name in ("Russian", "North Korea") for _, _, name in found)
    assert ("Ownership", "Russian defense ministry", "IEMZ Kupol") not in found
    assert not any(t in ("UnknownLink", "Payment", "Representation") for t, _, _ in found)
    assert ("Ownership", "M Leasing LLC", "Angara") not in found
    assert ("ProjectParticipant", "Rostov Industries", "Lastochka-2") not in found


def test_the_object_of_one_role_is_not_the_subject_of_the_next() -> None:
    found = relations(
        "Oleg Ivanov is the chief executive of Radioavtomatika and a member of the board of "
        "the Russian Union of Industrialists and Entrepreneurs."
    )
    assert not [r for r in found if r[1] == "Radioavtomatika"]


def test_a_countrys_possessive_is_not_the_organisation() -> None:
    found = relations(
        "Yanbian Silverstar Ltd acts as a front for North Korea's Munitions Industry Department."
    )
    assert found == {("Representation", "Yanbian Silverstar Ltd", "Munitions Industry Department")}


def test_stance_and_attribution() -> None:
    text = (
        "Customs records show that Delta Electronics Ltd delivered 300 cameras to Minsk Optics "
        "JSC. Orion Components Ltd denied selling chips to Minsk Optics JSC. It could not be "
        "confirmed whether Minsk Optics JSC also received lenses from Baltic Glass AB."
    )
    extraction = extract_text(text, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    found = {(names[r.source], names[r.target]): r for r in extraction.relations}
    delivered = found[("Delta Electronics Ltd", "Minsk Optics JSC")]
    assert delivered.stance is Stance.ASSERTED
    assert delivered.attributed_to is not None
    assert delivered.attributed_to.text == "Customs records"
    assert delivered.details["goods"] == "300 cameras"
    denied = found[("Orion Components Ltd", "Minsk Optics JSC")]
    assert denied.stance is Stance.DENIED
    assert denied.attributed_to is not None and denied.attributed_to.text == "Orion Components Ltd"
    assert found[("Baltic Glass AB", "Minsk Optics JSC")].stance is Stance.UNCONFIRMED


FACT = (
    "Delta Electronics Ltd delivered 300 thermal cameras to Minsk Optics JSC in 2022. "
    "Kalinin Aero JSC develops the Lastochka-2 reconnaissance drone. "
)


@pytest.mark.parametrize(
    ("later", "denied"),
    [
        # a denial of the kind of fact stated before, by the verb's subject
        (
            "Delta Electronics Ltd has repeatedly denied the shipments.",
            {("UnknownLink", "Delta Electronics Ltd", "Minsk Optics JSC", "Delta Electronics Ltd")},
        ),
        (
            "The Belarusian Ministry of Defence denied knowledge of such a project.",
            {
                (
                    "ProjectParticipant",
                    "Kalinin Aero JSC",
                    "Lastochka-2",
                    "Belarusian Ministry of Defence",
                )
            },
        ),
        # the subject before its apposition, not the name inside it
        (
            "Delta Electronics Ltd, a unit of Ural Holding JSC, has denied the shipments.",
            {("UnknownLink", "Delta Electronics Ltd", "Minsk Optics JSC", "Delta Electronics Ltd")},
        ),
        # not a denial, another kind of fact, or nobody named who denies
        ("Delta Electronics Ltd did not deny the shipments.", set()),
        ("Delta Electronics Ltd denied the payments.", set()),
        ("The shipments were denied by nobody in particular.", set()),
        ("Officials denied knowledge of such a project.", set()),
    ],
)
def test_a_denial_of_a_fact_stated_before(
    later: str, denied: set[tuple[str, str, str, str]]
) -> None:
    extraction = extract_text(FACT + later, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    found = {
        (r.type, names[r.source], names[r.target], r.attributed_to.text if r.attributed_to else "")
        for r in extraction.relations
        if r.stance is Stance.DENIED
    }
    assert found == denied
    for relation in extraction.relations:
        if relation.stance is Stance.DENIED:
            assert [e.text for e in relation.evidence] == [later]
    # the facts themselves stay asserted
    assert {r.type for r in extraction.relations if r.stance is Stance.ASSERTED} >= {
        "UnknownLink",
        "ProjectParticipant",
    }


def test_evidence_is_the_sentence_with_offsets() -> None:
    text = "Intro line.\n\nKarl Weber is the managing director of Weber Maschinenbau GmbH.\n"
    extraction = extract_text(text, DOC, DEFAULT_SPACY_MODEL)
    (relation,) = extraction.relations
    (evidence,) = relation.evidence
    assert text[evidence.start : evidence.end] == evidence.text
    assert evidence.text == "Karl Weber is the managing director of Weber Maschinenbau GmbH."
    assert extraction.to_dict()["relations"][0]["evidence"][0]["document"] == DOC


def test_percentages_amounts_and_co_owners() -> None:
    text = (
        "Baltic Marine Services is owned by Anna Petrova, who holds 60 percent of the shares, "
        "and by Riga Capital SIA, which holds the remaining 40 percent. Minsk Optics JSC paid "
        "Baltic Marine Services approximately $2.4 million in 2023."
    )
    extraction = extract_text(text, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    owners = {
        names[r.source]: r.details.get("percentage")
        for r in extraction.relations
        if r.type == "Ownership"
    }
    assert owners == {"Anna Petrova": "60", "Riga Capital SIA": "40"}
    (payment,) = [r for r in extraction.relations if r.type == "Payment"]
    assert payment.details == {"amount": "2400000", "currency": "USD"}
