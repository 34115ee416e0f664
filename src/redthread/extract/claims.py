"""Who states a fact, and whether they assert, deny or leave it unconfirmed.

- Attribution: "according to two sources from a European intelligence agency",
  "documents reviewed by Reuters", "..., filings show", "Customs records show that
  ...", "the officials said". A relation takes the attribution of its sentence when
  its names lie outside the attribution's words (the sources' own description is
  not what they report).
- Denied: a denial verb ("denied", "denies", "rejected") before the relation's names
  in its sentence: "Steinbach denied selling machines to Bosphorus Makina". The
  denier is the party named before the verb.
- Denied, of a fact stated before: "China's foreign ministry denied knowledge of such a
  project", "the company denies the shipments". A denial verb, then a determiner
  ("such a", "the", "these", "any") and a noun naming a kind of fact (project,
  shipment, payment, deal...): the facts of that kind stated in the nearest sentence
  before are denied, by the party that is the verb's subject (see ``denied_facts``).
- Unconfirmed: "could not determine whether", "could not be confirmed whether", "if
  confirmed", "it is unclear whether"; and payments that are asked for, not made
  ("requested payment", "asked ... to pay").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from redthread.model.evidence import Stance
from redthread.model.extraction import Attribution

_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;:\n]+(?:,? and [^,.;:\n]+)?)")
_SAYS = re.compile(
    r"(?:^|, |\. |: |\n)(?!(?:who|which|that) )(?P<who>(?:[\w'\u2019-]+ ){0,7}?[\w'\u2019-]+)"
    r"(?:, (?:who|which) [^,;]{1,60},)?,? (?P<verb>said|says|say"
    r"|stated|states"
    r"|told [\w ]{1,30}?|reported|reports|alleges|alleged|claimed|claims|showed|shows|show"
    r"|wrote|writes|found|finds|concluded|concludes|ruled|rules|determined|established"
    r"|indicate|indicates|indicated|suggest|suggests|suggested)\b"
    r"(?: on \w+| in a statement| in a filing)?(?: that)?"
)
_REVIEWED = re.compile(
    r"(?P<who>(?:[\w-]+ ){0,3}(?:documents?|records?|invoices?|data|filings|files|emails?"
    r"|statements?|papers|images)(?: [\w-]+){0,3} (?:reviewed|seen|obtained|examined|analy[sz]ed)"
    r" by (?:[\w'\u2019-]+ ){0,4}?[\w'\u2019-]+)(?=[,.;]|$| and)"
)
#: 'a Reuters report that X ...': what follows is the report's claim, even inside what
#: another says ('the ministry stated ..., responding to a Reuters report that ...').
_REPORT_THAT = re.compile(
    r"\b(?P<who>(?:a|an|the|earlier|previous) (?:[\w'\u2019-]+ ){0,3}?(?:report|reports|article"
    r"|investigation|story|stories|assessment|analysis)) that\b"
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|refuted|refutes)\b"
    r"|\bno evidence (?:that|of)\b"
)
_NEVER = re.compile(
    r"\bnever\b|\b(?:no|not (?:have |had )?any) (?:business|dealings|(?:business )?relationship"
    r"|(?:formal )?role)\b"
)
_NOT_DENIAL = re.compile(r"\b(?:did not|does not|do not|didn't|doesn't|never) deny")
_UNCONFIRMED = re.compile(
    r"\b(?:could not (?:be )?(?:confirm(?:ed)?|determine[d]?|verif(?:y|ied)|establish(?:ed)?)"
    r"|(?:was|were|is|are) unable to (?:confirm|determine|verify|establish)"
    r"|if confirmed|unconfirmed|(?:it is|it was|it remains) unclear whether|not clear whether"
    r"|could not say whether|may have|might have)\b",
    re.IGNORECASE,
)
_REQUESTED = re.compile(
    r"\b(?:requested|requests|requesting|asked|asks|ask|please|demanded|invoiced|invoices|invoice"
    r"|billed|bills|bill)\b",
    re.IGNORECASE,
)
#: A denial of a fact stated earlier, and the relations each noun names: (schema, roles),
#: roles None for any.
_DENIED_FACT = re.compile(
    r"\b(?P<verb>denied|denies|deny|denying|rejected|rejects|refuted|refutes|dismissed"
    r"|dismisses)(?: (?:any|all|having))?(?: (?:knowledge of|involvement in|responsibility"
    r" for|the existence of|reports of|reports about|allegations of|claims of))? "
    r"(?:any |such (?:a |an )?|the |this |these |those |that |its |their )"
    r"(?:(?:alleged|reported|purported|said) )?(?P<noun>project|program|programme|plan|scheme"
    r"|shipments?|deliver(?:y|ies)|transfers?|sales?|supplies|payments?|transactions?|deals?"
    r"|contracts?|agreements?|cooperation|collaboration|partnership|joint venture|venture)\b",
    re.IGNORECASE,
)
_DELIVERY_ROLES = frozenset({"delivered", "supplier"})
_LINK_ROLES = frozenset(
    {"collaborated with", "partner", "joint venture", "traded with", "collaborated"}
)
DENIABLE: dict[str, tuple[str, frozenset[str] | None]] = {
    **dict.fromkeys(
        ("project", "program", "programme", "plan", "scheme"), ("ProjectParticipant", None)
    ),
    **dict.fromkeys(
        ("shipment", "delivery", "transfer", "sale", "supply"),
        ("UnknownLink", _DELIVERY_ROLES),
    ),
    **dict.fromkeys(("payment", "transaction"), ("Payment", None)),
    **dict.fromkeys(
        (
            "deal",
            "contract",
            "agreement",
            "cooperation",
            "collaboration",
            "partnership",
            "joint venture",
            "venture",
        ),
        ("UnknownLink", _LINK_ROLES),
    ),
}
#: What may stand between the subject of a denial and its verb: an apposition, an
#: auxiliary, adverbs ('X, a subsidiary of Y, has repeatedly denied').
_DENIER_GAP = re.compile(
    r"^(?:, (?:a|an|the|which|who) [^,;]{1,100},)? (?:has |have |had |also |repeatedly "
    r"|flatly |strongly |previously |again |firmly |publicly |immediately |subsequently "
    r"|later )*$"
)


@dataclass(frozen=True)
class FactDenial:
    """A denial of facts stated before: the relation schema and roles it names, and where
    its verb is (sentence offset)."""

    schema: str
    roles: frozenset[str] | None
    start: int


def denied_facts(sentence: str) -> list[FactDenial]:
    """The denials of earlier facts in a sentence ('denied knowledge of such a project')."""
    found: list[FactDenial] = []
    for match in _DENIED_FACT.finditer(sentence):
        if _NOT_DENIAL.search(sentence[max(0, match.start() - 12) : match.end("verb")]):
            continue
        noun = match.group("noun").lower()
        singular = {"deliveries": "delivery", "supplies": "supply"}.get(noun, noun)
        schema, roles = DENIABLE[singular if singular in DENIABLE else noun.removesuffix("s")]
        found.append(FactDenial(schema, roles, match.start()))
    return found


#: Words that are not a source: "he said" is resolved by the caller.
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


@dataclass(frozen=True)
class Source:
    """An attribution in a sentence: its words, where they are (sentence offsets), and
    whether it covers the whole sentence (``according to``, a closing 'X said')."""

    text: str
    start: int
    end: int
    whole: bool


def attributions(sentence: str) -> list[Source]:
    found: list[Source] = []
    for match in _ACCORDING.finditer(sentence):
        who = match.group("who").strip()
        found.append(Source(who, match.start(), match.end(), whole=True))
    for match in _SAYS.finditer(sentence):
        who = match.group("who").strip()
        start = match.start("who")
        if who.lower() in ("which", "that", "who", "and", "but") or len(who) < 2:
            continue
        if who.lower() in PRONOUNS:
            continue  # 'they said': who they are is in another sentence
        rest = sentence[match.end() :].strip()
        whole = (
            not rest.strip(" .\"”'") or start == 0 or sentence[match.end() :].startswith(" that")
        )
        if any(s.start <= start < s.end for s in found):
            continue
        found.append(Source(who, start, match.end(), whole=whole))
    if not found:
        for match in _REVIEWED.finditer(sentence):
            found.append(Source(match.group("who").strip(), match.start(), match.end(), whole=True))
    return found


def attribution_for(sentence: str, spans: list[tuple[int, int]]) -> Source | None:
    """The attribution covering a relation whose names are at ``spans`` (sentence offsets):
    the nearest 'a ... report that' before the names, else one whose words do not include
    the names, and which covers the sentence or comes before the names ('X said that ...')."""
    first = min(s for s, _ in spans)
    reports = [m for m in _REPORT_THAT.finditer(sentence) if m.end() <= first]
    if reports:
        nearest = reports[-1]
        return Source(nearest.group("who"), nearest.start(), nearest.end(), whole=False)
    for source in attributions(sentence):
        if any(source.start <= s < source.end or source.start < e <= source.end for s, e in spans):
            continue
        first = min(s for s, _ in spans)
        if source.whole or source.end <= first:
            return source
    return None


def attributed(
    sentence: str, spans: list[tuple[int, int]], parties: list[tuple[int, int, str]]
) -> Attribution | None:
    """Who states what stands at ``spans`` (see ``attribution_for``), with the party named
    in those words where there is one; ``parties``: (sentence offsets, entity id)."""
    source = attribution_for(sentence, spans)
    if source is None:
        return None
    named = [entity for s, e, entity in parties if source.start <= s and e <= source.end]
    return Attribution(source.text, named[0] if named else None)


def stance_for(sentence: str, first_start: int, last_end: int, schema: str) -> Stance:
    """Denied, unconfirmed or asserted, from the words before and between the names."""
    before = sentence[:last_end]
    if _DENIAL.search(before) and not _NOT_DENIAL.search(before):
        return Stance.DENIED
    if _NEVER.search(sentence[first_start:last_end]):
        return Stance.DENIED  # 'said it had never supplied products to'
    if _UNCONFIRMED.search(sentence[:first_start]) or _UNCONFIRMED.search(
        sentence[first_start:last_end]
    ):
        return Stance.UNCONFIRMED
    if schema == "Payment" and requests_payment(sentence, last_end):
        return Stance.UNCONFIRMED
    return Stance.ASSERTED


def requests_payment(sentence: str, last_end: int) -> bool:
    """Whether the sentence asks for a payment ('Please ask X to pay', 'invoiced')
    rather than stating one made."""
    return _REQUESTED.search(sentence[: last_end + 40]) is not None


def denier(
    sentence: str, mentions: list[tuple[int, int, str]], verb_start: int | None = None
) -> tuple[int, int, str] | None:
    """The subject of a denial verb (the sentence's first, or the one at ``verb_start``):
    the party named just before it ('China's foreign ministry denied', 'the company has
    repeatedly denied', 'X, a subsidiary of Y, denied'), as (sentence offsets, entity id)."""
    if verb_start is None:
        cue = _DENIAL.search(sentence)
        if cue is None:
            return None
        verb_start = cue.start()
    for mention in reversed([m for m in mentions if m[1] <= verb_start]):
        if _DENIER_GAP.match(sentence[mention[1] : verb_start]):
            return mention
    return None
