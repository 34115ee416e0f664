"""Acceptance on the article redthread started from (../shared/data/seed-article.txt)."""

from __future__ import annotations

import pytest

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.pipeline import extract_text
from redthread.model import sha256_hex
from redthread.model.evidence import Stance
from redthread.model.extraction import ExtractedEntity, Extraction
from tests.conftest import SHARED_DATA

TEXT = (SHARED_DATA / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return extract_text(TEXT, sha256_hex(TEXT.encode()), DEFAULT_SPACY_MODEL)


def entity(extraction: Extraction, name: str) -> ExtractedEntity:
    """The one entity that has ``name`` among its names."""
    found = [e for e in extraction.entities if name in e.names]
    assert len(found) == 1, f"{name}: {[e.names for e in found]}"
    return found[0]


@pytest.mark.parametrize(
    ("names", "schemata"),
    [
        (["IEMZ Kupol", "Kupol"], {"Company"}),
        (["Almaz-Antey"], {"Company"}),
        (["TSK Vektor"], {"Company"}),
        (["Redlepus TSK Vector Industrial", "Redlepus"], {"Company"}),
        (["Reuters"], {"Organization", "Company"}),
        (["International Institute for Strategic Studies"], {"Organization"}),
        (["Center for a New American Security", "CNAS"], {"Organization"}),
        (["Institute for Science and International Security"], {"Organization"}),
        (["Russian defense ministry"], {"PublicBody"}),
        (["China\u2019s foreign ministry"], {"PublicBody"}),
        (["US State Department"], {"PublicBody"}),
        (["Fabian Hinz"], {"Person"}),
        (["Samuel Bendett", "Bendett"], {"Person"}),
        (["David Albright"], {"Person"}),
        (["Vladimir Putin"], {"Person"}),
        (["Garpiya-3", "G3"], {"Project"}),
        (["Garpiya-A1"], {"Project"}),
        (["REM 1"], {"Project"}),
    ],
)
def test_one_entity_each_with_the_right_type(
    extraction: Extraction, names: list[str], schemata: set[str]
) -> None:
    found = entity(extraction, names[0])
    assert found.schema in schemata
    assert set(names) <= set(found.names)  # short forms and abbreviations are the same entity


def test_places(extraction: Extraction) -> None:
    from redthread.extract.entities import find_entities
    from redthread.extract.pipeline import load_nlp

    entities, _ = find_entities(load_nlp(DEFAULT_SPACY_MODEL)(TEXT), "d")
    places = {n for e in entities if e.schema == "Address" for n in e.names}
    assert {"Izhevsk", "Shenzhen", "Kashgar"} <= places
    assert any("Xinjiang" in p for p in places)


def relation(extraction: Extraction, kind: str, source: str, target: str) -> object:
    source_id = entity(extraction, source).id
    target_id = entity(extraction, target).id
    found = [
        r
        for r in extraction.relations
        if r.type == kind and r.source == source_id and r.target == target_id
    ]
    assert found, f"no {kind} {source} -> {target}"
    return found[0]


@pytest.mark.parametrize(
    ("kind", "source", "target", "sentence_part"),
    [
        ("Ownership", "Almaz-Antey", "IEMZ Kupol", "a subsidiary of the Russian state-owned"),
        ("Representation", "TSK Vektor", "IEMZ Kupol", "as the intermediary between Kupol"),
        ("UnknownLink", "TSK Vektor", "Redlepus TSK Vector Industrial", "collaborated with"),
        ("UnknownLink", "IEMZ Kupol", "Redlepus TSK Vector Industrial", "collaborated with"),
        ("ProjectParticipant", "IEMZ Kupol", "Garpiya-3", "has developed and flight-tested"),
        ("Employment", "Fabian Hinz", "International Institute for Strategic Studies", "fellow"),
        ("Employment", "Samuel Bendett", "Center for a New American Security", "fellow"),
        (
            "Directorship",
            "David Albright",
            "Institute for Science and International Security",
            "head of the Institute",
        ),
        ("Address", "Redlepus TSK Vector Industrial", "Shenzhen", "based in Shenzhen"),
    ],
)
def test_relations_with_their_sentence(
    extraction: Extraction, kind: str, source: str, target: str, sentence_part: str
) -> None:
    found = relation(extraction, kind, source, target)
    evidence = found.evidence  # type: ignore[attr-defined]
    assert any(sentence_part in e.text for e in evidence)
    assert all(TEXT[e.start : e.end] == e.text for e in evidence)


def test_a_report_inside_another_statement_is_the_source(extraction: Extraction) -> None:
    # 'the ministry stated that ..., responding to a Reuters report that Kupol had begun
    # producing the Garpiya-A1': the ministry did not say so; the report did
    found = relation(extraction, "ProjectParticipant", "IEMZ Kupol", "Garpiya-A1")
    attributed = found.attributed_to  # type: ignore[attr-defined]
    assert attributed.text == "a Reuters report"
    assert attributed.entity == entity(extraction, "Reuters").id


def test_no_relation_invented_from_co_occurrence(extraction: Extraction) -> None:
    """'Kupol, Almaz-Antey, and the Russian defense ministry did not respond': nothing."""
    ministry = entity(extraction, "Russian defense ministry").id
    assert not [r for r in extraction.relations if ministry in (r.source, r.target)]
    denied = [r for r in extraction.relations if r.stance is Stance.DENIED]
    assert len(denied) == 1 and denied[0].attributed_to is not None
    assert denied[0].attributed_to.text == "China\u2019s foreign ministry"


# What the acceptance asks for and the rules do not yet find (see docs/extraction.md):


def unnamed_firm(extraction: Extraction) -> ExtractedEntity:
    (firm,) = [e for e in extraction.entities if e.unnamed]
    return firm


def test_the_invoicing_firm_is_an_unnamed_party(extraction: Extraction) -> None:
    firm = unnamed_firm(extraction)
    assert firm.names == ["unnamed Russian firm"] and firm.schema == "Company"
    assert firm.description == (
        "a Russian firm that acts as an intermediary with Chinese suppliers"
    )
    (mention,) = firm.mentions
    assert TEXT[mention.start : mention.end] == firm.description


def test_delivery_of_seven_drones_to_kupol_in_izhevsk(extraction: Extraction) -> None:
    # 'invoices sent to Kupol ... by a Russian firm ...', then 'These invoices confirm the
    # delivery of seven military drones ... to Kupol's headquarters in ... Izhevsk'
    kupol = entity(extraction, "IEMZ Kupol").id
    (delivery,) = [
        r
        for r in extraction.relations
        if r.type == "UnknownLink" and r.target == kupol and r.role == "delivered"
    ]
    assert delivery.source == unnamed_firm(extraction).id
    assert delivery.details == {
        "goods": "seven military drones made in China, including two G3s",
        "place": "Izhevsk",
    }
    assert delivery.stance is Stance.ASSERTED
    assert delivery.attributed_to is not None and delivery.attributed_to.text == "These invoices"
    said = [e.text for e in delivery.evidence]
    assert said[0].startswith("These invoices confirm the delivery of seven")
    assert "invoices sent to Kupol in the summer by a Russian firm" in said[1]


def test_chinas_foreign_ministry_denies_knowledge_of_the_project(extraction: Extraction) -> None:
    # the project stated before (Kupol developing the Garpiya-3 in China), denied again
    # by the ministry in its own sentence; the assertion stays beside the denial
    ministry = entity(extraction, "China\u2019s foreign ministry").id
    kupol, g3 = entity(extraction, "IEMZ Kupol").id, entity(extraction, "Garpiya-3").id
    project = [
        r
        for r in extraction.relations
        if r.type == "ProjectParticipant" and (r.source, r.target) == (kupol, g3)
    ]
    assert {r.stance for r in project} == {Stance.ASSERTED, Stance.DENIED}
    denied = next(r for r in project if r.stance is Stance.DENIED)
    assert denied.attributed_to is not None and denied.attributed_to.entity == ministry
    assert [e.text for e in denied.evidence] == [
        s for s in TEXT.split("\n") if "denied knowledge of such a project" in s
    ]


def test_payment_requested_in_yuan(extraction: Extraction) -> None:
    # 'One invoice requested payment in Chinese yuan': asked of Kupol, not made
    (payment,) = [r for r in extraction.relations if r.type == "Payment"]
    assert payment.source == entity(extraction, "IEMZ Kupol").id
    assert payment.target == unnamed_firm(extraction).id
    assert payment.details == {"currency": "CNY"}
    assert payment.stance is Stance.UNCONFIRMED
    assert payment.evidence[0].text.startswith("One invoice requested payment in Chinese yuan")
