"""Invoices and what later sentences say of them: deliveries and payments whose
parties no single sentence names (redthread.extract.invoices)."""

from __future__ import annotations

import pytest

from redthread.config import DEFAULT_SPACY_MODEL
from redthread.extract.pipeline import extract_text
from redthread.model.evidence import Stance
from redthread.model.extraction import Extraction

DOC = "1" * 64


def extract(text: str) -> Extraction:
    return extract_text(text, DOC, DEFAULT_SPACY_MODEL)


def facts(extraction: Extraction) -> set[tuple[str, str, str, str, str]]:
    names = {e.id: e.caption for e in extraction.entities}
    return {
        (r.type, r.role, names[r.source], names[r.target], r.stance.value)
        for r in extraction.relations
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Customs officials seized invoices sent to Minsk Optics JSC in March by a Turkish "
            "trading company that buys Western electronics. These invoices confirm the "
            "delivery of 40 thermal cameras to Minsk Optics JSC.",
            {
                (
                    "UnknownLink",
                    "delivered",
                    "unnamed Turkish trading company",
                    "Minsk Optics JSC",
                    "asserted",
                )
            },
        ),
        (
            "Investigators found an invoice issued by Orion Components Ltd to Tehran Avionics "
            "Co in May. The invoice requested payment of $45,000, according to the indictment.",
            {
                ("Payment", "payment", "Tehran Avionics Co", "Orion Components Ltd", "unconfirmed"),
                (
                    "UnknownLink",
                    "invoiced",
                    "Orion Components Ltd",
                    "Tehran Avionics Co",
                    "asserted",
                ),
            },
        ),
        (
            "Orion Components Ltd sent two invoices to Tehran Avionics Co last year.",
            {("UnknownLink", "invoiced", "Orion Components Ltd", "Tehran Avionics Co", "asserted")},
        ),
        (
            "Reuters saw invoices sent to Minsk Optics JSC by a Chinese company called Harbin "
            "Lens Works.",
            {("UnknownLink", "invoiced", "Harbin Lens Works", "Minsk Optics JSC", "asserted")},
        ),
    ],
)
def test_invoices_and_what_they_say(
    text: str, expected: set[tuple[str, str, str, str, str]]
) -> None:
    assert facts(extract(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # no invoices named before: whose delivery it is, nobody says
        "These invoices confirm the delivery of 40 thermal cameras to Minsk Optics JSC.",
        # invoices without an addressee, and no party of them created
        "Invoices sent by a Turkish trading company were found. These invoices confirm the "
        "delivery of cameras.",
        # the invoices are too far back for 'these invoices' to mean them
        "Investigators found invoices sent to Minsk Optics JSC by Orion Components Ltd. "
        + "The weather was mild that year and nothing else happened. " * 40
        + "These invoices confirm the delivery of 40 thermal cameras to Minsk Optics JSC.",
    ],
)
def test_no_fact_without_both_parties_at_hand(text: str) -> None:
    extraction = extract(text)
    assert not [r for r in extraction.relations if r.role in ("delivered", "payment")]
    assert not [e for e in extraction.entities if e.unnamed]


def test_the_amount_asked_and_the_source_named() -> None:
    text = (
        "Investigators found an invoice issued by Orion Components Ltd to Tehran Avionics Co "
        "in May. The invoice requested payment of $45,000, according to the indictment."
    )
    (payment,) = [r for r in extract(text).relations if r.type == "Payment"]
    assert payment.details == {"amount": "45000", "currency": "USD"}
    assert payment.attributed_to is not None
    assert payment.attributed_to.text == "the indictment"


def test_the_delivery_details_and_evidence() -> None:
    text = (
        "Customs officials seized invoices sent to Minsk Optics JSC by a Turkish trading "
        "company. These invoices confirm the delivery of 40 thermal cameras, including two "
        "spares, to the warehouse of Minsk Optics JSC in the Belarusian city of Minsk. One "
        "invoice requested payment in euros."
    )
    extraction = extract(text)
    (delivery,) = [r for r in extraction.relations if r.role == "delivered"]
    assert delivery.details == {
        "goods": "40 thermal cameras, including two spares",
        "place": "Minsk",
    }
    assert [e.text for e in delivery.evidence] == [
        "These invoices confirm the delivery of 40 thermal cameras, including two spares, to "
        "the warehouse of Minsk Optics JSC in the Belarusian city of Minsk.",
        "Customs officials seized invoices sent to Minsk Optics JSC by a Turkish trading company.",
    ]
    (payment,) = [r for r in extraction.relations if r.type == "Payment"]
    assert payment.details == {"currency": "EUR"} and payment.stance is Stance.UNCONFIRMED
    (firm,) = [e for e in extraction.entities if e.unnamed]
    assert firm.to_dict(DOC)["unnamed"] is True
    assert firm.to_dict(DOC)["description"] == "a Turkish trading company"


def test_they_right_after_the_invoices_are_the_invoices() -> None:
    text = (
        "The invoices were issued by Kama Optics JSC to Volga Armour LLC in May. They show "
        "the delivery of 40 sights to Volga Armour LLC's plant in Kurgan."
    )
    extraction = extract(text)
    delivered = [r for r in extraction.relations if r.role == "delivered"]
    assert [r.attributed_to.text if r.attributed_to else None for r in delivered] == [
        "the invoices"
    ]
    # 'They' two sentences on may be anyone
    later = extract(
        "The invoices were issued by Kama Optics JSC to Volga Armour LLC in May. The army "
        "was pleased. They show the delivery of 40 sights to Volga Armour LLC."
    )
    assert not [r for r in later.relations if r.role == "delivered"]
