"""Invoices a text describes, and what later sentences say of them.

Reports on procurement networks often cite trade papers rather than state a delivery
outright: "invoices sent to Kupol in the summer by a Russian firm that acts as an
intermediary with Chinese suppliers", then "These invoices confirm the delivery of
seven military drones ... to Kupol's headquarters in the Russian city of Izhevsk" and
"One invoice requested payment in Chinese yuan". No sentence names both parties of
the delivery or of the payment; together they do. Here:

1. A sentence naming invoices with their issuer and addressee opens a *frame*:
   "invoices sent to A by B", "an invoice issued by B to A", "invoices from B to A",
   "B sent invoices to A". The issuer may be a party the text does not name ("a
   Russian firm that acts as an intermediary ..."): it becomes an *unnamed* party of
   the document (``ExtractedEntity.unnamed``), described by those words, never
   screened against the lists and never merged with another document's party.
   The frame states a fact of its own: B invoiced A (UnknownLink, role 'invoiced').
2. A later sentence (within FRAME_REACH characters) that refers to the invoices
   ("These invoices", "One invoice", "the documents") and says what they are for:
   - "confirm / show / record the delivery (shipment, sale, supply) of GOODS to X":
     a delivery from the issuer to X (a named party) or to the addressee, with the
     goods as written and the place ("in the Russian city of Izhevsk") where named;
   - "requested / demanded / asked for payment (of AMOUNT) (in CURRENCY)": a payment
     the issuer asks of the addressee, with the stance unconfirmed (asked for, not
     made).
   Each such fact has the referring sentence and the frame's sentence as evidence,
   and is attributed to the invoices ("These invoices") unless its sentence names
   another source.

Nothing is produced from invoices whose issuer or addressee is not in the text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from redthread.extract.claims import attributed
from redthread.extract.entities import money_details
from redthread.extract.places import city_names
from redthread.extract.relations import PARTY
from redthread.model.evidence import Evidence, Stance
from redthread.model.extraction import Attribution, ExtractedEntity, Mention, Relation
from redthread.model.ids import stable_id

#: How far after the sentence naming invoices (characters) a sentence may refer to them.
FRAME_REACH = 1_500

_PAPER = r"(?:pro ?forma )?invoices?"
_UNNAMED = re.compile(
    r"(?:a|an|one|another) (?P<words>(?:(?:unnamed|unidentified|undisclosed|anonymous"
    r"|(?-i:[A-Z])[\w-]*|[a-z]+-based|state-owned|private|small|foreign|trading|front|shell"
    r"|defen[cs]e|military|logistics|shipping) ){0,3}?)"
    r"(?P<noun>firm|company|supplier|intermediary|middleman|trader|distributor|manufacturer"
    r"|vendor|broker|exporter|importer|entity|businessman|individual)\b"
    r"(?P<clause>,? (?:that|which|who) [^,;.]{1,100})?",
    re.IGNORECASE,
)
#: "invoices sent to A ... by B", "an invoice issued by B to A", "invoices from B to A"
_FRAME = re.compile(
    rf"\b{_PAPER}(?:,? (?:which|that) (?:were|was))?"
    r"(?: (?:were|was|had been|have been))? (?:(?:sent|issued|addressed|made out) )?"
    r"(?P<first>to|by|from) ",
    re.IGNORECASE,
)
#: "B sent invoices to A" (after B)
_SENT_PAPERS = re.compile(
    rf" (?:has |had |also )?(?:sent|issued) (?:\w+ )?{_PAPER} to (?:the )?", re.IGNORECASE
)
#: a later sentence's reference to the invoices
_REFERENCE = re.compile(
    r"\b(?:(?:These|The|Those|Both|Each|Another|Either|One|One of the|The two|Both of the)"
    r" (?:(?:two|three|separate|earlier|same) )?(?:invoices?|documents?))\b",
    re.IGNORECASE,
)
#: 'They' for the invoices, in the sentence right after the one that names them
_THEY = re.compile(
    r"They(?= (?:also )?(?:confirm|show|record|list|cover|document|detail|request|demand|ask)"
    r"(?:s|ed)?\b)"
)
_DELIVERY = re.compile(
    r"\b(?:confirm|confirms|confirmed|show|shows|showed|record|records|recorded|list|lists"
    r"|listed|cover|covers|covered|document|documents|documented|detail|details|detailed)"
    r" (?:the )?(?:delivery|deliveries|shipment|shipments|sale|sales|supply) of "
    r"(?P<goods>[^;]{1,160}?),? to (?:the )?(?:(?:[\w-]+ ){0,2}?(?:warehouses?|headquarters"
    r"|offices?|factory|plant|premises|facility) of (?:the )?)?",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"\b(?:requested|requests|asked for|asks for|demanded|demands|sought|seeks) (?:a )?"
    r"payment(?: of (?P<amount>(?:[A-Z]{3} ?|[$\u20ac\u00a3\u00a5])?\d[\d,]*(?:\.\d+)?"
    r"(?: (?:million|billion|thousand))?(?: (?:[A-Z][a-z]+ )?(?:dollars|euros|yuan|rubles"
    r"|roubles|dirhams|pounds|[A-Z]{3}))?))?(?: in (?P<currency>(?:[A-Z][a-z]+ )?[a-z]+"
    r"|[A-Z]{3}))?(?=[,.;]| while| and|$)",
)
_PLACE = re.compile(r"^(?:[^,;]{0,40}?) in (?:the )?(?:[\w-]+ ){0,4}?(?:of )?$")


@dataclass
class _Frame:
    issuer: str
    addressee: str
    evidence: Evidence
    attributed_to: Attribution | None
    delivered_to: set[str]


@dataclass(frozen=True)
class Found:
    """What invoices add to a document: unnamed parties and relations."""

    entities: list[ExtractedEntity]
    relations: list[Relation]


#: (start, end, entity id, kind) of a mention, document offsets
Spot = tuple[int, int, str, str]


def invoice_facts(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Spot],
    document_id: str,
    names: dict[str, str],
) -> Found:
    """The invoices' frames and facts of one document (see the module docstring).
    ``names``: entity id -> caption."""
    entities: list[ExtractedEntity] = []
    relations: list[Relation] = []
    frames: list[_Frame] = []
    frame: _Frame | None = None
    mentions = sorted(mentions)
    starts = [m[0] for m in mentions]
    for start, end in sentences:
        sentence = text[start:end]
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        inside = [m for m in mentions[first:last] if m[1] <= end]
        evidence = Evidence(document_id, start, end, sentence)
        opened = _open_frame(text, start, end, inside, document_id, entities)
        if opened is not None:
            spans = [(m[0] - start, m[1] - start) for m in inside if m[2] in opened]
            said_by = attributed(sentence, spans or [(0, 1)], _parties(inside, start))
            frame = _Frame(*opened, evidence, said_by, set())
            frames.append(frame)
            continue
        if frame is None or start - frame.evidence.end > FRAME_REACH:
            continue
        reference = _REFERENCE.search(sentence)
        if reference is None and text[frame.evidence.end : start].strip() == "":
            # 'They show the delivery of ...' right after the sentence naming the invoices
            reference = _THEY.match(sentence)
        if reference is None:
            continue
        said_by = attributed(sentence, [reference.span()], _parties(inside, start))
        said_by = said_by or Attribution(
            "the invoices" if reference.group(0) == "They" else reference.group(0)
        )
        both = [evidence, frame.evidence]
        for match in _DELIVERY.finditer(sentence):
            after = start + match.end()
            to = next((m for m in inside if m[0] == after and m[3] in PARTY), None)
            recipient = to[2] if to else frame.addressee
            details = {"goods": " ".join(match.group("goods").split()).rstrip(" ,")}
            place = next(
                (
                    m
                    for m in inside
                    if m[3] == "place" and m[0] >= after and _PLACE.match(text[after : m[0]])
                ),
                None,
            )
            if place is not None:
                details["place"] = names.get(place[2], text[place[0] : place[1]])
            frame.delivered_to.add(recipient)
            relations.append(
                _relation(
                    document_id,
                    "UnknownLink",
                    "delivered",
                    frame.issuer,
                    recipient,
                    both,
                    Stance.ASSERTED,
                    said_by,
                    details,
                    start,
                )
            )
        for match in _PAYMENT.finditer(sentence):
            words = " ".join(filter(None, (match.group("amount"), match.group("currency"))))
            relations.append(
                _relation(
                    document_id,
                    "Payment",
                    "payment",
                    frame.addressee,
                    frame.issuer,
                    both,
                    Stance.UNCONFIRMED,
                    said_by,
                    money_details(words) if words else {},
                    start,
                )
            )
    for made in frames:  # invoices no delivery is told of: that they were sent
        if made.addressee not in made.delivered_to:
            relations.append(
                _relation(
                    document_id,
                    "UnknownLink",
                    "invoiced",
                    made.issuer,
                    made.addressee,
                    [made.evidence],
                    Stance.ASSERTED,
                    made.attributed_to,
                    {},
                    made.evidence.start,
                )
            )
    return Found(entities, relations)


def _parties(mentions: list[Spot], start: int) -> list[tuple[int, int, str]]:
    """The party mentions of a sentence starting at ``start``: (sentence offsets, entity id)."""
    return [(m[0] - start, m[1] - start, m[2]) for m in mentions if m[3] in PARTY]


def _open_frame(
    text: str,
    start: int,
    end: int,
    mentions: list[Spot],
    document_id: str,
    unnamed: list[ExtractedEntity],
) -> tuple[str, str] | None:
    """(issuer, addressee) of invoices a sentence names with both."""
    parties = [m for m in mentions if m[3] in PARTY]
    for match in _FRAME.finditer(text, start, end):
        slots: dict[str, str] = {}
        described: list[ExtractedEntity] = []
        at, word = match.end(), match.group("first").lower()
        for _ in range(2):
            slot = "addressee" if word == "to" else "issuer"
            found = _party_at(text, at, end, parties, document_id, described)
            if found is None or slot in slots:
                break
            slots[slot], after = found
            rest = re.match(r"(?: [^,;.]{0,40}?)? (to|by|from) (?:the )?", text[after:end])
            if rest is None:
                break
            at, word = after + rest.end(), rest.group(1).lower()
        if len(slots) == 2 and slots["issuer"] != slots["addressee"]:
            unnamed.extend(described)
            return slots["issuer"], slots["addressee"]
    for issuer in parties:
        gap = _SENT_PAPERS.match(text, issuer[1], end)
        if gap is None:
            continue
        addressee = next((m for m in parties if m[0] == gap.end()), None)
        if addressee is not None and addressee[2] != issuer[2]:
            return issuer[2], addressee[2]
    return None


def _party_at(
    text: str,
    at: int,
    end: int,
    parties: list[Spot],
    document_id: str,
    unnamed: list[ExtractedEntity],
) -> tuple[str, int] | None:
    """The party named at ``at`` (its id and where its words end), or a party described
    without a name ('a Russian firm that acts as an intermediary'), added to ``unnamed``."""
    named = next((m for m in parties if m[0] == at), None)
    if named is not None:
        return named[2], named[1]
    described = _UNNAMED.match(text, at, end)
    if described is None:
        return None
    called = re.compile(r",? (?:called|named|known as) (?:the )?").match(text, described.end())
    if called is not None:  # 'a Chinese company called Redlepus': a named party after all
        named = next((m for m in parties if m[0] == called.end()), None)
        return (named[2], named[1]) if named is not None else None
    if re.match(r", (?-i:[A-Z])", text[described.end() : described.end() + 3]):
        return None  # 'a Russian firm, TSK Vektor,': the name follows
    entity = unnamed_party(described, document_id)
    unnamed.append(entity)
    return entity.id, described.end()


def unnamed_party(described: re.Match[str], document_id: str) -> ExtractedEntity:
    """A party the text describes without naming it: 'unnamed Russian firm', its
    description as written in the mention."""
    words = [
        w
        for w in described.group("words").split()
        if w.lower() not in ("unnamed", "unidentified", "undisclosed", "anonymous")
    ]
    noun = described.group("noun").lower()
    caption = " ".join(["unnamed", *words, noun])
    schema = "Person" if noun in ("businessman", "individual") else "LegalEntity"
    if noun in ("firm", "company"):
        schema = "Company"
    words_as_written = described.group(0).rstrip(" ,")
    entity_id = stable_id("extract", document_id, "unnamed", str(described.start()))
    return ExtractedEntity(
        id=entity_id,
        schema=schema,
        names=[caption],
        mentions=[Mention(described.start(), described.end(), words_as_written, "ORG")],
        unnamed=True,
        description=words_as_written,
    )


def _relation(
    document_id: str,
    schema: str,
    role: str,
    source: str,
    target: str,
    evidence: list[Evidence],
    stance: Stance,
    attributed_to: Attribution | None,
    details: dict[str, str],
    start: int,
) -> Relation:
    relation_id = stable_id(
        "relation", document_id, schema, source, target, role, "invoice", str(start)
    )
    return Relation(
        relation_id,
        schema,
        role,
        source,
        target,
        list(evidence),
        stance,
        attributed_to,
        details,
    )


#: A labelled field of a commercial invoice, a proforma or a packing list: 'Seller: X'
_FIELD = re.compile(
    r"^[ \t]*(?P<label>Seller|Supplier|Vendor|Exporter|Shipper|Sold by|Buyer|Customer"
    r"|Importer|Purchaser|Sold to|Bill to|Consignee|Ship to)[ \t]*:[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_SELLER_FIELDS = frozenset({"seller", "supplier", "vendor", "exporter", "shipper", "sold by"})
_BUYER_FIELDS = frozenset({"buyer", "customer", "importer", "purchaser", "sold to", "bill to"})
_CONSIGNEE_FIELDS = frozenset({"consignee", "ship to"})
_TOTAL = re.compile(
    r"^[ \t]*(?:Total|Total amount|Amount due|Invoice total|Grand total|Total value)"
    r"(?: \([^)\n]*\))?[ \t]*:[ \t]*(?P<amount>[^\n]+)$",
    re.IGNORECASE | re.MULTILINE,
)


def labelled_facts(text: str, mentions: list[Spot], document_id: str) -> list[Relation]:
    """What a document written as labelled fields states ('Seller: X, Bishkek', 'Buyer:
    Y, Yekaterinburg', 'Total: 2,740,000 Russian rubles'): the seller supplies the buyer
    (and delivers to a consignee who is another party), the buyer is asked to pay the
    total (a requested payment, unconfirmed), and each party is based in the first place
    its line names. Nothing without both a seller's field and a buyer's or consignee's."""
    parties: dict[str, tuple[str, Evidence]] = {}
    places: list[tuple[str, str, Evidence]] = []
    for field in _FIELD.finditer(text):
        line_end = text.find("\n", field.end())
        line_end = len(text) if line_end < 0 else line_end
        on_line = sorted(m for m in mentions if field.end() <= m[0] and m[1] <= line_end)
        party = next((m for m in on_line if m[3] in PARTY), None)
        if party is None:
            continue
        start = text.rfind("\n", 0, field.start()) + 1
        evidence = Evidence(document_id, start, line_end, text[start:line_end])
        label = " ".join(field.group("label").lower().split())
        kind = (
            "seller"
            if label in _SELLER_FIELDS
            else "buyer"
            if label in _BUYER_FIELDS
            else "consignee"
        )
        parties.setdefault(kind, (party[2], evidence))
        after = [m for m in on_line if m[3] == "place" and m[0] > party[1]]
        # a city before a street or a region ('12 Chui Avenue, Bishkek, Kyrgyz Republic')
        city = next((m for m in after if text[m[0] : m[1]] in city_names()), None)
        if city is None and after:
            city = after[0]
        if city is not None and party[2] not in {p for p, _, _ in places}:
            places.append((party[2], city[2], evidence))
    seller = parties.get("seller")
    buyer = parties.get("buyer")
    consignee = parties.get("consignee")
    if seller is None or (buyer is None and consignee is None):
        return []
    found: list[Relation] = []

    def add(schema: str, role: str, source: str, target: str, *proof: Evidence) -> Relation:
        stance = Stance.UNCONFIRMED if schema == "Payment" else Stance.ASSERTED
        relation = _relation(
            document_id, schema, role, source, target, list(proof), stance, None, {}, 0
        )
        found.append(relation)
        return relation

    if buyer is not None and buyer[0] != seller[0]:
        add("UnknownLink", "supplier", seller[0], buyer[0], seller[1], buyer[1])
    if consignee is not None and consignee[0] not in (seller[0], buyer and buyer[0]):
        add("UnknownLink", "delivered", seller[0], consignee[0], seller[1], consignee[1])
    payer = buyer or consignee
    total = _TOTAL.search(text)
    if payer is not None and total is not None and payer[0] != seller[0]:
        start, end = total.span()
        line = Evidence(document_id, start, end, text[start:end].strip())
        payment = add("Payment", "requested payment", payer[0], seller[0], line)
        payment.details.update(money_details(total.group("amount")))
    for based, place, evidence in dict.fromkeys(places):
        add("Address", "based in", based, place, evidence)
    return found
