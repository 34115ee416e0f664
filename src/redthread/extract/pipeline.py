"""Extraction of one document: the spaCy model, our entity rules, relations, claims.

``extract_text(text, document_id)`` is the stage function: the same call runs in a
loop, in a web request and in a Spark partition. The spaCy pipeline is loaded once
per process (``load_nlp``) and named by the ``spacy_model`` setting.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from followthemoney.types import registry

from redthread.extract.claims import (
    attributed,
    denied_facts,
    denier,
    requests_payment,
    stance_for,
)
from redthread.extract.entities import (
    KIN,
    MONEY,
    PLACE_NOUN,
    country_of,
    find_entities,
    money_details,
    text_of,
)
from redthread.extract.gazetteer import Gazetteer
from redthread.extract.invoices import invoice_facts, labelled_facts
from redthread.extract.relations import PARTY, RULES, Rule, role_of, schema_for_role
from redthread.model.evidence import Evidence, Stance
from redthread.model.extraction import Attribution, ExtractedEntity, Extraction, Relation
from redthread.model.ids import stable_id

KINDS = {
    "Person": "person",
    "Company": "org",
    "Organization": "org",
    "LegalEntity": "org",
    "Vessel": "org",
    "PublicBody": "public",
    "Address": "place",
    "Project": "product",
}
#: "the company", "his company": the organisation named last before (within this many
#: characters), a pronoun ("he") the person named last.
ANAPHORA = re.compile(
    r"\b(?:(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir) (?:[A-Z][a-z]+ )?(?:company|firm|group"
    r"|institute|manufacturer|supplier|factory|maker|producer))\b(?! [A-Z])"
    r"|(?<=that )it\b|(?<=said )it\b|(?<=says )it\b"
)
PRONOUN = re.compile(
    r"\b(?:he|she|He|She)\b|\b(?:His|Her)(?= (?:[\w-]+ )?(?:"
    + KIN
    + r"|lawyer|attorney|solicitor|counsel),)"
)
#: 'Its director general, Alexei Khlebnikov': the organisation named last
POSSESSIVE = re.compile(
    r"\bIts(?= (?:[\w-]+ ){0,4}[\w-]+(?:,| is| was) (?-i:[A-Z]))"
    r"|(?<=[.!?] )It(?= (?:is|was|has been|had been|also|became) )"
)
#: 'The refinery paid': the organisation named last that its name or a description calls so
KIND_ANAPHORA = re.compile(
    r"\b[Tt]he (?:[A-Z][a-z]+ )?(?P<noun>refinery|shipyard|broker|trader|distributor|exporter"
    r"|importer|forwarder|bank|shipowner|wholesaler|dealer|airline|carrier)\b(?! [A-Z])"
)
#: 'acted as a front for the Russian buyer': a party by its part in a sale stated before
#: (see _their_part); its entity is filled in sentence by sentence
ROLE_ANAPHORA = re.compile(
    r"\b[Tt]he (?:(?-i:[A-Z])[a-z]+ )?(?P<noun>buyer|purchaser|customer|recipient|consignee"
    r"|end user|end-user|seller|vendor)\b(?! [A-Z])"
)
#: Who a part names in the sale: the delivery's recipient (target) or its supplier (source)
_BUYER_NOUNS = frozenset({"buyer", "purchaser", "customer", "recipient", "consignee", "end user"})
_SALES = frozenset({"delivered", "supplier", "invoiced"})
#: 'sanctioned X, a Moscow company, and its owner, Ivan Petrov': the organisation the role
#: is joined to (see _conjoined)
AND_ITS = re.compile(r"(?:(?<=\band )|(?<=: )|(?<=; ))its(?= (?:[\w-]+ ){0,2}[\w-]+,? (?-i:[A-Z]))")
PLURAL = re.compile(
    r"\b[Tt]he (?:[A-Z][\w-]+ )?(?:two |three |both )?(?:firms|companies)\b|\b[Bb]oth companies\b"
)
ANAPHOR_REACH = 600
#: In an email, the sender's organisation: 'our forwarding agent', 'on our behalf'
WE = re.compile(r"\b(?:[Oo]ur|[Ww]e)\b")
#: In an email, the addressee: 'your agent in Urumqi'
YOU = re.compile(r"\b(?:[Yy]our|[Yy]ou)\b")
_PLEASE_PAY = re.compile(r"\b[Pp]lease(?= (?:transfer|pay|wire|remit)\b)")
_ACCORDING_TO = re.compile(r"\baccording to (?:the )?$", re.IGNORECASE)
#: 'our agent in Urumqi, X': the party is named after the possessive's role
_NAMED_AFTER = re.compile(
    r"^ (?:[\w-]+ )?(?:agent|partner|forwarder|broker|customer|client|subsidiary|distributor"
    r"|supplier|representative)(?: company| firm)?(?: in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?"
    r",? (?-i:[A-Z])"
)
EMAIL_HEADER = re.compile(r"^(?:From|To|Date|Subject|Cc):", re.MULTILINE)
#: How far from the end of an email its signature may name the sender's organisation
SIGNATURE_REACH = 300
#: Texts longer than this are parsed in parts; longer than MAX_CHARS, not extracted
#: (memory grows with the text: about 1 GB for 2 million characters with the small model).
CHUNK_CHARS = 200_000
MAX_CHARS = 2_000_000
#: Roles that say less than another sentence may: 'Bendett at CNAS' after 'Samuel Bendett,
#: an adjunct senior fellow at the Center for a New American Security'.
GENERIC_ROLES = frozenset({"at", "employee", "collaborated", "partner", "delivered", "based in"})
_PARENTHESES = re.compile(r"^ \([^()]{1,60}\)")
_PLACE_NOUN_NAME = re.compile(PLACE_NOUN.pattern + r",? ")
#: Where a company named with its place ('X in Yerevan') is an object, not a subject
#: (not after a word that ties a person to the organisation: 'an economist at X in Tokyo'
#: works in Tokyo, 'a meeting of X in Jakarta' is held there, 'an agent of X in Turkey'
#: acts there; X may be based elsewhere)
_BEFORE_ORG_IN = re.compile(
    r"(?:\b(?!(?:at|with|of|for|in|on|the|our|their|its) )[a-z]+|,)"
    r" (?:the |(?:our|their|its) (?:[a-z][\w-]* ){0,2})?$"
)
#: 'Our supplier in Shenzhen, Zhongke Rongxin Technology': a party named after its place
_THEIR_ONE_IN = re.compile(
    r"(?:\b(?:[Oo]ur|[Yy]our|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)|'s|\u2019s) (?:[a-z][\w-]* ){0,2}in $"
)
_AFTER_PLACE = re.compile(r"(?:[,.;)]|$|\s+(?:and|which|that|who|by|via|through)\b)")
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_HELD = re.compile(
    r"^,? (?:who|which) (?:holds|owns|has) (?:the remaining )?(\d+(?:\.\d+)?) ?(?:%|percent|per"
    r" cent)"
)
_PAID = re.compile(
    r"^ (?:approximately |about |around |some |nearly |more than )?"
    r"([$\u20ac\u00a3\u00a5]?\s?\d[^;]{0,25}?)(?= for|,(?!\d)|\.(?!\d)|;| in |$)"
)
#: 'a Riga-registered wholesaler', 'Tehran-based'
_PLACE_SUFFIX = re.compile(r"-(?:based|registered|headquartered)\b")
#: Goods that are money: 'received eleven transfers totalling EUR 1.84 million from'
_MONEY_GOODS = re.compile(
    r"\b(?:transfers?|payments?|wires?|remittances?|funds)\b(?! of (?:goods|technology|arms))"
)
_MONEY_ONLY = re.compile(rf"(?:about |approximately |around |some |nearly |more than )?{MONEY}")


@functools.cache
def load_nlp(model_name: str) -> Any:
    """The spaCy pipeline (loaded once per process)."""
    import spacy

    return spacy.load(model_name)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity: str
    kind: str
    anaphor: bool = False


def parse(text: str, model_name: str) -> Any:
    """The spaCy Doc of a text. A long text is parsed in parts cut at paragraph breaks
    (spaCy's own limit is a million characters) and joined into one Doc."""
    from spacy.tokens import Doc

    nlp = load_nlp(model_name)
    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_CHARS, len(text))
        if end < len(text):
            cut = text.rfind("\n\n", start + CHUNK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind("\n", start + CHUNK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + CHUNK_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        parts.append(text[start:end])
        start = end
    doc = Doc.from_docs(list(nlp.pipe(parts)), ensure_whitespace=False)
    assert doc.text == text
    return doc


class TooLong(ValueError):
    """A text longer than extraction takes; the message names the limit."""


def extract_text(
    text: str,
    document_id: str,
    model_name: str,
    max_chars: int = MAX_CHARS,
    gazetteer: Gazetteer | None = None,
) -> Extraction:
    """Entities and relations of one document's text."""
    if len(text) > max_chars:
        raise TooLong(
            f"{len(text):,} characters, over the limit of {max_chars:,} for extraction "
            "(raise max_extract_chars in the config)"
        )
    doc = parse(text, model_name)
    entities, _ = find_entities(doc, document_id, gazetteer)
    by_id = {e.id: e for e in entities}
    mentions = sorted(
        (_Mention(m.start, m.end, e.id, KINDS[e.schema]) for e in entities for m in e.mentions),
        key=lambda m: m.start,
    )
    kinds = {m.entity: m.kind for m in mentions}
    states = {e.id for e in entities if KINDS[e.schema] == "place" and _country_of(e.caption)}
    mentions = _with_anaphora(text, mentions, doc)
    starts = [m.start for m in mentions]
    relations: list[Relation] = []
    seen: dict[tuple[str, str, str, str, str], Relation] = {}

    def add(relation: Relation) -> None:
        # one relation stated in several sentences: one relation, each sentence evidence
        key = (
            relation.type,
            relation.source,
            relation.target,
            relation.stance.value,
            _kind_of_link(relation),
        )
        known = seen.get(key)
        if known is None:
            seen[key] = relation
            relations.append(relation)
            return
        known.absorb(relation)
        if known.role in GENERIC_ROLES and relation.role not in GENERIC_ROLES:
            known.role = relation.role
        if known.attributed_to is None:
            known.attributed_to = relation.attributed_to

    sentences = _sentences(doc, text)
    for start, end in sentences:
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, end)
        inside = [m for m in mentions[first:last] if m.end <= end]
        inside = _their_part(
            text,
            _their_company(text, inside, relations),
            relations,
            kinds,
            mentions[:first],
        )
        for relation in _sentence_relations(text, start, end, inside, document_id, by_id, states):
            add(relation)
        for relation in _earlier_facts_denied(text, start, end, inside, relations, by_id):
            add(relation)
    spots = [(m.start, m.end, m.entity, m.kind) for m in mentions if not m.anaphor]
    names = {e.id: e.caption for e in entities}
    invoices = invoice_facts(text, sentences, spots, document_id, names)
    entities.extend(invoices.entities)
    for relation in invoices.relations:
        add(relation)
    for relation in labelled_facts(text, spots, document_id):
        add(relation)
    entities.extend(_as_states(relations, by_id, states, document_id))
    used = {r.source for r in relations} | {r.target for r in relations}
    # places and products matter when something happens there or to them
    kept = [e for e in entities if KINDS[e.schema] not in ("place", "product") or e.id in used]
    kept += [e for e in entities if KINDS[e.schema] == "product" and e.id not in used]
    return Extraction(document_id, _ordered(kept), relations)


def _sentences(doc: Any, text: str) -> list[tuple[int, int]]:
    """Sentence spans: the parser's, also cut at blank lines (a headline or a dateline
    is not part of the first sentence), without trailing whitespace."""
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start_char
        for blank in BLANK_LINE.finditer(text, sent.start_char, sent.end_char):
            spans.append((start, blank.start()))
            start = blank.end()
        spans.append((start, sent.end_char))
    trimmed: list[tuple[int, int]] = []
    for start, end in spans:
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            trimmed.append((start, end))
    return trimmed


def _ordered(entities: list[ExtractedEntity]) -> list[ExtractedEntity]:
    unique = {e.id: e for e in entities}
    return sorted(unique.values(), key=lambda e: e.mentions[0].start if e.mentions else 0)


def _email_sender(text: str, mentions: list[_Mention]) -> _Mention | None:
    """The organisation an email is written for: named in its signature (the last
    organisation within SIGNATURE_REACH of the end), or None if not an email."""
    if not EMAIL_HEADER.match(text.lstrip()):
        return None
    tail = len(text.rstrip()) - SIGNATURE_REACH
    signed = [m for m in mentions if m.kind == "org" and m.start >= tail and not m.anaphor]
    return signed[-1] if signed else None


def _email_addressee(text: str, mentions: list[_Mention]) -> _Mention | None:
    """The party an email is written to: the one named on its 'To:' line."""
    if not EMAIL_HEADER.match(text.lstrip()):
        return None
    line = re.search(r"^To:[^\n]*", text, re.MULTILINE)
    if line is None:
        return None
    return next(
        (m for m in mentions if line.start() <= m.start < line.end() and m.kind in PARTY), None
    )


def _with_anaphora(text: str, mentions: list[_Mention], doc: Any = None) -> list[_Mention]:
    """'the company' and 'he' as mentions of the organisation or person named last; 'Its'
    before a role as the organisation the sentence before is about (see _salient)."""
    added: list[_Mention] = []
    starts = [m.start for m in mentions]
    for pattern, kinds in ((ANAPHORA, ("org",)), (POSSESSIVE, ("org",)), (PRONOUN, ("person",))):
        for match in pattern.finditer(text):
            here = bisect.bisect_left(starts, match.end())
            near = mentions[bisect.bisect_left(starts, match.start() - ANAPHOR_REACH) : here]
            if any(
                m.start < match.end()
                and match.start() < m.end
                and not (match.start() < m.start and m.end < match.end())
                for m in near[-3:]
            ):
                continue  # (a name may stand inside: 'the Dubai firm')
            before = [
                m
                for m in near
                if m.end <= match.start()
                and match.start() - m.end < ANAPHOR_REACH
                and m.kind in kinds
            ]
            if before:
                last = before[-1]
                if pattern is POSSESSIVE and doc is not None:
                    last = _salient(text, doc, before, match.start())
                added.append(_Mention(match.start(), match.end(), last.entity, last.kind, True))
    for match in ROLE_ANAPHORA.finditer(text):
        added.append(_Mention(match.start(), match.end(), "", "org", True))
    for match in KIND_ANAPHORA.finditer(text):
        called = _called(text, mentions, match.start(), match.group("noun"))
        if called is not None:
            added.append(_Mention(match.start(), match.end(), called.entity, "org", True))
    if doc is not None:
        for match in AND_ITS.finditer(text):
            joined = _conjoined(doc, match.start(), mentions)
            if joined is not None:
                added.append(_Mention(match.start(), match.end(), joined.entity, "org", True))
    sender = _email_sender(text, mentions)
    if sender is not None:
        for match in WE.finditer(text):
            if not any(m.start <= match.start() < m.end for m in mentions):
                added.append(_Mention(match.start(), match.end(), sender.entity, "org", True))
    addressee = _email_addressee(text, mentions)
    if addressee is not None:
        for match in _PLEASE_PAY.finditer(text):  # 'please transfer 50% to': you pay
            added.append(
                _Mention(match.start(), match.end(), addressee.entity, addressee.kind, True)
            )
        for match in YOU.finditer(text):
            if match.start() > addressee.end and not any(
                m.start <= match.start() < m.end for m in mentions
            ):
                added.append(
                    _Mention(match.start(), match.end(), addressee.entity, addressee.kind, True)
                )
    for match in PLURAL.finditer(text):
        # 'the Russian firms': the organisations named in the sentence before, when several
        previous = text.rfind(". ", 0, match.start())
        window_start = text.rfind(". ", 0, max(previous, 0)) + 1 if previous > 0 else 0
        window = mentions[
            bisect.bisect_left(starts, window_start) : bisect.bisect_left(starts, max(previous, 0))
        ]
        named = [m for m in window if m.kind == "org"]
        parties = list(dict.fromkeys(m.entity for m in named))
        if len(parties) >= 2:
            for entity in parties:
                added.append(_Mention(match.start(), match.end(), entity, "org", True))
    return sorted([*mentions, *added], key=lambda m: m.start)


_DESCRIBED_LAST = re.compile(r",? (?:a|an) [^,;.]{1,60}\.?\s*")


_THEIR_COMPANY = re.compile(r"[Hh](?:is|er) (?:own )?(?:company|firm)")
#: What ties a person to the company they call theirs
_THEIRS = frozenset({"Directorship", "Ownership", "Control", "Employment"})


def _their_company(
    text: str, mentions: list[_Mention], relations: list[Relation]
) -> list[_Mention]:
    """'Weber denied that his company had any business with X': 'his company' is the
    company the person named before it in the sentence directs, owns or works for (a
    relation stated earlier in the document), not merely the organisation named last."""
    resolved: list[_Mention] = []
    for mention in mentions:
        if mention.anaphor and _THEIR_COMPANY.fullmatch(text, mention.start, mention.end):
            person = next(
                (m for m in reversed(mentions) if m.end <= mention.start and m.kind == "person"),
                None,
            )
            theirs = [
                r.target
                for r in relations
                if person
                and r.source == person.entity
                and r.type in _THEIRS
                and r.stance is Stance.ASSERTED
            ]
            if theirs:
                mention = _Mention(mention.start, mention.end, theirs[-1], "org", True)
        resolved.append(mention)
    return resolved


def _called(text: str, mentions: list[_Mention], at: int, noun: str) -> _Mention | None:
    """The organisation named last before ``at`` (within ANAPHOR_REACH) that its name or
    the words around it call a ``noun``: 'Shandong Haiyue Refining Co., Ltd., a private
    refinery in Dongying' for 'the refinery'; None when none is."""
    stem = noun[:5].lower()
    for mention in reversed(mentions):
        if mention.end > at or mention.kind != "org" or mention.anaphor:
            continue
        if at - mention.end > ANAPHOR_REACH:
            return None
        name = text[mention.start : mention.end].lower()
        before = text[max(0, mention.start - 30) : mention.start].lower()
        after = text[mention.end : mention.end + 60].lower()
        if (
            stem in name  # 'Shandong Haiyue Refining'
            or before.endswith(f"{noun} ")  # 'the Singapore-based broker Pacific Crest'
            or re.match(rf",? (?:a|an|the) (?:[\w-]+ ){{0,3}}{noun}\b", after)  # ', a refinery'
        ):
            return mention
    return None


#: Rules whose pattern itself reads a second role after 'and': 'the chief executive of X
#: and a member of the board of Y'
_ROLES_JOINED = frozenset({"role at"})


#: Rules in which a country may act as a party: 'North Korea has shipped shells to Russia'
_STATE_RULES = frozenset({"delivered to", "supplies", "received from", "paid"})


def _country_of(name: str) -> str | None:
    """The country code of a state's own name ('North Korea') or acronym ('UAE')."""
    if name.replace(".", "").isupper():
        return registry.country.clean(name)
    return country_of(name)


def _fits(
    mention: _Mention, kinds: frozenset[str], rule: Rule, states: Set[str], source: bool
) -> bool:
    """Whether a mention may fill a rule's slot: by its kind, or as a state that ships or
    pays ('North Korea has shipped shells to Russia'). A state receives only from a state:
    'X shipped the parts to Russia' names where they went, not a party."""
    return mention.kind in kinds or (
        mention.entity in states and rule.name in _STATE_RULES and "org" in kinds and source
    )


def _as_states(
    relations: list[Relation],
    entities: dict[str, ExtractedEntity],
    states: Set[str],
    document_id: str,
) -> list[ExtractedEntity]:
    """The state behind each country that acts in a relation, as a PublicBody of the same
    name and mentions (FtM links join legal entities, not addresses); the relation is
    moved to it. The place stays a place where the text says where something is."""
    made: dict[str, ExtractedEntity] = {}
    for relation in relations:
        if relation.type == "Address":
            continue
        for end in ("source", "target"):
            place_id = getattr(relation, end)
            if place_id not in states:
                continue
            place = entities[place_id]
            state = made.get(place_id)
            if state is None:
                state = ExtractedEntity(
                    stable_id("extract", document_id, "PublicBody", place.caption.lower()),
                    "PublicBody",
                    list(place.names),
                    list(place.mentions),
                    country=_country_of(place.caption),
                )
                made[place_id] = state
            setattr(relation, end, state.id)
    return list(made.values())


def _kind_of_link(relation: Relation) -> str:
    """What an UnknownLink states, so that a sale and a collaboration between the same two
    parties stay two facts; other relations are one fact per type."""
    if relation.type != "UnknownLink":
        return ""
    return "supply" if relation.role in _SALES else relation.role.split()[0]


def _conjoined(doc: Any, at: int, mentions: list[_Mention]) -> _Mention | None:
    """The organisation that 'its' at ``at`` refers to in 'X ... and its director, P': the
    one the role noun is joined to by 'and' (or, where the parser joined the role to the
    verb, the verb's object); None when the parse says neither."""
    span = doc.char_span(at, at + 3)
    if span is None:
        return None
    if text_of(doc)[max(0, at - 2) : at] in (": ", "; "):
        # 'Wise Ocean appears to be a one-person operation: its only director, P': the
        # organisation the sentence is about, named first
        opening = span.sent.start_char
        return next(
            (m for m in mentions if m.kind == "org" and opening <= m.start and m.end <= at), None
        )
    role = span.root.head
    if role.dep_ != "conj":
        return None
    head = role.head
    if head.pos_ in ("VERB", "AUX"):
        head = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass", "attr")), None)
        if head is None:
            return None
    return next(
        (m for m in mentions if m.kind == "org" and m.start <= head.idx < m.end and m.end <= at),
        None,
    )


def _their_part(
    text: str,
    mentions: list[_Mention],
    relations: list[Relation],
    kinds: dict[str, str],
    earlier: list[_Mention],
) -> list[_Mention]:
    """'the customer' is the party a document introduced as such ('Alert review, customer
    Baltik Trade Solutions SIA'); else 'the Russian buyer' is the recipient of the sale
    stated last before it (within ANAPHOR_REACH), 'the seller' its supplier; else
    nobody."""
    resolved: list[_Mention] = []
    for mention in mentions:
        if mention.entity:
            resolved.append(mention)
            continue
        noun = ROLE_ANAPHORA.fullmatch(text, mention.start, mention.end)
        if noun is None:
            continue
        word = noun.group("noun").replace("-", " ")
        called = [
            m
            for m in reversed(earlier)
            if word in _CALLED_SO and m.entity and _named_as(text, m, word)
        ]
        sales = [
            r
            for r in relations
            if r.type == "UnknownLink"
            and r.role in _SALES
            and r.stance is Stance.ASSERTED
            and 0 < mention.start - r.evidence[-1].end <= ANAPHOR_REACH
        ]
        if called:  # 'Alert review, customer Baltik Trade Solutions SIA' ... 'the customer'
            party = called[0].entity
        elif sales:
            sale = max(sales, key=lambda r: r.evidence[-1].start)
            party = sale.target if word in _BUYER_NOUNS else sale.source
        else:
            continue
        resolved.append(_Mention(mention.start, mention.end, party, kinds[party], True))
    return resolved


#: The word before a name that introduces a party by its part: 'customer Baltik Trade'
_CALLED_SO = frozenset({"customer", "client", "consignee"})


def _named_as(text: str, mention: _Mention, word: str) -> bool:
    """Whether the text introduces the mention as the ``word``: 'customer X', 'X (the
    customer)', 'X ("the Customer")'."""
    before = text[max(0, mention.start - len(word) - 2) : mention.start].lower()
    after = text[mention.end : mention.end + len(word) + 10].lower()
    return before.endswith(f"{word} ") or bool(re.match(rf" \(\W?(?:the )?{word}\W?\)", after))


def _salient(text: str, doc: Any, before: list[_Mention], at: int) -> _Mention:
    """Of the organisations named in the sentence before ``at``, the one it is about: the
    one named last when the sentence ends describing it ('... is owned by Falcon Bridge
    Holdings, a Cyprus company. Its director'); else the subject of its main verb (or of
    what a reporting verb reports), or its object ('Minsk Optomechanical Works delivered
    sights to Kalashnikov Concern. Its deputy director': the works); else the one named
    last."""
    sentence = doc.char_span(at, at + 1, alignment_mode="expand")
    if sentence is None or sentence.sent.start == 0:
        return before[-1]
    previous = doc[sentence.sent.start - 1].sent
    # the parser's sentence may run across a blank line (a heading): only what follows it
    opening = previous.start_char
    for blank in BLANK_LINE.finditer(text, previous.start_char, previous.end_char):
        opening = blank.end()
    inside = [m for m in before if opening <= m.start < previous.end_char]
    if inside and _DESCRIBED_LAST.fullmatch(text, inside[-1].end, previous.end_char):
        return inside[-1]  # 'owned by Falcon Bridge Holdings, a Cyprus company. Its director'
    # the main verb, and what a reporting verb reports ('X delivered ..., the ministry said')
    verbs = {previous.root, *(t for t in previous.root.children if t.dep_ == "ccomp")}
    central: list[tuple[bool, _Mention]] = []
    for mention in inside:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and (span.root in verbs or span.root.head in verbs):
            central.append((span.root.dep_ in ("nsubj", "nsubjpass"), mention))
    subjects = [m for subject, m in central if subject]
    return (subjects or [m for _, m in central] or inside or before)[-1]


def _sentence_relations(
    text: str,
    start: int,
    end: int,
    mentions: list[_Mention],
    document_id: str,
    entities: dict[str, ExtractedEntity],
    states: Set[str] = frozenset(),
) -> list[Relation]:
    sentence = text[start:end]
    evidence = Evidence(document_id, start, end, sentence)
    found: list[Relation] = []
    for i, first in enumerate(mentions):
        matched_rules: set[str] = set()
        #: each matched rule's match and its last second name, for 'to X in Turkey and to Y'
        coordinated: dict[str, tuple[Rule, re.Match[str], _Mention]] = {}
        for second in mentions[i + 1 :]:
            if second.entity == first.entity:
                continue
            between = text[first.end : second.start]
            if "\n\n" in between or len(between) > 240:
                continue
            if between.startswith(")"):  # 'Guangzhou Mingtai Electronics Co., Ltd. (Mingtai) is'
                between = between[1:]
            # 'the Sea Falcon (IMO 9290323), are managed by': what the parentheses hold
            between = _PARENTHESES.sub("", between, count=1)
            in_apposition = _in_apposition(text, start, first, mentions)
            after = text[second.end : end]
            for name, (joined, earlier, last) in list(coordinated.items()):
                conjunction = _COORDINATED.match(text[last.end : second.start])
                if second.kind not in joined.second or not conjunction:
                    continue
                if _CLAUSE_VERB.match(text, second.end, end):
                    continue  # 'a subsidiary of Y and Z collaborated with': Z begins a clause
                source, target = (second, first) if joined.reverse else (first, second)
                coordinated[name] = (joined, earlier, second)
                relation = _relation(
                    joined,
                    earlier,
                    source,
                    target,
                    text,
                    start,
                    end,
                    "",
                    evidence,
                    mentions,
                    entities,
                )
                if conjunction.group("pct"):  # '60 percent owned by X, and 40 percent by Y'
                    relation.details["percentage"] = (
                        conjunction.group("pct").split("%")[0].split()[0]
                    )
                found.append(relation)
            for rule in RULES:
                if rule.name in matched_rules and not (
                    rule.name in _ROLES_JOINED and " and " in between
                ):
                    continue
                match = rule.pattern.match(between)
                if match is None:
                    continue
                source, target = (second, first) if rule.reverse else (first, second)
                if not (
                    _fits(source, rule.second if rule.reverse else rule.first, rule, states, True)
                    and _fits(
                        target,
                        rule.first if rule.reverse else rule.second,
                        rule,
                        states,
                        source.entity in states,
                    )
                ):
                    continue
                if (
                    source is second
                    and source.entity in states
                    and not _AFTER_PLACE.match(text, second.end)
                ):
                    continue  # 'bought chips from U.S. distributors': no state acts
                if rule.verb and in_apposition and between.startswith(","):
                    continue  # 'X, a subsidiary of Almaz-Antey, produces': X produces
                if rule.verb and _subject_follows(text, first, second, mentions):
                    continue  # 'X, the chairman of Y, and Z, who served as': Z served
                if rule.schema == "Address" and any(
                    first.end <= m.start
                    and m.end <= second.start
                    and m.kind != "place"
                    and not m.anaphor  # ('X, our partner in Kazakhstan')
                    for m in mentions
                ):
                    continue  # 'X, a supplier of Kupol based in Izhevsk': Kupol may be
                if rule.before and not rule.before.search(text[start : first.start]):
                    continue
                if _ACCORDING_TO.search(text, max(start, first.start - 20), first.start):
                    continue  # 'which, according to the Council, supplied': not the Council
                if second.anaphor and _NAMED_AFTER.match(after):
                    continue  # 'to your agent in Urumqi, X': X is the one
                after_match = rule.after.match(after) if rule.after else None
                if rule.after and after_match is None:
                    continue
                if after_match is not None:
                    match = after_match  # its role is the one to keep
                amount = match.groupdict().get("amount")
                if rule.schema == "Payment" and amount and not _MONEYISH.search(amount):
                    continue  # 'paid for weapons delivered to Y': Y was not paid
                goods = match.groupdict().get("goods") or ""
                if second.kind != "place" and re.search(r"\bfrom [A-Z]", goods):
                    continue  # 'shipped the parts from Hong Kong to Bandar Abbas': a route
                if rule.schema == "UnknownLink" and (
                    _NOT_GOODS.search(goods) or _WHEN_ONLY.fullmatch(goods.strip())
                ):
                    continue  # 'received a letter from', 'received today from': no goods
                matched_rules.add(rule.name)
                if not rule.after:
                    coordinated[rule.name] = (rule, match, second)
                found.append(
                    _relation(
                        rule,
                        match,
                        source,
                        target,
                        text,
                        start,
                        end,
                        after,
                        evidence,
                        mentions,
                        entities,
                    )
                )
            if (
                second.kind == "place"
                and first.kind in ("org", "public")
                and _named_with_its_place(text, start, first, second, between)
            ):
                found.append(_address(first, second, evidence, mentions))
            # "Our supplier in Shenzhen, Zhongke Rongxin Technology"
            if (
                first.kind == "place"
                and second.kind in ("org", "public")
                and between == ", "
                and _THEIR_ONE_IN.search(text, max(start, first.start - 40), first.start)
            ):
                found.append(_address(second, first, evidence, mentions))
            # "a Moscow firm, Radiotekh Komplekt JSC"
            if (
                first.kind == "place"
                and second.kind in ("org", "public")
                and re.search(
                    r"\b(?:[Aa]n?|[Tt]he) $", text[max(start, first.start - 4) : first.start]
                )
                and _PLACE_NOUN_NAME.fullmatch(between)
            ):
                found.append(_address(second, first, evidence, mentions))
            # "Voentorg Import LLC, a Moscow company" / "an Almaty freight forwarder"
            if (
                second.kind == "place"
                and first.kind in ("org", "public")
                and between in (", a ", ", an ")
                and PLACE_NOUN.match(text, second.end)
            ):
                found.append(_address(first, second, evidence, mentions))
        suffix = _PLACE_SUFFIX.match(text, first.end) if first.kind == "place" else None
        if suffix:
            nxt = next((m for m in mentions if m.start > first.end), None)
            gap = text[suffix.end() : nxt.start] if nxt else ""
            if nxt and nxt.kind in ("org", "public") and re.fullmatch(r" (?:[\w-]+ ){0,3}", gap):
                found.append(_address(nxt, first, evidence, mentions))
    return found + _owner_continuations(found, text, end, mentions, evidence)


def _named_with_its_place(
    text: str, start: int, party: _Mention, place: _Mention, between: str
) -> bool:
    """Whether an organisation is named with the place it is in: 'X, a Tehran-based
    manufacturer'; 'shipped the parts to Arax Systems LLC in Yerevan, which' (an object,
    or the sentence's start); 'sanctioned Tokmok Trade LLC of Bishkek, which'."""
    if _BASED_BETWEEN.match(between) and _PLACE_SUFFIX.match(text, place.end):
        return True
    if not _AFTER_PLACE.match(text, place.end):
        return False
    if between == " in ":
        return party.start == start or bool(_BEFORE_ORG_IN.search(text, start, party.start))
    return between in (" of ", ", of ")


_BASED_BETWEEN = re.compile(r"^,? (?:is |was )?(?:a |an |the )?(?:[\w-]+ ){0,2}$")


#: How far back (characters) a denial looks for the facts it denies ('such a project').
DENIAL_REACH = 1_500


def _earlier_facts_denied(
    text: str,
    start: int,
    end: int,
    mentions: list[_Mention],
    earlier: list[Relation],
    entities: dict[str, ExtractedEntity],
) -> list[Relation]:
    """'China's foreign ministry denied knowledge of such a project': the facts of the kind
    the denial names, stated in the nearest sentence before that states any (within
    DENIAL_REACH), each again with the stance denied, attributed to the verb's subject,
    and this sentence as evidence. A denial whose subject is not named denies nothing."""
    sentence = text[start:end]
    local = [(m.start - start, m.end - start, m.entity) for m in mentions if m.kind != "place"]
    found: list[Relation] = []
    for denial in denied_facts(sentence):
        who = denier(sentence, local, denial.start)
        if who is None:
            continue
        kind = [
            r
            for r in earlier
            if r.type == denial.schema
            and (denial.roles is None or r.role in denial.roles)
            and r.stance is Stance.ASSERTED
            and start - DENIAL_REACH <= r.evidence[-1].start < start
        ]
        if not kind:
            continue
        nearest = max(r.evidence[-1].start for r in kind)
        evidence = Evidence(kind[0].evidence[0].document_id, start, end, sentence)
        for fact in kind:
            if fact.evidence[-1].start != nearest:
                continue
            relation_id = stable_id(
                "relation",
                evidence.document_id,
                fact.type,
                fact.source,
                fact.target,
                fact.role,
                "denied",
                str(start),
            )
            found.append(
                Relation(
                    relation_id,
                    fact.type,
                    fact.role,
                    fact.source,
                    fact.target,
                    [evidence],
                    Stance.DENIED,
                    Attribution(entities[who[2]].caption, who[2]),
                    dict(fact.details),
                )
            )
    return found


#: Between two names a relation reaches both: 'shipped the parts to X in Turkey and to Y'
_COORDINATED = re.compile(
    r"^(?: in (?-i:[A-Z])[\w-]*(?: (?-i:[A-Z])[\w-]*)?)?(?:, (?:a|an|the) [^,;]{1,60})?,? "
    r"(?:and|or|as well as) (?:also )?(?P<pct>\d+(?:\.\d+)? ?(?:%|percent|per cent) )?"
    r"(?:to |from |with |for |of |by )?(?:the |a |an )?$"
)


_CLAUSE_VERB = re.compile(
    r",? (?:(?:also|then|later|allegedly|itself) )?(?:is|was|are|were|has|had|have|will|would"
    r"|could|can|may|might|said|says|did|does|[a-z]+ed|[a-z]+[^s]s)\b"
)


#: What is sent or received but is no goods: 'received today a letter from'
_NOT_GOODS = re.compile(
    r"\b(?:letters?|calls?|phone calls?|messages?|e-?mails?|awards?|prizes?|visits?|support"
    r"|invitations?|requests?|complaints?|warnings?|threats?|approval|permission|assurances?"
    r"|offers?|proposals?|briefings?|signals?|condolences|congratulations|greetings)\b",
    re.IGNORECASE,
)
_WHEN_ONLY = re.compile(
    r"(?:today|yesterday|recently|earlier|later|(?:last|this|next) \w+|on \w+day)",
    re.IGNORECASE,
)
#: What 'paid ... to' must have paid: an amount, not 'for weapons delivered'
_MONEYISH = re.compile(
    r"\d|[$\u20ac\u00a3\u00a5]|\b(?:sum|sums|amount|fee|fees|money|cash|funds|million|billion"
    r"|thousand|dollars|euros|yuan|rubles|roubles|dirhams|rest|balance|remainder|half"
    r"|deposit|advance|prepayment|instal?ments?)\b",
    re.IGNORECASE,
)
_JOINED = re.compile(r"\band (?:the )?$")


def _subject_follows(
    text: str, first: _Mention, second: _Mention, mentions: list[_Mention]
) -> bool:
    """Whether another party of the first's kind, joined by 'and', stands between two
    names: the verb that follows is that party's."""
    return any(
        first.end <= m.start
        and m.end <= second.start
        and m.kind == first.kind
        and m.entity != first.entity
        and _JOINED.search(text, max(0, m.start - 9), m.start)
        for m in mentions
    )


def _in_apposition(text: str, start: int, mention: _Mention, mentions: list[_Mention]) -> bool:
    """Whether a name stands inside another's apposition or relative clause: 'X, a
    subsidiary of NAME', 'X, which makes rifles for NAME,'."""
    before = text[start : mention.start]
    apposition = _APPOSITION.search(before)
    if apposition is None:
        return False
    # the apposition follows a name ('Kupol, a subsidiary of'), not an opening phrase ('As
    # discussed, the goods will be shipped by NAME')
    named = start + apposition.start()
    return any(
        start <= m.start < mention.start and m.entity != mention.entity and m.end == named
        for m in mentions
    )


_APPOSITION = re.compile(r"(?:\)|, \d{1,3})?, (?:a|an|the|which|who|that) [^,;]*$")


def _relation(
    rule: Rule,
    match: re.Match[str],
    source: _Mention,
    target: _Mention,
    text: str,
    start: int,
    end: int,
    after: str,
    evidence: Evidence,
    mentions: list[_Mention],
    entities: dict[str, ExtractedEntity],
) -> Relation:
    role = role_of(rule, match)
    schema = rule.schema
    goods = (match.groupdict().get("goods") or "").strip()
    if (
        schema == "UnknownLink"
        and goods
        and (_MONEY_ONLY.fullmatch(goods) or _MONEY_GOODS.search(goods))
    ):
        schema, role = "Payment", "payment"  # money received is a payment, not a delivery
    if schema == "Employment":
        schema = schema_for_role(role, schema)
    details: dict[str, str] = {}
    groups = match.groupdict()
    if groups.get("pct"):
        details["percentage"] = groups["pct"]
    elif (groups.get("sole") or "").strip() == "sole":
        details["percentage"] = "100"  # the sole owner holds all of it
    if groups.get("goods") and schema != "Payment":
        details["goods"] = " ".join(groups["goods"].split())
    if schema == "Ownership" and "percentage" not in details:
        held = _HELD.match(after)
        if held:
            details["percentage"] = held.group(1)
    if schema == "Payment":
        amount_text = (
            groups.get("amount")
            or groups.get("sum")
            or (goods if rule.schema == "UnknownLink" else "")
        )
        if not amount_text:
            money = _PAID.match(after)
            amount_text = money.group(1) if money else ""
        details.update(money_details(amount_text or text[start:end]))
    sentence = text[start:end]
    spans = [(source.start - start, source.end - start), (target.start - start, target.end - start)]
    first_start = min(s for s, _ in spans)
    last_end = max(e for _, e in spans)
    stance = stance_for(sentence, first_start, last_end, schema)
    if (
        schema == "Payment"
        and stance is Stance.UNCONFIRMED
        and requests_payment(sentence, last_end)
    ):
        role = "requested payment"
    attribution = None
    if stance is Stance.DENIED:
        local = [(m.start - start, m.end - start, m.entity) for m in mentions if m.kind != "place"]
        who = denier(sentence, local)
        if who is not None:
            attribution = Attribution(entities[who[2]].caption, who[2])
    if attribution is None:
        parties = [(m.start - start, m.end - start, m.entity) for m in mentions if m.kind in PARTY]
        attribution = attributed(sentence, spans, parties)
    relation_id = stable_id(
        "relation", evidence.document_id, schema, source.entity, target.entity, role, str(start)
    )
    return Relation(
        id=relation_id,
        type=schema,
        role=role,
        source=source.entity,
        target=target.entity,
        evidence=[evidence],
        stance=stance,
        attributed_to=attribution,
        details=details,
    )


def _address(
    party: _Mention, place: _Mention, evidence: Evidence, mentions: list[_Mention]
) -> Relation:
    """'X, a Tehran-based manufacturer': X is based in Tehran, attributed as its sentence
    says ('..., according to the registry')."""
    relation_id = stable_id(
        "relation",
        evidence.document_id,
        "Address",
        party.entity,
        place.entity,
        "based in",
        str(evidence.start),
    )
    start = evidence.start
    spans = [
        (party.start - start, party.end - start),
        (place.start - start, place.end - start),
    ]
    parties = [(m.start - start, m.end - start, m.entity) for m in mentions if m.kind in PARTY]
    said_by = attributed(evidence.text, spans, parties)
    return Relation(
        relation_id,
        "Address",
        "based in",
        party.entity,
        place.entity,
        [evidence],
        attributed_to=said_by,
    )


def _owner_continuations(
    found: list[Relation],
    text: str,
    end: int,
    mentions: list[_Mention],
    evidence: Evidence,
) -> list[Relation]:
    """'X is owned by A, who holds 60 percent, and by B, which holds the remaining 40
    percent': B owns X too."""
    more: list[Relation] = []
    for relation in found:
        if relation.type != "Ownership":
            continue
        owner = next(m for m in mentions if m.entity == relation.source)
        later = [m for m in mentions if m.start > owner.end and m.kind in PARTY]
        for nxt in later[:1]:
            between = text[owner.end : nxt.start]
            if not re.fullmatch(
                r"(?:,[^,;]{0,80})?,? and (?:also )?by (?:the )?(?:[\w-]+ ){0,2}", between
            ):
                continue
            after = text[nxt.end : end]
            details: dict[str, str] = {}
            held = _HELD.match(after)
            if held:
                details["percentage"] = held.group(1)
            relation_id = stable_id(
                "relation",
                evidence.document_id,
                "Ownership",
                nxt.entity,
                relation.target,
                relation.role,
                str(evidence.start),
            )
            more.append(
                Relation(
                    relation_id,
                    "Ownership",
                    relation.role,
                    nxt.entity,
                    relation.target,
                    [evidence],
                    relation.stance,
                    relation.attributed_to,
                    details,
                )
            )
    return more
