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
            ("Directorship", "Oleg Ivanov", "Russian Union of Industrialists and Entrepreneurs"),
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
        # a relative clause or an age between a name and its verb
        (
            "Sever Avia JSC, which builds the Korshun-4 drone, received 40 engines from Baltic "
            "Motors GmbH in 2023.",
            ("UnknownLink", "Baltic Motors GmbH", "Sever Avia JSC"),
        ),
        (
            "Korshun Aero JSC is a unit of Volga Industries JSC, which is itself controlled by "
            "Volga Holding LLC.",
            ("Control", "Volga Holding LLC", "Volga Industries JSC"),
        ),
        (
            "Denis Kuznetsov, 47, of Riga, is the president of Nordic Parts Inc.",
            ("Directorship", "Denis Kuznetsov", "Nordic Parts Inc."),
        ),
        # ships, relatives, possessives
        (
            "Baltic Ocean Shipping LLC operated the tanker Polar Dawn in 2024.",
            ("UnknownLink", "Baltic Ocean Shipping LLC", "Polar Dawn"),
        ),
        (
            "Igor Volkov owns Volkov Trade LLC. His brother, Sergei Volkov, is the company's "
            "general manager.",
            ("Family", "Sergei Volkov", "Igor Volkov"),
        ),
        (
            "Igor Volkov owns Volkov Trade LLC. His brother, Sergei Volkov, is the company's "
            "general manager.",
            ("Directorship", "Sergei Volkov", "Volkov Trade LLC"),
        ),
        (
            "Minsk Optics JSC is based in Minsk. Its director general, Pavel Lebedev, did not "
            "respond to questions.",
            ("Directorship", "Pavel Lebedev", "Minsk Optics JSC"),
        ),
        (
            "Tianjin Kaida Ltd's subsidiary, Kaida Electronics (HK) Limited, issued the invoice.",
            ("Ownership", "Tianjin Kaida Ltd", "Kaida Electronics (HK) Limited"),
        ),
        (
            "Anatolia Trade Ltd, a trading company in Istanbul, bought the lathes.",
            ("Address", "Anatolia Trade Ltd", "Istanbul"),
        ),
        (
            "Oleg Sidorov served as Far East Cargo Company's representative in Nakhodka.",
            ("Representation", "Oleg Sidorov", "Far East Cargo Company"),
        ),
        (
            "Kama Optics JSC confirms the order of 200 lenses from Shenzhen Lens Co., Ltd.",
            ("UnknownLink", "Shenzhen Lens Co., Ltd.", "Kama Optics JSC"),
        ),
        # rules added when the third held-out set became development material
        (
            "Marina Koval, a Ukrainian citizen who previously worked for the state arms "
            "exporter Ukrspecexport, joined the firm.",
            ("Employment", "Marina Koval", "Ukrspecexport"),
        ),
        (
            "Delta Electronics Ltd is registered in Cyprus. Its sole director is Nikolai Ivanov.",
            ("Directorship", "Nikolai Ivanov", "Delta Electronics Ltd"),
        ),
        (
            "Nordic Bulk Carriers AS chartered two tankers to Gulf Petro Trading FZE in 2024.",
            ("UnknownLink", "Nordic Bulk Carriers AS", "Gulf Petro Trading FZE"),
        ),
        (
            "Gulf Petro Trading FZE, a fuel trader that bought cargoes from Sakhalin Energy "
            "LLC, chartered the ship.",
            ("UnknownLink", "Sakhalin Energy LLC", "Gulf Petro Trading FZE"),
        ),
        (
            "Orion Components Ltd is a front company for Tehran Avionics Co in Iran.",
            ("Representation", "Orion Components Ltd", "Tehran Avionics Co"),
        ),
        (
            "Orion Components Ltd has bought cameras and gyroscopes on behalf of Tehran "
            "Avionics Co since 2021.",
            ("Representation", "Orion Components Ltd", "Tehran Avionics Co"),
        ),
        (
            "Reza Ahmadi arranged payments of $2 million to Orion Components Ltd last year.",
            ("Payment", "Reza Ahmadi", "Orion Components Ltd"),
        ),
        (
            "Anna Petrova, 52, of Sochi, Russia, owns Black Sea Marine LLC.",
            ("Ownership", "Anna Petrova", "Black Sea Marine LLC"),
        ),
        (
            "Igor Volkov owns Volkov Trade LLC. His nephew, Pavel Volkov, managed the company's "
            "exports.",
            ("Employment", "Pavel Volkov", "Volkov Trade LLC"),
        ),
        (
            "Volkov Trade LLC sold the lathes to Anatolia Trade Ltd in Istanbul and to Kura "
            "Machinery LLC in Baku.",
            ("UnknownLink", "Volkov Trade LLC", "Kura Machinery LLC"),
        ),
        (
            "Volkov Trade LLC sold the lathes to Anatolia Trade Ltd in Istanbul and to Kura "
            "Machinery LLC in Baku.",
            ("Address", "Kura Machinery LLC", "Baku"),
        ),
        (
            "Pavel Volkov is also a shareholder of a Tashkent firm, Steppe Cargo LLP.",
            ("Ownership", "Pavel Volkov", "Steppe Cargo LLP"),
        ),
        (
            "Pavel Volkov is also a shareholder of a Tashkent firm, Steppe Cargo LLP.",
            ("Address", "Steppe Cargo LLP", "Tashkent"),
        ),
        (
            "The Orlan drones are made by Special Technology Center LLC. Yuri Sokolov founded "
            "Special Technology Center LLC in 2008.",
            ("Directorship", "Yuri Sokolov", "Special Technology Center LLC"),
        ),
        (
            "Elena Sidorova, deputy director of procurement at Kama Optics JSC, signed the order.",
            ("Employment", "Elena Sidorova", "Kama Optics JSC"),
        ),
        (
            "Vostok Radio is part of the state conglomerate Rostec.",
            ("Ownership", "Rostec", "Vostok Radio"),
        ),
        (
            "Kama Optics JSC is owned by the Uralpribor holding.",
            ("Ownership", "Uralpribor", "Kama Optics JSC"),
        ),
        (
            "Reza Ahmadi moved the money through Parsian Exchange, a money exchange house in "
            "Tehran.",
            ("Address", "Parsian Exchange", "Tehran"),
        ),
        (
            "Viktor Lang was convicted. His lawyer, Petra Schulz of Schulz & Weber, will appeal.",
            ("Representation", "Petra Schulz", "Viktor Lang"),
        ),
        (
            "Viktor Lang was convicted. His lawyer, Petra Schulz of Schulz & Weber, will appeal.",
            ("Employment", "Petra Schulz", "Schulz & Weber"),
        ),
        (
            "Oleg Sidorov, a Russian national who served as Far East Cargo Company's agent in "
            "Nakhodka, was designated.",
            ("Representation", "Oleg Sidorov", "Far East Cargo Company"),
        ),
        (
            "Engines reached Tehran via Gulf Rotor Trading FZE. The Sharjah firm is owned by "
            "Hamid Karimi, an Iranian national.",
            ("Ownership", "Hamid Karimi", "Gulf Rotor Trading FZE"),
        ),
        (
            "Vostok Radio JSC is controlled by Rostec.",
            ("Control", "Rostec", "Vostok Radio JSC"),
        ),
        # rules added when the fourth held-out set became development material
        (
            "Anna Petrova is the owner and general director of Black Sea Marine LLC.",
            ("Ownership", "Anna Petrova", "Black Sea Marine LLC"),
        ),
        (
            "Pavel Volkov ran the Minsk end of the deal as sales manager at Volkov Trade LLC.",
            ("Employment", "Pavel Volkov", "Volkov Trade LLC"),
        ),
        (
            "Gulf Rotor Trading FZE then shipped the engines to Kama Aero JSC.",
            ("UnknownLink", "Gulf Rotor Trading FZE", "Kama Aero JSC"),
        ),
        (
            "Kama Aero JSC is based in Kazan. It is a subsidiary of Volga Aviation Holding.",
            ("Ownership", "Volga Aviation Holding", "Kama Aero JSC"),
        ),
        (
            "Its director, Ivan Petrov, also sits on the board of Kama Aero JSC.",
            ("Directorship", "Ivan Petrov", "Kama Aero JSC"),
        ),
        (
            "Nordic Parts AB will invoice Kama Aero JSC 120,000 euros for the bearings.",
            ("Payment", "Kama Aero JSC", "Nordic Parts AB"),
        ),
        (
            "Kama Aero JSC, a state-owned manufacturer of engine parts based in Kazan, signed "
            "the order.",
            ("Address", "Kama Aero JSC", "Kazan"),
        ),
        (
            "Kama Aero JSC, a maker of armoured-vehicle transmissions and gearboxes controlled "
            "by Rostec, signed the order.",
            ("Control", "Rostec", "Kama Aero JSC"),
        ),
        (
            "Delta Trading LLC re-sold the valves to Tabriz Pumps Co, and Tabriz Pumps Co "
            "forwarded them to Arak Heavy Industries, the tribunal found.",
            ("UnknownLink", "Tabriz Pumps Co", "Arak Heavy Industries"),
        ),
        (
            "Nordic Parts AB sold pumps to Tabriz Pumps Co, which paid Nordic Parts AB through "
            "a bank in Baku.",
            ("Payment", "Tabriz Pumps Co", "Nordic Parts AB"),
        ),
        (
            "Ivan Orlov, a Latvian businessman who is also a director of Riga Marine SIA, "
            "declined to comment.",
            ("Directorship", "Ivan Orlov", "Riga Marine SIA"),
        ),
        (
            "The order went to Kama Aero JSC, an engine maker that is part of Volga Aviation "
            "Holding.",
            ("Ownership", "Volga Aviation Holding", "Kama Aero JSC"),
        ),
        (
            "The ministry named Pamir Trade LLC of Dushanbe, which acted as an agent for Kama "
            "Aero JSC in buying bearings.",
            ("Representation", "Pamir Trade LLC", "Kama Aero JSC"),
        ),
        (
            "The ministry named Pamir Trade LLC of Dushanbe, which bought bearings.",
            ("Address", "Pamir Trade LLC", "Dushanbe"),
        ),
        (
            "Its owner, Timur Saidov, also owns Pamir Trade LLC.",
            ("Ownership", "Timur Saidov", "Pamir Trade LLC"),
        ),
        (
            "Ivan Orlov also controls the Riga-based broker Baltic Petroleum Trading SIA.",
            ("Control", "Ivan Orlov", "Baltic Petroleum Trading SIA"),
        ),
        (
            "Kama Aero JSC bought the bearings from Nordic Parts AB and shipped them to Arak "
            "Heavy Industries in May.",
            ("UnknownLink", "Kama Aero JSC", "Arak Heavy Industries"),
        ),
        (
            "Kama Aero JSC will pay Nordic Parts AB 40,000 euros in May.",
            ("Payment", "Kama Aero JSC", "Nordic Parts AB"),
        ),
        (
            "Pamir Trade LLC, which is registered in the Seychelles, bought bearings.",
            ("Address", "Pamir Trade LLC", "Seychelles"),
        ),
        (
            "Pamir Trade LLC, a trading house in the Ajman free zone, bought bearings.",
            ("Address", "Pamir Trade LLC", "Ajman"),
        ),
        (
            "Pamir Trade LLC shares its Minsk address with two other firms.",
            ("Address", "Pamir Trade LLC", "Minsk"),
        ),
        (
            "Pamir Trade LLC is registered in Dushanbe and has a branch office in Osh.",
            ("Address", "Pamir Trade LLC", "Osh"),
        ),
        (
            "Kama Aero JSC, a Kazan-based maker of gearboxes that supplies the Russian army, "
            "was listed.",
            ("UnknownLink", "Kama Aero JSC", "Russian army"),
        ),
        (
            "From 2021 to 2024, Lind and his co-conspirators bought chips from a Texas "
            "distributor, Prairie Semiconductor Inc.",
            ("UnknownLink", "Prairie Semiconductor Inc.", "Lind"),
        ),
        (
            "A former Kama Aero JSC engineer said the company had tested a new gearbox "
            "together with Volga Motors LLC.",
            ("UnknownLink", "Kama Aero JSC", "Volga Motors LLC"),
        ),
        (
            "Kim Ok Sun, a North Korean national, is the director of Hamhung Silverleaf, "
            "prosecutors said.",
            ("Directorship", "Kim Ok Sun", "Hamhung Silverleaf"),
        ),
        (
            "Pamir Trade LLC is owned by Ivan Orlov, who until 2022 was deputy director of "
            "Spetsmash LLC, a Tula supplier to the Russian army.",
            ("Employment", "Ivan Orlov", "Spetsmash LLC"),
        ),
        (
            "Pamir Trade LLC is owned by Ivan Orlov, who until 2022 was deputy director of "
            "Spetsmash LLC, a Tula supplier to the Russian army.",
            ("UnknownLink", "Spetsmash LLC", "Russian army"),
        ),
        (
            "Baltic Tankers Ltd's ships are operated by Caspian Fleet Management LLC, of Baku, "
            "whose director, Elchin Aliyev, previously worked for Sovcomflot.",
            ("UnknownLink", "Caspian Fleet Management LLC", "Baltic Tankers Ltd"),
        ),
        (
            "Baltic Tankers Ltd's ships are operated by Caspian Fleet Management LLC, of Baku, "
            "whose director, Elchin Aliyev, previously worked for Sovcomflot.",
            ("Directorship", "Elchin Aliyev", "Caspian Fleet Management LLC"),
        ),
        (
            "Baltic Tankers Ltd's ships are operated by Caspian Fleet Management LLC, of Baku, "
            "whose director, Elchin Aliyev, previously worked for Sovcomflot.",
            ("Address", "Caspian Fleet Management LLC", "Baku"),
        ),
        (
            "Records show that Caspian Fleet Management LLC was set up in 2021 by Aliyev's "
            "former business partner, Rauf Mammadov.",
            ("Directorship", "Rauf Mammadov", "Caspian Fleet Management LLC"),
        ),
        (
            "Nordic Star AS is the technical manager of the tanker Arctic Dawn.",
            ("UnknownLink", "Nordic Star AS", "Arctic Dawn"),
        ),
        (
            "Kama Optics JSC's website lists the Zenit Design Bureau in Kazan, which builds "
            "gimbals, among its customers.",
            ("UnknownLink", "Kama Optics JSC", "Zenit Design Bureau"),
        ),
        (
            "Sea Lane Shipping, a Cyprus-registered company whose owner, Nikos Petrou, declined "
            "to comment, arranged the voyage.",
            ("Ownership", "Nikos Petrou", "Sea Lane Shipping"),
        ),
        (
            "Falcon Armour LLC's only shareholder is the Sharjah-based investment firm Noor "
            "Capital Holding, according to the registry.",
            ("Ownership", "Noor Capital Holding", "Falcon Armour LLC"),
        ),
        (
            "The convoy carried 20 Typhoon-4 armoured vehicles produced by Falcon Armour LLC.",
            ("ProjectParticipant", "Falcon Armour LLC", "Typhoon-4"),
        ),
        (
            "The cargo went to Sahel Logistics, a company that the panel describes as a front "
            "for the Sirte Brigade.",
            ("Representation", "Sahel Logistics", "Sirte Brigade"),
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
        # a name joined by 'and' that starts a clause of its own is not a second object
        "Vostok Trading LLC is a subsidiary of Ural Holding JSC and Delta Electronics Ltd "
        "sold cameras.",
    ],
)
def test_sentences_that_do_not(text: str) -> None:
    found = relations(text)
    assert not any(name in ("Russian", "North Korea") for _, _, name in found)
    assert ("Ownership", "Russian defense ministry", "IEMZ Kupol") not in found
    assert not any(t in ("UnknownLink", "Payment", "Representation") for t, _, _ in found)
    assert ("Ownership", "M Leasing LLC", "Angara") not in found
    assert ("Ownership", "Delta Electronics Ltd", "Vostok Trading LLC") not in found
    assert ("ProjectParticipant", "Rostov Industries", "Lastochka-2") not in found


def test_the_object_of_one_role_is_not_the_subject_of_the_next() -> None:
    found = relations(
        "Oleg Ivanov is the chief executive of Radioavtomatika and a member of the board of "
        "the Russian Union of Industrialists and Entrepreneurs."
    )
    assert not [r for r in found if r[1] == "Radioavtomatika"]


def test_of_two_people_joined_by_and_the_verb_after_the_second_is_the_seconds() -> None:
    found = relations(
        "OFAC designated Kim Sung Il, the chairman of Korea Pugang Corporation, and Pavel "
        "Ivanov, a Russian national who served as Rason Shipping Company's representative."
    )
    assert found == {
        ("Directorship", "Kim Sung Il", "Korea Pugang Corporation"),
        ("Representation", "Pavel Ivanov", "Rason Shipping Company"),
    }


def test_its_role_is_the_role_in_the_organisation_the_sentence_before_is_about() -> None:
    found = relations(
        "Kama Optics JSC delivered lenses to the Russian company Uralmash Holding in 2024, "
        "the ministry said. Its deputy director, Oleg Sidorov, oversaw the shipments."
    )
    assert ("Employment", "Oleg Sidorov", "Kama Optics JSC") in found
    assert not any(r[1] == "Oleg Sidorov" and r[2] == "Uralmash Holding" for r in found)
    found = relations(
        "The audit found that Kama Optics JSC is owned by Nordlys Holdings Ltd, a Cyprus "
        "company. Its director, Andreas Nikolaou, signed the accounts."
    )
    assert ("Directorship", "Andreas Nikolaou", "Nordlys Holdings Ltd") in found
    assert ("Address", "Nordlys Holdings Ltd", "Cyprus") in found


def test_an_email_names_our_supplier_and_what_we_will_deliver() -> None:
    extraction = extract_text(
        "From: a@aragon-trade.am\nTo: b@uralpribor.ru\nDate: Tue, 9 Sep 2025 10:42:17\n"
        "Subject: order\n\nOur supplier in Shenzhen, Zhongke Tianyu Technology, confirmed "
        "the order. We will deliver the modules to Uralpribor JSC in Yekaterinburg by truck."
        "\n\nRegards,\nArtur\nSales manager, Aragon Trade LLC",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    names = {e.id: e.caption for e in extraction.entities}
    found = {(r.type, names[r.source], names[r.target]) for r in extraction.relations}
    assert ("UnknownLink", "Zhongke Tianyu Technology", "Aragon Trade LLC") in found
    assert ("UnknownLink", "Aragon Trade LLC", "Uralpribor JSC") in found
    assert ("Address", "Uralpribor JSC", "Yekaterinburg") in found


def test_never_denies_may_have_leaves_unconfirmed() -> None:
    extraction = extract_text(
        "Orion Components Ltd said it had never sold cameras to Kama Aero JSC. Volga Holding, "
        "a conglomerate that may have made payments to Orion Components Ltd, did not comment.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    stances = {r.type: r.stance for r in extraction.relations}
    assert stances["UnknownLink"] is Stance.DENIED
    assert stances["Payment"] is Stance.UNCONFIRMED


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # found checking the relations extracted from news text unlike ours (sport, politics)
        (
            "Tom Harris, who leads the Northern League in scoring, missed the game.",
            ("Directorship", "Tom Harris", "Northern League"),
        ),
        (
            "Speaker Anna Berg said she had received today from Mr Paul Stone a letter of "
            "resignation.",
            ("UnknownLink", "Paul Stone", "Anna Berg"),
        ),
        (
            "Paul Stone was the member of the State Assembly for the electoral division of "
            "Fraser Valley until May.",
            ("Ownership", "Fraser Valley", "State Assembly"),
        ),
    ],
)
def test_what_news_of_other_kinds_does_not_state(text: str, wrong: tuple[str, str, str]) -> None:
    assert wrong not in relations(text)


def test_and_its_role_is_the_organisation_the_role_is_joined_to() -> None:
    found = relations(
        "The Treasury also designated Pamir Trade LLC, which bought bearings for Kama Aero "
        "JSC, and its general director, Timur Saidov."
    )
    assert ("Directorship", "Timur Saidov", "Pamir Trade LLC") in found
    assert ("Directorship", "Timur Saidov", "Kama Aero JSC") not in found


def test_a_state_that_ships_is_a_party_a_destination_is_not() -> None:
    extraction = extract_text(
        "Iran has supplied drones to Russia since 2022, officials said. Kama Aero JSC "
        "bought chips from U.S. distributors and shipped them to Russia. The drones were "
        "assembled in Yelabuga.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    by_id = {e.id: e for e in extraction.entities}
    links = [
        (by_id[r.source], by_id[r.target]) for r in extraction.relations if r.type == "UnknownLink"
    ]
    assert [(s.caption, s.schema, s.country, t.caption, t.schema, t.country) for s, t in links] == [
        ("Iran", "PublicBody", "ir", "Russia", "PublicBody", "ru")
    ]


def test_a_memo_on_a_bank_customer() -> None:
    memo = (
        "Alert review, customer Nordlys Handel SIA\n\n"
        "1. Nordlys Handel SIA is a Riga-registered wholesaler. Its sole shareholder and "
        "board member is Janis Ozolins, a Latvian citizen.\n\n"
        "2. In 2025 the customer received nine transfers totalling EUR 900,000 from Pamir "
        "Trade LLC. The customer paid EUR 850,000 to Bosphorus Parts Ltd. in Istanbul.\n"
    )
    found = relations(memo)
    assert ("Address", "Nordlys Handel SIA", "Riga") in found
    assert ("Ownership", "Janis Ozolins", "Nordlys Handel SIA") in found
    assert ("Directorship", "Janis Ozolins", "Nordlys Handel SIA") in found
    assert ("Payment", "Pamir Trade LLC", "Nordlys Handel SIA") in found
    assert ("Payment", "Nordlys Handel SIA", "Bosphorus Parts Ltd.") in found
    # outside such a document, 'the customer' is nobody
    assert not relations("The customer paid EUR 850,000 to Bosphorus Parts Ltd.")


def test_owners_with_their_shares_a_beneficiary_and_a_spokesmans_denial() -> None:
    extraction = extract_text(
        "Baltic Tankers Ltd is 70 percent owned by Aster Trust, a Liechtenstein foundation, "
        "and 30 percent by Pavel Orlov, a Russian businessman. The beneficiary of Aster "
        "Trust is Orlov's wife, Irina Orlova. Orlov's spokesman, Oleg Smirnov, said Orlov "
        "had no role in the management of Baltic Tankers Ltd since 2020.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    names = {e.id: e.caption for e in extraction.entities}
    found = {(r.type, names[r.source], names[r.target]): r for r in extraction.relations}
    assert found[("Ownership", "Aster Trust", "Baltic Tankers Ltd")].details["percentage"] == "70"
    assert found[("Ownership", "Pavel Orlov", "Baltic Tankers Ltd")].details["percentage"] == "30"
    assert ("Address", "Aster Trust", "Liechtenstein") in found
    assert ("Ownership", "Irina Orlova", "Aster Trust") in found
    assert ("Ownership", "Pavel Orlov", "Aster Trust") not in found
    assert ("Representation", "Oleg Smirnov", "Pavel Orlov") in found
    denied = found[("Directorship", "Pavel Orlov", "Baltic Tankers Ltd")]
    assert denied.stance is Stance.DENIED


def test_a_commercial_invoice_written_as_fields() -> None:
    invoice = (
        "COMMERCIAL INVOICE No. 17\nSeller: Pamir Trade LLC, 4 Rudaki Avenue, Dushanbe, "
        "Tajikistan\nBuyer: OOO Uralmash-Snab, Chelyabinsk, Russian Federation\n"
        "Description: bearings, 40 sets\nTotal: 1,200,000 Russian rubles\n\n"
        "Signed: Timur Saidov, Director, Pamir Trade LLC\n"
    )
    extraction = extract_text(invoice, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    found = {(r.type, names[r.source], names[r.target]): r for r in extraction.relations}
    assert ("UnknownLink", "Pamir Trade LLC", "OOO Uralmash-Snab") in found
    assert ("Address", "Pamir Trade LLC", "Dushanbe") in found
    assert ("Address", "OOO Uralmash-Snab", "Chelyabinsk") in found
    payment = found[("Payment", "OOO Uralmash-Snab", "Pamir Trade LLC")]
    assert (payment.role, payment.stance) == ("requested payment", Stance.UNCONFIRMED)
    assert payment.details["currency"] == "RUB"
    assert ("Directorship", "Timur Saidov", "Pamir Trade LLC") in found
    assert not any(n in ("Seller", "Buyer") for n in names.values())
    # the same words in prose are no invoice
    assert not relations("The seller was Pamir Trade LLC and the buyer OOO Uralmash-Snab.")


def test_an_emails_you_is_its_addressee() -> None:
    email = (
        "From: Wang Fang <sales@example.cn>\nTo: Pavel Orlov <orlov@example.ru>\n"
        "Subject: order\n\nDear Mr. Orlov,\n\nJiangsu Feida Motor Co., Ltd. will ship the "
        "200 motors to your agent in Kashgar, Tarim Freight Co., next week. Please transfer "
        "30% to our partner company Golden Bridge Trading Ltd. in Hong Kong.\n\n"
        "Best regards,\nWang Fang\nSales Manager\nJiangsu Feida Motor Co., Ltd.\n"
    )
    found = relations(email)
    assert ("UnknownLink", "Jiangsu Feida Motor Co., Ltd.", "Tarim Freight Co.") in found
    assert ("Representation", "Tarim Freight Co.", "Pavel Orlov") in found
    assert ("Address", "Tarim Freight Co.", "Kashgar") in found
    assert ("Payment", "Pavel Orlov", "Golden Bridge Trading Ltd.") in found
    assert ("Employment", "Wang Fang", "Jiangsu Feida Motor Co., Ltd.") in found


def test_who_a_council_says_supplied_is_not_the_council() -> None:
    found = relations(
        "The Council listed Anka Logistics, a Turkish forwarder which, according to the "
        "Council, supplied Kama Aero JSC with chips. Sea Star Ltd is a one-person "
        "operation: its only director, Chan Wing, lives in Macau. We found no evidence "
        "that Sony sold chips to Sea Star Ltd in 2024."
    )
    assert ("UnknownLink", "Anka Logistics", "Kama Aero JSC") in found
    assert not any(s == "Council" for _, s, _ in found)
    assert ("Directorship", "Chan Wing", "Sea Star Ltd") in found
    extraction = extract_text(
        "We found no evidence that Sony sold chips to Sea Star Ltd in 2024.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    assert [r.stance for r in extraction.relations] == [Stance.DENIED]


def test_a_defendant_and_his_co_defendant_both_ship() -> None:
    extraction = extract_text(
        "Ivan Lebedev, 52, of Queens, is the president of Delta Parts Inc. Lebedev and his "
        "co-defendant, Marat Iskakov, 38, a Kazakh national, allegedly shipped chips to "
        "Volga Radio LLC.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    by_id = {e.id: e for e in extraction.entities}
    shipped = {by_id[r.source].caption for r in extraction.relations if r.type == "UnknownLink"}
    assert shipped == {"Ivan Lebedev", "Marat Iskakov"}
    # a person's given name is never taken for a short form of their name
    assert by_id[next(i for i, e in by_id.items() if e.caption == "Ivan Lebedev")].names == [
        "Ivan Lebedev",
        "Lebedev",
    ]


def test_who_makes_things_for_an_army_is_not_the_army() -> None:
    found = relations(
        "Kama Aero JSC, which makes gearboxes for the Russian army, paid Pamir Trade LLC "
        "2 million euros."
    )
    assert ("Payment", "Kama Aero JSC", "Pamir Trade LLC") in found
    assert not any(s == "Russian army" for _, s, _ in found)


def test_no_business_with_is_a_denied_link() -> None:
    extraction = extract_text(
        "Volga Motors LLC said it had no relationship with Pamir Trade LLC. Karl Weber owns "
        "Weber Tools GmbH. Weber denied that his company had any business with Kama Aero "
        "JSC. Pamir Trade LLC had extensive dealings with Kama Aero JSC.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    names = {e.id: e.caption for e in extraction.entities}
    found = {
        (names[r.source], names[r.target]): r.stance
        for r in extraction.relations
        if r.type == "UnknownLink"
    }
    assert found[("Volga Motors LLC", "Pamir Trade LLC")] is Stance.DENIED
    assert found[("Weber Tools GmbH", "Kama Aero JSC")] is Stance.DENIED
    assert found[("Pamir Trade LLC", "Kama Aero JSC")] is Stance.ASSERTED


def test_a_name_the_model_cuts_or_mislabels_after_a_role() -> None:
    found = relations(
        "Oleg Sidorov is the chief executive of Radiopribor and a member of the board of the "
        "Union of Shipbuilders and Engineers."
    )
    assert ("Directorship", "Oleg Sidorov", "Radiopribor") in found
    assert ("Directorship", "Oleg Sidorov", "Union of Shipbuilders and Engineers") in found


def test_the_buyer_is_the_recipient_of_the_sale_stated_before() -> None:
    text = (
        "Nordic Parts AB sold the bearings to Kama Aero JSC through Pamir Trade LLC. Pamir "
        "Trade LLC acted as a front for the Russian buyer, the court found. The seller "
        "denied wrongdoing."
    )
    found = relations(text)
    assert ("Representation", "Pamir Trade LLC", "Kama Aero JSC") in found
    # with no sale stated before, 'the buyer' is nobody
    alone = relations("Pamir Trade LLC acted as a front for the Russian buyer.")
    assert not any(t == "Representation" for t, _, _ in alone)


def test_a_party_named_after_its_place() -> None:
    email = (
        "From: Anna Petrova <a.petrova@kamaaero.ru>\nTo: Li Wei <li@example.cn>\n"
        "Subject: order\n\nOur supplier in Ningbo, Haitian Precision Parts, has confirmed "
        "the order. Please ship the parts to our partner Baltic Freight SIA in Riga, which "
        "acts as our forwarding agent.\n\nAnna Petrova\nKama Aero JSC\n"
    )
    found = relations(email)
    assert ("Address", "Haitian Precision Parts", "Ningbo") in found
    assert ("Address", "Baltic Freight SIA", "Riga") in found


def test_the_refinery_is_the_organisation_called_a_refinery() -> None:
    text = (
        "Gulf Crest Petroleum sold the oil to Liaoning Jinhai Refining Co., Ltd., a private "
        "refinery in Panjin, and to Ocean Star Trading. The refinery paid Gulf Crest "
        "Petroleum $90 million."
    )
    found = relations(text)
    # the Chinese company's name keeps its province; the city the model misses is a place
    assert ("Address", "Liaoning Jinhai Refining Co., Ltd.", "Panjin") in found
    assert ("Payment", "Liaoning Jinhai Refining Co., Ltd.", "Gulf Crest Petroleum") in found
    assert not any(t == "Payment" and s == "Ocean Star Trading" for t, s, _ in found)
    # 'the bank' with no bank named before it is nobody
    unnamed = relations(
        "Ocean Star Trading sold oil to Gulf Crest Petroleum. The bank paid Gulf Crest "
        "Petroleum $5 million."
    )
    assert not any(t == "Payment" for t, _, _ in unnamed)


def test_an_indonesian_pt_is_a_company() -> None:
    extraction = extract_text(
        "Kalimantan Gold Ltd has a deal with PT Borneo Duta of the Borneo Group.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    schemas = {e.caption: e.schema for e in extraction.entities}
    assert schemas["PT Borneo Duta"] == "Company"


def test_his_company_is_the_company_the_person_owns_not_the_last_one_named() -> None:
    extraction = extract_text(
        "Krusik Trading Ltd is owned by Dragan Milic, a Serbian businessman. Voentorg Import "
        "LLC is a subsidiary of Rosoboronexport. Milic denied that his company had ever sold "
        "ammunition to Voentorg Import LLC.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    names = {e.id: e.caption for e in extraction.entities}
    supplies = [r for r in extraction.relations if r.type == "UnknownLink"]
    assert [(names[r.source], names[r.target], r.stance) for r in supplies] == [
        ("Krusik Trading Ltd", "Voentorg Import LLC", Stance.DENIED)
    ]


def test_paying_for_goods_delivered_to_a_party_is_no_payment_to_it() -> None:
    found = relations("Vostok Trading LLC paid for the drones delivered to Kupol JSC.")
    assert not any(r[0] == "Payment" for r in found)
    assert ("Payment", "Vostok Trading LLC", "Kupol JSC") in relations(
        "Vostok Trading LLC paid an undisclosed sum to Kupol JSC."
    )


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


EMAIL = (
    "From: sales@kama-optics.example\nTo: info@riga-forwarding.example\n"
    "Date: Mon, 3 Feb 2025 11:42:00 +0300\nSubject: shipment\n\n"
    "Please send the lenses to Riga Forwarding SIA, which acts as our forwarding agent. "
    "Payment will be made by Volga Trade House LLC on our behalf.\n\n"
    "Regards,\nIvan Petrov\nSales Manager, Kama Optics JSC\n"
)


def test_an_emails_we_is_the_organisation_in_its_signature() -> None:
    found = relations(EMAIL)
    assert ("Representation", "Riga Forwarding SIA", "Kama Optics JSC") in found
    assert ("Representation", "Volga Trade House LLC", "Kama Optics JSC") in found
    assert ("Employment", "Ivan Petrov", "Kama Optics JSC") in found  # not 'Sales Manager, ...'
    # outside an email, 'our' is nobody in particular
    assert not relations(EMAIL.split("\n\n", 1)[1].split("Regards")[0])


FORWARDER_EMAIL = """From: Aigerim Bekova <a.bekova@silkfreight.kz>
To: Pavel Sokolov <sokolov@kamaaero.ru>
Date: Tue, 3 Jun 2025 10:15:00 +0500
Subject: bearings

Pavel,

The bearings from Swedish distributor Nordic Parts AB arrived at our Shymkent warehouse on Monday.
As agreed, Kama Aero JSC will pay Silk Freight LLP 50,000 euros, of which we keep 4,000 \
as our fee and pay the rest to Nordic Parts AB. Please ask Arak Heavy Industries to pay \
the freight of 3,000 euros to our account.
Our sister company, Turan Transit LLP, will handle the customs clearance.

Regards,
Aigerim Bekova
Logistics Manager, Silk Freight LLP
"""


def test_an_emails_site_supplies_payments_and_sister_company() -> None:
    extraction = extract_text(FORWARDER_EMAIL, DOC, DEFAULT_SPACY_MODEL)
    names = {e.id: e.caption for e in extraction.entities}
    found = {(r.type, names[r.source], names[r.target], r.role) for r in extraction.relations}
    assert ("Address", "Silk Freight LLP", "Shymkent", "warehouse") in found
    assert ("UnknownLink", "Nordic Parts AB", "Silk Freight LLP", "delivered") in found
    assert ("Payment", "Kama Aero JSC", "Silk Freight LLP", "payment") in found
    assert ("Payment", "Arak Heavy Industries", "Silk Freight LLP", "requested payment") in found
    assert ("Payment", "Silk Freight LLP", "Nordic Parts AB", "payment") in found
    assert ("UnknownLink", "Turan Transit LLP", "Silk Freight LLP", "sister company") in found
    # the names in the header are people, whatever the model says
    schemata = {e.caption: e.schema for e in extraction.entities}
    assert schemata.get("Pavel Sokolov", "Person") == "Person"
    assert schemata.get("Aigerim Bekova", "Person") == "Person"


def test_a_ship_named_after_its_kind_is_a_vessel_and_a_relative_is_family() -> None:
    extraction = extract_text(
        "Baltic Ocean Shipping LLC operated the tanker Polar Dawn. Igor Volkov owns it. "
        "His brother, Sergei Volkov, lives in Riga.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    schemata = {e.caption: e.schema for e in extraction.entities}
    assert schemata["Polar Dawn"] == "Vessel"
    family = [r for r in extraction.relations if r.type == "Family"]
    assert [r.role for r in family] == ["brother"]


def test_a_family_relation_is_a_valid_ftm_family_edge() -> None:
    from followthemoney import model
    from followthemoney.statement import StatementEntity

    from redthread.extract.ftm import add_edge
    from redthread.ingest.parties import make_dataset

    extraction = extract_text(
        "Igor Volkov owns Volkov Trade LLC. His brother, Sergei Volkov, lives in Riga.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    (family,) = [r for r in extraction.relations if r.type == "Family"]
    made: dict[str, StatementEntity] = {}

    def make(schema: str, entity_id: str) -> StatementEntity:
        return made.setdefault(
            entity_id, StatementEntity(make_dataset("test"), {"schema": schema, "id": entity_id})
        )

    add_edge(make, family)
    edge = made[family.id].to_dict()
    assert model.get("Family").validate(edge) is None  # type: ignore[union-attr]
    assert edge["properties"]["relationship"] == ["brother"]
    assert edge["properties"]["relative"] == [family.source]  # Sergei, the brother
    assert edge["properties"]["person"] == [family.target]


def test_a_place_in_an_apposition_takes_the_sentences_source() -> None:
    extraction = extract_text(
        "Nordic Parts AB sold pumps to Kama Aero JSC, a Kazan company, the documents show.",
        DOC,
        DEFAULT_SPACY_MODEL,
    )
    (address,) = [r for r in extraction.relations if r.type == "Address"]
    assert address.attributed_to is not None
    assert address.attributed_to.text == "the documents"
